//! `GET slots?reason=&provider=(id|any)&patient=(new|returning)&location=(id|any)&from=YYYY-MM-DD&days=N&lang=es`.

use crate::booking::availability::{find_slots, slot_option};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use slotwise_shared::api::{ProviderChoice, SlotDay, SlotsResponse};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::labels;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{LocationId, PatientType, ReasonId};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::{first_available, start_of_local_day};
use std::collections::HashMap;

/// Most days one request may ask for.
pub const MAX_DAYS: i64 = 31;

/// The query, parsed by hand in [`parse_query`] (any value it refuses is a 422 naming the
/// parameter); the derive documents it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SlotsQuery {
    /// The reason for visit (required; an id from `booking-config`).
    reason: ReasonId,
    /// A provider id linked to the reason, or `any` (the default) for the first free provider
    /// of each time.
    #[param(value_type = Option<String>, pattern = "^([0-9]+|any)$", example = "any")]
    provider: ProviderChoice,
    /// `new` or `returning`: only times of a reason offered to that patient type.
    patient: Option<PatientType>,
    /// A location id from `booking-config`: only times there; `any` (the default) for every
    /// location of the reason.
    #[param(value_type = Option<String>, pattern = "^([0-9]+|any)$", example = "any")]
    location: Option<LocationId>,
    /// The first local date (practice timezone) of the range; default and minimum today.
    #[param(value_type = Option<String>, format = Date, example = "2026-11-23")]
    from: Option<Date>,
    /// How many days from `from` (1 to 31, default 7).
    #[param(required = false, default = 7, minimum = 1, maximum = 31)]
    days: i64,
    /// The language of the labels (`es`); the practice's default language when absent or
    /// when there is no such language.
    #[param(value_type = Option<String>, max_length = 35, example = "es")]
    lang: &'static Language,
}

fn parse_query(raw: Option<String>, default_lang: &str) -> ApiResult<SlotsQuery> {
    let pairs: HashMap<String, String> = serde_urlencoded_pairs(raw.as_deref().unwrap_or(""));
    let mut errors = FieldErrors::new();
    let reason = match pairs.get("reason").map(|r| r.parse::<i64>()) {
        Some(Ok(id)) => Some(ReasonId(id)),
        Some(Err(_)) => {
            errors.insert("reason".into(), "Unknown reason for visit.".into());
            None
        }
        None => {
            errors.insert("reason".into(), "Choose a reason for visit.".into());
            None
        }
    };
    let provider = ProviderChoice::parse(pairs.get("provider").map_or("any", String::as_str));
    if provider.is_none() {
        errors.insert("provider".into(), "Use a provider id or \"any\".".into());
    }
    let patient = match pairs.get("patient").map(|p| PatientType::parse(p)) {
        None => None,
        Some(Some(p)) => Some(p),
        Some(None) => {
            errors.insert("patient".into(), "Use \"new\" or \"returning\".".into());
            None
        }
    };
    let location = match pairs.get("location").map(String::as_str) {
        None | Some("" | "any") => None,
        Some(l) => match l.parse::<i64>() {
            Ok(id) => Some(LocationId(id)),
            Err(_) => {
                errors.insert("location".into(), "Use a location id or \"any\".".into());
                None
            }
        },
    };
    let from = match pairs.get("from").map(|f| f.parse::<Date>()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            errors.insert("from".into(), "Use a date like 2026-11-23.".into());
            None
        }
    };
    let lang = pairs.get("lang").map(String::as_str);
    if lang.is_some_and(|l| l.len() > 35) {
        errors.insert("lang".into(), "Use a language code like es.".into());
    }
    let days = match pairs.get("days").map(|d| d.parse::<i64>()) {
        None => 7,
        Some(Ok(d)) if (1..=MAX_DAYS).contains(&d) => d,
        Some(_) => {
            errors.insert("days".into(), format!("Ask for 1 to {MAX_DAYS} days."));
            7
        }
    };
    match (reason, provider) {
        (Some(reason), Some(provider)) if errors.is_empty() => Ok(SlotsQuery {
            reason,
            provider,
            patient,
            location,
            from,
            days,
            lang: lang::choose(lang, None, default_lang),
        }),
        _ => Err(ApiError::validation(errors)),
    }
}

