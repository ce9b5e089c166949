//! Employer rows (MINTRAB's register of employers).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::employers;
use super::{DbConnection, MultiBackend};

/// An employer row.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = employers, treat_none_as_default_value = false)]
pub struct EmployerRow {
    pub id: String,
    pub name: String,
    /// `name` folded for search (see `domain::person::fold`).
    pub search_name: String,
    /// `PUBLIC` or `PRIVATE`.
    pub sector: String,
    /// `BODY-C`, unique.
    pub nit: String,
    pub municipality_code: String,
    pub contact_name: Option<String>,
    /// E.164.
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One employer by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EmployerRow>> {
    employers::table
        .find(id)
        .select(EmployerRow::as_select())
        .first(conn)
        .optional()
}

/// Employers by ids, in one query (for a page of vacancies).
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<EmployerRow>> {
    employers::table
        .filter(employers::id.eq_any(ids))
        .select(EmployerRow::as_select())
        .load(conn)
}

/// Whether an employer other than `except` holds `nit`.
pub fn nit_taken(conn: &mut DbConnection, nit: &str, except: &str) -> QueryResult<bool> {
    let n: i64 = employers::table
        .filter(employers::nit.eq(nit))
        .filter(employers::id.ne(except))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Inserts employers, in batches.
pub fn insert(conn: &mut DbConnection, rows: &[EmployerRow]) -> QueryResult<()> {
    crate::bulk_insert!(conn, employers::table, rows).map(|_| ())
}

/// Writes `row` if the stored version is `expected`; false when stale.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &EmployerRow,
    expected: i32,
) -> QueryResult<bool> {
    let mut next = row.clone();
    next.version = expected + 1;
    let n = diesel::update(
        employers::table
            .filter(employers::id.eq(&row.id))
            .filter(employers::version.eq(expected)),
    )
    .set(&next)
    .execute(conn)?;
    Ok(n == 1)
}

fn filtered(words: &[String]) -> employers::BoxedQuery<'static, MultiBackend> {
    let mut b = employers::table.into_boxed();
    for w in words {
        b = b.filter(employers::search_name.like(format!("%{w}%")));
    }
    b
}

/// A page of employers by registration after a keyset position, and the
/// total; `words` are folded search words, each of which must occur.
pub fn page(
    conn: &mut DbConnection,
    words: &[String],
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<EmployerRow>, i64)> {
    let total = filtered(words).count().get_result(conn)?;
    let mut p = filtered(words);
    if let Some((t, id)) = after {
        p = p.filter(
            employers::created_at
                .gt(t)
                .or(employers::created_at.eq(t).and(employers::id.gt(id))),
        );
    }
    let rows = p
        .order((employers::created_at, employers::id))
        .limit(limit)
        .select(EmployerRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
