//! `stats { admissions training enterprises }`: applications, enrolments
//! and projects by where they stand equal a straight count for IOM, and a
//! university's figures hold its own applications only: another
//! university's applications never reach it, not even as a number.

use serde_json::{json, Value};

use crate::db_tests;
use crate::programs::{create, program};
use crate::support::{person, TestApp};

const STATS: &str = "query($f: Date!, $t: Date!) { stats(from: $f, to: $t, by: DEPARTMENT) { admissions { columns { key } columnTotals grandTotal rate } } }";
const SUBMIT: &str =
    "mutation($i: SubmitApplicationInput!) { submitStudyApplication(input: $i) { id } }";
const MOVE: &str = "mutation($id: ID!, $to: ApplicationStatus!, $v: Int!) { moveStudyApplication(id: $id, to: $to, expectedVersion: $v) { id } }";

async fn apply(app: &TestApp, inst: &str, migrant: &str, intake: &str, path: &[&str]) {
    let token = app.token(inst, "university_officer");
    let vars = json!({"i": {"migrantId": migrant, "intakeId": intake}});
    let (_, body) = app.gql(&token, SUBMIT, vars).await;
    let id = body["data"]["submitStudyApplication"]["id"].clone();
    assert!(id.is_string(), "{body}");
    for (k, to) in path.iter().enumerate() {
        let vars = json!({"id": id, "to": to, "v": k + 1});
        let (_, body) = app.gql(&token, MOVE, vars).await;
        assert!(body["errors"].is_null(), "{body}");
    }
}

async fn admissions(app: &TestApp, inst: &str, role: &str) -> Value {
    let today = chrono::Utc::now().date_naive();
    let vars =
        json!({"f": (today - chrono::Duration::days(30)).to_string(), "t": today.to_string()});
    let (_, body) = app.gql(&app.token(inst, role), STATS, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["stats"]["admissions"].clone()
}

/// The column total of `key`, `None` when hidden.
fn column(t: &Value, key: &str) -> Option<i64> {
    let keys = t["columns"].as_array().expect("columns");
    let k = keys.iter().position(|c| c["key"] == key).expect("column");
    t["columnTotals"][k].as_i64()
}

async fn admissions_count_a_universitys_own_applications(app: TestApp) {
    let (_, usac) = create(&app, "USAC", program("Ingeniería Civil", 5)).await;
    let (_, url) = create(&app, "URL", program("Derecho", 5)).await;
    // Eight people consent to both; USAC: 5 pending, 2 enrolled, 1 rejected;
    // URL: three of the same people, pending.
    for n in 0..8u32 {
        let id = app.register(person("Ana", "Pop", 300 + n)).await;
        app.consent(&id, "USAC", "EDUCATION", None).await;
        app.consent(&id, "URL", "EDUCATION", None).await;
        let path: &[&str] = match n {
            0 | 1 => &["ADMITTED", "ENROLLED"],
            2 => &["REJECTED"],
            _ => &[],
        };
        apply(&app, "USAC", &id, &usac, path).await;
        if n >= 5 {
            apply(&app, "URL", &id, &url, &[]).await;
        }
    }
    let iom = admissions(&app, "IOM", "iom_caseworker").await;
    assert_eq!(iom["grandTotal"], 11, "{iom}");
    assert_eq!(column(&iom, "PENDING"), Some(8), "{iom}");
    assert_eq!(column(&iom, "ENROLLED"), Some(2), "{iom}");
    assert_eq!(column(&iom, "NOT_ADMITTED"), Some(1), "{iom}");
    let rate = iom["rate"].as_f64().expect("rate");
    assert!((rate - 2.0 / 11.0).abs() < 1e-9, "{iom}");
    let own = admissions(&app, "USAC", "university_officer").await;
    assert_eq!(column(&own, "PENDING"), Some(5), "USAC's own only: {own}");
    assert!(
        matches!(own["grandTotal"].as_i64(), None | Some(8)),
        "{own}"
    );
    let other = admissions(&app, "URL", "university_officer").await;
    assert!(
        other["grandTotal"].is_null() && column(&other, "PENDING").is_none(),
        "three applications are a small cell: {other}"
    );
}

const CASES: &str = "query($f: Date!, $t: Date!) { stats(from: $f, to: $t, by: SEX) { training { columns { key } columnTotals grandTotal } enterprises { columns { key } columnTotals grandTotal } } }";

async fn gql_ok(app: &TestApp, token: &str, q: &str, vars: Value) -> Value {
    let (_, body) = app.gql(token, q, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

/// Three enrolments (one completed, one dropped) and three projects (two
/// funded, of which one later closed, and one closed unfunded).
async fn training_and_enterprises_equal_straight_counts(app: TestApp) {
    let course = crate::training::course(&app, 10).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let iom = app.token("IOM", "iom_caseworker");
    let enrol = "mutation($c: ID!, $m: ID!) { enrolInCourse(courseId: $c, migrantId: $m) { id } }";
    let moveto =
        "mutation($id: ID!, $to: EnrolmentStatus!) { moveEnrolment(id: $id, to: $to) { id } }";
    let propose = "mutation($i: ProposeEnterpriseProjectInput!) { proposeEnterpriseProject(input: $i) { id } }";
    let advance = "mutation($id: ID!, $to: ProjectStatus!, $v: Int!) { moveEnterpriseProject(id: $id, to: $to, expectedVersion: $v) { id } }";
    let paths: [(&[&str], &[&str]); 3] = [
        (&["COMPLETED"], &["APPROVED", "FUNDED"]),
        (&["DROPPED"], &["APPROVED", "FUNDED", "CLOSED"]),
        (&[], &["CLOSED"]),
    ];
    for (n, (enrolment, project)) in paths.iter().enumerate() {
        let id = app.register(person("Juan", "Ajú", 400 + n as u32)).await;
        app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
        let e = gql_ok(&app, &mintrab, enrol, json!({"c": course, "m": id})).await;
        for to in *enrolment {
            let vars = json!({"id": e["enrolInCourse"]["id"], "to": to});
            gql_ok(&app, &mintrab, moveto, vars).await;
        }
        let i = json!({"migrantId": id, "activity": "Panadería", "municipalityCode": "1301", "grantAmount": "8000"});
        let p = gql_ok(&app, &iom, propose, json!({ "i": i })).await;
        for (v, to) in project.iter().enumerate() {
            let vars = json!({"id": p["proposeEnterpriseProject"]["id"], "to": to, "v": v + 1});
            gql_ok(&app, &iom, advance, vars).await;
        }
    }
    let today = chrono::Utc::now().date_naive();
    let vars =
        json!({"f": (today - chrono::Duration::days(30)).to_string(), "t": today.to_string()});
    let s = gql_ok(&app, &iom, CASES, vars).await;
    let (training, enterprises) = (&s["stats"]["training"], &s["stats"]["enterprises"]);
    assert_eq!(training["grandTotal"], 3, "{training}");
    for key in ["IN_TRAINING", "COMPLETED", "DROPPED"] {
        assert_eq!(column(training, key), Some(1), "{key}: {training}");
    }
    assert_eq!(column(enterprises, "FUNDED"), Some(2), "{enterprises}");
    assert_eq!(
        column(enterprises, "CLOSED_UNFUNDED"),
        Some(1),
        "{enterprises}"
    );
    assert_eq!(
        column(enterprises, "NOT_YET_FUNDED"),
        Some(0),
        "{enterprises}"
    );
}

db_tests!(
    admissions_count_a_universitys_own_applications,
    training_and_enterprises_equal_straight_counts,
);
