//! Creating and changing employers (MINTRAB).

use crate::db::employers::{self, EmployerRow};
use crate::db::idempotency::IdemKey;
use crate::db::{self, DbConnection};
use crate::domain::labour::EmployerSector;
use crate::domain::person::{fold, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};

use super::{stale, Actor};

/// Validated employer fields; `None` in a patch leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct EmployerPatch {
    /// Trimmed name.
    pub name: Option<String>,
    /// Sector.
    pub sector: Option<EmployerSector>,
    /// NIT as `BODY-C`.
    pub nit: Option<String>,
    /// Municipality code.
    pub municipality_code: Option<String>,
    /// Contact person.
    pub contact_name: Option<String>,
    /// Contact phone (E.164).
    pub contact_phone: Option<String>,
    /// Contact email.
    pub contact_email: Option<String>,
}

impl EmployerPatch {
    fn apply(self, row: &mut EmployerRow) {
        if let Some(name) = self.name {
            row.search_name = fold(&name);
            row.name = name;
        }
        if let Some(s) = self.sector {
            row.sector = s.stored().to_string();
        }
        row.nit = self.nit.unwrap_or(std::mem::take(&mut row.nit));
        if let Some(m) = self.municipality_code {
            row.municipality_code = m;
        }
        row.contact_name = self.contact_name.or(row.contact_name.take());
        row.contact_phone = self.contact_phone.or(row.contact_phone.take());
        row.contact_email = self.contact_email.or(row.contact_email.take());
    }
}

fn conflict_on_nit(conn: &mut DbConnection, nit: &str, except: &str) -> AppResult<()> {
    if employers::nit_taken(conn, nit, except)? {
        return Err(AppError::Conflict(format!(
            "an employer with NIT {nit} is already registered"
        )));
    }
    Ok(())
}

/// Registers an employer; every field but the contact is required (the
/// resolver guarantees them). A NIT already registered answers `CONFLICT`.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &Option<IdemKey>,
    fields: EmployerPatch,
) -> AppResult<(EmployerRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let row = employers::by_id(conn, &id)?.ok_or(AppError::NotFound("employer"))?;
        return Ok((row, vec![]));
    }
    let now = db::now();
    let mut row = EmployerRow {
        id: db::new_id(),
        name: String::new(),
        search_name: String::new(),
        sector: String::new(),
        nit: String::new(),
        municipality_code: String::new(),
        contact_name: None,
        contact_phone: None,
        contact_email: None,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut row);
    conflict_on_nit(conn, &row.nit, &row.id)?;
    employers::insert(conn, std::slice::from_ref(&row))?;
    remember(conn, key, &row.id)?;
    let id = row.id.clone();
    Ok((row, vec![id]))
}

/// Changes the given fields if `expected_version` is current.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    patch: EmployerPatch,
) -> AppResult<(EmployerRow, Vec<String>)> {
    let mut row = employers::by_id(conn, id)?.ok_or(AppError::NotFound("employer"))?;
    if row.version != expected_version {
        return Err(stale("employer", row.version));
    }
    patch.apply(&mut row);
    conflict_on_nit(conn, &row.nit, &row.id)?;
    row.updated_at = db::now();
    if !employers::update_if_version(conn, &row, expected_version)? {
        return Err(AppError::Conflict(
            "the employer changed meanwhile; reload it".into(),
        ));
    }
    row.version = expected_version + 1;
    Ok((row, vec![id.to_string()]))
}
