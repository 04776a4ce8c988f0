//! Procedures for patients: what the widget offers, chains of free times, where one step may
//! move, holding a whole chain, and booking it (Idempotency-Key required).

use crate::booking::availability::slot_option;
use crate::booking::booking_ctx::BookingCtx;
use crate::booking::bookings::BookingAnswer;
use crate::booking::chain_bookings::book_chain;
use crate::booking::chain_holds::{hold_chain, release_chain};
use crate::booking::chain_search::{first_range, search, step_times, MAX_SEARCH_DAYS};
use crate::booking::chain_target::chain_target;
use crate::booking::procedure_offers::offers;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{booking_key, ApiJson, ApiPath, ApiQuery};
use crate::rate_limit::ClientAddr;
use crate::routes::holds::with_hold_place;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use jiff::civil::Date;
use serde::Deserialize;
use slotwise_shared::api::BookingRequest;
use slotwise_shared::chains::local_date;
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{ProcedureTemplateId, ProviderId};
use slotwise_shared::patients::Queued;
use slotwise_shared::procedures::{
    ChainHoldRequest, ChainHoldResponse, ChainList, ProcedureBooked, ProcedureOffers, StepTimes,
    StepTimesRequest,
};

/// Most chains one search answers.
const MAX_CHAINS: usize = 60;
/// Most times one step-times answer lists.
const MAX_STEP_TIMES: usize = 40;

/// Handler: the procedures patients may book online.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/procedures",
    operation_id = "list_procedures",
    tag = "booking",
    summary = "Procedures patients may book online, with their steps",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    responses(
        (status = 200, description = "Each procedure with its steps and the day window of each step after the one before", body = ProcedureOffers),
        (status = 404, description = "Unknown practice", body = ErrorBody),
    ),
)]
pub async fn list_procedures(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ProcedureOffers>> {
    let catalog = state.catalog(&slug).await?;
    Ok(Json(offers(&state.db, &catalog).await?))
}

/// The chain search's query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChainsQuery {
    /// The first local date (practice timezone) of the first step; default and minimum today.
    #[param(schema_with = slotwise_shared::openapi_schemas::date_or_empty)]
    from: Option<String>,
    /// How many days of first-step times (1 to 14, default 7).
    #[param(minimum = 1, maximum = 14)]
    days: Option<u16>,
    /// Only this provider for the first step (the later steps follow the procedure's rules).
    provider: Option<ProviderId>,
    /// The language of the labels (`es`); the practice's default when absent.
    #[param(max_length = 35)]
    lang: Option<String>,
    /// A personal procedure link's token: chains of the rest of that patient's procedure, the
    /// first visit inside its window (and `from` defaults to the window's first day).
    #[param(max_length = 200)]
    link: Option<String>,
}

fn language_of(asked: Option<&str>, catalog: &Catalog) -> ApiResult<&'static Language> {
    if asked.is_some_and(|l| l.len() > 35) {
        return Err(ApiError::field("lang", "Use a language code like es."));
    }
    Ok(lang::choose(asked, None, &catalog.practice.default_lang))
}

