//! Everything held on one person, for the person (IOM answers the request).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::audit::{self, AuditEventRow};
use crate::db::schema::{erasures, migrants};
use crate::db::subject::{rows_as_json, PERSONAL_TABLES};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// Most audit events an export carries (the most recent); the total is
/// always given, so a longer history is known to exist.
pub const MAX_AUDIT_EVENTS: i64 = 5_000;

/// One table's rows about the person.
#[derive(Serialize, Debug)]
pub struct TableRows {
    /// The table.
    pub table: String,
    /// Every column of every row, as stored.
    pub rows: Vec<serde_json::Value>,
}

/// The export document.
#[derive(Serialize, Debug)]
pub struct SubjectDocument {
    /// The person.
    pub migrant_id: String,
    /// When the export was made (UTC).
    pub generated_at: NaiveDateTime,
    /// Whether the record was erased (pseudonymised).
    pub erased: bool,
    /// Every table holding the person's data.
    pub tables: Vec<TableRows>,
    /// Who read or changed the record, most recent last.
    pub audit_events: Vec<AuditEventRow>,
    /// How many audit events concern the person in all.
    pub audit_events_total: i64,
}

/// Builds the export of `id` at `now`; `NOT_FOUND` when no such record.
pub fn export(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<SubjectDocument> {
    let exists: i64 = migrants::table.find(id).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::NotFound("migrant"));
    }
    let mut tables = Vec::with_capacity(PERSONAL_TABLES.len());
    for (table, column) in PERSONAL_TABLES {
        let rows = rows_as_json(conn, table, column, id)?
            .iter()
            .map(|text| serde_json::from_str(text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(format!("export row of {table}: {e}")))?;
        tables.push(TableRows {
            table: table.to_string(),
            rows,
        });
    }
    let (audit_events, audit_events_total) = audit::latest_about(conn, id, MAX_AUDIT_EVENTS)?;
    let erased = erasures::table.find(id).count().get_result::<i64>(conn)? > 0;
    Ok(SubjectDocument {
        migrant_id: id.to_string(),
        generated_at: now,
        erased,
        tables,
        audit_events,
        audit_events_total,
    })
}
