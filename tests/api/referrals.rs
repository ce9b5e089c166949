//! Job referrals on both backends: consent at the moment of referring,
//! forward-only moves, HIRED taking the last opening exactly once under
//! concurrency, counts kept after a revoked consent, and who may refer.

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const REFER: &str = "mutation($m: ID!, $v: ID!) { referToVacancy(migrantId: $m, vacancyId: $v) { id version status migrant { id } } }";
const MOVE: &str = "mutation($id: ID!, $to: ReferralStatus!, $v: Int!) { moveReferral(id: $id, to: $to, expectedVersion: $v) { id version status } }";
const LIST: &str = "query($v: ID!) { jobReferrals(vacancyId: $v, first: 50) { totalCount statusCounts { status count } edges { node { status migrant { id } } } } }";
const VACANCY: &str = "query($id: ID!) { jobVacancy(id: $id) { openings status } }";
const MATCHES: &str = "query($v: ID!) { vacancyMatches(vacancyId: $v, first: 50) { totalCount } }";

async fn open_vacancy(app: &TestApp, openings: i32) -> String {
    let nit = format!("576937-{}", reintegra::domain::nit::check_char("576937"));
    let mintrab = app.token("MINTRAB", "labour_officer");
    let i = json!({"name": "Constructora Maya", "sector": "PRIVATE", "nit": nit, "municipalityCode": "1301"});
    let q = "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    let emp = body["data"]["createEmployer"]["id"].clone();
    let q = "mutation($i: PostVacancyInput!) { postVacancy(input: $i) { id } }";
    let i = json!({"employerId": emp, "title": "Guardia", "iscoCode": "5414",
                   "municipalityCode": "1301", "openings": openings});
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    body["data"]["postVacancy"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn consenting(app: &TestApp, n: u32) -> (String, String) {
    let mut p = person("Ana", "Pop", n);
    p["skills"]["occupations"] = json!([{"iscoCode": "5414", "years": 2}]);
    let id = app.register(p).await;
    let consent = app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    (id, consent)
}

async fn refer(app: &TestApp, token: &str, m: &str, v: &str) -> Value {
    app.gql(token, REFER, json!({"m": m, "v": v})).await.1
}

async fn step(app: &TestApp, token: &str, id: &str, to: &str, v: i64) -> Value {
    app.gql(token, MOVE, json!({"id": id, "to": to, "v": v}))
        .await
        .1
}

async fn state_machine_and_consent(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let vacancy = open_vacancy(&app, 2).await;
    let (ana, consent) = consenting(&app, 1).await;
    let without = app.register(person("Sin", "Permiso", 2)).await;
    // No consent to MINTRAB: the person does not exist for it.
    let body = refer(&app, &mintrab, &without, &vacancy).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    // Matching offers ana until she is referred.
    let (_, m) = app.gql(&mintrab, MATCHES, json!({"v": vacancy})).await;
    assert_eq!(m["data"]["vacancyMatches"]["totalCount"], 1, "{m}");
    let body = refer(&app, &mintrab, &ana, &vacancy).await;
    let r = &body["data"]["referToVacancy"];
    assert_eq!(r["status"], "PROPOSED", "{body}");
    assert_eq!(r["migrant"]["id"], ana.as_str());
    let id = r["id"].as_str().unwrap().to_string();
    let (_, m) = app.gql(&mintrab, MATCHES, json!({"v": vacancy})).await;
    assert_eq!(m["data"]["vacancyMatches"]["totalCount"], 0, "{m}");
    let again = refer(&app, &mintrab, &ana, &vacancy).await;
    assert_eq!(error_code(&again).as_deref(), Some("CONFLICT"), "{again}");
    // Skipping ahead and moving back are refused and change nothing.
    let skip = step(&app, &mintrab, &id, "HIRED", 1).await;
    assert_eq!(
        error_code(&skip).as_deref(),
        Some("BAD_USER_INPUT"),
        "{skip}"
    );
    let body = step(&app, &mintrab, &id, "REFERRED", 1).await;
    assert_eq!(body["data"]["moveReferral"]["version"], 2, "{body}");
    let back = step(&app, &mintrab, &id, "PROPOSED", 2).await;
    assert_eq!(
        error_code(&back).as_deref(),
        Some("BAD_USER_INPUT"),
        "{back}"
    );
    let stale = step(&app, &mintrab, &id, "INTERVIEWED", 1).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let body = step(&app, &mintrab, &id, "INTERVIEWED", 2).await;
    assert_eq!(
        body["data"]["moveReferral"]["status"], "INTERVIEWED",
        "{body}"
    );
    let body = step(&app, &mintrab, &id, "HIRED", 3).await;
    assert_eq!(body["data"]["moveReferral"]["status"], "HIRED", "{body}");
    let after = step(&app, &mintrab, &id, "WITHDRAWN", 4).await;
    assert_eq!(
        error_code(&after).as_deref(),
        Some("BAD_USER_INPUT"),
        "{after}"
    );
    let (_, v) = app.gql(&mintrab, VACANCY, json!({"id": vacancy})).await;
    assert_eq!(
        v["data"]["jobVacancy"],
        json!({"openings": 1, "status": "OPEN"})
    );
    let q = "query($id: ID!) { migrant(id: $id) { referrals { status vacancyId } } }";
    let (_, body) = app.gql(&mintrab, q, json!({"id": ana})).await;
    let mine = &body["data"]["migrant"]["referrals"];
    assert_eq!(
        mine,
        &json!([{"status": "HIRED", "vacancyId": vacancy}]),
        "{body}"
    );
    // Consent revoked: the counts stay, the person is gone.
    let q = "mutation($c: ID!) { revokeConsent(id: $c) { active } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"c": consent}))
        .await;
    assert_eq!(body["data"]["revokeConsent"]["active"], false, "{body}");
    let (_, list) = app.gql(&mintrab, LIST, json!({"v": vacancy})).await;
    let c = &list["data"]["jobReferrals"];
    assert_eq!(c["totalCount"], 1, "{list}");
    assert_eq!(c["statusCounts"], json!([{"status": "HIRED", "count": 1}]));
    assert_eq!(c["edges"][0]["node"]["migrant"], Value::Null);
    // MINEX and universities may not refer (nor see referrals).
    for token in [
        app.token("MINEX", "foreign_affairs_officer"),
        app.token("USAC", "university_officer"),
    ] {
        let body = refer(&app, &token, &ana, &vacancy).await;
        assert!(body["errors"].is_array(), "{body}");
        assert!(body["data"].is_null() || body["data"]["referToVacancy"].is_null());
    }
    let (_, iom) = app
        .gql(&app.token("IOM", "iom_admin"), LIST, json!({"v": vacancy}))
        .await;
    assert_eq!(
        iom["data"]["jobReferrals"]["edges"][0]["node"]["migrant"]["id"],
        ana.as_str()
    );
}

async fn one_opening_hires_once(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let vacancy = open_vacancy(&app, 1).await;
    let mut ids = vec![];
    for n in 0..20 {
        let (m, _) = consenting(&app, 100 + n).await;
        let body = refer(&app, &mintrab, &m, &vacancy).await;
        let id = body["data"]["referToVacancy"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_string();
        step(&app, &mintrab, &id, "REFERRED", 1).await;
        step(&app, &mintrab, &id, "INTERVIEWED", 2).await;
        ids.push(id);
    }
    let hires = ids.iter().map(|id| step(&app, &mintrab, id, "HIRED", 3));
    let results = join_all(hires).await;
    let won = results
        .iter()
        .filter(|b| b["data"]["moveReferral"]["status"] == "HIRED")
        .count();
    let conflicts = results
        .iter()
        .filter(|b| error_code(b).as_deref() == Some("CONFLICT"))
        .count();
    assert_eq!((won, conflicts), (1, 19), "{results:?}");
    let (_, v) = app.gql(&mintrab, VACANCY, json!({"id": vacancy})).await;
    assert_eq!(v["data"]["jobVacancy"]["status"], "FILLED", "{v}");
}

db_tests!(state_machine_and_consent, one_opening_hires_once);
