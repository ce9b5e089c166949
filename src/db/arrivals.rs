//! Arrival rows (one per return to Guatemala).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::arrivals;
use super::DbConnection;

/// An arrival row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = arrivals)]
pub struct ArrivalRow {
    pub id: String,
    pub migrant_id: String,
    pub arrived_at: NaiveDateTime,
    pub flight_code: Option<String>,
    pub us_state: Option<String>,
    pub months_in_us: Option<i32>,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

/// Arrivals of many migrants in one statement, oldest first.
pub fn for_migrants(
    conn: &mut DbConnection,
    migrant_ids: &[String],
) -> QueryResult<Vec<ArrivalRow>> {
    arrivals::table
        .filter(arrivals::migrant_id.eq_any(migrant_ids))
        .order((arrivals::migrant_id, arrivals::arrived_at, arrivals::id))
        .select(ArrivalRow::as_select())
        .load(conn)
}

/// One arrival by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ArrivalRow>> {
    arrivals::table
        .find(id)
        .select(ArrivalRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts arrivals.
pub fn insert(conn: &mut DbConnection, rows: &[ArrivalRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::insert_batch!(conn, arrivals::table, chunk)?;
    }
    Ok(())
}
