//! Assistance given on arrival.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::assistance;
use super::DbConnection;

/// One service given to one person.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = assistance, treat_none_as_default_value = false)]
pub struct AssistanceRow {
    pub id: String,
    pub migrant_id: String,
    pub arrival_id: Option<String>,
    /// `RECEPTION`, `FOOD_RATION`, `MEDICAL_AID`, `PHONE_CALL`, `TRANSPORT`.
    pub kind: String,
    pub given_at: NaiveDateTime,
    pub given_by: String,
    pub institution_code: String,
    /// Where `TRANSPORT` takes the person.
    pub destination_municipality_code: Option<String>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Assistance of many migrants in one statement, oldest first.
pub fn for_migrants(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<AssistanceRow>> {
    assistance::table
        .filter(assistance::migrant_id.eq_any(ids))
        .order((assistance::migrant_id, assistance::given_at, assistance::id))
        .select(AssistanceRow::as_select())
        .load(conn)
}

/// One record by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AssistanceRow>> {
    assistance::table
        .find(id)
        .select(AssistanceRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts assistance records.
pub fn insert(conn: &mut DbConnection, rows: &[AssistanceRow]) -> QueryResult<()> {
    crate::bulk_insert!(conn, assistance::table, rows).map(|_| ())
}
