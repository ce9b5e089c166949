//! Universities: education history (SKILLS), programmes and their intakes,
//! study applications (STUDIES), placement and the admissions exports.
//! Who may do what is decided in `policy::studies`.

pub mod application_inputs;
pub mod applications;
pub mod csv;
pub mod education;
pub mod matches;
pub mod program_inputs;
pub mod programs;

use async_graphql::Context;
use chrono::NaiveDateTime;

use crate::error::{AppError, AppResult};
use crate::graphql::caller;
use crate::graphql::labour::require;
use crate::graphql::pagination::{self, Position};
use crate::policy::{self, Access};

/// Longest id accepted (UUIDs are 36 characters).
const MAX_ID: usize = 64;
/// Longest cursor accepted.
const MAX_CURSOR: usize = 200;

/// An id argument, refused when longer than any id the API makes.
pub fn checked_id(raw: String, field: &str) -> AppResult<String> {
    if raw.chars().count() > MAX_ID {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_ID} characters"),
        ));
    }
    Ok(raw)
}

/// Fails unless the caller's role has at least `need` on programmes.
pub fn require_programs(ctx: &Context<'_>, need: Access) -> AppResult<()> {
    let role = caller(ctx)?.identity.role;
    require(policy::program_access(role), need, "university programmes")
}

/// The `(created_at, id)` position of an `after` cursor.
pub fn time_cursor(after: Option<String>) -> AppResult<Option<(NaiveDateTime, String)>> {
    if after.as_ref().is_some_and(|a| a.len() > MAX_CURSOR) {
        return Err(AppError::bad_input(
            "after",
            "not a cursor returned by this API",
        ));
    }
    match after.as_deref().map(pagination::decode).transpose()? {
        Some(Position::TimeId(t, id)) => Ok(Some((t, id))),
        Some(_) => Err(AppError::bad_input("after", "not a cursor of this list")),
        None => Ok(None),
    }
}

/// The `(score, id)` position of a matching cursor.
pub fn score_cursor(after: Option<String>) -> AppResult<Option<(i64, String)>> {
    if after.as_ref().is_some_and(|a| a.len() > MAX_CURSOR) {
        return Err(AppError::bad_input(
            "after",
            "not a cursor returned by this API",
        ));
    }
    match after.as_deref().map(pagination::decode).transpose()? {
        Some(Position::ScoreId(s, id)) => Ok(Some((s, id))),
        Some(_) => Err(AppError::bad_input("after", "not a match cursor")),
        None => Ok(None),
    }
}
