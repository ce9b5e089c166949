//! Consent rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use diesel::dsl;

use super::schema::consents;
use super::{scope_counts, DbConnection};
use crate::policy::{self, ConsentView};

/// A consent row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = consents, treat_none_as_default_value = false)]
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
        policy::consent_is_active(self.revoked_at, self.expires_at, now)
    }
}

/// The SQL type of [`active_at`].
pub type ActiveAt = dsl::And<
    dsl::IsNull<consents::revoked_at>,
    dsl::Or<dsl::IsNull<consents::expires_at>, dsl::Gt<consents::expires_at, NaiveDateTime>>,
>;

/// [`policy::consent_is_active`] in SQL: the only place queries spell out
/// what an active consent is.
pub fn active_at(now: NaiveDateTime) -> ActiveAt {
    consents::revoked_at.is_null().and(
        consents::expires_at
            .is_null()
            .or(consents::expires_at.gt(now)),
    )
}

/// Consents of many migrants in one statement, as far as `view` (the
/// policy's decision for the caller) reaches.
pub fn for_migrants(
    conn: &mut DbConnection,
    migrant_ids: &[String],
    view: &ConsentView,
) -> QueryResult<Vec<ConsentRow>> {
    let mut q = consents::table
        .filter(consents::migrant_id.eq_any(migrant_ids))
        .select(ConsentRow::as_select())
        .order((consents::migrant_id, consents::granted_at, consents::id))
        .into_boxed();
    if let ConsentView::Own(code) = view {
        q = q.filter(consents::institution_code.eq(code.clone()));
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

/// Inserts consents and counts them into the scope counts.
pub fn insert(conn: &mut DbConnection, rows: &[ConsentRow]) -> QueryResult<()> {
    insert_bulk(conn, rows)?;
    scope_counts::record(conn, rows, 1)
}

/// Inserts consents without counting them: only for bulk loads that call
/// [`scope_counts::rebuild`] before they commit.
pub fn insert_bulk(conn: &mut DbConnection, rows: &[ConsentRow]) -> QueryResult<()> {
    crate::bulk_insert!(conn, consents::table, rows).map(|_| ())
}

/// Marks a consent revoked if it is not already, and takes it out of the
/// scope counts; returns rows changed.
pub fn revoke(
    conn: &mut DbConnection,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let changed = diesel::update(
        consents::table
            .find(id)
            .filter(consents::revoked_at.is_null()),
    )
    .set((
        consents::revoked_at.eq(at),
        consents::revoked_by.eq(by),
        consents::version.eq(consents::version + 1),
    ))
    .execute(conn)?;
    if changed == 1 {
        if let Some(row) = by_id(conn, id)? {
            scope_counts::record(conn, &[row], -1)?;
        }
    }
    Ok(changed)
}
