//! The SQLite and PostgreSQL migration trees must build the same database:
//! same migrations, tables, columns and named indexes.

use std::collections::{BTreeMap, BTreeSet};

use diesel::{Connection, RunQueryDsl};
use reintegra::db::DbConnection;

use crate::support::db;

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir)
        .expect("migrations dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_trees_hold_the_same_migrations() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tbl: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    col: String,
}

#[derive(diesel::QueryableByName)]
struct Index {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

type Shape = (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>);

fn shape(url: &str, columns: &str, indexes: &str) -> Shape {
    let mut conn = DbConnection::establish(&reintegra::db::normalize_url(url)).expect("connect");
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in diesel::sql_query(columns)
        .load::<Column>(&mut conn)
        .expect("columns")
    {
        if !c.tbl.starts_with("__diesel") && !c.tbl.starts_with("sqlite_") {
            tables.entry(c.tbl).or_default().insert(c.col);
        }
    }
    let named = diesel::sql_query(indexes)
        .load::<Index>(&mut conn)
        .expect("indexes")
        .into_iter()
        .map(|i| i.name)
        .filter(|n| n.ends_with("_idx"))
        .collect();
    (tables, named)
}

#[test]
fn both_trees_build_the_same_tables_columns_and_indexes() {
    let pg = match db::postgres() {
        Ok(pg) => pg,
        Err(e) if std::env::var("REINTEGRA_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("PostgreSQL required but unavailable: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED PostgreSQL comparison of the migration trees: {e}");
            return;
        }
    };
    let lite = db::sqlite();
    let sqlite = shape(
        &lite.url,
        "SELECT m.name AS tbl, p.name AS col FROM sqlite_master m \
         JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table'",
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    );
    let postgres = shape(
        &pg.url,
        "SELECT CAST(table_name AS TEXT) AS tbl, CAST(column_name AS TEXT) AS col \
         FROM information_schema.columns WHERE table_schema = 'public'",
        "SELECT CAST(indexname AS TEXT) AS name FROM pg_indexes WHERE schemaname = 'public'",
    );
    assert_eq!(sqlite.0, postgres.0, "tables and columns differ");
    assert_eq!(sqlite.1, postgres.1, "named indexes differ");
}
