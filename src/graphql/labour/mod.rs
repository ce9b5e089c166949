//! The labour market: employers (MINTRAB's register) and job vacancies.
//! Neither holds personal data about migrants; who may read or write them
//! is decided in `policy::labour`.

pub mod employers;
pub mod inputs;
pub mod matches;
pub mod ranked;
pub mod referrals;
pub mod vacancies;
pub mod vacancy;

use std::collections::HashMap;

use async_graphql::Context;

use super::caller;
use super::migrant::Migrant;
use crate::db::migrant_columns::Columns;
use crate::db::{matching as people, DbConnection};
use crate::error::{AppError, AppResult};
use crate::policy::{Access, RowFilter};
use crate::service::Actor;

/// Longest id accepted (UUIDs are 36 characters).
pub const MAX_ID: usize = 64;

/// An id argument, refused when longer than any id this API hands out.
pub fn checked_id(raw: String, field: &str) -> AppResult<String> {
    if raw.chars().count() > MAX_ID {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_ID} characters"),
        ));
    }
    Ok(raw)
}

/// Records with their people, those among the caller's rows only (one
/// statement for all of them, through the scoped query): a record whose
/// person left the caller's rows (consent revoked) comes with `None`.
pub fn with_people<R>(
    c: &mut DbConnection,
    rows: &RowFilter,
    records: Vec<R>,
    person: impl Fn(&R) -> &str,
) -> AppResult<Vec<(R, Option<Migrant>)>> {
    let ids: Vec<String> = records.iter().map(|r| person(r).to_string()).collect();
    let seen: HashMap<String, Migrant> = people::rows_of(c, rows, &ids, Columns::ALL)?
        .into_iter()
        .map(|m| (m.id.clone(), Migrant::full(m)))
        .collect();
    Ok(records
        .into_iter()
        .map(|r| {
            let m = seen.get(person(&r)).cloned();
            (r, m)
        })
        .collect())
}

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
