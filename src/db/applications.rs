//! Study application rows (STUDIES slice) and their history of moves.
//! Every list here takes the caller's `ApplicationView`, so a university's
//! query can never reach another university's applications.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use super::schema::{study_application_events as ev, study_applications as a};
use super::{DbConnection, MultiBackend};
use crate::policy::ApplicationView;

/// An application row.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = a)]
#[diesel(treat_none_as_null = true)]
pub struct ApplicationRow {
    pub id: String,
    pub migrant_id: String,
    pub program_id: String,
    pub intake_id: String,
    /// The programme's university, copied for scoping.
    pub university_code: String,
    /// Stored `ApplicationStatus`.
    pub status: String,
    pub scholarship_percent: Option<i32>,
    pub scholarship_centavos: Option<i64>,
    /// The education record the recognised studies come from.
    pub recognised_record_id: Option<String>,
    pub recognised_years: Option<i32>,
    pub recognised_credits: Option<i32>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One move of an application.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = ev)]
pub struct ApplicationEventRow {
    pub application_id: String,
    pub status: String,
    pub by: String,
    pub at: NaiveDateTime,
}

type Scoped = a::BoxedQuery<'static, MultiBackend>;

/// The applications `view` reaches: the base of every read here.
pub fn visible(view: &ApplicationView) -> Scoped {
    let q = a::table.into_boxed();
    match view {
        ApplicationView::All => q,
        ApplicationView::Own(code) => q.filter(a::university_code.eq(code.clone())),
        ApplicationView::Nothing => q.filter(sql::<Bool>("1 = 0")),
    }
}

