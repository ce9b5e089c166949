//! Training courses and enrolments on both backends: who may manage and
//! read courses, validation, pagination, enrolment only with a consent at
//! that moment, forward-only moves, seats never exceeded under
//! concurrency, counts kept after a revoked consent, course matching.

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const CREATE: &str = "mutation($i: CreateTrainingCourseInput!, $k: String) { createTrainingCourse(input: $i, idempotencyKey: $k) { id version name seatsLeft status occupation { code title } municipality { code } startsOn endsOn } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: UpdateTrainingCourseInput!) { updateTrainingCourse(id: $id, expectedVersion: $v, input: $i) { version capacity name } }";
const LIST: &str = "query($a: String, $f: TrainingCourseFilter) { trainingCourses(first: 2, after: $a, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }";
const ENROL: &str = "mutation($c: ID!, $m: ID!, $k: String) { enrolInCourse(courseId: $c, migrantId: $m, idempotencyKey: $k) { id version status course { id seatsTaken } migrant { id } } }";
const MOVE: &str = "mutation($id: ID!, $to: EnrolmentStatus!, $v: Int) { moveEnrolment(id: $id, to: $to, expectedVersion: $v) { id version status } }";
const ENROLMENTS: &str = "query($c: ID!) { courseEnrolments(courseId: $c, first: 50) { totalCount statusCounts { status count } edges { node { status migrant { id } } } } }";
const COURSE: &str = "query($id: ID!) { trainingCourse(id: $id) { seatsTaken seatsLeft status } }";
const MATCHES: &str = "query($c: ID!) { courseMatches(courseId: $c, first: 10) { totalCount edges { node { score reasons { kind points } migrant { id } } } } }";

fn course_input(name: &str, capacity: i32) -> Value {
    json!({"name": name, "provider": "INTECAP", "iscoCode": "71", "municipalityCode": "1301",
           "startsOn": "2099-01-10", "endsOn": "2099-03-10", "capacity": capacity})
}

