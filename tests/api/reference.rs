//! Reference data loaded by migrations.

use serde_json::json;

use crate::db_tests;
use crate::support::TestApp;

async fn departments_and_municipalities(app: TestApp) {
    let token = app.token("MINTRAB", "labour_officer");
    let q = "{ departments { code name isoCode municipalities { code name department { code } } } institutions { code kind } }";
    let (status, body) = app.gql(&token, q, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let deps = body["data"]["departments"].as_array().unwrap();
    assert_eq!(deps.len(), 22);
    let total: usize = deps
        .iter()
        .map(|d| d["municipalities"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, 340);
    let hue = deps.iter().find(|d| d["code"] == "13").unwrap();
    assert_eq!(hue["name"], "Huehuetenango");
    assert_eq!(hue["isoCode"], "GT-13");
    assert_eq!(hue["municipalities"].as_array().unwrap().len(), 33);
    for d in deps {
        for m in d["municipalities"].as_array().unwrap() {
            assert_eq!(m["department"]["code"], d["code"]);
            assert!(m["code"]
                .as_str()
                .unwrap()
                .starts_with(d["code"].as_str().unwrap()));
        }
    }
    let insts: Vec<_> = body["data"]["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}:{}",
                i["code"].as_str().unwrap(),
                i["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        insts,
        [
            "IOM:OPERATOR",
            "MINEX:FOREIGN_AFFAIRS",
            "MINTRAB:LABOUR",
            "URL:UNIVERSITY",
            "USAC:UNIVERSITY",
            "UVG:UNIVERSITY"
        ]
    );
}

db_tests!(departments_and_municipalities);

async fn migrations_are_reversible(app: TestApp) {
    use diesel::Connection;
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).unwrap();
    let mut reverted = Vec::new();
    while let Ok(name) = reintegra::db::migrate::revert_last(&mut conn) {
        reverted.push(name);
    }
    assert!(reverted.len() >= 2, "{reverted:?}");
    let applied = reintegra::db::migrate::run_pending(&mut conn).unwrap();
    assert_eq!(applied, reverted.len());
    let token = app.token("IOM", "iom_admin");
    let (_, body) = app
        .gql(&token, "{ departments { code } }", serde_json::json!({}))
        .await;
    assert_eq!(body["data"]["departments"].as_array().unwrap().len(), 22);
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn migrate_leaves_planner_statistics(app: TestApp) {
    use diesel::{Connection, RunQueryDsl};
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).unwrap();
    let sql = match app.backend {
        crate::support::Backend::Sqlite => {
            "SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'municipalities'"
        }
        crate::support::Backend::Postgres => {
            "SELECT count(*) AS n FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid \
             WHERE c.relname = 'municipalities'"
        }
    };
    let stats = diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .unwrap();
    assert!(stats.n > 0, "no statistics after migrate");
}

db_tests!(migrations_are_reversible, migrate_leaves_planner_statistics);
