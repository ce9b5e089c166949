//! Bulk loads (`seed`): the tables' secondary indexes are dropped for the
//! load and rebuilt after it, inside the same transaction. Building an index
//! by sorting once is far cheaper than keeping it in order row by row when
//! the keys are random UUIDs; and if the load fails, the rollback restores
//! the indexes with everything else.
//!
//! On PostgreSQL the tables' primary keys, and the foreign keys on them or
//! pointing at them, are dropped and added back the same way. A foreign key
//! checked row by row is an index probe per row, and a primary key kept
//! row by row costs a uniqueness search per row (two thirds of the time to
//! copy the 4.3 million assistance rows of a million-person seed); added
//! back, a key is one sorted build and a foreign key one join over every
//! row. The load is still fully checked before it commits.

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
struct Constraint {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// On PostgreSQL, the constraints a load of `tables` sets aside, in the
/// order they can be dropped: the foreign keys declared on the tables or
/// pointing at them, then the tables' primary keys. (SQLite loads run
/// with `foreign_keys = OFF`, see `cli::seed`, and its primary keys belong
/// to the table's definition.)
fn constraints(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<Vec<Constraint>> {
    if !matches!(conn, DbConnection::Pg(_)) {
        return Ok(Vec::new());
    }
    let list = quoted_list(tables);
    diesel::sql_query(format!(
        "SELECT CAST(c.conrelid::regclass AS TEXT) AS table, CAST(c.conname AS TEXT) AS name, \
         pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c \
         WHERE c.connamespace = current_schema()::regnamespace AND ( \
             (c.contype = 'f' AND (c.conrelid::regclass::text IN ({list}) \
                                   OR c.confrelid::regclass::text IN ({list}))) \
             OR (c.contype = 'p' AND c.conrelid::regclass::text IN ({list}))) \
         ORDER BY c.contype = 'p', c.conname"
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

/// Runs `load` with the secondary indexes (and, on PostgreSQL, the primary
/// and foreign keys) of `tables` dropped, then recreates them. Call inside
/// the load's transaction; `load` must not rely on those keys (no lookups
/// by id, no `ON CONFLICT` on them).
pub fn with_indexes_deferred<T>(
    conn: &mut DbConnection,
    tables: &[&str],
    load: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<T> {
    let defs = definitions(conn, tables)?;
    let keys = constraints(conn, tables)?;
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
    rebuild_indexes(conn, &defs)?;
    restore_keys(conn, &keys)?;
    Ok(out)
}

/// Creates the indexes `defs` again, logging how long each took.
fn rebuild_indexes(conn: &mut DbConnection, defs: &[IndexDef]) -> QueryResult<()> {
    let started = std::time::Instant::now();
    for d in defs {
        let one = std::time::Instant::now();
        diesel::sql_query(d.definition.as_str()).execute(conn)?;
        tracing::debug!(index = %d.name, elapsed_ms = elapsed_ms(one), "bulk load: index rebuilt");
    }
    let elapsed_ms = elapsed_ms(started);
    tracing::info!(
        indexes = defs.len(),
        elapsed_ms,
        "bulk load: indexes rebuilt"
    );
    Ok(())
}

/// Adds the constraints `keys` back, primary keys first: the foreign keys
/// need their unique index. Each is validated against every row.
fn restore_keys(conn: &mut DbConnection, keys: &[Constraint]) -> QueryResult<()> {
    let started = std::time::Instant::now();
    for k in keys.iter().rev() {
        let sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT \"{}\" {}",
            k.table, k.name, k.definition
        );
        diesel::sql_query(sql).execute(conn)?;
    }
    let elapsed_ms = elapsed_ms(started);
    tracing::info!(
        constraints = keys.len(),
        elapsed_ms,
        "bulk load: keys checked"
    );
    Ok(())
}

/// Milliseconds since `started`, for the load's progress log.
pub fn elapsed_ms(started: std::time::Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
