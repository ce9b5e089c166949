//! Job referral rows (EMPLOYMENT slice) and their history of moves.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{job_referral_events as ev, job_referrals as r, job_vacancies as v};
use super::DbConnection;

/// A referral row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = r, treat_none_as_default_value = false)]
pub struct ReferralRow {
    pub id: String,
    pub migrant_id: String,
    pub vacancy_id: String,
    /// Stored `ReferralStatus`.
    pub status: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One move of a referral.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = ev, treat_none_as_default_value = false)]
pub struct ReferralEventRow {
    pub referral_id: String,
    pub status: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// Inserts referrals and their moves in bulk (seeding).
pub fn insert_many(
    conn: &mut DbConnection,
    rows: &[ReferralRow],
    events: &[ReferralEventRow],
) -> QueryResult<()> {
    crate::bulk_insert!(conn, r::table, rows)?;
    crate::bulk_insert!(conn, ev::table, events).map(|_| ())
}

/// One referral by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ReferralRow>> {
    r::table
        .find(id)
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// The referral of a person to a vacancy, if any.
pub fn of_pair(
    conn: &mut DbConnection,
    migrant_id: &str,
    vacancy_id: &str,
) -> QueryResult<Option<ReferralRow>> {
    r::table
        .filter(r::migrant_id.eq(migrant_id))
        .filter(r::vacancy_id.eq(vacancy_id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a referral and its first event.
pub fn insert(conn: &mut DbConnection, row: &ReferralRow) -> QueryResult<()> {
    diesel::insert_into(r::table).values(row).execute(conn)?;
    log(conn, &row.id, &row.status, &row.created_by, row.created_at)
}

/// Appends a move to the history.
pub fn log(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let e = ReferralEventRow {
        referral_id: id.to_string(),
        status: status.to_string(),
        by: by.to_string(),
        at,
    };
    diesel::insert_into(ev::table).values(&e).execute(conn)?;
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
    crate::conditional_move!(conn, r, id, expected, (from, to), at)
}

/// Takes one opening of an open vacancy with conditional UPDATEs, so two
/// concurrent hires cannot both take the last one: with openings left
/// the count goes down; the last one marks the vacancy FILLED (its
/// `openings` keeps 1, the table's `openings >= 1` check). False when no
/// opening was left.
pub fn take_opening(
    conn: &mut DbConnection,
    vacancy_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let open = v::table
        .filter(v::id.eq(vacancy_id.to_string()))
        .filter(v::status.eq("OPEN"));
    let n = diesel::update(open.clone().filter(v::openings.gt(1)))
        .set((
            v::openings.eq(v::openings - 1),
            v::version.eq(v::version + 1),
            v::updated_at.eq(at),
        ))
        .execute(conn)?;
    if n == 1 {
        return Ok(true);
    }
    let n = diesel::update(open.filter(v::openings.eq(1)))
        .set((
            v::status.eq("FILLED"),
            v::version.eq(v::version + 1),
            v::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// A page of a vacancy's referrals, oldest first, after a keyset position.
pub fn of_vacancy(
    conn: &mut DbConnection,
    vacancy_id: &str,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<ReferralRow>> {
    let mut q = r::table
        .filter(r::vacancy_id.eq(vacancy_id.to_string()))
        .into_boxed();
    if let Some((t, id)) = after {
        q = q.filter(
            r::created_at
                .gt(t)
                .or(r::created_at.eq(t).and(r::id.gt(id))),
        );
    }
    q.order((r::created_at, r::id))
        .limit(limit)
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Counts of a vacancy's referrals by status.
pub fn counts(conn: &mut DbConnection, vacancy_id: &str) -> QueryResult<Vec<(String, i64)>> {
    r::table
        .filter(r::vacancy_id.eq(vacancy_id.to_string()))
        .group_by(r::status)
        .select((r::status, diesel::dsl::count_star()))
        .load(conn)
}

/// The referrals of the people `ids`.
pub fn for_migrants(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ReferralRow>> {
    r::table
        .filter(r::migrant_id.eq_any(ids))
        .order((r::migrant_id, r::created_at, r::id))
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Whether the person `id` is among the caller's rows (the scoped query).
pub fn person_visible(
    conn: &mut DbConnection,
    rows: &crate::policy::RowFilter,
    id: &str,
) -> QueryResult<bool> {
    use super::schema::migrants;
    let found: Option<String> = super::scope::visible(rows)
        .filter(migrants::id.eq(id.to_string()))
        .select(migrants::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The people already referred to a vacancy.
pub fn referred_to(conn: &mut DbConnection, vacancy_id: &str) -> QueryResult<Vec<String>> {
    r::table
        .filter(r::vacancy_id.eq(vacancy_id.to_string()))
        .select(r::migrant_id)
        .load(conn)
}
