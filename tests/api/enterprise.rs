//! Micro-enterprise projects on both backends: IOM proposes and moves
//! them forward only, FUNDED records the date, dated notes, MINTRAB reads
//! only the projects of people in its rows, and an erasure keeps the
//! statistics while the free text goes.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const PROPOSE: &str = "mutation($i: ProposeEnterpriseProjectInput!, $k: String) { proposeEnterpriseProject(input: $i, idempotencyKey: $k) { id version status activity grant { amount currency } municipality { code } departmentCode migrant { id } } }";
const MOVE: &str = "mutation($id: ID!, $to: ProjectStatus!, $v: Int!) { moveEnterpriseProject(id: $id, to: $to, expectedVersion: $v) { version status fundedOn history { status by } } }";
const NOTE: &str = "mutation($p: ID!, $d: Date!, $t: String!) { addProjectNote(projectId: $p, date: $d, text: $t) { id date text } }";
const LIST: &str = "query($f: EnterpriseProjectFilter, $a: String) { enterpriseProjects(first: 1, after: $a, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status migrant { id } notes { date text } } } } }";
const EXPORT: &str = "query($id: ID!) { subjectExport(migrantId: $id) { tables { table rows } } }";
const ERASE: &str = "mutation($id: ID!) { eraseMigrant(migrantId: $id, reason: \"asked at the IOM office\") { migrantId } }";

fn input(m: &str) -> Value {
    json!({"migrantId": m, "activity": "Tortillería  familiar", "iscoCode": "7512",
           "municipalityCode": "1301", "grantAmount": "15000.5"})
}