/// Handler: one chain per free time of the first step.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/procedures/{id}/chains",
    operation_id = "get_procedure_chains",
    tag = "booking",
    summary = "Chains of free times for every step of a procedure",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("id" = ProcedureTemplateId, Path, description = "The procedure's id"),
        ChainsQuery,
    ),
    responses(
        (status = 200, description = "For each free time of the first step in the range (earliest first, at most 60), the earliest times of the later steps that keep every rule", body = ChainList),
        (status = 404, description = "Unknown practice or procedure, or one not booked online, or an unknown `link`", body = ErrorBody),
        (status = 410, description = "The `link` was used or expired, or its procedure ended (`link_expired`)", body = ErrorBody),
        (status = 422, description = "A `from` that is not a date, `days` outside 1 to 14, or a long `lang`", body = ErrorBody),
    ),
)]
pub async fn chains(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, ProcedureTemplateId)>,
    ApiQuery(q): ApiQuery<ChainsQuery>,
) -> ApiResult<Json<ChainList>> {
    let catalog = state.catalog(&slug).await?;
    let language = language_of(q.lang.as_deref(), &catalog)?;
    let mut fields = FieldErrors::new();
    let from = match q.from.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => match f.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                fields.insert("from".into(), "Use a date like 2026-11-23.".into());
                None
            }
        },
    };
    let days = q.days.unwrap_or(7);
    if !(1..=MAX_SEARCH_DAYS).contains(&days) {
        fields.insert(
            "days".into(),
            format!("Ask for 1 to {MAX_SEARCH_DAYS} days."),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let link = q.link.as_deref().filter(|l| !l.is_empty());
    let target = chain_target(&state.db, &catalog, id, link).await?;
    let now = now_seconds();
    let today = jiff::Timestamp::now()
        .to_zoned(catalog.practice.tz.clone())
        .date();
    let opens = target
        .window
        .and_then(|w| local_date(&catalog.practice.tz, w.start))
        .unwrap_or(today);
    let from = from.unwrap_or(opens).max(today);
    let Some(range) = first_range(&catalog, from, days) else {
        return Ok(Json(ChainList { chains: Vec::new() }));
    };
    let target = target.first_with(q.provider);
    let chains = search(
        &state.db, &catalog, &target, range, now, MAX_CHAINS, language,
    )
    .await?;
    Ok(Json(ChainList { chains }))
}

/// Handler: where one step of a chain may move while the others stay.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/procedures/{id}/step-times",
    operation_id = "get_procedure_step_times",
    tag = "booking",
    summary = "The times one step of a chain may move to",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("id" = ProcedureTemplateId, Path, description = "The procedure's id"),
    ),
    request_body = StepTimesRequest,
    responses(
        (status = 200, description = "The step's other times within its window that keep every rule of the chain, earliest first (at most 40)", body = StepTimes),
        (status = 404, description = "Unknown practice or procedure, or one not booked online", body = ErrorBody),
        (status = 409, description = "The chain itself is no longer free (`slot_unavailable`, with `chains`)", body = ErrorBody),
        (status = 422, description = "A step position outside the chain, a chain of the wrong length, or a long `lang`", body = ErrorBody),
    ),
)]
pub async fn step_times_of(
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, ProcedureTemplateId)>,
    ApiJson(req): ApiJson<StepTimesRequest>,
) -> ApiResult<Json<StepTimes>> {
    let catalog = state.catalog(&slug).await?;
    let language = language_of(req.lang.as_deref(), &catalog)?;
    let target = chain_target(&state.db, &catalog, id, req.link.as_deref()).await?;
    let template = &target.template;
    let index = usize::from(req.step).checked_sub(1);
    let index = match index {
        Some(i) if i < template.input.steps.len() => i,
        _ => return Err(ApiError::field("step", "Name a step of the procedure.")),
    };
    if req.steps.len() != template.input.steps.len() {
        return Err(ApiError::field(
            "steps",
            &language.say("api.procedure.steps", &[]),
        ));
    }
    let now = now_seconds();
    let Some(times) = step_times(
        &state.db,
        &catalog,
        &target,
        &req.steps,
        index,
        now,
        MAX_STEP_TIMES,
    )
    .await?
    else {
        let first = req.steps.first().map_or(now, |s| s.start.as_second());
        let chains = crate::booking::chain_holds::other_chains(
            &state.db, &catalog, &target, first, now, language,
        )
        .await?;
        return Err(ApiError::chain_unavailable(chains).in_language(language));
    };
    Ok(Json(StepTimes {
        times: times
            .iter()
            .map(|s| slot_option(&catalog, s, language))
            .collect(),
    }))
}

