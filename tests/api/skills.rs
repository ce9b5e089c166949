//! ISCO-08 occupations, structured SKILLS and the SKILLS filters of
//! `migrants`, on both backends.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const OCCUPATIONS: &str = "query($s: String, $l: IscoLevel, $f: Int, $a: String) { \
    occupations(search: $s, level: $l, first: $f, after: $a) { totalCount \
    pageInfo { hasNextPage endCursor } edges { node { code level title parent { code parent { code } } } } } }";

async fn occupations(app: &TestApp, vars: Value) -> Value {
    let token = app.token("MINEX", "foreign_affairs_officer");
    let (status, body) = app.gql(&token, OCCUPATIONS, vars).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn codes(body: &Value) -> Vec<String> {
    body["data"]["occupations"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_string())
        .collect()
}

async fn occupations_reference(app: TestApp) {
    for (level, n) in [("MAJOR", 10), ("SUB_MAJOR", 43), ("UNIT", 436)] {
        let body = occupations(&app, json!({"l": level, "f": 1})).await;
        assert_eq!(body["data"]["occupations"]["totalCount"], n, "{level}");
    }
    let all = occupations(&app, json!({})).await;
    assert_eq!(all["data"]["occupations"]["totalCount"], 489);
    let brick = occupations(&app, json!({"s": "  BRICK layers "})).await;
    assert_eq!(codes(&brick), ["7112"]);
    let node = &brick["data"]["occupations"]["edges"][0]["node"];
    assert_eq!(node["parent"]["code"], "71");
    assert_eq!(node["parent"]["parent"]["code"], "7");
    let prefix = occupations(&app, json!({"s": "711", "f": 100})).await;
    let found = codes(&prefix);
    assert!(!found.is_empty() && found.iter().all(|c| c.starts_with("711")));
    // Paging by code: two pages of five join up with no gap or overlap.
    let first = occupations(&app, json!({"l": "UNIT", "f": 5})).await;
    let cursor = first["data"]["occupations"]["pageInfo"]["endCursor"].clone();
    assert_eq!(
        first["data"]["occupations"]["pageInfo"]["hasNextPage"],
        true
    );
    let second = occupations(&app, json!({"l": "UNIT", "f": 5, "a": cursor})).await;
    let ten = occupations(&app, json!({"l": "UNIT", "f": 10})).await;
    assert_eq!([codes(&first), codes(&second)].concat(), codes(&ten));
    let long = occupations(&app, json!({"s": "x".repeat(101)})).await;
    assert_eq!(error_code(&long).as_deref(), Some("BAD_USER_INPUT"));
    let digits = occupations(&app, json!({"s": "71121"})).await;
    assert_eq!(digits["errors"][0]["extensions"]["field"], "search");
}

const SKILLS: &str = "skills { educationLevel englishLevel yearsExperience \
    occupations { occupation { code title } years country } languages certifications }";

async fn skills_of(app: &TestApp, id: &str) -> Value {
    let q = format!("query($id: ID!) {{ migrant(id: $id) {{ version {SKILLS} }} }}");
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), &q, json!({"id": id}))
        .await;
    body["data"]["migrant"].clone()
}

async fn update_skills(app: &TestApp, id: &str, version: &Value, skills: Value) -> Value {
    let q = "mutation($id: ID!, $v: Int!, $i: MigrantSections!) { \
        updateMigrant(id: $id, expectedVersion: $v, input: $i) { version } }";
    let vars = json!({"id": id, "v": version, "i": {"skills": skills}});
    app.gql(&app.token("IOM", "iom_admin"), q, vars).await.1
}

async fn skills_round_trip(app: TestApp) {
    let id = app.register(person("Ana", "Pop", 1)).await;
    let got = skills_of(&app, &id).await;
    let skills = &got["skills"];
    assert_eq!(skills["occupations"][0]["occupation"]["code"], "9313");
    assert_eq!(skills["occupations"][0]["country"], "US");
    assert_eq!(skills["languages"], json!(["spa", "eng"]));
    let body = update_skills(
        &app,
        &id,
        &got["version"],
        json!({
            "educationLevel": "TECHNICAL", "englishLevel": "FLUENT",
            "occupations": [
                {"iscoCode": "4222", "years": 3, "country": "US"},
                {"iscoCode": "7112", "years": 5, "country": "GT"},
                {"iscoCode": "7112", "country": "US"}
            ],
            "languages": ["quc", "K'iche'", "spa", "eng"],
            "certifications": ["OSHA 10", "  Manipulación  de alimentos ", "osha 10"]
        }),
    )
    .await;
    assert!(body["data"]["updateMigrant"]["version"].is_i64(), "{body}");
    let skills = skills_of(&app, &id).await["skills"].clone();
    assert_eq!(
        skills["occupations"],
        json!([
            {"occupation": {"code": "4222", "title": "Contact centre information clerks"}, "years": 3, "country": "US"},
            {"occupation": {"code": "7112", "title": "Bricklayers and related workers"}, "years": 5, "country": "GT"},
            {"occupation": {"code": "7112", "title": "Bricklayers and related workers"}, "years": null, "country": "US"}
        ])
    );
    assert_eq!(skills["languages"], json!(["quc", "spa", "eng"]));
    assert_eq!(
        skills["certifications"],
        json!(["OSHA 10", "Manipulación de alimentos"])
    );
    assert_eq!(skills["educationLevel"], "TECHNICAL");
}

