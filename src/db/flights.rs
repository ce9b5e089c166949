//! Charter flight rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{arrivals, assistance, flights};
use super::{DbConnection, MultiBackend};

/// A flight row.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = flights, treat_none_as_default_value = false)]
pub struct FlightRow {
    pub id: String,
    /// Unique code, e.g. `GUA-20261128-AEX`.
    pub code: String,
    /// IATA code of the US airport (AEX, IWA, ELP, BRO, …).
    pub origin_airport: String,
    pub scheduled_at: NaiveDateTime,
    pub landed_at: Option<NaiveDateTime>,
    /// `SCHEDULED`, `LANDED`, `CANCELLED`.
    pub status: String,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One flight by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FlightRow>> {
    flights::table
        .find(id)
        .select(FlightRow::as_select())
        .first(conn)
        .optional()
}

/// One flight by code.
pub fn by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<FlightRow>> {
    flights::table
        .filter(flights::code.eq(code))
        .select(FlightRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts flights.
pub fn insert(conn: &mut DbConnection, rows: &[FlightRow]) -> QueryResult<()> {
    crate::bulk_insert!(conn, flights::table, rows).map(|_| ())
}

/// Writes `row` if the stored version is `expected`; false when stale.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &FlightRow,
    expected: i32,
) -> QueryResult<bool> {
    let mut next = row.clone();
    next.version = expected + 1;
    let n = diesel::update(
        flights::table
            .filter(flights::id.eq(&row.id))
            .filter(flights::version.eq(expected)),
    )
    .set(&next)
    .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the flight list.
#[derive(Clone, Debug, Default)]
pub struct FlightQuery {
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub status: Option<String>,
}

fn filtered(q: &FlightQuery) -> flights::BoxedQuery<'static, MultiBackend> {
    let mut b = flights::table.into_boxed();
    if let Some(from) = q.from {
        b = b.filter(flights::scheduled_at.ge(from));
    }
    if let Some(to) = q.to {
        b = b.filter(flights::scheduled_at.lt(to));
    }
    if let Some(s) = &q.status {
        b = b.filter(flights::status.eq(s.clone()));
    }
    b
}

/// A page of flights by schedule after a keyset position, and the total.
pub fn page(
    conn: &mut DbConnection,
    q: &FlightQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<FlightRow>, i64)> {
    let total = filtered(q).count().get_result(conn)?;
    let mut p = filtered(q);
    if let Some((t, id)) = after {
        p = p.filter(
            flights::scheduled_at
                .gt(t)
                .or(flights::scheduled_at.eq(t).and(flights::id.gt(id))),
        );
    }
    let rows = p
        .order((flights::scheduled_at, flights::id))
        .limit(limit)
        .select(FlightRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Counts by a label (status or assistance kind).
pub type LabelCounts = Vec<(String, i64)>;

/// Per-flight counts for the arrival-day board: arrivals by status, and
/// distinct people assisted by kind.
pub fn board_counts(
    conn: &mut DbConnection,
    flight_id: &str,
) -> QueryResult<(LabelCounts, LabelCounts)> {
    use diesel::dsl::count_star;
    let by_status = arrivals::table
        .filter(arrivals::flight_id.eq(flight_id))
        .group_by(arrivals::status)
        .select((arrivals::status, count_star()))
        .load(conn)?;
    let by_kind = assistance::table
        .inner_join(arrivals::table.on(assistance::arrival_id.eq(arrivals::id.nullable())))
        .filter(arrivals::flight_id.eq(flight_id))
        .group_by(assistance::kind)
        .select((
            assistance::kind,
            diesel::dsl::count(assistance::migrant_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok((by_status, by_kind))
}
