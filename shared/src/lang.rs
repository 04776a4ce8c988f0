//! The languages patients read. Each is one file, `shared/lang/{code}.json` (its name, the words
//! and patterns of dates and times, and its texts); the build turns the files into
//! [`LANGUAGES`], so adding a language is adding a file. Which language a patient gets: an
//! explicit choice, then their browser's preferences, then the practice's default.

/// The words and patterns a language writes dates and times with. Patterns use `{weekday}`,
/// `{month}`, `{day}`, `{year}`, `{hour12}`, `{minute}`, `{am_pm}` and `{zone}`.
#[derive(Debug)]
pub struct DateWords {
    /// Monday first.
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    pub am_pm: [&'static str; 2],
    /// A day: `Monday, November 23`.
    pub day: &'static str,
    /// A date with its year, as messages write it: `Monday, November 23, 2026`.
    pub date: &'static str,
    /// A time of day: `9:00 AM`.
    pub time: &'static str,
    /// A moment without ambiguity: `Monday, November 23, 2026 at 9:00 AM EST`.
    pub full: &'static str,
}

/// One language.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-1, e.g. `es`.
    pub code: &'static str,
    /// The language's own name for itself (`Español`), as the language switch shows it.
    pub name: &'static str,
    pub dates: DateWords,
    /// Texts by key.
    pub text: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// English, the language of last resort.
pub static DEFAULT: &Language = &LANGUAGES[0];

/// The default message templates of each language (server only: the front ends never send).
#[cfg(feature = "messages")]
pub mod messages {
    use super::Language;

    include!(concat!(env!("OUT_DIR"), "/messages.rs"));

    /// `language`'s message text for `key` (e.g. `confirmation.sms`, `opt_out`), or English's
    /// when the key is unknown to it (the build makes every language complete).
    pub fn message(language: &Language, key: &str) -> Option<&'static str> {
        let find = |code: &str| {
            MESSAGES
                .iter()
                .find(|(c, _)| *c == code)
                .and_then(|(_, list)| list.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
        };
        find(language.code).or_else(|| find(super::DEFAULT.code))
    }
}

impl Language {
    /// The text for `key`, or `None` when there is no such text.
    pub fn text(&self, key: &str) -> Option<&'static str> {
        self.text.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Words for a stored message (see [`render_with`]).
    pub fn render(&self, stored: &str) -> String {
        render_with(stored, |key| self.text(key).map(str::to_string))
    }

    /// The text for `key` with its `{placeholders}` filled in (the values as given: escape them
    /// for where they go). Every language has every text English has (the build checks it); an
    /// unknown key gives the key itself.
    pub fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.text(key).unwrap_or(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// Words for a stored message: a text key with its values (`check.text.long|max=1000`, as the
/// shared rules give them) looked up with `text`; anything else is already words and comes
/// back as it is.
pub fn render_with(stored: &str, text: impl Fn(&str) -> Option<String>) -> String {
    let mut parts = stored.split('|');
    let key = parts.next().unwrap_or_default();
    let Some(mut words) = text(key) else {
        return stored.to_string();
    };
    for part in parts {
        if let Some((name, value)) = part.split_once('=') {
            words = words.replace(&format!("{{{name}}}"), value);
        }
    }
    words
}

/// Field errors of the shared rules in words of `language`.
pub fn render_fields(
    language: &Language,
    fields: crate::error::FieldErrors,
) -> crate::error::FieldErrors {
    fields
        .into_iter()
        .map(|(field, stored)| (field, language.render(&stored)))
        .collect()
}

/// The language of a BCP 47 tag's primary subtag (`es`, `es-MX`, `ES-419`), if there is one.
pub fn find(tag: &str) -> Option<&'static Language> {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
    LANGUAGES
        .iter()
        .find(|l| l.code.eq_ignore_ascii_case(primary))
}

/// The language of a code, English for one there is none of.
pub fn of(code: &str) -> &'static Language {
    find(code).unwrap_or(DEFAULT)
}

/// The first language of a preference list there is a file for: an `Accept-Language` header
/// (`es-MX,es;q=0.9,en;q=0.8`, by weight) or the browser's languages joined by commas.
pub fn preferred(list: &str) -> Option<&'static Language> {
    let mut ranked: Vec<(f32, usize, &str)> = list
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (weight > 0.0 && !tag.is_empty()).then_some((weight, i, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().find_map(|(_, _, tag)| find(tag))
}

/// The patient's language: an explicit choice (`?lang=`, `data-lang`) when there is a file for
/// it, else the first of their preferences there is one for, else the practice's default.
pub fn choose(
    explicit: Option<&str>,
    preferences: Option<&str>,
    practice_default: &str,
) -> &'static Language {
    explicit
        .and_then(find)
        .or_else(|| preferences.and_then(preferred))
        .unwrap_or_else(|| of(practice_default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_comes_first_and_spanish_is_there() {
        assert_eq!(DEFAULT.code, "en");
        assert_eq!(of("es").name, "Español");
        assert_eq!(of("xx").code, "en");
    }

    #[test]
    fn texts_fill_in_their_placeholders_in_each_language() {
        let values = [("practice", "Brightside Dental")];
        assert_eq!(
            of("en").say("unsubscribe.heading", &values),
            "Stop emails from Brightside Dental?"
        );
        assert_eq!(
            of("es").say("unsubscribe.heading", &values),
            "¿Dejar de recibir correos de Brightside Dental?"
        );
        for language in &LANGUAGES {
            assert_eq!(language.text.len(), DEFAULT.text.len(), "{}", language.code);
        }
    }

    #[test]
    fn stored_messages_become_words_and_words_stay_as_they_are() {
        assert_eq!(of("es").render("check.name.empty"), "Escriba un nombre.");
        assert_eq!(
            of("en").render("check.text.long|max=40"),
            "Keep this under 40 characters."
        );
        assert_eq!(of("es").render("Already words."), "Already words.");
    }

    #[test]
    fn tags_match_by_their_primary_language() {
        for tag in ["es", "es-MX", "ES-419", "es_US"] {
            assert_eq!(find(tag).map(|l| l.code), Some("es"), "{tag}");
        }
        assert!(find("fr-CA").is_none());
    }

    #[test]
    fn preferences_are_taken_by_weight_then_order() {
        let code = |list: &str| preferred(list).map(|l| l.code);
        assert_eq!(code("fr-FR,es-MX;q=0.9,en;q=0.8"), Some("es"));
        assert_eq!(code("en;q=0.5,es;q=0.9"), Some("es"));
        assert_eq!(code("es;q=0,en"), Some("en"));
        assert_eq!(code("de,fr"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn an_explicit_choice_wins_then_the_browser_then_the_practice() {
        assert_eq!(choose(Some("es"), Some("en-US"), "en").code, "es");
        assert_eq!(choose(Some("fr"), Some("es-MX"), "en").code, "es");
        assert_eq!(choose(None, Some("de"), "es").code, "es");
        assert_eq!(choose(None, None, "zz").code, "en");
    }
}
