//! What the loader passes to a widget: the practice, the API origin, the display mode and the
//! prefill gathered from data attributes, URL parameters and the referrer.

use serde::Deserialize;
use slotwise_shared::api::Referral;
use slotwise_shared::booking_flow::Prefill;
use slotwise_shared::model::PatientType;

/// Options of one embedded widget (JSON from embed.js).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct WidgetOptions {
    /// Practice slug.
    pub practice: String,
    /// Origin of the booking server, e.g. `https://book.example.com`.
    pub api: String,
    /// `inline`, `popup`, `badge` or `page` (the direct booking page).
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// A location id, the slug of its name, or `any`.
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
    /// `new` or `returning`.
    #[serde(default)]
    pub patient: Option<String>,
    /// `self-pay` or a carrier id or name slug.
    #[serde(default)]
    pub insurance: Option<String>,
    /// Manage token: show that booking instead of the booking flow.
    #[serde(default)]
    pub manage: Option<String>,
    /// Personal recall / no-show rebooking link token: the widget opens the link and books for
    /// the patient it was sent to.
    #[serde(default)]
    pub recall: Option<String>,
    /// A waitlist offer's time (UTC seconds): the time step marks it, or says it was taken.
    #[serde(default)]
    pub offer: Option<String>,
    /// The offered time's local day (`YYYY-MM-DD`): the time step opens on it.
    #[serde(default)]
    pub day: Option<String>,
    /// The language asked for (`data-lang`, `?lang=`): `es`.
    #[serde(default)]
    pub lang: Option<String>,
    /// The browser's languages, most wanted first (`es-MX,es,en`).
    #[serde(default)]
    pub prefer: Option<String>,
    /// The loader's words in the language it chose (the `loader.*` texts): what the widget
    /// says before the practice's settings arrive.
    #[serde(default)]
    pub words: std::collections::BTreeMap<String, String>,
    /// The patient already answered a question the loader drew (the first one, new or
    /// returning, passed as `patient`): focus follows the steps from the first one shown.
    #[serde(default)]
    pub started: bool,
    #[serde(default)]
    pub referrer: Option<String>,
    #[serde(default)]
    pub utm_source: Option<String>,
    #[serde(default)]
    pub utm_medium: Option<String>,
    #[serde(default)]
    pub utm_campaign: Option<String>,
    #[serde(default)]
    pub utm_term: Option<String>,
    #[serde(default)]
    pub utm_content: Option<String>,
}

/// A waitlist offer's time, from the offer link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offered {
    pub day: jiff::civil::Date,
    /// UTC seconds.
    pub start: i64,
    pub reason: i64,
    pub provider: i64,
}

fn present(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| v.chars().take(500).collect())
}

impl WidgetOptions {
    /// Choices to apply before the first step.
    pub fn prefill(&self) -> Prefill {
        Prefill {
            patient_type: present(&self.patient).and_then(|p| PatientType::parse(&p)),
            reason: present(&self.reason),
            location: present(&self.location),
            provider: present(&self.provider),
            insurance: present(&self.insurance),
        }
    }

    /// A waitlist offer's day and time, when the link carried one (and the reason and provider
    /// it is for, as the link named them).
    pub fn offered(&self) -> Option<Offered> {
        Some(Offered {
            day: slotwise_shared::wire_time::parse_date(&present(&self.day)?)?,
            start: present(&self.offer)?.parse().ok()?,
            reason: present(&self.reason)?.parse().ok()?,
            provider: present(&self.provider)?.parse().ok()?,
        })
    }

    /// The personal link's token, if one was passed.
    pub fn personal_link(&self) -> Option<String> {
        present(&self.recall)
    }

    /// Where the patient came from, sent with the booking.
    pub fn referral(&self) -> Option<Referral> {
        let referral = Referral {
            referrer: present(&self.referrer),
            utm_source: present(&self.utm_source),
            utm_medium: present(&self.utm_medium),
            utm_campaign: present(&self.utm_campaign),
            utm_term: present(&self.utm_term),
            utm_content: present(&self.utm_content),
        };
        (referral != Referral::default()).then_some(referral)
    }

    /// `booking-config`'s query: the language asked for and the browser's.
    pub fn language_query(&self) -> String {
        let part = |v: &Option<String>| {
            js_sys::encode_uri_component(&present(v).unwrap_or_default())
                .as_string()
                .unwrap_or_default()
        };
        format!("lang={}&prefer={}", part(&self.lang), part(&self.prefer))
    }

    /// One of the loader's words, or `fallback` when the loader did not pass it.
    pub fn word<'a>(&'a self, name: &str, fallback: &'a str) -> &'a str {
        self.words.get(name).map_or(fallback, String::as_str)
    }

    /// The full-page direct booking link layout.
    pub fn is_page(&self) -> bool {
        self.mode.as_deref() == Some("page")
    }
}
