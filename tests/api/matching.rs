//! Explainable job matching on both backends: reasons add up to the
//! score, the order is deterministic and pages join up, people outside
//! the caller's rows never appear (not in a row, not in a count), and
//! minimums exclude.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const POST: &str = "mutation($i: PostVacancyInput!) { postVacancy(input: $i) { id } }";
const EMPLOYER: &str = "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { id } }";
const MATCHES: &str =
    "query($v: ID!, $f: Int, $a: String) { vacancyMatches(vacancyId: $v, first: $f, after: $a) { \
    totalCount pageInfo { hasNextPage endCursor } \
    edges { cursor node { score reasons { kind points detail } migrant { id givenNames } } } } }";
const FOR_PERSON: &str = "query($m: ID!, $f: Int) { migrantMatches(migrantId: $m, first: $f) { \
    score reasons { kind points } vacancy { id title } } }";

/// Registers a person from Huehuetenango (1301) with these skills.
async fn worker(app: &TestApp, name: &str, n: u32, muni: &str, skills: Value) -> String {
    let mut p = person(name, "Tzul", n);
    p["skills"] = skills;
    p["origin"] = json!({ "municipalityCode": muni });
    app.register(p).await
}

async fn vacancy(app: &TestApp, token: &str, input: Value) -> String {
    let (_, body) = app.gql(token, POST, json!({ "i": input })).await;
    body["data"]["postVacancy"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn employer(app: &TestApp) -> String {
    let nit = format!("576937-{}", reintegra::domain::nit::check_char("576937"));
    let i = json!({"name": "Constructora Maya", "sector": "PRIVATE", "nit": nit, "municipalityCode": "1301"});
    let token = app.token("MINTRAB", "labour_officer");
    let (_, body) = app.gql(&token, EMPLOYER, json!({ "i": i })).await;
    body["data"]["createEmployer"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn matches(app: &TestApp, token: &str, v: &str, first: i32, after: Value) -> Value {
    let vars = json!({"v": v, "f": first, "a": after});
    app.gql(token, MATCHES, vars).await.1
}

fn ids(body: &Value) -> Vec<String> {
    body["data"]["vacancyMatches"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["migrant"]["id"].as_str().unwrap().to_string())
        .collect()
}

struct World {
    vacancy: String,
    unit: String,
    minor: String,
    far: String,
    hidden: String,
    low_education: String,
}

/// A bricklayer vacancy in Huehuetenango and people around it.
async fn world(app: &TestApp) -> World {
    let emp = employer(app).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let vacancy = vacancy(
        app,
        &mintrab,
        json!({"employerId": emp, "title": "Albañil", "iscoCode": "7112", "municipalityCode": "1301",
               "openings": 1, "minEducation": "PRIMARY", "languages": ["spa"],
               "requiredCertifications": ["Albañilería básica"],
               "preferredCertifications": ["Seguridad industrial"]}),
    )
    .await;
    let base = |occ: Value| {
        json!({"educationLevel": "LOWER_SECONDARY", "occupations": occ, "languages": ["spa"],
               "certifications": ["Albañilería Básica", "Seguridad industrial"]})
    };
    let unit = worker(
        app,
        "Unit",
        1,
        "1301",
        base(json!([{"iscoCode": "7112", "years": 12}])),
    )
    .await;
    let minor = worker(
        app,
        "Minor",
        2,
        "1302",
        base(json!([{"iscoCode": "7113", "years": 2}])),
    )
    .await;
    let far = worker(app, "Far", 3, "0101", base(json!([{"iscoCode": "7122"}]))).await;
    let hidden = worker(
        app,
        "Hidden",
        4,
        "1301",
        base(json!([{"iscoCode": "7112", "years": 20}])),
    )
    .await;
    let mut low = base(json!([{"iscoCode": "7112", "years": 9}]));
    low["educationLevel"] = json!("NONE");
    let low_education = worker(app, "Low", 5, "1301", low).await;
    let mut mute = base(json!([{"iscoCode": "7112", "years": 9}]));
    mute["languages"] = json!(["quc"]);
    let no_spanish = worker(app, "Mute", 6, "1301", mute).await;
    let other = worker(
        app,
        "Other",
        7,
        "1301",
        base(json!([{"iscoCode": "5120", "years": 9}])),
    )
    .await;
    for id in [&unit, &minor, &far, &low_education, &no_spanish, &other] {
        app.consent(id, "MINTRAB", "EMPLOYMENT", None).await;
    }
    // `hidden` gives no consent to MINTRAB: the best candidate on paper.
    World {
        vacancy,
        unit,
        minor,
        far,
        hidden,
        low_education,
    }
}

async fn ranks_explains_and_scopes(app: TestApp) {
    let w = world(&app).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let body = matches(&app, &mintrab, &w.vacancy, 10, Value::Null).await;
    assert_eq!(
        ids(&body),
        [w.unit.clone(), w.minor.clone(), w.far.clone()],
        "{body}"
    );
    assert_eq!(body["data"]["vacancyMatches"]["totalCount"], 3);
    for e in body["data"]["vacancyMatches"]["edges"].as_array().unwrap() {
        let sum: i64 = (e["node"]["reasons"].as_array().unwrap().iter())
            .map(|r| r["points"].as_i64().unwrap())
            .sum();
        assert_eq!(e["node"]["score"].as_i64().unwrap(), sum, "{e}");
    }
    // 40 unit + 20 years (capped) + 10 education + 5 spa + 5 + 2 certs + 15 municipality.
    let top = &body["data"]["vacancyMatches"]["edges"][0]["node"];
    assert_eq!(top["score"], 97, "{top}");
    assert_eq!(top["reasons"][0]["kind"], "OCCUPATION_UNIT");
    let kinds: Vec<&str> = (top["reasons"].as_array().unwrap().iter())
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"SAME_MUNICIPALITY") && kinds.contains(&"EXPERIENCE"));
    // 25 minor + 4 years + 10 + 5 + 7 + 8 department.
    assert_eq!(
        body["data"]["vacancyMatches"]["edges"][1]["node"]["score"],
        59
    );
    // IOM sees every row, so the person without consent ranks first there.
    let iom = matches(
        &app,
        &app.token("IOM", "iom_caseworker"),
        &w.vacancy,
        10,
        Value::Null,
    )
    .await;
    // It ties with `unit` at 97: equal scores go by id.
    let mut tied = [w.unit.clone(), w.hidden.clone()];
    tied.sort();
    assert_eq!(ids(&iom)[..2], tied[..], "{iom}");
    assert!(!ids(&iom).contains(&w.low_education));
    assert_eq!(iom["data"]["vacancyMatches"]["totalCount"], 4);
    // Pages of one join up into the same order, deterministically.
    let mut seen = vec![];
    let mut after = Value::Null;
    loop {
        let page = matches(&app, &mintrab, &w.vacancy, 1, after).await;
        seen.extend(ids(&page));
        let info = &page["data"]["vacancyMatches"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen, [w.unit.clone(), w.minor.clone(), w.far.clone()]);
    // Revoking nothing but asking again gives the same answer.
    let again = matches(&app, &mintrab, &w.vacancy, 10, Value::Null).await;
    assert_eq!(ids(&again), ids(&body));
}

async fn migrant_matches_and_permissions(app: TestApp) {
    let w = world(&app).await;
    let mintrab = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(&mintrab, FOR_PERSON, json!({"m": w.unit, "f": 5}))
        .await;
    let list = body["data"]["migrantMatches"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["vacancy"]["id"], w.vacancy.as_str());
    assert_eq!(list[0]["score"], 97);
    // Out of MINTRAB's rows: not found, as if it did not exist.
    let (_, body) = app
        .gql(&mintrab, FOR_PERSON, json!({"m": w.hidden, "f": 5}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    // Below the minimum education: no match.
    let (_, body) = app
        .gql(&mintrab, FOR_PERSON, json!({"m": w.low_education, "f": 5}))
        .await;
    assert_eq!(body["data"]["migrantMatches"], json!([]), "{body}");
    // MINEX may not match; a university only its own vacancies.
    let minex = app.token("MINEX", "foreign_affairs_officer");
    let body = matches(&app, &minex, &w.vacancy, 5, Value::Null).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let usac = app.token("USAC", "university_officer");
    let body = matches(&app, &usac, &w.vacancy, 5, Value::Null).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let own = vacancy(
        &app,
        &usac,
        json!({"title": "Albañil de campus", "iscoCode": "7112", "municipalityCode": "0101", "openings": 1}),
    )
    .await;
    let body = matches(&app, &usac, &own, 5, Value::Null).await;
    // Nobody gave USAC an EDUCATION consent: no rows, no count.
    assert_eq!(body["data"]["vacancyMatches"]["totalCount"], 0, "{body}");
    app.consent(&w.far, "USAC", "EDUCATION", None).await;
    let body = matches(&app, &usac, &own, 5, Value::Null).await;
    assert_eq!(ids(&body), std::slice::from_ref(&w.far), "{body}");
    let long = matches(&app, &mintrab, &"x".repeat(65), 5, Value::Null).await;
    assert_eq!(error_code(&long).as_deref(), Some("BAD_USER_INPUT"));
    let missing = matches(&app, &mintrab, "no-such-vacancy", 5, Value::Null).await;
    assert_eq!(error_code(&missing).as_deref(), Some("NOT_FOUND"));
}

/// When the candidate limit cuts, it cuts the least related occupations:
/// the vacancy's own unit group first, then its minor group, then its
/// sub-major group, whatever the people's ids.
async fn candidate_limit_keeps_the_closest_tiers(app: TestApp) {
    use diesel::Connection;
    use reintegra::db::{matching, DbConnection};
    let mut by_tier = Vec::new();
    for (n, code) in [(31, "7131"), (32, "7113"), (33, "7112")] {
        let skills = json!({"occupations": [{"iscoCode": code, "years": 3}]});
        let id = worker(&app, "Tier", n, "1301", skills).await;
        app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
        by_tier.push(id);
    }
    by_tier.reverse(); // unit group, minor group, sub-major group
    let rows = reintegra::policy::RowFilter::for_caller(
        reintegra::domain::institution::Role::LabourOfficer,
        "MINTRAB",
        reintegra::db::now(),
        30,
    );
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = DbConnection::establish(&url).expect("connect");
    for limit in 1..=4 {
        let (found, _) =
            matching::candidates(&mut conn, &rows, "7112", "71", limit).expect("candidates");
        let got: Vec<String> = found.into_iter().map(|c| c.id).collect();
        let want = &by_tier[..(limit as usize).min(3)];
        assert_eq!(got, want, "limit {limit}");
    }
}

db_tests!(
    ranks_explains_and_scopes,
    migrant_matches_and_permissions,
    candidate_limit_keeps_the_closest_tiers,
);
