//! Training course rows (no personal data) and their seat counter.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::training_courses as t;
use super::{DbConnection, MultiBackend};

/// A course row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = t)]
pub struct CourseRow {
    pub id: String,
    pub name: String,
    /// Who teaches it (`INTECAP`, …).
    pub provider: String,
    /// Target ISCO-08 group, 1 to 4 digits.
    pub isco_code: String,
    pub municipality_code: String,
    pub department_code: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    /// Seats held by enrolments not dropped; never above `capacity`.
    pub seats_taken: i32,
    /// Stored `CourseStatus`.
    pub status: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns an edit writes: never the seat counter, which only
/// enrolments move (so an edit cannot overwrite a concurrent enrolment).
#[derive(AsChangeset)]
#[diesel(table_name = t)]
struct Edit<'a> {
    name: &'a str,
    provider: &'a str,
    isco_code: &'a str,
    municipality_code: &'a str,
    department_code: &'a str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    capacity: i32,
    status: &'a str,
    version: i32,
    updated_at: NaiveDateTime,
}

/// One course by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CourseRow>> {
    t::table
        .find(id)
        .select(CourseRow::as_select())
        .first(conn)
        .optional()
}

/// The courses `ids` (one statement).
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<CourseRow>> {
    t::table
        .filter(t::id.eq_any(ids))
        .select(CourseRow::as_select())
        .load(conn)
}

/// Inserts courses, in batches.
pub fn insert(conn: &mut DbConnection, rows: &[CourseRow]) -> QueryResult<()> {
    for chunk in rows.chunks(200) {
        crate::insert_batch!(conn, t::table, chunk)?;
    }
    Ok(())
}

/// Writes the edited fields of `row` if the stored version is `expected`
/// and the seats already taken still fit the capacity; false otherwise.
pub fn update_if(conn: &mut DbConnection, row: &CourseRow, expected: i32) -> QueryResult<bool> {
    let edit = Edit {
        name: &row.name,
        provider: &row.provider,
        isco_code: &row.isco_code,
        municipality_code: &row.municipality_code,
        department_code: &row.department_code,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        capacity: row.capacity,
        status: &row.status,
        version: expected + 1,
        updated_at: row.updated_at,
    };
    let n = diesel::update(
        t::table
            .filter(t::id.eq(&row.id))
            .filter(t::version.eq(expected))
            .filter(t::seats_taken.le(row.capacity)),
    )
    .set(&edit)
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes one seat of an open course that has not ended by `today`, with
/// one conditional UPDATE: two concurrent enrolments cannot both take the
/// last seat (PostgreSQL re-checks the condition on the locked row; SQLite
/// runs writers one at a time). False when no seat was taken.
pub fn take_seat(conn: &mut DbConnection, id: &str, today: NaiveDate) -> QueryResult<bool> {
    let n = diesel::update(
        t::table
            .filter(t::id.eq(id))
            .filter(t::status.eq("OPEN"))
            .filter(t::ends_on.ge(today))
            .filter(t::seats_taken.lt(t::capacity)),
    )
    .set(t::seats_taken.eq(t::seats_taken + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Gives back the seat of a dropped enrolment.
pub fn free_seat(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(t::table.filter(t::id.eq(id)).filter(t::seats_taken.gt(0)))
        .set(t::seats_taken.eq(t::seats_taken - 1))
        .execute(conn)?;
    Ok(())
}

/// Filters of the course list, already validated.
#[derive(Clone, Debug, Default)]
pub struct CourseQuery {
    pub status: Option<String>,
    /// 1 to 4 digits: courses whose target starts with it.
    pub isco_prefix: Option<String>,
    pub municipality_code: Option<String>,
    pub department_code: Option<String>,
}

fn filtered(q: &CourseQuery) -> t::BoxedQuery<'static, MultiBackend> {
    let mut b = t::table.into_boxed();
    if let Some(s) = &q.status {
        b = b.filter(t::status.eq(s.clone()));
    }
    if let Some(p) = &q.isco_prefix {
        // Validated digits: no LIKE wildcard can sneak in.
        b = b.filter(t::isco_code.like(format!("{p}%")));
    }
    if let Some(m) = &q.municipality_code {
        b = b.filter(t::municipality_code.eq(m.clone()));
    }
    if let Some(d) = &q.department_code {
        b = b.filter(t::department_code.eq(d.clone()));
    }
    b
}

/// A page of courses, newest first, after a keyset position, and the
/// total matching the filter.
pub fn page(
    conn: &mut DbConnection,
    q: &CourseQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<CourseRow>, i64)> {
    let total = filtered(q).count().get_result(conn)?;
    let mut p = filtered(q);
    if let Some((at, id)) = after {
        p = p.filter(
            t::created_at
                .lt(at)
                .or(t::created_at.eq(at).and(t::id.lt(id))),
        );
    }
    let rows = p
        .order((t::created_at.desc(), t::id.desc()))
        .limit(limit)
        .select(CourseRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
