//! Bulk loads (`seed`): the tables' secondary indexes are dropped for the
//! load and rebuilt after it, inside the same transaction. Building an index
//! by sorting once is far cheaper than keeping it in order row by row when
//! the keys are random UUIDs; and if the load fails, the rollback restores
//! the indexes with everything else.

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
    let list = tables
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ");
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

/// Runs `load` with the secondary indexes of `tables` dropped, then
/// recreates them. Call inside the load's transaction.
pub fn with_indexes_deferred<T>(
    conn: &mut DbConnection,
    tables: &[&str],
    load: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<T> {
    let defs = definitions(conn, tables)?;
    for d in &defs {
        diesel::sql_query(format!("DROP INDEX {}", d.name)).execute(conn)?;
    }
    let out = load(conn)?;
    for d in &defs {
        diesel::sql_query(d.definition.as_str()).execute(conn)?;
    }
    Ok(out)
}
