//! Micro-enterprise projects (ENTERPRISE slice, IOM): proposing a
//! project, moving it forward, and dated follow-up notes.

use chrono::NaiveDate;

use crate::db::enterprise::{self, NoteRow, ProjectEventRow, ProjectRow};
use crate::db::idempotency::IdemKey;
use crate::db::{self, referrals, DbConnection};
use crate::domain::enterprise::ProjectStatus;
use crate::domain::geography::MunicipalityCode;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::RowFilter;

use super::{stale, Actor};

/// A validated proposal.
#[derive(Clone, Debug)]
pub struct Proposal {
    /// The person.
    pub migrant_id: String,
    /// Business activity, trimmed.
    pub activity: String,
    /// ISCO-08 unit group of the activity.
    pub isco_code: Option<String>,
    /// Where the business is.
    pub municipality: MunicipalityCode,
    /// Grant in centavos.
    pub grant_centavos: i64,
}

/// A project of a person in the caller's rows, else `NOT_FOUND`.
fn visible(conn: &mut DbConnection, rows: &RowFilter, id: &str) -> AppResult<ProjectRow> {
    let row = enterprise::by_id(conn, id)?.ok_or(AppError::NotFound("enterprise project"))?;
    if !referrals::person_visible(conn, rows, &row.migrant_id)? {
        return Err(AppError::NotFound("enterprise project"));
    }
    Ok(row)
}

fn event(
    id: &str,
    status: ProjectStatus,
    actor: &Actor,
    at: chrono::NaiveDateTime,
) -> ProjectEventRow {
    ProjectEventRow {
        project_id: id.to_string(),
        status: status.stored().to_string(),
        by: actor.subject.clone(),
        at,
    }
}

/// Proposes a project for a person in the caller's rows, as `PROPOSED`.
pub fn propose(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    key: &Option<IdemKey>,
    p: Proposal,
) -> AppResult<(ProjectRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let row = enterprise::by_id(conn, &id)?.ok_or(AppError::NotFound("enterprise project"))?;
        return Ok((row, vec![]));
    }
    if !referrals::person_visible(conn, rows, &p.migrant_id)? {
        return Err(AppError::NotFound("migrant"));
    }
    let now = db::now();
    let row = ProjectRow {
        id: db::new_id(),
        migrant_id: p.migrant_id,
        activity: p.activity,
        isco_code: p.isco_code,
        municipality_code: Some(p.municipality.as_str().to_string()),
        department_code: p.municipality.department().to_string(),
        grant_centavos: p.grant_centavos,
        status: ProjectStatus::Proposed.stored().to_string(),
        funded_on: None,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    let first = event(&row.id, ProjectStatus::Proposed, actor, now);
    enterprise::insert_many(conn, std::slice::from_ref(&row), &[first])?;
    remember(conn, key, &row.id)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Moves project `id` forward to `to`; `FUNDED` records today as the
/// funded date. Backward moves answer `BAD_USER_INPUT`, a stale version
/// `CONFLICT`; nothing changes on an error.
pub fn advance(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    id: &str,
    to: ProjectStatus,
    expected: i32,
) -> AppResult<(ProjectRow, Vec<String>)> {
    let row = visible(conn, rows, id)?;
    if row.version != expected {
        return Err(stale("project", row.version));
    }
    let from = super::forward("project", &row.status, to, ProjectStatus::may_move_to)?;
    let now = db::now();
    let funded_on = (to == ProjectStatus::Funded).then(|| now.date());
    if !enterprise::move_if(
        conn,
        id,
        expected,
        from.stored(),
        to.stored(),
        funded_on,
        now,
    )? {
        return Err(stale("project", row.version + 1));
    }
    enterprise::log(conn, &event(id, to, actor, now))?;
    let moved = ProjectRow {
        status: to.stored().to_string(),
        funded_on: funded_on.or(row.funded_on),
        version: expected + 1,
        updated_at: now,
        ..row
    };
    let ids = vec![moved.migrant_id.clone()];
    Ok((moved, ids))
}

/// Adds a dated follow-up note to a project of the caller's rows.
pub fn add_note(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    project_id: &str,
    date: NaiveDate,
    text: String,
) -> AppResult<(NoteRow, Vec<String>)> {
    let project = visible(conn, rows, project_id)?;
    let note = NoteRow {
        id: db::new_id(),
        project_id: project.id,
        migrant_id: project.migrant_id,
        note_date: date,
        text,
        created_by: actor.subject.clone(),
        created_at: db::now(),
    };
    enterprise::add_note(conn, &note)?;
    let ids = vec![note.migrant_id.clone()];
    Ok((note, ids))
}
