//! Walks every role × every slice × read and write, on records inside and
//! outside each role's rows, and asserts DESIGN §2 exactly. The expected
//! table is written out here, independently of `src/policy`.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{cui, person, TestApp};

const SLICES: [&str; 13] = [
    "IDENTITY",
    "DOCUMENTS",
    "CONTACT",
    "ORIGIN",
    "RETURN",
    "HEALTH",
    "ASSISTANCE",
    "SKILLS",
    "EMPLOYMENT",
    "ENTERPRISE",
    "STUDIES",
    "PROTECTION",
    "CONSENT",
];

/// DESIGN §2, one row per caller: (institution, role, cells in SLICES order).
pub(crate) const DESIGN: [(&str, &str, [&str; 13]); 8] = [
    (
        "IOM",
        "iom_admin",
        [
            "RW", "RW", "RW", "RW", "RW", "RW", "RW", "RW", "R", "RW", "R", "RW", "RW",
        ],
    ),
    (
        "IOM",
        "iom_caseworker",
        [
            "RW", "RW", "RW", "RW", "RW", "RW", "RW", "RW", "R", "RW", "R", "RW", "RW",
        ],
    ),
    (
        "IOM",
        "iom_reception",
        [
            "RW", "RW", "RW", "RW", "RW", "-", "RW", "RW", "-", "-", "-", "-", "RW",
        ],
    ),
    (
        "MINEX",
        "foreign_affairs_officer",
        [
            "R", "R", "R", "R", "R", "RW", "RW", "-", "-", "-", "-", "-", "R",
        ],
    ),
    (
        "MINTRAB",
        "labour_officer",
        [
            "R", "-", "R", "R", "-", "-", "-", "RW", "RW", "R", "-", "-", "R",
        ],
    ),
    (
        "USAC",
        "university_officer",
        [
            "R", "-", "R", "R", "-", "-", "-", "R", "-", "-", "RW", "-", "R",
        ],
    ),
    (
        "UVG",
        "university_officer",
        [
            "R", "-", "R", "R", "-", "-", "-", "R", "-", "-", "RW", "-", "R",
        ],
    ),
    (
        "IOM",
        "auditor",
        [
            "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-",
        ],
    ),
];

/// Each slice exposed on `Migrant` so far, with its fields.
pub(crate) const FIELDS: [(&str, &[&str]); 13] = [
    (
        "IDENTITY",
        &["givenNames", "familyNames", "birthDate", "sex"],
    ),
    ("DOCUMENTS", &["documentNumber", "passportNumber"]),
    (
        "CONTACT",
        &["phone", "address", "relativeName", "relativePhone"],
    ),
    ("ORIGIN", &["originMunicipality"]),
    ("RETURN", &["arrivals", "previousReturns"]),
    ("HEALTH", &["health"]),
    ("ASSISTANCE", &["assistance"]),
    ("SKILLS", &["skills"]),
    ("STUDIES", &["studyApplications"]),
    ("EMPLOYMENT", &["referrals", "trainingEnrolments"]),
    ("ENTERPRISE", &["enterpriseProjects"]),
    ("PROTECTION", &["protection"]),
    ("CONSENT", &["consents"]),
];

const SELECTION: &str =
    "id version givenNames familyNames birthDate sex documentNumber passportNumber \
    phone address relativeName relativePhone originMunicipality { code department { code } } \
    arrivals { arrivedAt } previousReturns health { needsMedicalAttention } skills { occupations { years } educationHistory { id } } studyApplications { id } \
    protection { doNotShare } assistance { kind } consents { purpose institution { code } } \
    referrals { status } trainingEnrolments { status } enterpriseProjects { status }";

fn cell(row: &[&str; 13], slice: &str) -> &'static str {
    let i = SLICES.iter().position(|s| *s == slice).unwrap();
    match row[i] {
        "RW" => "RW",
        "R" => "R",
        _ => "-",
    }
}

struct World {
    /// Recent arrival, MINTRAB and USAC consents: inside every partner's rows.
    shared: String,
    /// Old arrival, no consents: IOM only.
    private: String,
    /// Like `shared` but do-not-share: IOM only.
    protected: String,
}

