//! University programmes and placement: every partner role reads them, a
//! university writes only its own, seats taken show only to the owner and
//! IOM; `programMatches` ranks the people a university may see, eligible
//! first, explaining what is missing; deterministic.

use serde_json::{json, Value};

use crate::db_tests;
use crate::education::{diversificado, record_as_iom};
use crate::support::{error_code, person, TestApp};

const CREATE: &str = "mutation($i: CreateProgramInput!) { createUniversityProgram(input: $i) { id version universityCode university { code } field { code } intakes { id seats seatsTaken seatsLeft } } }";
const LIST: &str = "query($f: UniversityProgramFilter) { universityPrograms(first: 20, filter: $f) { totalCount edges { node { id name universityCode intakes { seatsTaken } } } } }";
const MATCHES: &str = "query($p: ID!) { programMatches(programId: $p, first: 10) { totalCount eligibleCount edges { cursor node { migrant { id } placement { score eligible reasons { kind points detail } missing { kind detail } } } } } }";
const FOR_PERSON: &str = "query($m: ID!) { migrantProgramMatches(migrantId: $m, first: 10) { program { id universityCode } placement { eligible score } } }";

/// A licenciatura in ICT (field 06) of `inst`, with one intake of `seats`.
pub fn program(name: &str, seats: i32) -> Value {
    json!({"name": name, "faculty": "Facultad de Ingeniería", "level": "LICENCIATURA",
           "fieldCode": "06", "modality": "WEEKEND", "campusMunicipalityCode": "1301",
           "seatsPerIntake": seats, "minEducation": "UPPER_SECONDARY", "tuition": "3500.00",
           "scholarshipsOffered": true, "intakes": [{"startsOn": "2027-01-15"}]})
}

/// Creates a programme as `inst`; returns (programme id, first intake id).
pub async fn create(app: &TestApp, inst: &str, input: Value) -> (String, String) {
    let token = app.token(inst, "university_officer");
    let (_, body) = app.gql(&token, CREATE, json!({"i": input})).await;
    let p = &body["data"]["createUniversityProgram"];
    let id = p["id"].as_str().unwrap_or_else(|| panic!("{body}"));
    (
        id.to_string(),
        p["intakes"][0]["id"].as_str().unwrap().to_string(),
    )
}

async fn universities_write_their_own(app: TestApp) {
    let usac = app.token("USAC", "university_officer");
    let (_, body) = app
        .gql(
            &usac,
            CREATE,
            json!({"i": program("Ingeniería en Sistemas", 30)}),
        )
        .await;
    let p = &body["data"]["createUniversityProgram"];
    assert_eq!(p["university"]["code"], "USAC", "{body}");
    assert_eq!(p["intakes"][0]["seatsLeft"], 30);
    let id = p["id"].as_str().unwrap().to_string();
    let upd = "mutation($id: ID!, $v: Int!, $i: UpdateProgramInput!) { updateUniversityProgram(id: $id, expectedVersion: $v, input: $i) { version name } }";
    let vars = json!({"id": id, "v": 1, "i": {"name": "Ingeniería en Ciencias y Sistemas"}});
    let (_, other) = app
        .gql(&app.token("URL", "university_officer"), upd, vars.clone())
        .await;
    assert_eq!(error_code(&other).as_deref(), Some("FORBIDDEN"), "{other}");
    let (_, body) = app.gql(&usac, upd, vars.clone()).await;
    assert_eq!(
        body["data"]["updateUniversityProgram"]["version"], 2,
        "{body}"
    );
    let (_, stale) = app.gql(&usac, upd, vars).await;
    assert_eq!(error_code(&stale).as_deref(), Some("CONFLICT"), "{stale}");
    let add = "mutation($p: ID!, $d: Date!) { addProgramIntake(programId: $p, intake: {startsOn: $d, seats: 12}) { intakes { startsOn seats } } }";
    let (_, body) = app
        .gql(&usac, add, json!({"p": id, "d": "2027-07-15"}))
        .await;
    let intakes = &body["data"]["addProgramIntake"]["intakes"];
    assert_eq!(
        intakes[1],
        json!({"startsOn": "2027-07-15", "seats": 12}),
        "{body}"
    );
    let (_, again) = app
        .gql(&usac, add, json!({"p": id, "d": "2027-07-15"}))
        .await;
    assert_eq!(error_code(&again).as_deref(), Some("CONFLICT"), "{again}");
    let mut bad = program("X", 0);
    bad["name"] = json!("Ingeniería");
    let (_, body) = app.gql(&usac, CREATE, json!({"i": bad})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.seatsPerIntake",
        "{body}"
    );
    // IOM and MINTRAB may not create programmes.
    for (inst, role) in [("IOM", "iom_admin"), ("MINTRAB", "labour_officer")] {
        let (_, body) = app
            .gql(
                &app.token(inst, role),
                CREATE,
                json!({"i": program("Y", 5)}),
            )
            .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{role}: {body}"
        );
    }
}

