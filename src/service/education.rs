//! Recording a person's education history (SKILLS slice): add, change and
//! remove one record at a time. The person must be among the caller's rows
//! at that moment; a record cited by a study application cannot go.

use crate::db::education::{self, EducationRow};
use crate::db::idempotency::IdemKey;
use crate::db::referrals::person_visible;
use crate::db::{self, DbConnection};
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{FieldOfStudy, StudyCountry};
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::RowFilter;

use super::{stale, Actor};

/// A validated education record.
#[derive(Clone, Debug)]
pub struct EducationFields {
    /// Level of the studies (never `NONE`).
    pub level: EducationLevel,
    /// ISCED-F 2013 broad field.
    pub field: FieldOfStudy,
    /// School or university, trimmed.
    pub institution: Option<String>,
    /// Where.
    pub country: StudyCountry,
    /// Years of the level completed.
    pub years_completed: i32,
    /// Credits earned.
    pub credits: Option<i32>,
    /// The level was finished (diploma, GED, degree).
    pub completed: bool,
    /// Last year of study.
    pub last_year: Option<i32>,
}

impl EducationFields {
    fn write(self, row: &mut EducationRow) {
        row.level = self.level.stored().to_string();
        row.field_code = self.field.as_str().to_string();
        row.institution = self.institution;
        row.country = self.country.stored().to_string();
        row.years_completed = self.years_completed;
        row.credits = self.credits;
        row.completed = self.completed;
        row.last_year = self.last_year;
    }
}

/// The record `id` of a person among the caller's rows, else `NOT_FOUND`.
fn visible_record(conn: &mut DbConnection, rows: &RowFilter, id: &str) -> AppResult<EducationRow> {
    let row = education::by_id(conn, id)?.ok_or(AppError::NotFound("education record"))?;
    if !person_visible(conn, rows, &row.migrant_id)? {
        return Err(AppError::NotFound("education record"));
    }
    Ok(row)
}

/// Adds a record to the history of `migrant_id`; a replayed
/// `idempotencyKey` returns the first record.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    key: &Option<IdemKey>,
    migrant_id: &str,
    fields: EducationFields,
) -> AppResult<(EducationRow, Vec<String>)> {
    if !person_visible(conn, rows, migrant_id)? {
        return Err(AppError::NotFound("migrant"));
    }
    if let Some(id) = replayed(conn, key)? {
        let first = education::by_id(conn, &id)?.ok_or(AppError::NotFound("education record"))?;
        return Ok((first, vec![]));
    }
    let now = db::now();
    let mut row = EducationRow {
        id: db::new_id(),
        migrant_id: migrant_id.to_string(),
        level: String::new(),
        field_code: String::new(),
        institution: None,
        country: String::new(),
        years_completed: 0,
        credits: None,
        completed: false,
        last_year: None,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    fields.write(&mut row);
    education::insert(conn, &row)?;
    remember(conn, key, &row.id)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Replaces the fields of record `id` at version `expected`.
pub fn update(
    conn: &mut DbConnection,
    rows: &RowFilter,
    id: &str,
    expected: i32,
    fields: EducationFields,
) -> AppResult<(EducationRow, Vec<String>)> {
    let mut row = visible_record(conn, rows, id)?;
    if row.version != expected {
        return Err(stale("education record", row.version));
    }
    fields.write(&mut row);
    row.version = expected + 1;
    row.updated_at = db::now();
    if !education::update_if_version(conn, &row, expected)? {
        return Err(stale("education record", expected + 1));
    }
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Removes record `id` at version `expected`; `CONFLICT` while a study
/// application recognises it.
pub fn remove(
    conn: &mut DbConnection,
    rows: &RowFilter,
    id: &str,
    expected: i32,
) -> AppResult<(EducationRow, Vec<String>)> {
    let row = visible_record(conn, rows, id)?;
    if row.version != expected {
        return Err(stale("education record", row.version));
    }
    if education::is_cited(conn, id)? {
        return Err(AppError::Conflict(
            "a study application recognises this record".into(),
        ));
    }
    if !education::delete_if_version(conn, id, expected)? {
        return Err(stale("education record", expected + 1));
    }
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}
