//! The labour market: employers (MINTRAB's register) and job vacancies.
//! Neither holds personal data about migrants; who may read or write them
//! is decided in `policy::labour`.

pub mod employers;
pub mod inputs;
pub mod matches;
pub mod referrals;
pub mod vacancies;
pub mod vacancy;

use async_graphql::Context;

use super::caller;
use crate::error::{AppError, AppResult};
use crate::policy::Access;
use crate::service::Actor;

/// Fails unless `have` grants `need`.
pub fn require(have: Access, need: Access, what: &str) -> AppResult<()> {
    let ok = match need {
        Access::None => true,
        Access::Read => have != Access::None,
        Access::ReadWrite => have == Access::ReadWrite,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not {} {what}",
            if need == Access::Read {
                "read"
            } else {
                "change"
            }
        )))
    }
}

/// The writer of a mutation, for the transaction scripts.
pub fn actor(ctx: &Context<'_>) -> AppResult<Actor> {
    let id = &caller(ctx)?.identity;
    Ok(Actor {
        subject: id.subject.clone(),
        institution: id.institution.code.clone(),
        role: id.role,
    })
}

/// A municipality from the embedded reference data (no query).
pub fn municipality(code: &str) -> Option<super::reference::Municipality> {
    crate::domain::geography::municipality(code).map(|m| super::reference::Municipality {
        code: m.code.clone(),
        name: m.name.clone(),
        department_code: m.department_code.clone(),
    })
}
