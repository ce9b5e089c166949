//! Migrant rows: reads go through [`super::scope`], writes are guarded by
//! `version`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::migrants;
use super::{name_words, scope_counts, DbConnection};
use crate::policy::AllRows;

/// A migrant row, every column; the GraphQL layer decides what is shown.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, Clone, Debug)]
#[diesel(table_name = migrants, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct MigrantRow {
    pub id: String,
    pub given_names: String,
    pub family_names: String,
    /// Folded "given family" for accent- and case-insensitive search.
    pub search_name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub document_number: Option<String>,
    pub passport_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub relative_name: Option<String>,
    pub relative_phone: Option<String>,
    pub origin_municipality_code: Option<String>,
    pub origin_department_code: Option<String>,
    pub education_level: Option<String>,
    pub years_experience: Option<i32>,
    pub english_level: Option<String>,
    pub needs_medical_attention: bool,
    pub medical_conditions: Option<String>,
    pub health_notes: Option<String>,
    pub unaccompanied_minor: bool,
    pub family_separation: bool,
    pub protection_needs: bool,
    pub do_not_share: bool,
    pub protection_notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Latest received arrival. Maintained by the arrival writes
    /// (`arrivals::insert_arrived`, `arrivals::mark_arrived`), never by a
    /// record update, so a concurrent arrival cannot be overwritten.
    #[diesel(skip_update)]
    pub latest_arrival_at: Option<NaiveDateTime>,
}

/// Inserts a new record and indexes its name.
pub fn insert(conn: &mut DbConnection, row: &MigrantRow) -> QueryResult<()> {
    diesel::insert_into(migrants::table)
        .values(row)
        .execute(conn)?;
    name_words::insert_for(conn, [(row.id.as_str(), row.search_name.as_str())])
}

/// Inserts many records (seeding). Their names are indexed afterwards, all
/// at once, by [`name_words::index_missing`].
pub fn insert_many(conn: &mut DbConnection, rows: &[MigrantRow]) -> QueryResult<()> {
    crate::bulk_insert!(conn, migrants::table, rows).map(|_| ())
}

/// One record by id across every record: only for callers holding the
/// policy's [`AllRows`] capability (reception, manifest import).
pub fn by_id_across(
    conn: &mut DbConnection,
    _all: AllRows,
    id: &str,
) -> QueryResult<Option<MigrantRow>> {
    migrants::table
        .find(id)
        .select(MigrantRow::as_select())
        .first(conn)
        .optional()
}

/// The id of the record holding a CUI, if any.
pub fn id_by_document(conn: &mut DbConnection, cui: &str) -> QueryResult<Option<String>> {
    migrants::table
        .filter(migrants::document_number.eq(cui))
        .select(migrants::id)
        .first(conn)
        .optional()
}

/// Writes `row` if the stored version is `expected`; bumps the version and
/// keeps the name index and the consent counts in step.
/// Returns false (and changes nothing) on a stale version.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &MigrantRow,
    expected: i32,
) -> QueryResult<bool> {
    let before: Option<(Option<String>, bool, String)> = migrants::table
        .find(&row.id)
        .select((
            migrants::origin_department_code,
            migrants::do_not_share,
            migrants::search_name,
        ))
        .first(conn)
        .optional()?;
    let mut next = row.clone();
    next.version = expected + 1;
    let changed = diesel::update(
        migrants::table
            .filter(migrants::id.eq(&row.id))
            .filter(migrants::version.eq(expected)),
    )
    .set(&next)
    .execute(conn)?;
    if let (1, Some((dept, dns, name))) = (changed, before) {
        if name != row.search_name {
            name_words::replace(conn, &row.id, &row.search_name)?;
        }
        let after = (
            row.origin_department_code.as_deref().unwrap_or(""),
            row.do_not_share,
        );
        scope_counts::person_changed(conn, &row.id, (dept.as_deref().unwrap_or(""), dns), after)?;
    }
    Ok(changed == 1)
}
