//! Arrival day: flights, manifests, reception, repeat returns, MINEX.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{cui, error_code, person, TestApp};

pub async fn schedule(app: &TestApp, code: &str) -> String {
    let q = "mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id status } }";
    let at = chrono::Utc::now().to_rfc3339();
    let vars = json!({"i": {"code": code, "originAirport": "AEX", "scheduledAt": at}});
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q, vars).await;
    body["data"]["scheduleFlight"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

pub const IMPORT: &str = "mutation($f: ID!, $rows: [ManifestRowInput!]!, $k: String) { importManifest(flightId: $f, rows: $rows, idempotencyKey: $k) { accepted { line migrantId arrivalId outcome } review { line candidates { migrantId score } } errors { line field message } } }";

pub fn manifest_line(n: u32) -> Value {
    let given = ["Ana", "José", "María", "Luis", "Rosa", "Pedro"][n as usize % 6];
    let fam: String = [b'a' + (n / 26 % 26) as u8, b'a' + (n % 26) as u8]
        .iter()
        .map(|b| *b as char)
        .collect();
    json!({
        "givenNames": given, "familyNames": format!("Xoc{fam} Tzul"), "birthDate": "1991-07-15", "sex": "M",
        "documentNumber": cui(1000 + n, "1301"), "municipalityCode": "1301", "usState": "TX", "monthsInUs": "36"
    })
}

async fn count_all(app: &TestApp) -> (i64, i64) {
    let q = "{ migrants(first: 1) { totalCount } }";
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q, json!({})).await;
    let people = body["data"]["migrants"]["totalCount"].as_i64().unwrap();
    let q2 = "{ migrants(first: 100) { edges { node { arrivals { id } } } } }";
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q2, json!({})).await;
    let arrivals = body["data"]["migrants"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["arrivals"].as_array().unwrap().len() as i64)
        .sum();
    (people, arrivals)
}

async fn two_lines_for_one_person_take_one_seat(app: TestApp) {
    let flight = schedule(&app, "GUA-T-DUP").await;
    let known = manifest_line(7);
    let id = app
        .register(json!({"identity": {"givenNames": known["givenNames"], "familyNames": known["familyNames"], "birthDate": "1991-07-15", "sex": "MALE"},
            "documents": {"documentNumber": known["documentNumber"]}, "origin": {"municipalityCode": "1301"}}))
        .await;
    let mut by_name = known.clone();
    by_name["documentNumber"] = Value::Null;
    let rows = json!([known, by_name]);
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_reception"),
            IMPORT,
            json!({"f": flight, "rows": rows}),
        )
        .await;
    let r = &body["data"]["importManifest"];
    assert_eq!(r["accepted"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(r["accepted"][0]["migrantId"], id, "{body}");
    assert_eq!(r["errors"][0]["line"], 2, "{body}");
}

async fn manifest_with_bad_rows(app: TestApp) {
    let flight = schedule(&app, "GUA-T-001").await;
    let mut rows: Vec<Value> = (0..150).map(manifest_line).collect();
    let good = cui(1010, "1301");
    let wrong_check = (good.as_bytes()[8] - b'0' + 1) % 10;
    rows[10]["documentNumber"] = json!(format!("{}{wrong_check}{}", &good[..8], &good[9..]));
    rows[20]["municipalityCode"] = json!("1399");
    rows[30] = rows[29].clone();
    rows[40]["birthDate"] = json!("1991-02-30");
    rows[50]["givenNames"] = json!("  ");
    let admin = app.token("IOM", "iom_reception");
    let (_, body) = app
        .gql(
            &admin,
            IMPORT,
            json!({"f": flight, "rows": rows, "k": "manifest-1"}),
        )
        .await;
    let r = &body["data"]["importManifest"];
    assert_eq!(
        r["accepted"].as_array().map(Vec::len),
        Some(145),
        "{}",
        r["errors"]
    );
    let errors: Vec<(i64, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (11, "documentNumber".into()),
            (21, "municipalityCode".into()),
            (31, "line".into()),
            (41, "birthDate".into()),
            (51, "givenNames".into()),
        ]
    );
    assert!(
        r["errors"][2]["message"]
            .as_str()
            .unwrap()
            .contains("line 30"),
        "{body}"
    );
    assert_eq!(count_all(&app).await.0, 145);
    // A retry with the key answers the first result; a re-import without it adds nothing.
    let (_, again) = app
        .gql(
            &admin,
            IMPORT,
            json!({"f": flight, "rows": rows, "k": "manifest-1"}),
        )
        .await;
    assert_eq!(again["data"]["importManifest"]["accepted"], r["accepted"]);
    let (_, again) = app
        .gql(&admin, IMPORT, json!({"f": flight, "rows": rows}))
        .await;
    let outcomes: Vec<&str> = again["data"]["importManifest"]["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.iter().all(|o| *o == "ALREADY_ON_FLIGHT"),
        "{again}"
    );
    assert_eq!(count_all(&app).await.0, 145);
    let q = "query($f: ID!) { flight(id: $f) { board { expected arrived waiting } } }";
    let (_, body) = app.gql(&admin, q, json!({"f": flight})).await;
    assert_eq!(
        body["data"]["flight"]["board"],
        json!({"expected": 145, "arrived": 0, "waiting": 145})
    );
}

