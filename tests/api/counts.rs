//! Partners' `totalCount` comes from maintained counts; it must equal a
//! straight count of the scoped rows after any sequence of writes, and
//! stay equal as the clock moves past expiries with no write in between.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::{Connection, QueryDsl, RunQueryDsl};
use rand::{Rng, SeedableRng};
use reintegra::db::{scope, scope_counts, DbConnection};
use reintegra::domain::institution::Role;
use reintegra::policy::RowFilter;
use serde_json::json;

use crate::db_tests;
use crate::support::{cui, person, TestApp};

const MUNICIPALITIES: [&str; 4] = ["0101", "0108", "1301", "1327"];

async fn version(app: &TestApp, id: &str) -> i64 {
    let q = "query($id: ID!) { migrant(id: $id) { version } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"id": id}))
        .await;
    body["data"]["migrant"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn update(app: &TestApp, id: &str, input: serde_json::Value) {
    let q = "mutation($id: ID!, $v: Int!, $i: MigrantSections!) { updateMigrant(id: $id, expectedVersion: $v, input: $i) { version } }";
    let v = version(app, id).await;
    let vars = json!({"id": id, "v": v, "i": input});
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q, vars).await;
    assert!(body["data"]["updateMigrant"]["version"].is_i64(), "{body}");
}

async fn revoke(app: &TestApp, consent: &str) {
    let q = "mutation($c: ID!) { revokeConsent(id: $c) { active } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"c": consent}))
        .await;
    assert_eq!(body["data"]["revokeConsent"]["active"], false, "{body}");
}

/// A random history of writes through the API.
async fn history(app: &TestApp, rng: &mut rand_chacha::ChaCha8Rng) {
    let mut consents = Vec::new();
    for n in 0..24u32 {
        let muni = MUNICIPALITIES[rng.random_range(0..4)];
        let mut p = person("Ana", &format!("Xoc{}", "a".repeat(n as usize + 1)), n);
        p["origin"]["municipalityCode"] = json!(muni);
        p["documents"]["documentNumber"] = json!(cui(n, muni));
        p["protection"]["doNotShare"] = json!(rng.random_bool(0.15));
        let id = app.register(p).await;
        for (inst, purpose) in [("MINTRAB", "EMPLOYMENT"), ("USAC", "EDUCATION")] {
            if rng.random_bool(0.7) {
                let expiry = match rng.random_range(0..4) {
                    0 => None,
                    1 => Some(Utc::now() + Duration::minutes(rng.random_range(1..600))),
                    _ => Some(Utc::now() + Duration::days(rng.random_range(1..90))),
                };
                let c = app
                    .consent(&id, inst, purpose, expiry.map(|e| e.to_rfc3339()))
                    .await;
                consents.push(c);
            }
        }
        if rng.random_bool(0.3) {
            let muni = MUNICIPALITIES[rng.random_range(0..4)];
            update(app, &id, json!({"origin": {"municipalityCode": muni}})).await;
        }
        if rng.random_bool(0.2) {
            let flag = rng.random_bool(0.5);
            let protection = json!({"unaccompaniedMinor": false, "familySeparation": false, "protectionNeeds": false, "doNotShare": flag});
            update(app, &id, json!({"protection": protection})).await;
        }
    }
    for c in consents.iter().filter(|_| rng.random_bool(0.25)) {
        revoke(app, c).await;
    }
}

fn straight(conn: &mut DbConnection, rows: &RowFilter, dept: Option<&str>) -> i64 {
    use diesel::ExpressionMethods;
    use reintegra::db::schema::migrants;
    let q = scope::visible_as(rows, scope::Shape::Count);
    let q = match dept {
        Some(d) => q.filter(migrants::origin_department_code.eq(d.to_string())),
        None => q,
    };
    q.count().get_result(conn).expect("count")
}

async fn maintained_counts_equal_straight_counts_as_time_passes(app: TestApp) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    history(&app, &mut rng).await;
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = DbConnection::establish(&url).expect("connect");
    let now: NaiveDateTime = reintegra::db::now();
    let later = [
        Duration::zero(),
        Duration::minutes(90),
        Duration::hours(11),
        Duration::days(1),
        Duration::days(45),
        Duration::days(120),
    ];
    let mut seen_nonzero = false;
    for step in later {
        let at = now + step;
        for (inst, role) in [
            ("MINTRAB", Role::LabourOfficer),
            ("USAC", Role::UniversityOfficer),
        ] {
            let rows = RowFilter::for_caller(role, inst, at, 30);
            let purpose = rows.scope.consent_purpose().expect("consent scope");
            for dept in [None, Some("01"), Some("13")] {
                let fast = scope_counts::count(&mut conn, inst, purpose, dept, at).expect("count");
                let slow = straight(&mut conn, &rows, dept);
                assert_eq!(fast, slow, "{inst} {dept:?} at +{step}");
                seen_nonzero |= slow > 0;
            }
        }
    }
    assert!(seen_nonzero, "the history produced visible people");
    // A rebuild from scratch agrees with what the writes maintained.
    let before = scope_counts::count(&mut conn, "MINTRAB", "EMPLOYMENT", None, now).expect("count");
    scope_counts::rebuild(&mut conn).expect("rebuild");
    let after = scope_counts::count(&mut conn, "MINTRAB", "EMPLOYMENT", None, now).expect("count");
    assert_eq!(before, after);
    // And the API answers the same number.
    let (_, body) = app
        .gql(
            &app.token("MINTRAB", "labour_officer"),
            "{ migrants { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], before, "{body}");
}

db_tests!(maintained_counts_equal_straight_counts_as_time_passes);
