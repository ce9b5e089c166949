//! The data subject's rights: a complete export, and erasure that leaves
//! no partner able to find the person while the audit chain still verifies.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const EXPORT: &str = "query($id: ID!) { subjectExport(migrantId: $id) { migrantId erased tables { table rows } auditEvents { action actorInstitution } auditEventsTotal } }";
const ERASE: &str = "mutation($id: ID!, $r: String!) { eraseMigrant(migrantId: $id, reason: $r) { migrantId erasedAt } }";
const REASON: &str = "the person asked for erasure at the IOM office";

fn table<'a>(export: &'a Value, name: &str) -> &'a Vec<Value> {
    export["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("{export}"))
        .iter()
        .find(|t| t["table"] == name)
        .and_then(|t| t["rows"].as_array())
        .unwrap_or_else(|| panic!("no table {name} in {export}"))
}

/// A person with a consent to MINTRAB, an arrival yesterday and a READ by MINTRAB.
async fn followed_person(app: &TestApp) -> String {
    let id = app.register(person("Ana", "Xol", 3)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    app.arrive(&id, 1).await;
    let labour = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(
            &labour,
            "query($id: ID!) { migrant(id: $id) { familyNames } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(body["data"]["migrant"]["familyNames"], "Xol", "{body}");
    id
}

async fn export_holds_everything_about_the_person(app: TestApp) {
    let id = followed_person(&app).await;
    let admin = app.token("IOM", "iom_admin");
    let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
    let export = &body["data"]["subjectExport"];
    assert_eq!(export["erased"], false, "{body}");
    let me = &table(export, "migrants")[0];
    assert_eq!(me["family_names"], "Xol");
    assert_eq!(me["phone"], "+50255550101");
    assert_eq!(table(export, "consents").len(), 1);
    assert_eq!(table(export, "arrivals").len(), 1);
    let actions: Vec<&str> = export["auditEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"CREATE") && actions.contains(&"READ"),
        "{actions:?}"
    );
    assert_eq!(
        export["auditEventsTotal"].as_i64(),
        Some(actions.len() as i64)
    );
    // Only IOM administrators, and the export is itself audited.
    for (inst, role) in [
        ("IOM", "iom_caseworker"),
        ("MINTRAB", "labour_officer"),
        ("IOM", "auditor"),
    ] {
        let (_, body) = app
            .gql(&app.token(inst, role), EXPORT, json!({"id": id}))
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{role}: {body}"
        );
    }
    let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
    let again = &body["data"]["subjectExport"]["auditEvents"];
    assert!(again
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "SUBJECT_EXPORT"));
    let (_, body) = app.gql(&admin, EXPORT, json!({"id": "no-such-id"})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
}

/// Every table with a `migrant_id` column is in the export: a new table
/// holding people's data fails here until it is added.
async fn every_table_about_people_is_exported(app: TestApp) {
    use diesel::Connection;
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
    let tables = reintegra::db::subject::tables_with_column(&mut conn, "migrant_id").unwrap();
    assert!(tables.len() >= 5, "{tables:?}");
    let exported: Vec<&str> = reintegra::db::subject::PERSONAL_TABLES
        .iter()
        .map(|(t, _)| *t)
        .collect();
    for t in tables {
        assert!(
            exported.contains(&t.as_str()),
            "table {t} holds people's data but is not exported"
        );
    }
}

async fn erasure_hides_the_person_and_keeps_the_chain(app: TestApp) {
    let id = followed_person(&app).await;
    let admin = app.token("IOM", "iom_admin");
    let labour = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(&labour, ERASE, json!({"id": id, "r": REASON}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app
        .gql(&admin, ERASE, json!({"id": id, "r": "short"}))
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );

    let (_, body) = app.gql(&admin, ERASE, json!({"id": id, "r": REASON})).await;
    assert_eq!(
        body["data"]["eraseMigrant"]["migrantId"],
        json!(id),
        "{body}"
    );
    let (_, body) = app.gql(&admin, ERASE, json!({"id": id, "r": REASON})).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");

    // No partner finds the person: not by id, not in a list, not in a count.
    for (inst, role) in [
        ("MINTRAB", "labour_officer"),
        ("MINEX", "foreign_affairs_officer"),
    ] {
        let token = app.token(inst, role);
        let (_, body) = app
            .gql(
                &token,
                "query($id: ID!) { migrant(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("NOT_FOUND"),
            "{role}: {body}"
        );
        let (_, body) = app
            .gql(
                &token,
                "{ migrants(first: 10) { totalCount edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{role}: {body}");
    }
    // The remainder: coarse facts only.
    let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
    let export = &body["data"]["subjectExport"];
    assert_eq!(export["erased"], true);
    let me = &table(export, "migrants")[0];
    assert_eq!(me["family_names"], "[erased]");
    assert_eq!(me["document_number"], Value::Null);
    assert_eq!(me["phone"], Value::Null);
    assert_eq!(me["origin_department_code"], "13");
    assert!(
        me["birth_date"].as_str().unwrap().starts_with("1994-01-01"),
        "{me}"
    );
    assert!(
        !body.to_string().contains("Xol") && !body.to_string().contains("asthma"),
        "{body}"
    );
    assert_eq!(table(export, "arrivals").len(), 1, "dates of arrivals stay");
    assert!(table(export, "consents")[0]["revoked_at"].is_string());
    let (_, body) = app.gql(&admin, "{ auditChain { ok } }", json!({})).await;
    assert_eq!(body["data"]["auditChain"]["ok"], true, "{body}");
}

/// Retention pseudonymises the long-inactive only: never someone changed,
/// arrived, served or followed (an open consent) within the period.
async fn retention_spares_open_cases(app: TestApp) {
    use diesel::Connection;
    use reintegra::subject::retention;
    let idle = app.register(person("Luis", "Tzul", 11)).await;
    let followed = app.register(person("Rosa", "Pop", 12)).await;
    let recent = app.register(person("Ana", "Xol", 13)).await;
    app.consent(&followed, "MINTRAB", "EMPLOYMENT", None).await;
    let long_ago = "2010-01-01 00:00:00";
    for id in [&idle, &followed] {
        app.exec_sql(&format!(
            "UPDATE migrants SET updated_at = '{long_ago}' WHERE id = '{id}'"
        ));
    }
    app.exec_sql(&format!("UPDATE consents SET granted_at = '{long_ago}'"));
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
    let cutoff = chrono::Utc::now().naive_utc() - chrono::Duration::days(3650);
    assert_eq!(
        retention::due(&mut conn, cutoff, 100).unwrap(),
        vec![idle.clone()]
    );
    let n = retention::apply(&mut conn, cutoff, |_, _| Ok(())).unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        retention::count_due(&mut conn, cutoff).unwrap(),
        0,
        "done once"
    );
    let admin = app.token("IOM", "iom_admin");
    for (id, erased) in [(&idle, true), (&followed, false), (&recent, false)] {
        let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
        assert_eq!(body["data"]["subjectExport"]["erased"], erased, "{body}");
    }
}

db_tests!(
    retention_spares_open_cases,
    export_holds_everything_about_the_person,
    every_table_about_people_is_exported,
    erasure_hides_the_person_and_keeps_the_chain,
);
