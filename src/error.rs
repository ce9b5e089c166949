//! One error type for the API, with stable codes partner portals can rely on.

use async_graphql::ErrorExtensions;

/// Stable error codes sent in `extensions.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Missing, invalid or unacceptable credentials.
    Unauthenticated,
    /// The caller may not see or change this.
    Forbidden,
    /// The record does not exist for this caller.
    NotFound,
    /// Input failed validation; `field` names the offender.
    BadUserInput,
    /// Stale version or duplicate.
    Conflict,
    /// Too many requests for this subject.
    RateLimited,
    /// The query is too deep, complex, wide or large.
    QueryTooComplex,
    /// The database (or another dependency) is unreachable; retry after
    /// the `Retry-After` seconds.
    Unavailable,
    /// An Automatic Persisted Query hash the server does not hold: send
    /// the query again with its hash.
    PersistedQueryNotFound,
    /// Anything else; the message never carries internals.
    Internal,
}

impl ErrorCode {
    /// The wire form of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::QueryTooComplex => "QUERY_TOO_COMPLEX",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// The application error. Its `Display` is what a client may read.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AppError {
    /// See [`ErrorCode::Unauthenticated`].
    #[error("{0}")]
    Unauthenticated(String),
    /// See [`ErrorCode::Forbidden`].
    #[error("{0}")]
    Forbidden(String),
    /// See [`ErrorCode::NotFound`].
    #[error("{0} not found")]
    NotFound(&'static str),
    /// See [`ErrorCode::BadUserInput`].
    #[error("invalid {field}: {message}")]
    BadUserInput {
        /// The offending input field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// See [`ErrorCode::Conflict`].
    #[error("{0}")]
    Conflict(String),
    /// See [`ErrorCode::RateLimited`].
    #[error("rate limit exceeded; retry in {retry_after} s")]
    RateLimited {
        /// Whole seconds until a retry can succeed.
        retry_after: u64,
        /// The budget of a full window, for the `RateLimit-Limit` header.
        limit: u32,
    },
    /// See [`ErrorCode::QueryTooComplex`].
    #[error("{0}")]
    QueryTooComplex(String),
    /// See [`ErrorCode::Unavailable`]; the detail is logged, never sent.
    #[error("service temporarily unavailable: the database is unreachable or busy; retry later")]
    Unavailable(String),
    /// See [`ErrorCode::PersistedQueryNotFound`]; the message is the one
    /// Apollo-style clients look for.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// See [`ErrorCode::Internal`]; the detail is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// Shorthand for a validation error on one field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::BadUserInput { .. } => ErrorCode::BadUserInput,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Unavailable(_) => ErrorCode::Unavailable,
            AppError::QueryTooComplex(_) => ErrorCode::QueryTooComplex,
            AppError::PersistedQueryNotFound => ErrorCode::PersistedQueryNotFound,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The error as a GraphQL JSON body (`{"errors":[…]}`) for non-GraphQL paths.
    pub fn to_graphql_body(&self) -> serde_json::Value {
        let mut ext = serde_json::json!({ "code": self.code().as_str() });
        if let AppError::BadUserInput { field, .. } = self {
            ext["field"] = serde_json::Value::String(field.clone());
        }
        serde_json::json!({ "errors": [{ "message": self.to_string(), "extensions": ext }] })
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::NotFound("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("a record with the same unique value already exists".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(format!("database connection lost: {}", info.message()))
            }
            // SQLite's writer lock stayed busy past the busy timeout: the
            // write did not happen and may be retried.
            Error::DatabaseError(_, info) if info.message().contains("database is locked") => {
                AppError::Unavailable("database busy: the write lock timed out".into())
            }
            Error::BrokenTransactionManager => {
                AppError::Unavailable("database connection broken mid-transaction".into())
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        AppError::Internal("blocking task cancelled".into())
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        match self {
            AppError::Internal(detail) => tracing::error!(detail = %detail, "internal error"),
            AppError::Unavailable(detail) => tracing::warn!(detail = %detail, "unavailable"),
            _ => {}
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
            e.set("code", self.code().as_str());
            if let AppError::BadUserInput { field, .. } = self {
                e.set("field", field.as_str());
            }
        })
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.extend()
    }
}

/// Result alias for application code.
pub type AppResult<T> = Result<T, AppError>;

/// Errors that stop the process at start-up (configuration, database, keys).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Bad or unsafe configuration.
    #[error("configuration: {0}")]
    Config(String),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(String),
    /// Anything else at start-up.
    #[error("{0}")]
    Other(String),
}