async fn same_person_on_a_second_flight(app: TestApp) {
    let (f1, f2) = (
        schedule(&app, "GUA-T-010").await,
        schedule(&app, "GUA-T-011").await,
    );
    let admin = app.token("IOM", "iom_admin");
    let (_, a) = app
        .gql(&admin, IMPORT, json!({"f": f1, "rows": [manifest_line(7)]}))
        .await;
    assert_eq!(
        a["data"]["importManifest"]["accepted"][0]["outcome"], "CREATED",
        "{a}"
    );
    let (_, b) = app
        .gql(&admin, IMPORT, json!({"f": f2, "rows": [manifest_line(7)]}))
        .await;
    assert_eq!(
        b["data"]["importManifest"]["accepted"][0]["outcome"], "LINKED",
        "{b}"
    );
    let id = a["data"]["importManifest"]["accepted"][0]["migrantId"].clone();
    assert_eq!(b["data"]["importManifest"]["accepted"][0]["migrantId"], id);
    assert_eq!(count_all(&app).await, (1, 2), "one person, two arrivals");
}

const REGISTER: &str = "mutation($i: RegisterArrivalInput!) { registerArrival(input: $i) { outcome migrant { id } arrival { status flightId } candidates { score reasons migrant { id givenNames } } } }";

fn at_the_door(given: &str, family: &str, birth: &str) -> Value {
    json!({"identity": {"givenNames": given, "familyNames": family, "birthDate": birth, "sex": "MALE"}, "origin": {"municipalityCode": "1301"}})
}

async fn returning_people_are_recognised(app: TestApp) {
    let mut p = person("José Luis", "López García", 1);
    p.as_object_mut().unwrap().remove("documents");
    let known = app.register(p).await;
    let flight = schedule(&app, "GUA-T-020").await;
    let reception = app.token("IOM", "iom_reception");
    // A near match (birth date differs by a day): candidates, nothing stored.
    let vars = json!({"i": {"flightId": flight, "person": at_the_door("Jose Luis", "Lopez Garcia", "1994-05-18")}});
    let (_, body) = app.gql(&reception, REGISTER, vars.clone()).await;
    let r = &body["data"]["registerArrival"];
    assert_eq!(r["outcome"], "CANDIDATES", "{body}");
    assert_eq!(r["candidates"][0]["migrant"]["id"], known);
    assert!(r["migrant"].is_null() && r["arrival"].is_null());
    assert_eq!(count_all(&app).await, (1, 0), "nothing duplicated");
    // Staff picks the candidate: linked.
    let mut pick = vars.clone();
    pick["i"]["linkToMigrantId"] = json!(known);
    let (_, body) = app.gql(&reception, REGISTER, pick).await;
    assert_eq!(
        body["data"]["registerArrival"]["outcome"], "LINKED",
        "{body}"
    );
    assert_eq!(
        body["data"]["registerArrival"]["arrival"]["status"],
        "ARRIVED"
    );
    // Close match, accent-free and without the second surname: linked at once.
    let flight2 = schedule(&app, "GUA-T-021").await;
    let vars = json!({"i": {"flightId": flight2, "person": at_the_door("JOSE LUIS", "Lopez", "1994-05-17")}});
    let (_, body) = app.gql(&reception, REGISTER, vars).await;
    assert_eq!(
        body["data"]["registerArrival"]["outcome"], "LINKED",
        "{body}"
    );
    assert_eq!(body["data"]["registerArrival"]["migrant"]["id"], known);
    assert_eq!(count_all(&app).await, (1, 2));
    // Someone new is created.
    let vars =
        json!({"i": {"flightId": flight2, "person": at_the_door("Pedro", "Cux", "1980-01-01")}});
    let (_, body) = app.gql(&reception, REGISTER, vars).await;
    assert_eq!(
        body["data"]["registerArrival"]["outcome"], "CREATED",
        "{body}"
    );
    let q = "query($id: ID!) { migrant(id: $id) { previousReturns assistance { kind } } }";
    let (_, body) = app.gql(&reception, q, json!({"id": known})).await;
    assert_eq!(body["data"]["migrant"]["previousReturns"], 1, "{body}");
    assert_eq!(
        body["data"]["migrant"]["assistance"],
        json!([{"kind": "RECEPTION"}, {"kind": "RECEPTION"}])
    );
}

const ASSIST: &str = "mutation($i: AssistanceInput!, $k: String) { recordAssistance(input: $i, idempotencyKey: $k) { id kind } }";

