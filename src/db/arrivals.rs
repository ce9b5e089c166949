//! Arrival rows (one per return to Guatemala).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::arrivals;
use super::DbConnection;

/// An arrival row.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = arrivals, treat_none_as_default_value = false)]
pub struct ArrivalRow {
    pub id: String,
    pub migrant_id: String,
    pub arrived_at: NaiveDateTime,
    pub flight_code: Option<String>,
    pub us_state: Option<String>,
    pub months_in_us: Option<i32>,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
    /// The charter flight, when the arrival came through one.
    pub flight_id: Option<String>,
    /// `EXPECTED` (on a manifest) or `ARRIVED` (received by reception).
    pub status: String,
    /// Line of the manifest that announced the arrival.
    pub manifest_line: Option<i32>,
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

/// Ids of the people already on a flight.
pub fn migrants_on_flight(
    conn: &mut DbConnection,
    flight_id: &str,
) -> QueryResult<std::collections::HashSet<String>> {
    let ids: Vec<String> = arrivals::table
        .filter(arrivals::flight_id.eq(flight_id))
        .select(arrivals::migrant_id)
        .load(conn)?;
    Ok(ids.into_iter().collect())
}

/// The arrival of a person on a flight, if any.
pub fn on_flight(
    conn: &mut DbConnection,
    flight_id: &str,
    migrant_id: &str,
) -> QueryResult<Option<ArrivalRow>> {
    arrivals::table
        .filter(arrivals::flight_id.eq(flight_id))
        .filter(arrivals::migrant_id.eq(migrant_id))
        .select(ArrivalRow::as_select())
        .first(conn)
        .optional()
}

/// Moves a person's `latest_arrival_at` forward to `at` (never back).
fn touch_latest(conn: &mut DbConnection, migrant_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    use super::schema::migrants as m;
    diesel::update(
        m::table.filter(m::id.eq(migrant_id)).filter(
            m::latest_arrival_at
                .is_null()
                .or(m::latest_arrival_at.lt(at)),
        ),
    )
    .set(m::latest_arrival_at.eq(at))
    .execute(conn)
    .map(|_| ())
}

/// Inserts one received arrival and keeps the person's latest arrival.
pub fn insert_arrived(conn: &mut DbConnection, row: &ArrivalRow) -> QueryResult<()> {
    insert(conn, std::slice::from_ref(row))?;
    touch_latest(conn, &row.migrant_id, row.arrived_at)
}

/// Marks an expected arrival as arrived at `at` (and moves the person's
/// latest arrival); returns rows changed.
pub fn mark_arrived(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    let changed = diesel::update(
        arrivals::table
            .find(id)
            .filter(arrivals::status.eq("EXPECTED")),
    )
    .set((arrivals::status.eq("ARRIVED"), arrivals::arrived_at.eq(at)))
    .execute(conn)?;
    if changed == 1 {
        let migrant: String = arrivals::table
            .find(id)
            .select(arrivals::migrant_id)
            .first(conn)?;
        touch_latest(conn, &migrant, at)?;
    }
    Ok(changed)
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
    crate::bulk_insert!(conn, arrivals::table, rows).map(|_| ())
}
