//! Institution rows and their writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::institutions;
use super::DbConnection;

/// An institution row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = institutions)]
pub struct InstitutionRow {
    /// Opaque id.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Stored kind (`OPERATOR`, …).
    pub kind: String,
    /// Inactive institutions cannot authenticate.
    pub active: bool,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// Every institution, by code.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<InstitutionRow>> {
    institutions::table
        .order(institutions::code)
        .select(InstitutionRow::as_select())
        .load(conn)
}

/// Institutions with the given codes (one statement).
pub fn by_codes(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<InstitutionRow>> {
    institutions::table
        .filter(institutions::code.eq_any(codes))
        .select(InstitutionRow::as_select())
        .load(conn)
}

/// One institution by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<InstitutionRow>> {
    institutions::table
        .find(id)
        .select(InstitutionRow::as_select())
        .first(conn)
        .optional()
}

/// One institution by code.
pub fn by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<InstitutionRow>> {
    institutions::table
        .filter(institutions::code.eq(code))
        .select(InstitutionRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a new institution.
pub fn insert(conn: &mut DbConnection, row: &InstitutionRow) -> QueryResult<()> {
    diesel::insert_into(institutions::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Sets `active` if the stored version is `expected`; returns rows changed.
pub fn set_active(
    conn: &mut DbConnection,
    code: &str,
    active: bool,
    expected: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        institutions::table
            .filter(institutions::code.eq(code))
            .filter(institutions::version.eq(expected)),
    )
    .set((
        institutions::active.eq(active),
        institutions::updated_at.eq(now),
        institutions::version.eq(expected + 1),
    ))
    .execute(conn)
}