/// One application by id, if `view` reaches it.
pub fn by_id(
    conn: &mut DbConnection,
    view: &ApplicationView,
    id: &str,
) -> QueryResult<Option<ApplicationRow>> {
    visible(view)
        .filter(a::id.eq(id.to_string()))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the person already applied to the intake (any university's
/// view: a duplicate is a duplicate).
pub fn exists_for(conn: &mut DbConnection, migrant_id: &str, intake_id: &str) -> QueryResult<bool> {
    let n: i64 = a::table
        .filter(a::migrant_id.eq(migrant_id))
        .filter(a::intake_id.eq(intake_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Inserts an application and its first event.
pub fn insert(conn: &mut DbConnection, row: &ApplicationRow) -> QueryResult<()> {
    diesel::insert_into(a::table).values(row).execute(conn)?;
    log(conn, &row.id, &row.status, &row.created_by, row.created_at)
}

/// Inserts applications and their first events in batches (bulk loads).
pub fn insert_many(conn: &mut DbConnection, rows: &[ApplicationRow]) -> QueryResult<()> {
    for chunk in rows.chunks(300) {
        crate::insert_batch!(conn, a::table, chunk)?;
        let events: Vec<ApplicationEventRow> = (chunk.iter())
            .map(|r| ApplicationEventRow::of(&r.id, &r.status, &r.created_by, r.updated_at))
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
    let moved = ApplicationEventRow::of(id, status, by, at);
    diesel::insert_into(ev::table)
        .values(&moved)
        .execute(conn)?;
    Ok(())
}

impl ApplicationEventRow {
    /// The move of application `id` to `status`, by `by` at `at`.
    pub fn of(id: &str, status: &str, by: &str, at: NaiveDateTime) -> Self {
        ApplicationEventRow {
            application_id: id.to_string(),
            status: status.to_string(),
            by: by.to_string(),
            at,
        }
    }
}

/// Writes `row` over the stored application if it is still at version
/// `expected` and in status `from`; false when it changed meanwhile.
pub fn save_if(
    conn: &mut DbConnection,
    row: &ApplicationRow,
    expected: i32,
    from: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        a::table
            .filter(a::id.eq(&row.id))
            .filter(a::version.eq(expected))
            .filter(a::status.eq(from)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the application list, already validated.
#[derive(Clone, Debug, Default)]
pub struct ApplicationQuery {
    pub program_id: Option<String>,
    pub status: Option<String>,
    pub migrant_id: Option<String>,
}

fn filtered(view: &ApplicationView, q: &ApplicationQuery) -> Scoped {
    let mut b = visible(view);
    if let Some(p) = &q.program_id {
        b = b.filter(a::program_id.eq(p.clone()));
    }
    if let Some(s) = &q.status {
        b = b.filter(a::status.eq(s.clone()));
    }
    if let Some(m) = &q.migrant_id {
        b = b.filter(a::migrant_id.eq(m.clone()));
    }
    b
}

/// A page of applications, oldest first, after a keyset position.
pub fn page(
    conn: &mut DbConnection,
    view: &ApplicationView,
    q: &ApplicationQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<ApplicationRow>> {
    let mut b = filtered(view, q);
    if let Some((t, id)) = after {
        b = b.filter(
            a::created_at
                .gt(t)
                .or(a::created_at.eq(t).and(a::id.gt(id))),
        );
    }
    b.order((a::created_at, a::id))
        .limit(limit)
        .select(ApplicationRow::as_select())
        .load(conn)
}

/// `COALESCE(SUM(CASE WHEN status = '<s>' THEN 1 ELSE 0 END), 0)`: one
/// status's count inside a single scan. `s` is a stored status constant,
/// never input.
fn count_of(s: &'static str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!(
        "COALESCE(SUM(CASE WHEN status = '{s}' THEN 1 ELSE 0 END), 0)"
    ))
}

/// Counts of the filtered applications by status, in one statement,
/// leaving out statuses with none. `STATUSES` order.
pub fn counts(
    conn: &mut DbConnection,
    view: &ApplicationView,
    q: &ApplicationQuery,
) -> QueryResult<Vec<(String, i64)>> {
    let [s0, s1, s2, s3, s4] = STATUSES;
    let n: (i64, i64, i64, i64, i64) = filtered(view, q)
        .select((
            count_of(s0),
            count_of(s1),
            count_of(s2),
            count_of(s3),
            count_of(s4),
        ))
        .first(conn)?;
    let all = [n.0, n.1, n.2, n.3, n.4];
    Ok(STATUSES
        .iter()
        .zip(all)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (s.to_string(), n))
        .collect())
}

/// Every stored application status.
pub const STATUSES: [&str; 5] = ["SUBMITTED", "ADMITTED", "REJECTED", "ENROLLED", "WITHDRAWN"];

/// The applications of the people `ids` that `view` reaches.
pub fn for_migrants(
    conn: &mut DbConnection,
    view: &ApplicationView,
    ids: &[String],
) -> QueryResult<Vec<ApplicationRow>> {
    visible(view)
        .filter(a::migrant_id.eq_any(ids.to_vec()))
        .order((a::migrant_id, a::created_at, a::id))
        .select(ApplicationRow::as_select())
        .load(conn)
}

/// The moves of the applications `ids`, oldest first.
pub fn events_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ApplicationEventRow>> {
    ev::table
        .filter(ev::application_id.eq_any(ids))
        .order((ev::application_id, ev::at))
        .select(ApplicationEventRow::as_select())
        .load(conn)
}

/// The people who applied to a programme (they leave its matches).
pub fn applicants_of(conn: &mut DbConnection, program_id: &str) -> QueryResult<Vec<String>> {
    a::table
        .filter(a::program_id.eq(program_id.to_string()))
        .select(a::migrant_id)
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::STATUSES;
    use crate::domain::person::StoredEnum;
    use crate::domain::studies::ApplicationStatus;
    use async_graphql::resolver_utils::EnumType;

    #[test]
    fn counted_statuses_are_every_status() {
        let stored: Vec<&str> = (ApplicationStatus::items().iter())
            .map(|i| i.value.stored())
            .collect();
        assert_eq!(stored, STATUSES);
    }
}
