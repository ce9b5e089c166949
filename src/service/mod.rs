//! Transaction scripts: each write validates what only the database can
//! tell (duplicates, versions, ownership), writes, and returns the ids to
//! audit, all inside the one transaction `graphql::write::audited` opens.
//! Resolvers validate input shape and call these.

pub mod course_matching;
pub mod courses;
pub mod employers;
pub mod enrolments;
pub mod enterprise;
pub mod matching;
pub mod referrals;
pub mod vacancies;

use crate::domain::institution::Role;
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