async fn propose(app: &TestApp, m: &str) -> String {
    let iom = app.token("IOM", "iom_caseworker");
    let (_, body) = app.gql(&iom, PROPOSE, json!({"i": input(m)})).await;
    body["data"]["proposeEnterpriseProject"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

fn field(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}

async fn step(app: &TestApp, id: &str, to: &str, v: i64) -> Value {
    let iom = app.token("IOM", "iom_caseworker");
    app.gql(&iom, MOVE, json!({"id": id, "to": to, "v": v}))
        .await
        .1
}

async fn lifecycle_notes_and_policy(app: TestApp) {
    let iom = app.token("IOM", "iom_caseworker");
    let ana = app.register(person("Ana", "Cux", 1)).await;
    let (_, body) = app
        .gql(&iom, PROPOSE, json!({"i": input(&ana), "k": "p-1"}))
        .await;
    let p = &body["data"]["proposeEnterpriseProject"];
    assert_eq!(p["status"], "PROPOSED", "{body}");
    assert_eq!(p["activity"], "Tortillería familiar");
    assert_eq!(p["grant"], json!({"amount": "15000.50", "currency": "GTQ"}));
    assert_eq!(p["departmentCode"], "13");
    let id = p["id"].as_str().unwrap().to_string();
    let (_, again) = app
        .gql(&iom, PROPOSE, json!({"i": input(&ana), "k": "p-1"}))
        .await;
    assert_eq!(again["data"]["proposeEnterpriseProject"]["id"], id.as_str());
    // Validation.
    for (k, v, f) in [
        ("activity", json!("x".repeat(201)), "input.activity"),
        ("grantAmount", json!("-5"), "input.grantAmount"),
        ("iscoCode", json!("75"), "input.iscoCode"),
    ] {
        let mut i = input(&ana);
        i[k] = v;
        let (_, body) = app.gql(&iom, PROPOSE, json!({"i": i})).await;
        assert_eq!(field(&body), Some(f), "{body}");
    }
    // Forward only; FUNDED records the date; CLOSED from anywhere.
    let skip = step(&app, &id, "FUNDED", 1).await;
    assert_eq!(
        error_code(&skip).as_deref(),
        Some("BAD_USER_INPUT"),
        "{skip}"
    );
    let body = step(&app, &id, "APPROVED", 1).await;
    assert_eq!(
        body["data"]["moveEnterpriseProject"]["version"], 2,
        "{body}"
    );
    let stale = step(&app, &id, "FUNDED", 1).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let body = step(&app, &id, "FUNDED", 2).await;
    let moved = &body["data"]["moveEnterpriseProject"];
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(moved["fundedOn"], today.as_str(), "{body}");
    let statuses: Vec<&str> = moved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["PROPOSED", "APPROVED", "FUNDED"]);
    let back = step(&app, &id, "APPROVED", 3).await;
    assert_eq!(
        error_code(&back).as_deref(),
        Some("BAD_USER_INPUT"),
        "{back}"
    );
    // Notes: dated, bounded.
    let (_, body) = app
        .gql(
            &iom,
            NOTE,
            json!({"p": id, "d": "2026-01-15", "t": "Visita:\nvende 300 tortillas al día"}),
        )
        .await;
    assert_eq!(
        body["data"]["addProjectNote"]["date"], "2026-01-15",
        "{body}"
    );
    let long = app
        .gql(
            &iom,
            NOTE,
            json!({"p": id, "d": "2026-01-15", "t": "x".repeat(2001)}),
        )
        .await
        .1;
    assert_eq!(field(&long), Some("text"), "{long}");
    let future = app
        .gql(&iom, NOTE, json!({"p": id, "d": "2999-01-01", "t": "ok"}))
        .await
        .1;
    assert_eq!(field(&future), Some("date"), "{future}");
    // MINTRAB reads only the projects of people in its rows, and writes none.
    let bob = app.register(person("Bob", "Tzoc", 2)).await;
    app.consent(&bob, "MINTRAB", "EMPLOYMENT", None).await;
    let bobs = propose(&app, &bob).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let (_, list) = app.gql(&mintrab, LIST, json!({})).await;
    let l = &list["data"]["enterpriseProjects"];
    assert_eq!(l["totalCount"], 1, "{list}");
    assert_eq!(l["edges"][0]["node"]["id"], bobs.as_str());
    let (_, body) = app.gql(&mintrab, PROPOSE, json!({"i": input(&bob)})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let minex = app.token("MINEX", "foreign_affairs_officer");
    let (_, body) = app.gql(&minex, LIST, json!({})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    // IOM sees both, a page at a time, and filters.
    let (_, p1) = app.gql(&iom, LIST, json!({})).await;
    let c1 = &p1["data"]["enterpriseProjects"];
    assert_eq!(
        (
            c1["totalCount"].clone(),
            c1["pageInfo"]["hasNextPage"].clone()
        ),
        (json!(2), json!(true)),
        "{p1}"
    );
    let (_, p2) = app
        .gql(&iom, LIST, json!({"a": c1["pageInfo"]["endCursor"]}))
        .await;
    let last = &p2["data"]["enterpriseProjects"]["edges"][0]["node"];
    assert_eq!(last["id"], id.as_str(), "{p2}");
    assert_eq!(
        last["notes"][0]["text"],
        "Visita:\nvende 300 tortillas al día"
    );
    let (_, f) = app
        .gql(
            &iom,
            LIST,
            json!({"f": {"status": "FUNDED", "departmentCode": "13"}}),
        )
        .await;
    assert_eq!(f["data"]["enterpriseProjects"]["totalCount"], 1, "{f}");
    let q = "query($id: ID!) { migrant(id: $id) { enterpriseProjects { status fundedOn } } }";
    let (_, body) = app.gql(&iom, q, json!({"id": ana})).await;
    assert_eq!(
        body["data"]["migrant"]["enterpriseProjects"][0]["status"], "FUNDED",
        "{body}"
    );
    let body = step(&app, &id, "CLOSED", 3).await;
    assert_eq!(
        body["data"]["moveEnterpriseProject"]["status"], "CLOSED",
        "{body}"
    );
}

fn table<'a>(export: &'a Value, name: &str) -> &'a Vec<Value> {
    export["data"]["subjectExport"]["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("{export}"))
        .iter()
        .find(|t| t["table"] == name)
        .and_then(|t| t["rows"].as_array())
        .unwrap_or_else(|| panic!("no table {name} in {export}"))
}

async fn export_and_erasure(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let ana = app.register(person("Ana", "Cux", 1)).await;
    let id = propose(&app, &ana).await;
    app.gql(
        &admin,
        NOTE,
        json!({"p": id, "d": "2026-01-15", "t": "Compró un comal"}),
    )
    .await;
    let (_, before) = app.gql(&admin, EXPORT, json!({"id": ana})).await;
    assert_eq!(
        table(&before, "enterprise_projects")[0]["activity"],
        "Tortillería familiar",
        "{before}"
    );
    assert_eq!(
        table(&before, "enterprise_project_notes")[0]["text"],
        "Compró un comal"
    );
    assert!(table(&before, "training_enrolments").is_empty());
    let (_, body) = app.gql(&admin, ERASE, json!({"id": ana})).await;
    assert_eq!(
        body["data"]["eraseMigrant"]["migrantId"],
        ana.as_str(),
        "{body}"
    );
    let (_, after) = app.gql(&admin, EXPORT, json!({"id": ana})).await;
    let p = &table(&after, "enterprise_projects")[0];
    assert_eq!(p["activity"], "[erased]", "{after}");
    assert_eq!(p["municipality_code"], Value::Null);
    assert_eq!(p["department_code"], "13");
    assert_eq!(p["grant_centavos"], 1_500_050);
    assert_eq!(p["status"], "PROPOSED");
    let n = &table(&after, "enterprise_project_notes")[0];
    assert_eq!(n["text"], "[erased]");
    assert!(n["note_date"].as_str().unwrap().starts_with("2026-01-15"));
}

db_tests!(lifecycle_notes_and_policy, export_and_erasure);