async fn build_world(app: &TestApp) -> World {
    let shared = app.register(person("Ana", "López García", 1)).await;
    app.arrive(&shared, 3).await;
    app.consent(&shared, "MINTRAB", "EMPLOYMENT", None).await;
    app.consent(&shared, "USAC", "EDUCATION", None).await;
    let private = app.register(person("Luis", "Pérez", 2)).await;
    app.arrive(&private, 90).await;
    let mut p = person("Rosa", "Xicará", 3);
    p["protection"]["doNotShare"] = json!(true);
    let protected = app.register(p).await;
    app.arrive(&protected, 2).await;
    app.consent(&protected, "MINTRAB", "EMPLOYMENT", None).await;
    app.consent(&protected, "USAC", "EDUCATION", None).await;
    World {
        shared,
        private,
        protected,
    }
}

fn visible_ids(inst: &str, role: &str, w: &World) -> Vec<String> {
    let mut ids = match (inst, role) {
        (_, "auditor") => vec![],
        ("IOM", _) => vec![w.shared.clone(), w.private.clone(), w.protected.clone()],
        ("UVG", _) => vec![],
        _ => vec![w.shared.clone()],
    };
    ids.sort();
    ids
}

fn forbidden_paths(body: &Value) -> Vec<String> {
    body["errors"].as_array().map_or(vec![], |errs| {
        errs.iter()
            .filter(|e| e["extensions"]["code"] == "FORBIDDEN")
            .map(|e| {
                e["path"]
                    .as_array()
                    .unwrap()
                    .last()
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    })
}

async fn check_reads(app: &TestApp, inst: &str, role: &str, row: &[&str; 13], w: &World) {
    let token = app.token(inst, role);
    let visible = visible_ids(inst, role, w);
    for id in [&w.shared, &w.private, &w.protected] {
        let q = format!("query($id: ID!) {{ migrant(id: $id) {{ {SELECTION} }} }}");
        let (_, body) = app.gql(&token, &q, json!({ "id": id })).await;
        let m = &body["data"]["migrant"];
        if !visible.contains(id) {
            assert!(m.is_null(), "{role}@{inst} must not see {id}: {body}");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "NOT_FOUND",
                "{body}"
            );
            continue;
        }
        let denied = forbidden_paths(&body);
        for (slice, fields) in FIELDS {
            let readable = cell(row, slice) != "-";
            for f in fields {
                assert_eq!(
                    !m[*f].is_null(),
                    readable,
                    "{role}@{inst} {slice}.{f}: {body}"
                );
                assert_eq!(
                    denied.contains(&f.to_string()),
                    !readable,
                    "{role}@{inst} {f} error: {body}"
                );
            }
        }
        if cell(row, "CONSENT") != "-" && !role.starts_with("iom") {
            let consents = m["consents"].as_array().unwrap();
            assert!(
                consents.iter().all(|c| c["institution"]["code"] == inst),
                "own consents only: {body}"
            );
        }
    }
    let q = "{ migrants(first: 50) { totalCount edges { node { id } } } }";
    let (_, body) = app.gql(&token, q, json!({})).await;
    let mut ids: Vec<String> = body["data"]["migrants"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, visible, "{role}@{inst} list: {body}");
    assert_eq!(
        body["data"]["migrants"]["totalCount"],
        visible.len(),
        "{role}@{inst}"
    );
}

async fn check_introspection(app: &TestApp, inst: &str, role: &str, row: &[&str; 13]) {
    let q = "{ __type(name: \"Migrant\") { fields { name } } }";
    let (_, body) = app.gql(&app.token(inst, role), q, json!({})).await;
    let names: Vec<&str> = body["data"]["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for (slice, fields) in FIELDS {
        for f in fields {
            assert_eq!(
                names.contains(f),
                cell(row, slice) != "-",
                "{role}: introspection of {f}"
            );
        }
    }
}

/// The write that exercises each writable slice reachable so far.
fn write_for(role: &str, slice: &str, id: &str, version: i64, n: u32) -> Option<(String, Value)> {
    let update = "mutation($id: ID!, $v: Int!, $i: MigrantSections!) { updateMigrant(id: $id, expectedVersion: $v, input: $i) { version } }";
    let section = match slice {
        "IDENTITY" => {
            json!({"identity": {"givenNames": "Ana María", "familyNames": "López", "birthDate": "1994-05-17", "sex": "FEMALE"}})
        }
        "DOCUMENTS" => json!({"documents": {"documentNumber": cui(90 + n, "0101")}}),
        "CONTACT" => json!({"contact": {"phone": "+50244445555"}}),
        "ORIGIN" => json!({"origin": {"municipalityCode": "1201"}}),
        "SKILLS" => {
            json!({"skills": {"occupations": [{"iscoCode": "7212", "years": 3, "country": "US"}], "englishLevel": "INTERMEDIATE"}})
        }
        "HEALTH" => json!({"health": {"needsMedicalAttention": true}}),
        "PROTECTION" => {
            json!({"protection": {"unaccompaniedMinor": false, "familySeparation": false, "protectionNeeds": true, "doNotShare": false}})
        }
        "RETURN" => {
            let q = "mutation($id: ID!) { recordArrival(migrantId: $id, input: {arrivedAt: \"2026-01-05T10:00:00Z\"}) { id } }";
            return Some((q.into(), json!({"id": id})));
        }
        "ASSISTANCE" => {
            // Each role records the kinds it gives (policy::assistance_kinds_writable).
            let kind = if role == "foreign_affairs_officer" {
                "FOOD_RATION"
            } else {
                "RECEPTION"
            };
            let q = "mutation($id: ID!, $k: AssistanceKind!) { recordAssistance(input: {migrantId: $id, kind: $k}) { id } }";
            return Some((q.into(), json!({"id": id, "k": kind})));
        }
        "CONSENT" => {
            let q = "mutation($id: ID!) { recordConsent(input: {migrantId: $id, institutionCode: \"URL\", purpose: EDUCATION}) { id } }";
            return Some((q.into(), json!({"id": id})));
        }
        _ => return None,
    };
    Some((update.into(), json!({"id": id, "v": version, "i": section})))
}

async fn state_of(app: &TestApp, id: &str) -> Value {
    let q = "query($id: ID!) { migrant(id: $id) { version arrivals { id } consents { id } assistance { id } } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), q, json!({"id": id}))
        .await;
    body["data"]["migrant"].clone()
}

async fn check_writes(app: &TestApp, inst: &str, role: &str, row: &[&str; 13], w: &World) {
    let token = app.token(inst, role);
    let visible = visible_ids(inst, role, w);
    for slice in SLICES {
        for (n, id) in [&w.shared, &w.private].into_iter().enumerate() {
            let before = state_of(app, id).await;
            let version = before["version"].as_i64().unwrap();
            let Some((q, vars)) = write_for(role, slice, id, version, n as u32) else {
                continue;
            };
            let (_, body) = app.gql(&token, &q, vars).await;
            let allowed = cell(row, slice) == "RW" && visible.contains(id);
            if allowed {
                assert!(
                    body.get("errors").is_none(),
                    "{role}@{inst} may write {slice}: {body}"
                );
                if let Some(consent) = body["data"]["recordConsent"]["id"].as_str() {
                    // Withdraw it so the next role's identical consent is not a duplicate.
                    let q = "mutation($c: ID!) { revokeConsent(id: $c) { revokedAt } }";
                    app.gql(&app.token("IOM", "iom_admin"), q, json!({"c": consent}))
                        .await;
                }
                continue;
            }
            let code = body["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or_default();
            let expected = if cell(row, slice) != "RW" {
                "FORBIDDEN"
            } else {
                "NOT_FOUND"
            };
            assert_eq!(
                code, expected,
                "{role}@{inst} write {slice} on {id}: {body}"
            );
            assert_eq!(
                state_of(app, id).await,
                before,
                "{role}@{inst} {slice}: nothing may change"
            );
        }
    }
}

async fn matrix_reads(app: TestApp) {
    let w = build_world(&app).await;
    for (inst, role, row) in DESIGN.iter() {
        check_reads(&app, inst, role, row, &w).await;
        check_introspection(&app, inst, role, row).await;
    }
}

async fn matrix_writes(app: TestApp) {
    let w = build_world(&app).await;
    for (inst, role, row) in DESIGN.iter() {
        check_writes(&app, inst, role, row, &w).await;
    }
}

async fn me_slices_equal_the_design_table(app: TestApp) {
    for (inst, role, row) in DESIGN.iter() {
        let (_, body) = app
            .gql(
                &app.token(inst, role),
                "{ me { readableSlices writableSlices } }",
                json!({}),
            )
            .await;
        let want_r: Vec<&str> = SLICES
            .iter()
            .copied()
            .filter(|s| cell(row, s) != "-")
            .collect();
        let want_w: Vec<&str> = SLICES
            .iter()
            .copied()
            .filter(|s| cell(row, s) == "RW")
            .collect();
        assert_eq!(
            body["data"]["me"]["readableSlices"],
            json!(want_r),
            "{role}"
        );
        assert_eq!(
            body["data"]["me"]["writableSlices"],
            json!(want_w),
            "{role}"
        );
    }
}

db_tests!(
    matrix_reads,
    matrix_writes,
    me_slices_equal_the_design_table
);