/// `a=1&b=2` → map (percent-decoded; the last value of a repeated key wins).
fn serde_urlencoded_pairs(raw: &str) -> HashMap<String, String> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                urlencoding::decode(&s.replace('+', " "))
                    .ok()
                    .map(|c| c.into_owned())
            };
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Handler.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/slots",
    operation_id = "get_free_times",
    tag = "booking",
    summary = "Free times of a reason for visit, by local day",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        SlotsQuery,
    ),
    responses(
        (status = 200, description = "Every local day of the range with its free times (gzip-encoded \
            when the request accepts it); `next_available` when the range has none", body = SlotsResponse),
        (status = 404, description = "Unknown practice, reason or location, or a provider not linked to the reason", body = ErrorBody),
        (status = 422, description = "A parameter that does not pass (`fields` names it): missing or \
            non-numeric `reason`, a `provider` that is neither an id nor `any`, a `patient` other than \
            `new`/`returning` or not offered this reason (or `new` at a practice that books existing \
            patients only), a `location` that is neither an id nor `any`, a `from` that is not a date, `days` outside 1 to 31", body = ErrorBody),
    ),
)]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let catalog = state.catalog(&slug).await?;
    let q = parse_query(raw, &catalog.practice.default_lang)?;
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let today = jiff::Timestamp::now()
        .to_zoned(catalog.practice.tz.clone())
        .date();
    let from = q.from.unwrap_or(today).max(today);
    let key = format!(
        "{}|{}|{:?}|{:?}|{from}|{}|{}",
        q.reason,
        q.provider.as_query(),
        q.patient,
        q.location,
        q.days,
        q.lang.code
    );
    let practice = catalog.practice.id;
    let body = match state.slots_cache.get(practice, &key) {
        Some(body) => body,
        None => {
            let version = state.slots_cache.version(practice);
            let answer = compute(&state, &catalog, &q, from).await?;
            let json = serde_json::to_vec(&answer).map_err(ApiError::internal)?;
            state.slots_cache.put(practice, key, version, json)
        }
    };
    let (encoding, bytes) = if gzip_ok {
        (Some("gzip"), body.gzip)
    } else {
        (None, body.json)
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::VARY, "accept-encoding"),
        ],
        bytes,
    )
        .into_response();
    if let Some(encoding) = encoding {
        response.headers_mut().insert(
            header::CONTENT_ENCODING,
            header::HeaderValue::from_static(encoding),
        );
    }
    Ok(response)
}

/// The free times of a parsed query, starting at the local date `from`.
async fn compute(
    state: &AppState,
    catalog: &Catalog,
    q: &SlotsQuery,
    from: Date,
) -> ApiResult<SlotsResponse> {
    let reason = catalog
        .reason(q.reason)
        .ok_or_else(|| ApiError::not_found("reason"))?;
    if q.patient == Some(PatientType::New) && catalog.practice.existing_patients_only {
        return Err(ApiError::field(
            "patient",
            "This practice books existing patients online. New patients, please call us.",
        ));
    }
    if let Some(patient) = q.patient {
        if !reason.eligibility.admits(patient) {
            return Err(ApiError::field(
                "patient",
                "This reason for visit is not offered to this patient type.",
            ));
        }
    }
    let providers = match q.provider {
        ProviderChoice::Any => reason.provider_ids.clone(),
        ProviderChoice::Id(id) if reason.provider_ids.contains(&id) => vec![id],
        ProviderChoice::Id(_) => return Err(ApiError::not_found("provider")),
    };
    if let Some(location) = q.location {
        catalog
            .location(location)
            .ok_or_else(|| ApiError::not_found("location"))?;
    }
    let tz = &catalog.practice.tz;
    let now = now_seconds();
    let day_after = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).ok();
    let last = day_after(from, q.days)
        .ok_or_else(|| ApiError::field("from", "Use a date in the coming months."))?;
    let (Some(start), Some(end)) = (start_of_local_day(tz, from), start_of_local_day(tz, last))
    else {
        return Err(ApiError::field("from", "Use a date in the coming months."));
    };
    let found = find_slots(
        &state.db,
        catalog,
        reason,
        &providers,
        q.location,
        Span::new(start, end),
        now,
        usize::MAX,
    )
    .await?;
    let found = match q.provider {
        ProviderChoice::Any => first_available(found),
        ProviderChoice::Id(_) => found,
    };
    let mut days: Vec<SlotDay> = Vec::with_capacity(q.days as usize);
    let mut date = from;
    while date < last {
        let at = start_of_local_day(tz, date).and_then(|s| jiff::Timestamp::from_second(s).ok());
        days.push(SlotDay {
            date,
            label: at
                .map(|t| labels::day_label_in(q.lang, t, tz))
                .unwrap_or_default(),
            slots: Vec::new(),
        });
        date = day_after(date, 1).unwrap_or(last);
    }
    for slot in &found {
        let option = slot_option(catalog, slot, q.lang);
        let local = option.start.to_zoned(tz.clone()).date();
        if let Some(day) = days.iter_mut().find(|d| d.date == local) {
            day.slots.push(option);
        }
    }
    let next_available = if found.is_empty() {
        let horizon = now + i64::from(reason.timing.horizon_days) * 86_400;
        let later = find_slots(
            &state.db,
            catalog,
            reason,
            &providers,
            q.location,
            Span::new(end, horizon.max(end + 1)),
            now,
            1,
        )
        .await?;
        later.first().map(|s| slot_option(catalog, s, q.lang))
    } else {
        None
    };
    Ok(SlotsResponse {
        timezone: catalog.practice.timezone.clone(),
        reason: reason.id,
        from,
        days,
        next_available,
    })
}