/// Handler: 201 with every step held, 409 with other chains when any step is taken.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/procedure-holds",
    operation_id = "create_procedure_hold",
    tag = "booking",
    summary = "Hold every step of a procedure's chain, or none",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    request_body = ChainHoldRequest,
    responses(
        (status = 201, description = "Every step is held until `expires_at`", body = ChainHoldResponse),
        (status = 404, description = "Unknown practice or procedure, or one not booked online", body = ErrorBody),
        (status = 409, description = "A step's time is taken or the chain breaks a rule; nothing is held (`slot_unavailable`, with `chains`)", body = ErrorBody),
        (status = 422, description = "Not one time per step, a first step in the past, or a long `lang`", body = ErrorBody),
        (status = 429, description = "Too many holds from this client", body = ErrorBody),
    ),
)]
pub async fn create_procedure_hold(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    ApiJson(req): ApiJson<ChainHoldRequest>,
) -> ApiResult<(StatusCode, Json<ChainHoldResponse>)> {
    let catalog = state.catalog(&slug).await?;
    let language = language_of(req.lang.as_deref(), &catalog)?;
    let held = with_hold_place(
        &state,
        client,
        &catalog,
        language,
        hold_chain(&state.db, &catalog, &req),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(held)))
}

/// Handler: 204 once every step of the held chain is given back.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/procedure-holds/{token}/release",
    operation_id = "release_procedure_hold",
    tag = "booking",
    summary = "Give a held chain back",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The chain hold's token"),
    ),
    responses(
        (status = 204, description = "Every step's hold is released"),
        (status = 404, description = "Unknown practice or chain hold", body = ErrorBody),
    ),
)]
pub async fn release_procedure_hold(
    State(state): State<AppState>,
    ApiPath((slug, token)): ApiPath<(String, String)>,
    Extension(client): Extension<ClientAddr>,
) -> ApiResult<StatusCode> {
    let catalog = state.catalog(&slug).await?;
    release_chain(&state.db, &catalog, &token).await?;
    state.limiter.release_hold(client);
    state.slots_cache.changed(catalog.practice.id);
    Ok(StatusCode::NO_CONTENT)
}

/// Handler: 201 with every step booked; a replay answers the first response.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/procedure-bookings",
    operation_id = "create_procedure_booking",
    tag = "booking",
    summary = "Book every step of a held chain as one",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 128, pattern = "^[!-~]+$",
            description = "1 to 128 visible ASCII characters, unique per booking: a retry with the \
            same key and body answers the first response (required; missing or malformed is 400)"),
    ),
    request_body(content = BookingRequest, description = "The patient's details, with `hold_token` the chain hold's token"),
    responses(
        (status = 201, description = "Booked: every step with its manage token (and, where the practice's schedule of record is its own system, written there)", body = ProcedureBooked),
        (status = 202, description = "The practice's system could not take the visits now: the whole chain waits in the booking queue as one entry and the team will confirm", body = Queued),
        (status = 404, description = "Unknown practice, chain hold or household member", body = ErrorBody),
        (status = 409, description = "The chain was already booked or is being booked in another request (`conflict`), or the practice's own system has a visit's time taken (`slot_unavailable`, with `chains`; nothing is booked there or here)", body = ErrorBody),
        (status = 410, description = "The chain's hold ran out (`hold_expired`, with `chains`), or the returning patient's verified session ended (`code_expired`)", body = ErrorBody),
        (status = 422, description = "Details that do not pass (`validation_failed`, see `fields`), this Idempotency-Key was already used with another body (`idempotency_key_reused`), or a body of the wrong shape (`invalid_body`)", body = ErrorBody),
    ),
)]
pub async fn create_procedure_booking(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BookingRequest>,
) -> ApiResult<Response> {
    let catalog = state.catalog(&slug).await?;
    let key = booking_key(&headers)?;
    let public_url = state.public_url();
    let ctx = BookingCtx {
        db: &state.db,
        catalog: &catalog,
        public_url: &public_url,
        pms: &state.pms,
        retry: None,
        by_staff: false,
    };
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let outcome = book_chain(&ctx, &key, &req)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
    if outcome.made_now {
        state.limiter.release_hold(client);
    }
    let (status, body) = match outcome.answer {
        BookingAnswer::Booked(body) => (StatusCode::CREATED, body),
        BookingAnswer::Queued(body) => (StatusCode::ACCEPTED, body),
    };
    state.slots_cache.changed(catalog.practice.id);
    state.outbox.wake();
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}
