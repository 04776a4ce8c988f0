//! Why a domain rule refused or failed, in the domain's words: no statuses, no HTTP. Booking,
//! patients and personal links share one vocabulary because their refusals travel together
//! (a booking passes on what the patient check or the link said). The HTTP layer turns each
//! into the API's answer, in one place; jobs match on the variants.

use slotwise_shared::api::SlotOption;
use slotwise_shared::error::{ErrorCode, FieldErrors};
use slotwise_shared::procedures::ChainOption;

/// A refusal or failure of a domain rule.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Nothing of that kind that the caller may see (another practice's is the same).
    #[error("No such {0}.")]
    NotFound(&'static str),
    /// Details that do not pass, by field.
    #[error("{}", describe_fields(.0))]
    Invalid(FieldErrors),
    /// The time is not free; here are others.
    #[error("The time is taken.")]
    Taken(Vec<SlotOption>),
    /// A step of a procedure's chain is taken; here are other chains.
    #[error("A time of the chain is taken.")]
    ChainTaken(Vec<ChainOption>),
    /// A procedure's chain hold ran out; here are other chains.
    #[error("The hold ran out.")]
    ChainExpired(Vec<ChainOption>),
    /// The hold ran out; here are other times.
    #[error("The hold ran out.")]
    HoldExpired(Vec<SlotOption>),
    /// The state of what was asked about does not allow the change (words, or a text key of
    /// the language files: see `in_language`).
    #[error("{}", slotwise_shared::lang::DEFAULT.render(.0))]
    Conflict(String),
    /// The same idempotency key came with another request.
    #[error("The idempotency key was already used for another request.")]
    KeyReused,
    /// A code, session or personal link that ran out or was used (`code` says which).
    #[error("{}", slotwise_shared::lang::DEFAULT.render(.message))]
    Expired { code: ErrorCode, message: String },
    /// Too many wrong tries: wait before trying again.
    #[error("{}", slotwise_shared::lang::DEFAULT.render(.0))]
    TooManyTries(String),
    /// The practice's own scheduling system cannot take the change now.
    #[error("{0}")]
    SystemDown(String),
    /// The database failed (or was too busy to take the work: nothing was written).
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Anything else that went wrong on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Field errors on one line, for staff who read why something could not be done.
fn describe_fields(fields: &FieldErrors) -> String {
    fields
        .iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Result of a domain rule.
pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    /// The words of its field errors in `language` (messages given as keys of the language
    /// files are written out; words stay as they are).
    pub fn in_language(self, language: &slotwise_shared::lang::Language) -> Self {
        match self {
            DomainError::Invalid(fields) => {
                DomainError::Invalid(slotwise_shared::lang::render_fields(language, fields))
            }
            DomainError::TooManyTries(words) => DomainError::TooManyTries(language.render(&words)),
            DomainError::Conflict(words) => DomainError::Conflict(language.render(&words)),
            DomainError::Expired { code, message } => DomainError::Expired {
                code,
                message: language.render(&message),
            },
            other => other,
        }
    }

    /// One field that does not pass.
    pub fn field(field: &str, message: &str) -> Self {
        DomainError::Invalid(FieldErrors::from([(
            field.to_string(),
            message.to_string(),
        )]))
    }

    /// A change the state of what was asked about does not allow.
    pub fn conflict(message: impl Into<String>) -> Self {
        DomainError::Conflict(message.into())
    }

    /// A failure on our side with a cause to log.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        DomainError::Internal(anyhow::anyhow!("{cause}"))
    }
}

impl From<serde_json::Error> for DomainError {
    fn from(err: serde_json::Error) -> Self {
        DomainError::internal(err)
    }
}
