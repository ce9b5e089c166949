//! Micro-enterprise project rows (ENTERPRISE slice), their history of
//! moves and their dated follow-up notes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    enterprise_project_events as ev, enterprise_project_notes as n, enterprise_projects as p,
};
use super::scope::{self, ScopedProjects};
use super::DbConnection;
use crate::policy::RowFilter;

/// A project row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = p)]
pub struct ProjectRow {
    pub id: String,
    pub migrant_id: String,
    /// Business activity, free text.
    pub activity: String,
    /// ISCO-08 unit group of the activity, when given.
    pub isco_code: Option<String>,
    /// None after an erasure (the department stays for statistics).
    pub municipality_code: Option<String>,
    pub department_code: String,
    pub grant_centavos: i64,
    /// Stored `ProjectStatus`.
    pub status: String,
    pub funded_on: Option<NaiveDate>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One move of a project: who, when, to what.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = ev)]
pub struct ProjectEventRow {
    pub project_id: String,
    pub status: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// A dated follow-up note.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = n)]
pub struct NoteRow {
    pub id: String,
    pub project_id: String,
    pub migrant_id: String,
    pub note_date: NaiveDate,
    pub text: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// One project by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ProjectRow>> {
    p::table
        .find(id)
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts projects with their histories (each event as given), in batches.
pub fn insert_many(
    conn: &mut DbConnection,
    rows: &[ProjectRow],
    events: &[ProjectEventRow],
) -> QueryResult<()> {
    for chunk in rows.chunks(300) {
        crate::insert_batch!(conn, p::table, chunk)?;
    }
    for chunk in events.chunks(500) {
        crate::insert_batch!(conn, ev::table, chunk)?;
    }
    Ok(())
}

/// Appends a move to the history.
pub fn log(conn: &mut DbConnection, event: &ProjectEventRow) -> QueryResult<()> {
    diesel::insert_into(ev::table).values(event).execute(conn)?;
    Ok(())
}

/// Moves `id` from `from` at version `expected` to `to`, setting the
/// funded date when given; false when the row changed meanwhile.
pub fn move_if(
    conn: &mut DbConnection,
    id: &str,
    expected: i32,
    from: &str,
    to: &str,
    funded_on: Option<NaiveDate>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = p::table
        .filter(p::id.eq(id))
        .filter(p::version.eq(expected))
        .filter(p::status.eq(from));
    let changed = (
        p::status.eq(to),
        p::version.eq(expected + 1),
        p::updated_at.eq(at),
    );
    let n = match funded_on {
        Some(d) => diesel::update(target)
            .set((changed, p::funded_on.eq(d)))
            .execute(conn)?,
        None => diesel::update(target).set(changed).execute(conn)?,
    };
    Ok(n == 1)
}

/// Adds a note.
pub fn add_note(conn: &mut DbConnection, note: &NoteRow) -> QueryResult<()> {
    add_notes(conn, std::slice::from_ref(note))
}

/// Adds notes, in batches.
pub fn add_notes(conn: &mut DbConnection, notes: &[NoteRow]) -> QueryResult<()> {
    for chunk in notes.chunks(500) {
        crate::insert_batch!(conn, n::table, chunk)?;
    }
    Ok(())
}

/// The notes of the projects `ids`, oldest date first (one statement).
pub fn notes_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<NoteRow>> {
    n::table
        .filter(n::project_id.eq_any(ids))
        .order((n::project_id, n::note_date, n::created_at, n::id))
        .select(NoteRow::as_select())
        .load(conn)
}

/// The moves of the projects `ids`, oldest first (one statement).
pub fn events_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ProjectEventRow>> {
    ev::table
        .filter(ev::project_id.eq_any(ids))
        .order((ev::project_id, ev::at))
        .select(ProjectEventRow::as_select())
        .load(conn)
}

/// The projects of the people `ids`, oldest first.
pub fn for_migrants(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ProjectRow>> {
    p::table
        .filter(p::migrant_id.eq_any(ids))
        .order((p::migrant_id, p::created_at, p::id))
        .select(ProjectRow::as_select())
        .load(conn)
}

/// Filters of the project list, already validated.
#[derive(Clone, Debug, Default)]
pub struct ProjectQuery {
    pub status: Option<String>,
    pub municipality_code: Option<String>,
    pub department_code: Option<String>,
}

/// The projects of the caller's rows: the person of each project must be
/// in the scoped base query (`db::scope`), so a list can never show a
/// project of someone the caller may not see.
fn filtered(rows: &RowFilter, q: &ProjectQuery) -> ScopedProjects<'static> {
    let mut b = scope::visible_projects(rows);
    if let Some(s) = &q.status {
        b = b.filter(p::status.eq(s.clone()));
    }
    if let Some(m) = &q.municipality_code {
        b = b.filter(p::municipality_code.eq(m.clone()));
    }
    if let Some(d) = &q.department_code {
        b = b.filter(p::department_code.eq(d.clone()));
    }
    b
}

/// A page of the caller's projects, newest first, after a keyset
/// position, and the total matching the filter.
pub fn page(
    conn: &mut DbConnection,
    rows: &RowFilter,
    q: &ProjectQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<ProjectRow>, i64)> {
    let total = filtered(rows, q).count().get_result(conn)?;
    let mut b = filtered(rows, q);
    if let Some((at, id)) = after {
        b = b.filter(
            p::created_at
                .lt(at)
                .or(p::created_at.eq(at).and(p::id.lt(id))),
        );
    }
    let found = b
        .order((p::created_at.desc(), p::id.desc()))
        .limit(limit)
        .select(ProjectRow::as_select())
        .load(conn)?;
    Ok((found, total))
}
