//! Training enrolment rows (EMPLOYMENT slice) and their history of moves.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::courses::CourseRow;
use super::schema::{
    training_courses as t, training_enrolment_events as ev, training_enrolments as e,
};
use super::DbConnection;

/// An enrolment row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = e)]
pub struct EnrolmentRow {
    pub id: String,
    pub migrant_id: String,
    pub course_id: String,
    /// Stored `EnrolmentStatus`.
    pub status: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One move of an enrolment: who, when, to what.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = ev)]
pub struct EnrolmentEventRow {
    pub enrolment_id: String,
    pub status: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// One enrolment by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EnrolmentRow>> {
    e::table
        .find(id)
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the person is already enrolled (in any status) in the course.
pub fn exists_pair(
    conn: &mut DbConnection,
    migrant_id: &str,
    course_id: &str,
) -> QueryResult<bool> {
    let n: i64 = e::table
        .filter(e::migrant_id.eq(migrant_id))
        .filter(e::course_id.eq(course_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Inserts an enrolment and its first event.
pub fn insert(conn: &mut DbConnection, row: &EnrolmentRow) -> QueryResult<()> {
    diesel::insert_into(e::table).values(row).execute(conn)?;
    log(conn, &row.id, &row.status, &row.created_by, row.created_at)
}

/// Inserts seeded enrolments and their first events, in batches.
pub fn insert_many(conn: &mut DbConnection, rows: &[EnrolmentRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::insert_batch!(conn, e::table, chunk)?;
        let events: Vec<EnrolmentEventRow> = chunk
            .iter()
            .map(|r| EnrolmentEventRow {
                enrolment_id: r.id.clone(),
                status: r.status.clone(),
                by: r.created_by.clone(),
                at: r.updated_at,
            })
            .collect();
        crate::insert_batch!(conn, ev::table, &events)?;
    }
    Ok(())
}

/// Appends a move to the history.
pub fn log(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let row = EnrolmentEventRow {
        enrolment_id: id.to_string(),
        status: status.to_string(),
        by: by.to_string(),
        at,
    };
    diesel::insert_into(ev::table).values(&row).execute(conn)?;
    Ok(())
}

/// Moves `id` from `from` at version `expected` to `to`; false when the
/// row changed meanwhile (stale version or status).
pub fn move_if(
    conn: &mut DbConnection,
    id: &str,
    expected: i32,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    crate::conditional_move!(conn, e, id, expected, (from, to), at)
}

/// A page of a course's enrolments, oldest first, after a keyset position.
pub fn of_course(
    conn: &mut DbConnection,
    course_id: &str,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<EnrolmentRow>> {
    let mut q = e::table
        .filter(e::course_id.eq(course_id.to_string()))
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            e::created_at
                .gt(at)
                .or(e::created_at.eq(at).and(e::id.gt(id))),
        );
    }
    q.order((e::created_at, e::id))
        .limit(limit)
        .select(EnrolmentRow::as_select())
        .load(conn)
}

/// Counts of a course's enrolments by status.
pub fn counts(conn: &mut DbConnection, course_id: &str) -> QueryResult<Vec<(String, i64)>> {
    e::table
        .filter(e::course_id.eq(course_id.to_string()))
        .group_by(e::status)
        .select((e::status, diesel::dsl::count_star()))
        .load(conn)
}

/// The enrolments of the people `ids`, each with its course (one statement).
pub fn for_migrants(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(EnrolmentRow, CourseRow)>> {
    e::table
        .inner_join(t::table)
        .filter(e::migrant_id.eq_any(ids))
        .order((e::migrant_id, e::created_at, e::id))
        .select((EnrolmentRow::as_select(), CourseRow::as_select()))
        .load(conn)
}

/// The people enrolled in a course (in any status).
pub fn enrolled_in(conn: &mut DbConnection, course_id: &str) -> QueryResult<Vec<String>> {
    e::table
        .filter(e::course_id.eq(course_id.to_string()))
        .select(e::migrant_id)
        .load(conn)
}
