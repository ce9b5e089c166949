//! Education history rows (SKILLS slice): studies a person began or
//! completed. Unlike the other skill lists they have ids and versions,
//! because study applications cite the record they recognise.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{education_records as e, study_applications as a};
use super::DbConnection;

/// One period of studies.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = e)]
pub struct EducationRow {
    pub id: String,
    pub migrant_id: String,
    /// Stored `EducationLevel` (never `NONE`).
    pub level: String,
    /// ISCED-F 2013 broad field.
    pub field_code: String,
    /// School or university, free text (erasure clears it).
    pub institution: Option<String>,
    /// Stored `StudyCountry`.
    pub country: String,
    pub years_completed: i32,
    /// Credits earned (community college in the US, Guatemalan universities).
    pub credits: Option<i32>,
    pub completed: bool,
    /// Last calendar year of study, when known.
    pub last_year: Option<i32>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The records of the people `ids`, oldest first per person.
pub fn for_migrants(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<EducationRow>> {
    e::table
        .filter(e::migrant_id.eq_any(ids))
        .order((e::migrant_id, e::created_at, e::id))
        .select(EducationRow::as_select())
        .load(conn)
}

/// One record by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EducationRow>> {
    e::table
        .find(id)
        .select(EducationRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts one record.
pub fn insert(conn: &mut DbConnection, row: &EducationRow) -> QueryResult<()> {
    diesel::insert_into(e::table).values(row).execute(conn)?;
    Ok(())
}

/// Inserts many records (bulk loads), in multi-row statements.
pub fn insert_many(conn: &mut DbConnection, rows: &[EducationRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::insert_batch!(conn, e::table, chunk)?;
    }
    Ok(())
}

/// Writes `row` over the stored record if it is still at `expected`;
/// false when it changed meanwhile.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &EducationRow,
    expected: i32,
) -> QueryResult<bool> {
    let n = diesel::update(
        e::table
            .filter(e::id.eq(&row.id))
            .filter(e::version.eq(expected)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// Deletes a record at version `expected`; false when it changed meanwhile.
pub fn delete_if_version(conn: &mut DbConnection, id: &str, expected: i32) -> QueryResult<bool> {
    let n = diesel::delete(
        e::table
            .filter(e::id.eq(id))
            .filter(e::version.eq(expected)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether any study application recognises the record.
pub fn is_cited(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let n: i64 = a::table
        .filter(a::recognised_record_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Clears the free text of a person's records (erasure); the level,
/// field, country and years stay for statistics.
pub fn erase_free_text(conn: &mut DbConnection, migrant_id: &str) -> QueryResult<usize> {
    diesel::update(e::table.filter(e::migrant_id.eq(migrant_id)))
        .set((
            e::institution.eq(None::<String>),
            e::version.eq(e::version + 1),
        ))
        .execute(conn)
}
