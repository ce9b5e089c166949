//! Education history (SKILLS): written by SKILLS writers (IOM, and MINTRAB
//! for the people consenting to it), read by universities through their
//! EDUCATION consents; validated, versioned, and cleared of free text by
//! erasure.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const RECORD: &str = "mutation($m: ID!, $i: EducationInput!) { recordEducation(migrantId: $m, input: $i) { id version level field { code title } institution country yearsCompleted completed } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: EducationInput!) { updateEducation(id: $id, expectedVersion: $v, input: $i) { id version yearsCompleted completed } }";
const REMOVE: &str =
    "mutation($id: ID!, $v: Int!) { removeEducation(id: $id, expectedVersion: $v) { id } }";
const HISTORY: &str = "query($id: ID!) { migrant(id: $id) { skills { educationHistory { id level field { code } institution country yearsCompleted completed } } } }";

/// Diversificado (bachillerato) begun in Guatemala.
pub fn diversificado(years: i32, completed: bool) -> Value {
    json!({"level": "UPPER_SECONDARY", "fieldCode": "00", "institution": "INEB Huehuetenango",
           "country": "GT", "yearsCompleted": years, "completed": completed})
}

/// Records `input` for `m` as `token`; returns the answer.
pub async fn record(app: &TestApp, token: &str, m: &str, input: Value) -> Value {
    app.gql(token, RECORD, json!({"m": m, "i": input})).await.1
}

/// Records `input` for `m` as IOM; returns the record id.
pub async fn record_as_iom(app: &TestApp, m: &str, input: Value) -> String {
    let body = record(app, &app.token("IOM", "iom_caseworker"), m, input).await;
    body["data"]["recordEducation"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn history(app: &TestApp, token: &str, m: &str) -> Value {
    app.gql(token, HISTORY, json!({"id": m})).await.1
}

async fn iom_records_universities_read(app: TestApp) {
    let iom = app.token("IOM", "iom_caseworker");
    let ana = app.register(person("Ana", "Tzul", 1)).await;
    let ged = json!({"level": "UPPER_SECONDARY", "fieldCode": "00", "institution": "Houston Community College",
                     "country": "US", "yearsCompleted": 0, "credits": 24, "completed": true, "lastYear": 2022});
    let body = record(&app, &iom, &ana, ged).await;
    let r = &body["data"]["recordEducation"];
    assert_eq!(r["field"]["code"], "00", "{body}");
    assert_eq!(r["country"], "US");
    assert_eq!(r["version"], 1);
    let id = r["id"].as_str().unwrap().to_string();
    // Bad input names its field and writes nothing.
    let mut bad = diversificado(2, false);
    bad["fieldCode"] = json!("11");
    let body = record(&app, &iom, &ana, bad).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.fieldCode");
    let mut none = diversificado(1, false);
    none["level"] = json!("NONE");
    let body = record(&app, &iom, &ana, none).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    // Versioned updates.
    let vars = json!({"id": id, "v": 1, "i": diversificado(3, true)});
    let (_, body) = app.gql(&iom, UPDATE, vars.clone()).await;
    assert_eq!(body["data"]["updateEducation"]["version"], 2, "{body}");
    let (_, stale) = app.gql(&iom, UPDATE, vars).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    // USAC reads it once Ana consents to USAC; URL never.
    let usac = app.token("USAC", "university_officer");
    let body = history(&app, &usac, &ana).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    app.consent(&ana, "USAC", "EDUCATION", None).await;
    let body = history(&app, &usac, &ana).await;
    let list = &body["data"]["migrant"]["skills"]["educationHistory"];
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(list[0]["yearsCompleted"], 3);
    let body = history(&app, &app.token("URL", "university_officer"), &ana).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    // Universities read SKILLS but do not write it.
    let body = record(&app, &usac, &ana, diversificado(1, false)).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app.gql(&iom, REMOVE, json!({"id": id, "v": 2})).await;
    assert_eq!(body["data"]["removeEducation"]["id"], id.as_str(), "{body}");
    let body = history(&app, &iom, &ana).await;
    assert_eq!(
        body["data"]["migrant"]["skills"]["educationHistory"],
        json!([])
    );
}

async fn labour_writes_only_its_rows(app: TestApp) {
    // The matrix gives MINTRAB SKILLS RW: followed as it is, on its rows.
    let mintrab = app.token("MINTRAB", "labour_officer");
    let with = app.register(person("Luis", "Cux", 2)).await;
    let without = app.register(person("Juan", "Ajú", 3)).await;
    app.consent(&with, "MINTRAB", "EMPLOYMENT", None).await;
    let body = record(&app, &mintrab, &with, diversificado(2, false)).await;
    assert!(body["data"]["recordEducation"]["id"].is_string(), "{body}");
    let body = record(&app, &mintrab, &without, diversificado(2, false)).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    for (inst, role) in [("MINEX", "foreign_affairs_officer"), ("IOM", "auditor")] {
        let body = record(&app, &app.token(inst, role), &with, diversificado(1, false)).await;
        assert!(body["errors"].is_array(), "{role}: {body}");
    }
}

async fn erasure_keeps_the_facts_not_the_text(app: TestApp) {
    let ana = app.register(person("Ana", "Chen", 4)).await;
    record_as_iom(&app, &ana, diversificado(3, true)).await;
    let q = "mutation($id: ID!) { eraseMigrant(migrantId: $id, reason: \"the person asked for erasure\") { erasedAt } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"id": ana}))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = history(&app, &app.token("IOM", "iom_admin"), &ana).await;
    let r = &body["data"]["migrant"]["skills"]["educationHistory"][0];
    assert_eq!(r["institution"], Value::Null, "{body}");
    assert_eq!(r["level"], "UPPER_SECONDARY");
    assert_eq!(r["completed"], true);
}

db_tests!(
    iom_records_universities_read,
    labour_writes_only_its_rows,
    erasure_keeps_the_facts_not_the_text
);