async fn skills_validation(app: TestApp) {
    let id = app.register(person("Ana", "Pop", 1)).await;
    let version = skills_of(&app, &id).await["version"].clone();
    let cases = [
        (
            json!({"occupations": [{"iscoCode": "7112"}, {"iscoCode": "71"}]}),
            "skills.occupations[1].iscoCode",
        ),
        (
            json!({"occupations": [{"iscoCode": "7112", "years": 71}]}),
            "skills.occupations[0].years",
        ),
        (
            json!({"occupations": [{"iscoCode": "7112"}, {"iscoCode": "7112"}]}),
            "skills.occupations[1]",
        ),
        (
            json!({"languages": ["spa", "klingon"]}),
            "skills.languages[1]",
        ),
        (json!({"languages": vec!["spa"; 11]}), "skills.languages"),
        (json!({"certifications": [" "]}), "skills.certifications[0]"),
        (
            json!({"certifications": vec!["x".repeat(101)]}),
            "skills.certifications[0]",
        ),
        (
            json!({"occupations": vec![json!({"iscoCode": "7112"}); 11]}),
            "skills.occupations",
        ),
    ];
    for (skills, field) in cases {
        let body = update_skills(&app, &id, &version, skills).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // Nothing was written.
    assert_eq!(skills_of(&app, &id).await["version"], version);
}

db_tests!(occupations_reference, skills_round_trip, skills_validation);

/// Registers a person with these skills; consents to MINTRAB when asked.
async fn someone(app: &TestApp, n: u32, skills: Value, consent: bool) -> String {
    let mut input = person("Juan", "Tum", n);
    input["skills"] = skills;
    let id = app.register(input).await;
    if consent {
        app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    }
    id
}

async fn filtered(app: &TestApp, token: &str, filter: Value) -> (Vec<String>, Value, Value) {
    let q = "query($f: MigrantFilter) { migrants(first: 50, filter: $f) { totalCount edges { node { id } } } }";
    let (_, body) = app.gql(token, q, json!({"f": filter})).await;
    let ids = body["data"]["migrants"]["edges"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    let total = body["data"]["migrants"]["totalCount"].clone();
    (ids, total, body)
}

async fn skills_filters(app: TestApp) {
    let mason = someone(
        &app,
        1,
        json!({
        "educationLevel": "PRIMARY", "englishLevel": "BASIC",
        "occupations": [{"iscoCode": "7112", "years": 4, "country": "US"}],
        "languages": ["spa", "quc"], "certifications": ["OSHA 10"]}),
        true,
    )
    .await;
    let clerk = someone(
        &app,
        2,
        json!({
        "educationLevel": "UNIVERSITY", "englishLevel": "FLUENT",
        "occupations": [{"iscoCode": "4222", "country": "US"}],
        "languages": ["spa", "eng"], "certifications": ["Técnico en refrigeración (INTECAP)"]}),
        true,
    )
    .await;
    // Same skills as the mason but no consent to MINTRAB.
    let hidden = someone(
        &app,
        3,
        json!({
        "educationLevel": "PRIMARY", "englishLevel": "BASIC",
        "occupations": [{"iscoCode": "7115", "country": "GT"}],
        "languages": ["quc"], "certifications": ["OSHA 10"]}),
        false,
    )
    .await;
    let admin = app.token("IOM", "iom_admin");
    let cases: Vec<(Value, Vec<&String>)> = vec![
        (json!({"occupation": "7"}), vec![&mason, &hidden]),
        (json!({"occupation": "71"}), vec![&mason, &hidden]),
        (json!({"occupation": "711"}), vec![&mason, &hidden]),
        (json!({"occupation": "7112"}), vec![&mason]),
        (json!({"occupation": "4"}), vec![&clerk]),
        (json!({"occupation": "9"}), vec![]),
        (json!({"educationAtLeast": "TECHNICAL"}), vec![&clerk]),
        (
            json!({"educationAtLeast": "PRIMARY"}),
            vec![&mason, &clerk, &hidden],
        ),
        (json!({"language": "quc"}), vec![&mason, &hidden]),
        (json!({"language": "ENG"}), vec![&clerk]),
        (json!({"englishAtLeast": "INTERMEDIATE"}), vec![&clerk]),
        (json!({"certification": "osha"}), vec![&mason, &hidden]),
        (
            json!({"certification": "tecnico refrigeracion"}),
            vec![&clerk],
        ),
        (
            json!({"occupation": "7", "language": "quc", "englishAtLeast": "BASIC"}),
            vec![&mason, &hidden],
        ),
    ];
    for (filter, want) in &cases {
        let (mut ids, total, body) = filtered(&app, &admin, filter.clone()).await;
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        ids.sort();
        want.sort();
        assert_eq!(ids, want, "{filter} {body}");
        assert_eq!(total, json!(want.len()), "{filter}");
    }
    // MINTRAB never sees the person without its consent, in the list or the count.
    let labour = app.token("MINTRAB", "labour_officer");
    for filter in [
        json!({"occupation": "71"}),
        json!({"language": "quc"}),
        json!({"certification": "osha"}),
    ] {
        let (ids, total, body) = filtered(&app, &labour, filter.clone()).await;
        assert_eq!(ids, vec![mason.clone()], "{filter} {body}");
        assert_eq!(total, 1, "{filter}");
    }
    let (_, _, body) = filtered(&app, &labour, json!({"occupation": "7a"})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "filter.occupation"
    );
    // MINEX cannot read SKILLS, so it cannot filter on them.
    let minex = app.token("MINEX", "foreign_affairs_officer");
    for filter in [
        json!({"occupation": "7"}),
        json!({"educationAtLeast": "PRIMARY"}),
        json!({"language": "spa"}),
        json!({"englishAtLeast": "NONE"}),
        json!({"certification": "osha"}),
    ] {
        let (_, _, body) = filtered(&app, &minex, filter.clone()).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{filter} {body}"
        );
    }
}

db_tests!(skills_filters);
