//! Explainable job matching on both backends: reasons add up to the
//! score, the order is deterministic and pages join up, people outside
//! the caller's rows never appear (not in a row, not in a count), and
//! minimums exclude.

use serde_json::{json, Value};

use reintegra::service::matching::Needs;

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

/// The expected ranking, computed the slow way: every person of group 71
/// the caller may see, scored by the library's scorer, sorted.
fn full_ranking(app: &TestApp, needs: &Needs) -> Vec<(i32, String)> {
    use diesel::Connection;
    use reintegra::db::{matching, DbConnection};
    let rows = reintegra::policy::RowFilter::for_caller(
        reintegra::domain::institution::Role::LabourOfficer,
        "MINTRAB",
        reintegra::db::now(),
        30,
    );
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = DbConnection::establish(&url).expect("connect");
    let (found, skills) = matching::candidates(&mut conn, &rows, "71", 1000).expect("candidates");
    let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    let mut by_person = skills.by_migrant(&ids);
    let mut out: Vec<(i32, String)> = found
        .iter()
        .filter_map(|c| {
            let s = by_person.remove(&c.id).unwrap_or_default();
            let p = reintegra::service::candidates::profile(c, &s);
            reintegra::service::matching::score(needs, &p).map(|x| (x.score, c.id.clone()))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out
}

/// Every page of `vacancyMatches` walked `first` at a time.
async fn walk(app: &TestApp, token: &str, v: &str, first: i32) -> (Vec<(i32, String)>, i64) {
    let (mut out, mut after) = (Vec::new(), Value::Null);
    loop {
        let body = matches(app, token, v, first, after).await;
        let conn = &body["data"]["vacancyMatches"];
        let total = conn["totalCount"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"));
        for e in conn["edges"].as_array().unwrap() {
            let n = &e["node"];
            out.push((
                n["score"].as_i64().unwrap() as i32,
                n["migrant"]["id"].as_str().unwrap().to_string(),
            ));
        }
        if conn["pageInfo"]["hasNextPage"] != json!(true) {
            return (out, total);
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
}

/// The strata search (`service::ranking`) gives exactly the full ranking
/// through the database: people spread over units, years and places,
/// walked in pages of every size, and again after people move (their
/// occupation rows follow their origin).
async fn strata_search_equals_the_full_ranking(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let places = ["1301", "1302", "0101"];
    let units = ["7112", "7113", "7115", "7122", "7131"];
    let mut people = Vec::new();
    for n in 0..30u32 {
        let mut occ = vec![json!({"iscoCode": units[n as usize % 5], "years": (n * 7) % 15})];
        if n % 4 == 0 {
            occ.push(json!({"iscoCode": units[(n as usize + 2) % 5], "years": n % 12}));
        }
        let certs = if n % 6 == 0 {
            json!(["Seguridad industrial"])
        } else {
            json!([])
        };
        let skills = json!({"educationLevel": "LOWER_SECONDARY", "occupations": occ,
                            "languages": ["spa"], "certifications": certs});
        let id = worker(
            &app,
            "Strata",
            100 + n,
            places[(n as usize / 5) % 3],
            skills,
        )
        .await;
        if n % 7 != 3 {
            app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
        }
        people.push(id);
    }
    let input = json!({"employerId": employer(&app).await, "title": "Albañil", "iscoCode": "7112",
        "municipalityCode": "1301", "openings": 2, "languages": ["spa"],
        "preferredCertifications": ["Seguridad industrial"]});
    let v = vacancy(&app, &mintrab, input).await;
    let needs = Needs {
        isco_code: "7112".into(),
        languages: vec!["spa".into()],
        preferred_certifications: vec!["Seguridad industrial".into()],
        municipality_code: "1301".into(),
        department_code: "13".into(),
        ..Needs::default()
    };
    let expected = full_ranking(&app, &needs);
    assert!(expected.len() > 20, "{expected:?}");
    for first in [1, 3, 7, 50] {
        let (got, total) = walk(&app, &mintrab, &v, first).await;
        assert_eq!(got, expected, "pages of {first}");
        assert_eq!(total, expected.len() as i64);
    }
    // Two people move to the vacancy's municipality: their rows follow.
    let iom = app.token("IOM", "iom_caseworker");
    let move_to = "mutation($id: ID!) { updateMigrant(id: $id, expectedVersion: 1, \
                   input: {origin: {municipalityCode: \"1301\"}}) { version } }";
    for id in [&people[27], &people[11]] {
        let (_, body) = app.gql(&iom, move_to, json!({"id": id})).await;
        assert_eq!(body["data"]["updateMigrant"]["version"], json!(2), "{body}");
    }
    let expected = full_ranking(&app, &needs);
    let (got, _) = walk(&app, &mintrab, &v, 4).await;
    assert_eq!(got, expected, "after moving");
}

/// Scoring counts years up to `points::MAX_YEARS`; the stored
/// `years_counted` that strata are read by must cap at the same number.
async fn stored_year_cap_is_the_scoring_cap(app: TestApp) {
    use diesel::prelude::*;
    use reintegra::db::schema::migrant_occupations as o;
    use reintegra::db::DbConnection;
    let skills = json!({"occupations": [{"iscoCode": "7112", "years": 60}, {"iscoCode": "7113"}]});
    let id = worker(&app, "Cap", 1, "1301", skills).await;
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = DbConnection::establish(&url).expect("connect");
    let mut counted: Vec<i32> = o::table
        .filter(o::migrant_id.eq(&id))
        .select(o::years_counted)
        .load(&mut conn)
        .expect("years");
    counted.sort();
    assert_eq!(
        counted,
        vec![0, reintegra::service::matching::points::MAX_YEARS]
    );
    let place: Vec<(Option<String>, Option<String>)> = o::table
        .filter(o::migrant_id.eq(&id))
        .select((o::department_code, o::municipality_code))
        .load(&mut conn)
        .expect("place");
    assert!(
        place
            .iter()
            .all(|p| p == &(Some("13".into()), Some("1301".into()))),
        "{place:?}"
    );
}

db_tests!(
    ranks_explains_and_scopes,
    migrant_matches_and_permissions,
    strata_search_equals_the_full_ranking,
    stored_year_cap_is_the_scoring_cap,
);
