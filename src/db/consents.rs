//! Consent rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::consents;
use super::DbConnection;

/// A consent row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = consents)]
pub struct ConsentRow {
    pub id: String,
    pub migrant_id: String,
    pub institution_code: String,
    pub purpose: String,
    pub granted_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub recorded_by: String,
    pub revoked_by: Option<String>,
    pub version: i32,
}

impl ConsentRow {
    /// Neither revoked nor expired at `now`.
    pub fn is_active(&self, now: NaiveDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// Consents of many migrants in one statement; `institution` narrows to
/// one institution's consents (partners read only their own).
pub fn for_migrants(
    conn: &mut DbConnection,
    migrant_ids: &[String],
    institution: Option<&str>,
) -> QueryResult<Vec<ConsentRow>> {
    let mut q = consents::table
        .filter(consents::migrant_id.eq_any(migrant_ids))
        .select(ConsentRow::as_select())
        .order((consents::migrant_id, consents::granted_at, consents::id))
        .into_boxed();
    if let Some(code) = institution {
        q = q.filter(consents::institution_code.eq(code.to_string()));
    }
    q.load(conn)
}

/// One consent by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ConsentRow>> {
    consents::table
        .find(id)
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts consents.
pub fn insert(conn: &mut DbConnection, rows: &[ConsentRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::insert_batch!(conn, consents::table, chunk)?;
    }
    Ok(())
}

/// Marks a consent revoked if it is not already; returns rows changed.
pub fn revoke(
    conn: &mut DbConnection,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        consents::table
            .find(id)
            .filter(consents::revoked_at.is_null()),
    )
    .set((
        consents::revoked_at.eq(at),
        consents::revoked_by.eq(by),
        consents::version.eq(consents::version + 1),
    ))
    .execute(conn)
}
