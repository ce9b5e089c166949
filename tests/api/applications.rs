//! Study applications on both backends: consent at the moment of applying,
//! forward-only moves with history, seats never exceeded under
//! concurrency, no university ever seeing another's applications, the CSV
//! export's escaping, and `studiesUpdates` delivery.

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::db_tests;
use crate::education::{diversificado, record_as_iom};
use crate::programs::{create, program};
use crate::support::ws::{connect, next_json, subscribe};
use crate::support::{error_code, person, TestApp};

const SUBMIT: &str = "mutation($i: SubmitApplicationInput!) { submitStudyApplication(input: $i) { id version status migrant { id } scholarship { percent amount { amount } } recognisedStudies { educationRecordId years } } }";
const MOVE: &str = "mutation($id: ID!, $to: ApplicationStatus!, $v: Int!, $t: ApplicationTermsInput) { moveStudyApplication(id: $id, to: $to, expectedVersion: $v, terms: $t) { id version status scholarship { percent } history { status by } } }";
const ONE: &str = "query($id: ID!) { studyApplication(id: $id) { id status program { name } } }";
const LIST: &str = "query($f: StudyApplicationFilter) { studyApplications(first: 50, filter: $f) { totalCount statusCounts { status count } edges { node { id migrant { id } } } } }";
const CSV: &str = "query($p: ID) { studyApplicationsCsv(programId: $p) }";

async fn applicant(app: &TestApp, n: u32, inst: &str) -> String {
    let id = app.register(person("Ana", "Pop", n)).await;
    app.consent(&id, inst, "EDUCATION", None).await;
    id
}

async fn submit(app: &TestApp, inst: &str, m: &str, intake: &str, terms: Value) -> Value {
    let token = app.token(inst, "university_officer");
    let vars = json!({"i": {"migrantId": m, "intakeId": intake, "terms": terms}});
    app.gql(&token, SUBMIT, vars).await.1
}