async fn every_partner_reads_seats_only_owner(app: TestApp) {
    create(&app, "USAC", program("Ingeniería en Sistemas", 30)).await;
    create(&app, "UVG", program("Ciencia de Datos", 20)).await;
    let cases = [
        ("MINEX", "foreign_affairs_officer", 2, None),
        ("MINTRAB", "labour_officer", 2, None),
        ("IOM", "iom_caseworker", 2, Some(0)),
        ("IOM", "iom_reception", 2, None),
        ("USAC", "university_officer", 2, Some(1)),
    ];
    for (inst, role, total, seen) in cases {
        let (_, body) = app.gql(&app.token(inst, role), LIST, json!({})).await;
        let c = &body["data"]["universityPrograms"];
        assert_eq!(c["totalCount"], total, "{role}: {body}");
        let taken: Vec<&Value> = (c["edges"].as_array().unwrap().iter())
            .map(|e| &e["node"]["intakes"][0]["seatsTaken"])
            .collect();
        let numbers = taken.iter().filter(|t| t.is_number()).count();
        // IOM sees both; the owner only its own; others none.
        let want = match seen {
            Some(0) => 2,
            Some(n) => n,
            None => 0,
        };
        assert_eq!(numbers, want, "{role}: {body}");
    }
    let (_, body) = app
        .gql(
            &app.token("MINEX", "foreign_affairs_officer"),
            LIST,
            json!({"f": {"university": "UVG"}}),
        )
        .await;
    assert_eq!(
        body["data"]["universityPrograms"]["totalCount"], 1,
        "{body}"
    );
    let (_, body) = app.gql(&app.token("IOM", "auditor"), LIST, json!({})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
}

async fn matches(app: &TestApp, token: &str, p: &str) -> Value {
    app.gql(token, MATCHES, json!({"p": p})).await.1
}

async fn placement_ranks_and_explains(app: TestApp) {
    let (prog, _) = create(&app, "USAC", program("Ingeniería en Sistemas", 30)).await;
    create(&app, "URL", program("Informática", 30)).await;
    let ready = app.register(person("Ana", "Tzul", 1)).await;
    record_as_iom(&app, &ready, diversificado(3, true)).await;
    let bridge = app.register(person("Luis", "Cux", 2)).await;
    record_as_iom(&app, &bridge, diversificado(1, false)).await;
    let elsewhere = app.register(person("Rosa", "Pop", 3)).await;
    record_as_iom(&app, &elsewhere, diversificado(3, true)).await;
    for m in [&ready, &bridge] {
        app.consent(m, "USAC", "EDUCATION", None).await;
    }
    app.consent(&elsewhere, "URL", "EDUCATION", None).await;
    let usac = app.token("USAC", "university_officer");
    let first = matches(&app, &usac, &prog).await;
    let c = &first["data"]["programMatches"];
    assert_eq!(
        (c["totalCount"].clone(), c["eligibleCount"].clone()),
        (json!(2), json!(1)),
        "{first}"
    );
    let top = &c["edges"][0]["node"];
    assert_eq!(top["migrant"]["id"], ready.as_str());
    assert_eq!(top["placement"]["eligible"], true);
    let score: i64 = (top["placement"]["reasons"].as_array().unwrap().iter())
        .map(|r| r["points"].as_i64().unwrap())
        .sum();
    assert_eq!(top["placement"]["score"], score);
    let second = &c["edges"][1]["node"]["placement"];
    assert_eq!(second["eligible"], false);
    assert_eq!(
        second["missing"][0]["detail"],
        "needs diversificado completed (1 year(s) of diversificado done)"
    );
    // Deterministic: the same question gives the same answer.
    assert_eq!(matches(&app, &usac, &prog).await, first);
    // Another university's programme does not exist for URL.
    let body = matches(&app, &app.token("URL", "university_officer"), &prog).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let body = matches(&app, &app.token("MINTRAB", "labour_officer"), &prog).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    // IOM ranks every person; programmes of every university for one.
    let body = matches(&app, &app.token("IOM", "iom_caseworker"), &prog).await;
    assert_eq!(body["data"]["programMatches"]["totalCount"], 3, "{body}");
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_caseworker"),
            FOR_PERSON,
            json!({"m": ready}),
        )
        .await;
    assert_eq!(
        body["data"]["migrantProgramMatches"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{body}"
    );
    let (_, body) = app.gql(&usac, FOR_PERSON, json!({"m": ready})).await;
    let list = body["data"]["migrantProgramMatches"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!(list[0]["program"]["universityCode"], "USAC");
    let (_, body) = app.gql(&usac, FOR_PERSON, json!({"m": elsewhere})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
}

db_tests!(
    universities_write_their_own,
    every_partner_reads_seats_only_owner,
    placement_ranks_and_explains
);
