//! Emergency access grants (break-the-glass): one record, one caller, a
//! short time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::emergency_accesses as ea;
use super::DbConnection;

/// A grant row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = ea)]
pub struct EmergencyAccessRow {
    pub id: String,
    pub migrant_id: String,
    pub institution_code: String,
    pub subject: String,
    pub role: String,
    /// Why the record was opened (free text, shown to reviewers only).
    pub reason: String,
    pub opened_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Who holds a grant.
#[derive(Clone, Debug)]
pub struct Holder {
    /// The caller's institution.
    pub institution_code: String,
    /// The caller's `sub`.
    pub subject: String,
}

/// Stores a grant.
pub fn insert(conn: &mut DbConnection, row: &EmergencyAccessRow) -> QueryResult<()> {
    diesel::insert_into(ea::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The grant under which `holder` may open `migrant_id` at `now`, if any
/// (the latest-expiring one).
pub fn active(
    conn: &mut DbConnection,
    holder: &Holder,
    migrant_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<EmergencyAccessRow>> {
    ea::table
        .filter(ea::migrant_id.eq(migrant_id))
        .filter(ea::institution_code.eq(&holder.institution_code))
        .filter(ea::subject.eq(&holder.subject))
        .filter(ea::expires_at.gt(now))
        .order(ea::expires_at.desc())
        .select(EmergencyAccessRow::as_select())
        .first(conn)
        .optional()
}

/// A page of grants for review, newest first, keyset on `(opened_at, id)`.
pub fn page(
    conn: &mut DbConnection,
    before: Option<(NaiveDateTime, String)>,
    active_at: Option<NaiveDateTime>,
    limit: i64,
) -> QueryResult<Vec<EmergencyAccessRow>> {
    let mut q = ea::table.into_boxed();
    if let Some((t, id)) = before {
        q = q.filter(
            ea::opened_at
                .lt(t)
                .or(ea::opened_at.eq(t).and(ea::id.lt(id))),
        );
    }
    if let Some(now) = active_at {
        q = q.filter(ea::expires_at.gt(now));
    }
    q.order((ea::opened_at.desc(), ea::id.desc()))
        .limit(limit)
        .select(EmergencyAccessRow::as_select())
        .load(conn)
}

/// How many grants match (for `totalCount`).
pub fn count(conn: &mut DbConnection, active_at: Option<NaiveDateTime>) -> QueryResult<i64> {
    let mut q = ea::table.into_boxed();
    if let Some(now) = active_at {
        q = q.filter(ea::expires_at.gt(now));
    }
    q.count().get_result(conn)
}
