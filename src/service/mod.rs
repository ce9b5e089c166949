//! Transaction scripts: each write validates what only the database can
//! tell (duplicates, versions, ownership), writes, and returns the ids to
//! audit, all inside the one transaction `graphql::write::audited` opens.
//! Resolvers validate input shape and call these.

pub mod applications;
pub mod applications_csv;
pub mod candidates;
pub mod course_matching;
pub mod courses;
pub mod education;
pub mod employers;
pub mod enrolments;
pub mod enterprise;
pub mod matching;
pub mod programs;
pub mod ranking;
pub mod referrals;
pub mod study_matching;
pub mod vacancies;

use crate::domain::institution::Role;
use crate::domain::person::StoredEnum;
use crate::error::AppError;

/// Who is writing, as the scripts need it.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The `sub` claim.
    pub subject: String,
    /// The caller's institution code.
    pub institution: String,
    /// The caller's role.
    pub role: Role,
}

/// The `CONFLICT` of a stale `expectedVersion`.
pub fn stale(what: &str, version: i32) -> AppError {
    AppError::Conflict(format!(
        "stale expectedVersion: the {what} is at version {version}"
    ))
}

/// The stored status `raw` of a `what`, checked to allow the move to
/// `to`: the `BAD_USER_INPUT` (field `to`) of a backward or skipping move.
/// `may_move` is the state machine's rule.
pub fn forward<S: StoredEnum>(
    what: &str,
    raw: &str,
    to: S,
    may_move: impl Fn(S, S) -> bool,
) -> Result<S, AppError> {
    let from =
        S::from_stored(raw).ok_or_else(|| AppError::Internal(format!("unknown {what} status")))?;
    if may_move(from, to) {
        return Ok(from);
    }
    Err(AppError::bad_input(
        "to",
        format!(
            "{what}s move forward only: {} → {} is not allowed",
            from.stored(),
            to.stored()
        ),
    ))
}