async fn minex_window_and_assistance_kinds(app: TestApp) {
    let recent = app.register(person("Ana", "Coc", 1)).await;
    app.arrive(&recent, 3).await;
    let old = app.register(person("Luis", "Coc", 2)).await;
    app.arrive(&old, 60).await;
    let minex = app.token("MINEX", "foreign_affairs_officer");
    for kind in ["FOOD_RATION", "MEDICAL_AID", "PHONE_CALL"] {
        let (_, body) = app
            .gql(
                &minex,
                ASSIST,
                json!({"i": {"migrantId": recent, "kind": kind}}),
            )
            .await;
        assert_eq!(body["data"]["recordAssistance"]["kind"], kind, "{body}");
    }
    let (_, body) = app.gql(&minex, ASSIST, json!({"i": {"migrantId": recent, "kind": "TRANSPORT", "destinationMunicipalityCode": "1301"}})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("FORBIDDEN"),
        "MINEX cannot record TRANSPORT: {body}"
    );
    let (_, body) = app
        .gql(
            &minex,
            ASSIST,
            json!({"i": {"migrantId": old, "kind": "FOOD_RATION"}}),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("NOT_FOUND"),
        "outside the window: {body}"
    );
    let (_, body) = app
        .gql(
            &minex,
            "query($id: ID!) { migrant(id: $id) { id } }",
            json!({"id": old}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"));
    let reception = app.token("IOM", "iom_reception");
    let (_, body) = app
        .gql(
            &reception,
            ASSIST,
            json!({"i": {"migrantId": recent, "kind": "FOOD_RATION"}}),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("FORBIDDEN"),
        "reception cannot record MINEX kinds: {body}"
    );
    let (_, body) = app
        .gql(
            &reception,
            ASSIST,
            json!({"i": {"migrantId": recent, "kind": "TRANSPORT"}}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.destinationMunicipalityCode",
        "{body}"
    );
    let vars = json!({"i": {"migrantId": recent, "kind": "TRANSPORT", "destinationMunicipalityCode": "1301"}, "k": "bus-1"});
    let (_, first) = app.gql(&reception, ASSIST, vars.clone()).await;
    let (_, again) = app.gql(&reception, ASSIST, vars).await;
    assert_eq!(
        first["data"]["recordAssistance"]["id"], again["data"]["recordAssistance"]["id"],
        "idempotent retry"
    );
    let q = "query($id: ID!) { migrant(id: $id) { assistance { kind } } }";
    let (_, body) = app.gql(&minex, q, json!({"id": recent})).await;
    assert_eq!(
        body["data"]["migrant"]["assistance"]
            .as_array()
            .unwrap()
            .len(),
        4,
        "{body}"
    );
    // MINEX reads flights but cannot schedule them; MINTRAB cannot see them.
    let (_, body) = app
        .gql(&minex, "{ flights { totalCount } }", json!({}))
        .await;
    assert!(body["data"]["flights"]["totalCount"].is_number(), "{body}");
    let q = "mutation { scheduleFlight(input: {code: \"X-1\", originAirport: \"ELP\", scheduledAt: \"2026-12-01T10:00:00Z\"}) { id } }";
    let (_, body) = app.gql(&minex, q, json!({})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"));
    let (_, body) = app
        .gql(
            &app.token("MINTRAB", "labour_officer"),
            "{ flights { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"));
}

async fn expected_people_are_marked_arrived(app: TestApp) {
    let flight = schedule(&app, "GUA-T-030").await;
    let admin = app.token("IOM", "iom_reception");
    let (_, body) = app
        .gql(
            &admin,
            IMPORT,
            json!({"f": flight, "rows": [manifest_line(1), manifest_line(2)]}),
        )
        .await;
    let arrival = body["data"]["importManifest"]["accepted"][0]["arrivalId"].clone();
    let q = "mutation($a: ID!) { markArrived(arrivalId: $a) { status } }";
    let (_, body) = app.gql(&admin, q, json!({"a": arrival})).await;
    assert_eq!(body["data"]["markArrived"]["status"], "ARRIVED", "{body}");
    let (_, body) = app.gql(&admin, q, json!({"a": arrival})).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"));
    let q = "query($f: ID!) { flight(id: $f) { board { expected arrived waiting assisted { kind people } } } }";
    let (_, body) = app
        .gql(
            &app.token("MINEX", "foreign_affairs_officer"),
            q,
            json!({"f": flight}),
        )
        .await;
    let board = &body["data"]["flight"]["board"];
    assert_eq!(
        (
            board["expected"].clone(),
            board["arrived"].clone(),
            board["waiting"].clone()
        ),
        (json!(2), json!(1), json!(1)),
        "{body}"
    );
    assert_eq!(
        board["assisted"][0],
        json!({"kind": "RECEPTION", "people": 1})
    );
    // Optimistic concurrency on flights.
    let q = "mutation($f: ID!, $v: Int!) { updateFlight(id: $f, expectedVersion: $v, input: {landedAt: \"2026-11-28T15:00:00Z\"}) { status version } }";
    let (_, body) = app.gql(&admin, q, json!({"f": flight, "v": 1})).await;
    assert_eq!(body["data"]["updateFlight"]["status"], "LANDED", "{body}");
    let (_, body) = app.gql(&admin, q, json!({"f": flight, "v": 1})).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"));
}

db_tests!(
    two_lines_for_one_person_take_one_seat,
    manifest_with_bad_rows,
    same_person_on_a_second_flight,
    returning_people_are_recognised,
    minex_window_and_assistance_kinds,
    expected_people_are_marked_arrived,
);
