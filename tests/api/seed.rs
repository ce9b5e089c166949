//! `seed --demo` on both backends: the load lands whole, with exactly the
//! indexes, primary keys and foreign keys the migrations declare (a bulk
//! load drops them and builds them again), and the API serves what it wrote.

use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use reintegra::db::DbConnection;
use serde_json::json;

use crate::db_tests;
use crate::support::{test_settings, Backend, TestApp};

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SchemaObject {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// Every index, primary key and foreign key, by name, with its definition
/// (and, on PostgreSQL, whether it is validated).
fn schema_objects(conn: &mut DbConnection) -> Vec<SchemaObject> {
    let sql = match conn {
        DbConnection::Pg(_) => {
            "SELECT CAST(indexname AS TEXT) AS name, CAST(indexdef AS TEXT) AS definition \
             FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL SELECT CAST(conrelid::regclass AS TEXT) || '.' || conname, \
             pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END \
             FROM pg_constraint WHERE contype IN ('f', 'p') \
             AND connamespace = current_schema()::regnamespace"
        }
        DbConnection::Sqlite(_) => {
            "SELECT name, COALESCE(sql, '') AS definition FROM sqlite_master \
             WHERE type = 'index' UNION ALL \
             SELECT m.name || '.' || f.\"from\", f.\"table\" || '.' || f.\"to\" \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
        }
    };
    let mut all: Vec<SchemaObject> = diesel::sql_query(sql).load(conn).expect("schema");
    all.sort();
    all
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Seeded referrals, and those made without an active EMPLOYMENT consent
/// to MINTRAB at the time (there must be none).
fn referrals(conn: &mut DbConnection) -> (i64, i64) {
    let count = |conn: &mut DbConnection, sql: &str| {
        diesel::sql_query(sql)
            .get_result::<Counted>(conn)
            .expect("count")
            .n
    };
    let all = count(conn, "SELECT COUNT(*) AS n FROM job_referrals");
    let unconsented = count(
        conn,
        "SELECT COUNT(*) AS n FROM job_referrals r WHERE NOT EXISTS (SELECT 1 FROM consents c \
         WHERE c.migrant_id = r.migrant_id AND c.institution_code = 'MINTRAB' \
         AND c.purpose = 'EMPLOYMENT' AND c.granted_at < r.created_at AND c.revoked_at IS NULL)",
    );
    (all, unconsented)
}

/// Children whose parent is missing (SQLite loads with foreign keys off).
fn orphans(conn: &mut DbConnection) -> i64 {
    let sql = "SELECT (SELECT COUNT(*) FROM arrivals a LEFT JOIN migrants m ON m.id = a.migrant_id WHERE m.id IS NULL) \
               + (SELECT COUNT(*) FROM assistance s LEFT JOIN arrivals a ON a.id = s.arrival_id WHERE s.arrival_id IS NOT NULL AND a.id IS NULL) \
               + (SELECT COUNT(*) FROM consents c LEFT JOIN migrants m ON m.id = c.migrant_id WHERE m.id IS NULL) AS n";
    diesel::sql_query(sql)
        .get_result::<Counted>(conn)
        .expect("orphans")
        .n
}

async fn total(app: &TestApp, inst: &str, role: &str) -> i64 {
    let (_, body) = app
        .gql(
            &app.token(inst, role),
            "{ migrants(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    body["data"]["migrants"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

/// Seeds a fresh database nobody has open (as the command is meant to be
/// run), then serves it.
async fn seed_keeps_indexes_and_keys(app: TestApp) {
    let db = match app.backend {
        Backend::Sqlite => crate::support::db::sqlite(),
        Backend::Postgres => crate::support::db::postgres().expect("a second database"),
    };
    let url = reintegra::db::normalize_url(&db.url);
    let before = schema_objects(&mut DbConnection::establish(&url).expect("connect"));
    let settings = test_settings(&db.url);
    let done = actix_web::web::block(move || reintegra::cli::seed::run(&settings, 400, 42)).await;
    match done {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("seed failed: {e}"),
        Err(e) => panic!("seed did not run: {e}"),
    }
    let mut conn = DbConnection::establish(&url).expect("connect");
    assert_eq!(schema_objects(&mut conn), before);
    assert_eq!(orphans(&mut conn), 0);
    let (referred, unconsented) = referrals(&mut conn);
    assert!(
        referred > 0 && unconsented == 0,
        "{referred} referrals, {unconsented} without consent"
    );
    drop(conn);
    let seeded = TestApp::spawn(app.backend, db, |_| {});
    // The database split the names the way the API does.
    crate::search::assert_index_matches_names(&seeded);
    assert_eq!(total(&seeded, "IOM", "iom_admin").await, 400);
    let labour = total(&seeded, "MINTRAB", "labour_officer").await;
    assert!((1..400).contains(&labour), "MINTRAB sees {labour} of 400");
}

/// A second seed appends to the first: only the new people's names are
/// split into the word index, and nobody's words are doubled or missed.
async fn seeding_again_indexes_only_the_new_names(app: TestApp) {
    let db = match app.backend {
        Backend::Sqlite => crate::support::db::sqlite(),
        Backend::Postgres => crate::support::db::postgres().expect("a second database"),
    };
    for (n, seed) in [(60, 1), (40, 2)] {
        let settings = test_settings(&db.url);
        let done =
            actix_web::web::block(move || reintegra::cli::seed::run(&settings, n, seed)).await;
        assert!(matches!(done, Ok(Ok(()))), "seed {seed} failed");
    }
    let seeded = TestApp::spawn(app.backend, db, |_| {});
    crate::search::assert_index_matches_names(&seeded);
    assert_eq!(total(&seeded, "IOM", "iom_admin").await, 100);
}

db_tests!(
    seed_keeps_indexes_and_keys,
    seeding_again_indexes_only_the_new_names
);
