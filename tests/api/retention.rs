//! Retention never touches a person with an open case (a job referral,
//! study application, enterprise project or training in progress), reports them as left alone, counts without changing
//! anything on a dry run, and pseudonymises the rest through erasure.

use diesel::Connection;
use reintegra::subject::retention;
use serde_json::json;

use crate::db_tests;
use crate::support::{person, TestApp};

const EXPORT: &str = "query($id: ID!) { subjectExport(migrantId: $id) { erased } }";

async fn referred(app: &TestApp, n: u32, vacancy: &str, to: Option<&str>) -> String {
    let id = app.register(person("Rosa", "Pop", n)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let q = "mutation($m: ID!, $v: ID!) { referToVacancy(migrantId: $m, vacancyId: $v) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({"m": id, "v": vacancy})).await;
    let rid = body["data"]["referToVacancy"]["id"].clone();
    if let Some(to) = to {
        let q = "mutation($id: ID!, $to: ReferralStatus!) { moveReferral(id: $id, to: $to, expectedVersion: 1) { id } }";
        let (_, body) = app.gql(&mintrab, q, json!({"id": rid, "to": to})).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    id
}

async fn vacancy(app: &TestApp) -> String {
    let nit = format!("576937-{}", reintegra::domain::nit::check_char("576937"));
    let mintrab = app.token("MINTRAB", "labour_officer");
    let i = json!({"name": "Finca", "sector": "PRIVATE", "nit": nit, "municipalityCode": "1301"});
    let q = "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    let i = json!({"employerId": body["data"]["createEmployer"]["id"], "title": "Guardia",
                   "iscoCode": "5414", "municipalityCode": "1301", "openings": 3});
    let q = "mutation($i: PostVacancyInput!) { postVacancy(input: $i) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    body["data"]["postVacancy"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn retention_leaves_open_referrals_alone(app: TestApp) {
    let v = vacancy(&app).await;
    let open = referred(&app, 21, &v, None).await;
    let closed = referred(&app, 22, &v, Some("WITHDRAWN")).await;
    // Both idle for years: consents long revoked, record long unchanged.
    let long_ago = "2010-01-01 00:00:00";
    app.exec_sql(&format!(
        "UPDATE consents SET granted_at = '{long_ago}', revoked_at = '{long_ago}', revoked_by = 'x'"
    ));
    app.exec_sql(&format!("UPDATE migrants SET updated_at = '{long_ago}'"));
    app.exec_sql(&format!(
        "UPDATE job_referrals SET created_at = '{long_ago}', updated_at = '{long_ago}'"
    ));
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
    let cutoff = chrono::Utc::now().naive_utc() - chrono::Duration::days(3650);
    // A dry run counts and changes nothing.
    for _ in 0..2 {
        assert_eq!(retention::count_due(&mut conn, cutoff).unwrap(), 1);
        assert_eq!(retention::count_spared(&mut conn, cutoff).unwrap(), 1);
    }
    assert_eq!(
        retention::due(&mut conn, cutoff, 10).unwrap(),
        vec![closed.clone()]
    );
    assert_eq!(
        retention::apply(&mut conn, cutoff, |_, _| Ok(())).unwrap(),
        1
    );
    assert_eq!(retention::count_due(&mut conn, cutoff).unwrap(), 0);
    assert_eq!(retention::count_spared(&mut conn, cutoff).unwrap(), 1);
    let admin = app.token("IOM", "iom_admin");
    for (id, erased) in [(&open, false), (&closed, true)] {
        let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
        assert_eq!(body["data"]["subjectExport"]["erased"], erased, "{body}");
    }
}

async fn project(app: &TestApp, n: u32, close: bool) -> String {
    let id = app.register(person("Luis", "Tzul", n)).await;
    let iom = app.token("IOM", "iom_caseworker");
    let i = json!({"migrantId": id, "activity": "Tienda de barrio", "municipalityCode": "1301", "grantAmount": "5000"});
    let q = "mutation($i: ProposeEnterpriseProjectInput!) { proposeEnterpriseProject(input: $i) { id } }";
    let (_, body) = app.gql(&iom, q, json!({ "i": i })).await;
    let pid = body["data"]["proposeEnterpriseProject"]["id"].clone();
    assert!(pid.is_string(), "{body}");
    if close {
        let q = "mutation($id: ID!) { moveEnterpriseProject(id: $id, to: CLOSED, expectedVersion: 1) { id } }";
        let (_, body) = app.gql(&iom, q, json!({ "id": pid })).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    id
}

async fn applicant(app: &TestApp, n: u32) -> String {
    let id = app.register(person("Eva", "Xoc", n)).await;
    app.consent(&id, "USAC", "EDUCATION", None).await;
    let (_, intake) =
        crate::programs::create(app, "USAC", crate::programs::program("Agronomía", 5)).await;
    let q = "mutation($i: SubmitApplicationInput!) { submitStudyApplication(input: $i) { id } }";
    let vars = json!({"i": {"migrantId": id, "intakeId": intake}});
    let (_, body) = app
        .gql(&app.token("USAC", "university_officer"), q, vars)
        .await;
    assert!(
        body["data"]["submitStudyApplication"]["id"].is_string(),
        "{body}"
    );
    id
}

/// An open application or project spares the person; a closed project
/// does not, once its last change is old; a recent change to any case is
/// activity.
async fn retention_leaves_open_applications_and_projects_alone(app: TestApp) {
    let studying = applicant(&app, 31).await;
    let running = project(&app, 32, false).await;
    let closed = project(&app, 33, true).await;
    let long_ago = "2010-01-01 00:00:00";
    app.exec_sql(&format!(
        "UPDATE consents SET granted_at = '{long_ago}', revoked_at = '{long_ago}', revoked_by = 'x'"
    ));
    app.exec_sql(&format!("UPDATE migrants SET updated_at = '{long_ago}'"));
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
    let cutoff = chrono::Utc::now().naive_utc() - chrono::Duration::days(3650);
    // The closed project changed today: still activity.
    assert_eq!(retention::count_due(&mut conn, cutoff).unwrap(), 0);
    for table in ["study_applications", "enterprise_projects"] {
        app.exec_sql(&format!(
            "UPDATE {table} SET created_at = '{long_ago}', updated_at = '{long_ago}'"
        ));
    }
    assert_eq!(retention::due(&mut conn, cutoff, 10).unwrap(), vec![closed]);
    assert_eq!(retention::count_spared(&mut conn, cutoff).unwrap(), 2);
    assert_eq!(
        retention::apply(&mut conn, cutoff, |_, _| Ok(())).unwrap(),
        1
    );
    let admin = app.token("IOM", "iom_admin");
    for id in [&studying, &running] {
        let (_, body) = app.gql(&admin, EXPORT, json!({"id": id})).await;
        assert_eq!(body["data"]["subjectExport"]["erased"], false, "{body}");
    }
}

db_tests!(
    retention_leaves_open_referrals_alone,
    retention_leaves_open_applications_and_projects_alone,
);