fn id_of(body: &Value) -> String {
    body["data"]["submitStudyApplication"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn step(app: &TestApp, inst: &str, id: &str, to: &str, v: i64, terms: Value) -> Value {
    let token = app.token(inst, "university_officer");
    let vars = json!({"id": id, "to": to, "v": v, "t": terms});
    app.gql(&token, MOVE, vars).await.1
}

async fn forward_only_with_consent(app: TestApp) {
    let (_, intake) = create(&app, "USAC", program("Ingeniería en Sistemas", 2)).await;
    let ana = applicant(&app, 1, "USAC").await;
    let record = record_as_iom(&app, &ana, diversificado(3, true)).await;
    let stranger = app.register(person("Sin", "Consentimiento", 2)).await;
    let body = submit(&app, "USAC", &stranger, &intake, Value::Null).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let terms = json!({"recognition": {"educationRecordId": record, "years": 1}});
    let body = submit(&app, "USAC", &ana, &intake, terms).await;
    let a = &body["data"]["submitStudyApplication"];
    assert_eq!(a["status"], "SUBMITTED", "{body}");
    assert_eq!(a["recognisedStudies"]["educationRecordId"], record.as_str());
    let id = id_of(&body);
    let again = submit(&app, "USAC", &ana, &intake, Value::Null).await;
    assert_eq!(error_code(&again).as_deref(), Some("CONFLICT"), "{again}");
    let skip = step(&app, "USAC", &id, "ENROLLED", 1, Value::Null).await;
    assert_eq!(
        error_code(&skip).as_deref(),
        Some("BAD_USER_INPUT"),
        "{skip}"
    );
    let half = json!({"scholarship": {"percent": 50}});
    let body = step(&app, "USAC", &id, "ADMITTED", 1, half).await;
    let moved = &body["data"]["moveStudyApplication"];
    assert_eq!(moved["scholarship"]["percent"], 50, "{body}");
    assert_eq!(moved["history"].as_array().map(Vec::len), Some(2));
    let back = step(&app, "USAC", &id, "SUBMITTED", 2, Value::Null).await;
    assert_eq!(
        error_code(&back).as_deref(),
        Some("BAD_USER_INPUT"),
        "{back}"
    );
    let stale = step(&app, "USAC", &id, "ENROLLED", 1, Value::Null).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let body = step(&app, "USAC", &id, "ENROLLED", 2, Value::Null).await;
    assert_eq!(
        body["data"]["moveStudyApplication"]["status"], "ENROLLED",
        "{body}"
    );
    // A cited record cannot be removed.
    let q = "mutation($id: ID!) { removeEducation(id: $id, expectedVersion: 1) { id } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"id": record}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
    // IOM reads every application but writes none.
    let iom = app.token("IOM", "iom_caseworker");
    let (_, body) = app.gql(&iom, ONE, json!({"id": id})).await;
    assert_eq!(
        body["data"]["studyApplication"]["status"], "ENROLLED",
        "{body}"
    );
    let vars = json!({"i": {"migrantId": ana, "intakeId": intake}});
    let (_, body) = app.gql(&iom, SUBMIT, vars).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
}

async fn other_universities_never_see(app: TestApp) {
    let (usac_prog, usac_intake) = create(&app, "USAC", program("Medicina", 5)).await;
    let (_, url_intake) = create(&app, "URL", program("Derecho", 5)).await;
    let both = applicant(&app, 3, "USAC").await;
    app.consent(&both, "URL", "EDUCATION", None).await;
    let usac_app = id_of(&submit(&app, "USAC", &both, &usac_intake, Value::Null).await);
    id_of(&submit(&app, "URL", &both, &url_intake, Value::Null).await);
    let url = app.token("URL", "university_officer");
    let (_, body) = app.gql(&url, ONE, json!({"id": usac_app})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let (_, body) = app.gql(&url, LIST, json!({})).await;
    assert_eq!(body["data"]["studyApplications"]["totalCount"], 1, "{body}");
    let (_, body) = app
        .gql(&url, LIST, json!({"f": {"programId": usac_prog}}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let (_, body) = app.gql(&url, CSV, json!({"p": usac_prog})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let body = step(&app, "URL", &usac_app, "ADMITTED", 1, Value::Null).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let q = "query($id: ID!) { migrant(id: $id) { studyApplications { universityCode } } }";
    let (_, body) = app.gql(&url, q, json!({"id": both})).await;
    assert_eq!(
        body["data"]["migrant"]["studyApplications"],
        json!([{"universityCode": "URL"}]),
        "{body}"
    );
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"id": both}))
        .await;
    assert_eq!(
        body["data"]["migrant"]["studyApplications"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // MINTRAB has no STUDIES slice.
    let (_, body) = app
        .gql(&app.token("MINTRAB", "labour_officer"), LIST, json!({}))
        .await;
    assert!(body["errors"].is_array(), "{body}");
}

async fn seats_never_exceeded(app: TestApp) {
    let (prog, intake) = create(&app, "UVG", program("Ciencia de Datos", 3)).await;
    let mut ids = vec![];
    for n in 0..20 {
        let m = applicant(&app, 100 + n, "UVG").await;
        ids.push(id_of(&submit(&app, "UVG", &m, &intake, Value::Null).await));
    }
    let admit = ids
        .iter()
        .map(|id| step(&app, "UVG", id, "ADMITTED", 1, Value::Null));
    let results = join_all(admit).await;
    let won = (results.iter())
        .filter(|b| b["data"]["moveStudyApplication"]["status"] == "ADMITTED")
        .count();
    let full = (results.iter())
        .filter(|b| error_code(b).as_deref() == Some("CONFLICT"))
        .count();
    assert_eq!((won, full), (3, 17), "{results:?}");
    let q = "query($id: ID!) { universityProgram(id: $id) { intakes { seatsTaken seatsLeft } } }";
    let (_, body) = app
        .gql(
            &app.token("UVG", "university_officer"),
            q,
            json!({"id": prog}),
        )
        .await;
    let i = &body["data"]["universityProgram"]["intakes"][0];
    assert_eq!(
        (i["seatsTaken"].clone(), i["seatsLeft"].clone()),
        (json!(3), json!(0)),
        "{body}"
    );
}

async fn csv_escapes_and_defuses(app: TestApp) {
    let mut p = program("=HYPERLINK(\"http://x\", \"Beca\"), 2027", 5);
    p["faculty"] = json!("Facultad de Humanidades");
    let (prog, intake) = create(&app, "USAC", p).await;
    let ana = applicant(&app, 7, "USAC").await;
    id_of(
        &submit(
            &app,
            "USAC",
            &ana,
            &intake,
            json!({"scholarship": {"amount": "1250.50"}}),
        )
        .await,
    );
    let (_, body) = app
        .gql(
            &app.token("USAC", "university_officer"),
            CSV,
            json!({"p": prog}),
        )
        .await;
    let text = body["data"]["studyApplicationsCsv"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{text}");
    let cell = |name: &str| rows[0][header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(
        cell("program_name"),
        "'=HYPERLINK(\"http://x\", \"Beca\"), 2027"
    );
    assert_eq!(cell("given_names"), "Ana");
    assert_eq!(cell("scholarship_gtq"), "1250.50");
    assert_eq!(cell("status"), "SUBMITTED");
}

async fn admissions_hear_of_consents_and_moves(app: TestApp) {
    let (_, intake) = create(&app, "USAC", program("Agronomía", 5)).await;
    let sub = "subscription { studiesUpdates { kind migrant { id } application { status } } }";
    let mut usac = connect(&app, &app.token("USAC", "university_officer"))
        .await
        .expect("ws");
    let mut url = connect(&app, &app.token("URL", "university_officer"))
        .await
        .expect("ws");
    subscribe(&mut usac, sub).await;
    subscribe(&mut url, sub).await;
    let ana = applicant(&app, 9, "USAC").await;
    let msg = next_json(&mut usac).await.expect("consent event");
    let ev = &msg["payload"]["data"]["studiesUpdates"];
    assert_eq!(ev["kind"], "CONSENT_GRANTED", "{msg}");
    assert_eq!(ev["migrant"]["id"], ana.as_str());
    id_of(&submit(&app, "USAC", &ana, &intake, Value::Null).await);
    let msg = next_json(&mut usac).await.expect("application event");
    let ev = &msg["payload"]["data"]["studiesUpdates"];
    assert_eq!(ev["kind"], "APPLICATION_CHANGED", "{msg}");
    assert_eq!(ev["application"]["status"], "SUBMITTED");
    // URL heard nothing of USAC's news: its first event is its own consent.
    let luis = applicant(&app, 10, "URL").await;
    let msg = next_json(&mut url).await.expect("url event");
    let ev = &msg["payload"]["data"]["studiesUpdates"];
    assert_eq!(ev["kind"], "CONSENT_GRANTED", "{msg}");
    assert_eq!(ev["migrant"]["id"], luis.as_str());
}

db_tests!(
    forward_only_with_consent,
    other_universities_never_see,
    seats_never_exceeded,
    csv_escapes_and_defuses,
    admissions_hear_of_consents_and_moves
);
