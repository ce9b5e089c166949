//! Bulk loads (`seed`): the tables' secondary indexes are dropped for the
//! load and rebuilt after it, inside the same transaction. Building an index
//! by sorting once is far cheaper than keeping it in order row by row when
//! the keys are random UUIDs; and if the load fails, the rollback restores
//! the indexes with everything else.
//!
//! On PostgreSQL the tables' foreign keys are dropped and added back the
//! same way: a foreign key checked row by row is an index probe per row
//! (most of a million-person load), while adding it back validates every
//! row in one join. The load is still fully checked before it commits.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbConnection;
use crate::error::AppResult;

#[derive(QueryableByName)]
struct IndexDef {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// The named (`*_idx`) indexes of `tables`, with the statements that create them.
fn definitions(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<IndexDef>> {
    let list = quoted_list(tables);
    let sql = match conn {
        DbConnection::Pg(_) => format!(
            "SELECT CAST(indexname AS TEXT) AS name, CAST(indexdef AS TEXT) AS definition \
             FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({list})"
        ),
        DbConnection::Sqlite(_) => format!(
            "SELECT name, sql AS definition FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list})"
        ),
    };
    let all = diesel::sql_query(sql).load::<IndexDef>(conn)?;
    Ok(all
        .into_iter()
        .filter(|i| i.name.ends_with("_idx"))
        .collect())
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// The foreign keys declared on `tables` (PostgreSQL; SQLite loads run with
/// `foreign_keys = OFF`, see `cli::seed`).
fn foreign_keys(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<ForeignKey>> {
    if !matches!(conn, DbConnection::Pg(_)) {
        return Ok(Vec::new());
    }
    let list = quoted_list(tables);
    diesel::sql_query(format!(
        "SELECT CAST(c.conrelid::regclass AS TEXT) AS table, CAST(c.conname AS TEXT) AS name, \
         pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c \
         WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace \
         AND c.conrelid::regclass::text IN ({list})"
    ))
    .load(conn)
}

fn quoted_list(tables: &[&str]) -> String {
    tables
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `load` with the secondary indexes (and, on PostgreSQL, the foreign
/// keys) of `tables` dropped, then recreates them. Call inside the load's
/// transaction.
pub fn with_indexes_deferred<T>(
    conn: &mut DbConnection,
    tables: &[&str],
    load: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<T> {
    let defs = definitions(conn, tables)?;
    let keys = foreign_keys(conn, tables)?;
    if matches!(conn, DbConnection::Pg(_)) {
        // The rebuilds sort millions of keys: in memory rather than in
        // temporary files (the server's default is 64 MB), for this
        // transaction only.
        diesel::sql_query("SET LOCAL maintenance_work_mem = '256MB'").execute(conn)?;
    }
    for k in &keys {
        let sql = format!("ALTER TABLE {} DROP CONSTRAINT \"{}\"", k.table, k.name);
        diesel::sql_query(sql).execute(conn)?;
    }
    for d in &defs {
        diesel::sql_query(format!("DROP INDEX {}", d.name)).execute(conn)?;
    }
    let out = load(conn)?;
    for d in &defs {
        diesel::sql_query(d.definition.as_str()).execute(conn)?;
    }
    for k in &keys {
        let sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT \"{}\" {}",
            k.table, k.name, k.definition
        );
        diesel::sql_query(sql).execute(conn)?;
    }
    Ok(out)
}