pub async fn course(app: &TestApp, capacity: i32) -> String {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(
            &mintrab,
            CREATE,
            json!({"i": course_input("Albañilería", capacity)}),
        )
        .await;
    body["data"]["createTrainingCourse"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn consenting(app: &TestApp, n: u32) -> (String, String) {
    let mut p = person("Ana", "Pop", n);
    p["skills"]["occupations"] = json!([{"iscoCode": "7112", "years": 2}]);
    let id = app.register(p).await;
    let consent = app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    (id, consent)
}

fn field(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}

async fn courses_policy_validation_and_pages(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(
            &mintrab,
            CREATE,
            json!({"i": course_input("Albañilería", 3), "k": "c-1"}),
        )
        .await;
    let c = &body["data"]["createTrainingCourse"];
    assert_eq!(c["status"], "OPEN", "{body}");
    assert_eq!(c["seatsLeft"], 3);
    assert_eq!(c["occupation"]["code"], "71");
    assert_eq!(c["startsOn"], "2099-01-10");
    let id = c["id"].as_str().unwrap().to_string();
    // A retry with the same key creates nothing new.
    let (_, again) = app
        .gql(
            &mintrab,
            CREATE,
            json!({"i": course_input("Albañilería", 3), "k": "c-1"}),
        )
        .await;
    assert_eq!(again["data"]["createTrainingCourse"]["id"], id.as_str());
    // Validation: dates, capacity, long strings, minor groups.
    let bad = [
        (json!({"endsOn": "2099-01-01"}), "input.endsOn"),
        (json!({"capacity": 0}), "input.capacity"),
        (json!({"name": "x".repeat(151)}), "input.name"),
        (json!({"provider": "y".repeat(101)}), "input.provider"),
        (json!({"iscoCode": "711"}), "input.iscoCode"),
    ];
    for (patch, f) in bad {
        let mut i = course_input("Curso", 5);
        for (k, v) in patch.as_object().unwrap() {
            i[k] = v.clone();
        }
        let (_, body) = app.gql(&mintrab, CREATE, json!({"i": i})).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{body}"
        );
        assert_eq!(field(&body), Some(f), "{body}");
    }
    // Updates: a stale version and a capacity below the seats taken.
    let (_, body) = app
        .gql(
            &mintrab,
            UPDATE,
            json!({"id": id, "v": 1, "i": {"capacity": 4}}),
        )
        .await;
    assert_eq!(body["data"]["updateTrainingCourse"]["version"], 2, "{body}");
    let (_, stale) = app
        .gql(
            &mintrab,
            UPDATE,
            json!({"id": id, "v": 1, "i": {"name": "Otro"}}),
        )
        .await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let (_, late) = app
        .gql(
            &mintrab,
            UPDATE,
            json!({"id": id, "v": 2, "i": {"endsOn": "2098-01-01"}}),
        )
        .await;
    assert_eq!(field(&late), Some("input.endsOn"), "{late}");
    // Pages of two, newest first, joining up.
    course(&app, 5).await;
    course(&app, 5).await;
    let (_, p1) = app.gql(&mintrab, LIST, json!({})).await;
    let c1 = &p1["data"]["trainingCourses"];
    assert_eq!(c1["totalCount"], 3, "{p1}");
    assert_eq!(c1["pageInfo"]["hasNextPage"], true);
    let (_, p2) = app
        .gql(&mintrab, LIST, json!({"a": c1["pageInfo"]["endCursor"]}))
        .await;
    let c2 = &p2["data"]["trainingCourses"];
    assert_eq!(c2["edges"].as_array().unwrap().len(), 1, "{p2}");
    assert_eq!(c2["edges"][0]["node"]["id"], id.as_str());
    let (_, f) = app
        .gql(&mintrab, LIST, json!({"f": {"departmentCode": "01"}}))
        .await;
    assert_eq!(f["data"]["trainingCourses"]["totalCount"], 0, "{f}");
    // IOM staff and universities read; only MINTRAB writes; MINEX neither.
    for (inst, role) in [("IOM", "iom_caseworker"), ("USAC", "university_officer")] {
        let token = app.token(inst, role);
        let (_, list) = app.gql(&token, LIST, json!({})).await;
        assert_eq!(list["data"]["trainingCourses"]["totalCount"], 3, "{list}");
        let (_, body) = app
            .gql(&token, CREATE, json!({"i": course_input("X", 2)}))
            .await;
        assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    }
    let minex = app.token("MINEX", "foreign_affairs_officer");
    let (_, body) = app.gql(&minex, LIST, json!({})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    // Cancelled: no more changes.
    let q = "mutation($id: ID!) { cancelTrainingCourse(id: $id, expectedVersion: 2) { status } }";
    let (_, body) = app.gql(&mintrab, q, json!({"id": id})).await;
    assert_eq!(
        body["data"]["cancelTrainingCourse"]["status"], "CANCELLED",
        "{body}"
    );
    let (_, body) = app
        .gql(
            &mintrab,
            UPDATE,
            json!({"id": id, "v": 3, "i": {"name": "Otro"}}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
}

/// The `action entity` of every audit event naming record `id`.
async fn audit_of(app: &TestApp, id: &str) -> Vec<String> {
    let q = "query($r: String) { auditEvents(first: 50, filter: {recordId: $r}) { edges { node { action entity } } } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"r": id}))
        .await;
    body["data"]["auditEvents"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["node"]["action"].as_str().unwrap_or(""),
                e["node"]["entity"].as_str().unwrap_or("")
            )
        })
        .collect()
}

async fn enrol(app: &TestApp, c: &str, m: &str, k: Option<&str>) -> Value {
    let mintrab = app.token("MINTRAB", "labour_officer");
    app.gql(&mintrab, ENROL, json!({"c": c, "m": m, "k": k}))
        .await
        .1
}

async fn enrolments_consent_moves_and_matches(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let c = course(&app, 2).await;
    let (ana, consent) = consenting(&app, 1).await;
    let (other, _) = consenting(&app, 2).await;
    let without = app.register(person("Sin", "Permiso", 3)).await;
    let body = enrol(&app, &c, &without, None).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    // Matching offers both consenting people until one is enrolled.
    let (_, m) = app.gql(&mintrab, MATCHES, json!({"c": c})).await;
    let found = &m["data"]["courseMatches"];
    assert_eq!(found["totalCount"], 2, "{m}");
    assert_eq!(
        found["edges"][0]["node"]["reasons"][0]["kind"],
        "OCCUPATION_SUB_MAJOR"
    );
    let body = enrol(&app, &c, &ana, Some("e-1")).await;
    let e = &body["data"]["enrolInCourse"];
    assert_eq!(e["status"], "ENROLLED", "{body}");
    assert_eq!(e["course"]["seatsTaken"], 1);
    assert_eq!(e["migrant"]["id"], ana.as_str());
    let id = e["id"].as_str().unwrap().to_string();
    let replay = enrol(&app, &c, &ana, Some("e-1")).await;
    assert_eq!(
        replay["data"]["enrolInCourse"]["id"],
        id.as_str(),
        "{replay}"
    );
    let twice = enrol(&app, &c, &ana, None).await;
    assert_eq!(error_code(&twice).as_deref(), Some("CONFLICT"), "{twice}");
    let (_, m) = app.gql(&mintrab, MATCHES, json!({"c": c})).await;
    assert_eq!(m["data"]["courseMatches"]["totalCount"], 1, "{m}");
    assert_eq!(
        m["data"]["courseMatches"]["edges"][0]["node"]["migrant"]["id"],
        other.as_str()
    );
    // Forward only, with a version check.
    let stale = app
        .gql(&mintrab, MOVE, json!({"id": id, "to": "COMPLETED", "v": 7}))
        .await
        .1;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let done = app
        .gql(&mintrab, MOVE, json!({"id": id, "to": "COMPLETED", "v": 1}))
        .await
        .1;
    assert_eq!(
        done["data"]["moveEnrolment"]["status"], "COMPLETED",
        "{done}"
    );
    let back = app
        .gql(&mintrab, MOVE, json!({"id": id, "to": "DROPPED"}))
        .await
        .1;
    assert_eq!(
        error_code(&back).as_deref(),
        Some("BAD_USER_INPUT"),
        "{back}"
    );
    let audit = audit_of(&app, &ana).await;
    for want in ["CREATE TrainingEnrolment", "UPDATE TrainingEnrolment"] {
        assert!(audit.iter().any(|a| a == want), "{want}: {audit:?}");
    }
    let q = "query($id: ID!) { migrant(id: $id) { trainingEnrolments { status course { id provider } } } }";
    let (_, body) = app.gql(&mintrab, q, json!({"id": ana})).await;
    assert_eq!(
        body["data"]["migrant"]["trainingEnrolments"],
        json!([{"status": "COMPLETED", "course": {"id": c, "provider": "INTECAP"}}]),
        "{body}"
    );
    // Consent revoked: the counts stay, the person is gone.
    let q = "mutation($c: ID!) { revokeConsent(id: $c) { active } }";
    app.gql(&app.token("IOM", "iom_admin"), q, json!({"c": consent}))
        .await;
    let (_, list) = app.gql(&mintrab, ENROLMENTS, json!({"c": c})).await;
    let l = &list["data"]["courseEnrolments"];
    assert_eq!(l["totalCount"], 1, "{list}");
    assert_eq!(
        l["statusCounts"],
        json!([{"status": "COMPLETED", "count": 1}])
    );
    assert_eq!(l["edges"][0]["node"]["migrant"], Value::Null);
    let (_, iom) = app
        .gql(&app.token("IOM", "iom_admin"), ENROLMENTS, json!({"c": c}))
        .await;
    assert_eq!(
        iom["data"]["courseEnrolments"]["edges"][0]["node"]["migrant"]["id"],
        ana.as_str()
    );
    // IOM reads EMPLOYMENT but does not write it; universities neither.
    for token in [
        app.token("IOM", "iom_admin"),
        app.token("USAC", "university_officer"),
    ] {
        let body = app.gql(&token, ENROL, json!({"c": c, "m": other})).await.1;
        assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    }
    let usac = app.token("USAC", "university_officer");
    let body = app.gql(&usac, MATCHES, json!({"c": c})).await.1;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
}

async fn seats_are_never_exceeded(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let c = course(&app, 5).await;
    let mut people = vec![];
    for n in 0..20 {
        people.push(consenting(&app, 100 + n).await.0);
    }
    let tries = people
        .iter()
        .map(|m| app.gql(&mintrab, ENROL, json!({"c": c, "m": m})));
    let results: Vec<Value> = join_all(tries).await.into_iter().map(|(_, b)| b).collect();
    let won = results
        .iter()
        .filter(|b| b["data"]["enrolInCourse"]["status"] == "ENROLLED")
        .count();
    let full = results
        .iter()
        .filter(|b| error_code(b).as_deref() == Some("CONFLICT"))
        .count();
    assert_eq!((won, full), (5, 15), "{results:?}");
    let (_, body) = app.gql(&mintrab, COURSE, json!({"id": c})).await;
    assert_eq!(
        body["data"]["trainingCourse"],
        json!({"seatsTaken": 5, "seatsLeft": 0, "status": "OPEN"}),
        "{body}"
    );
    // Dropping frees a seat for someone else.
    let first = results
        .iter()
        .find_map(|b| b["data"]["enrolInCourse"]["id"].as_str())
        .unwrap();
    let body = app
        .gql(&mintrab, MOVE, json!({"id": first, "to": "DROPPED"}))
        .await
        .1;
    assert_eq!(body["data"]["moveEnrolment"]["status"], "DROPPED", "{body}");
    let waiting = people
        .iter()
        .find(|m| {
            !results
                .iter()
                .any(|b| b["data"]["enrolInCourse"]["migrant"]["id"] == m.as_str())
        })
        .unwrap();
    let body = app
        .gql(&mintrab, ENROL, json!({"c": c, "m": waiting}))
        .await
        .1;
    assert_eq!(
        body["data"]["enrolInCourse"]["status"], "ENROLLED",
        "{body}"
    );
}

db_tests!(
    courses_policy_validation_and_pages,
    enrolments_consent_moves_and_matches,
    seats_are_never_exceeded
);
