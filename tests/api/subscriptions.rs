//! Subscriptions over WebSocket (`graphql-transport-ws`): token checked at
//! `connection_init`, every event filtered through the subscriber's policy.

use serde_json::{json, Value};

use crate::arrival_day::schedule;
use crate::db_tests;
use crate::support::ws::{connect, next_json, subscribe};
use crate::support::{person, TestApp};

const ARRIVALS: &str =
    "subscription { arrivals { migrant { id givenNames } arrival { flightId } } }";
const REGISTER: &str =
    "mutation($i: RegisterArrivalInput!) { registerArrival(input: $i) { outcome migrant { id } } }";

async fn receive(app: &TestApp, flight: &str, p: Value) -> String {
    let vars = json!({"i": {"flightId": flight, "person": p}});
    let (_, body) = app
        .gql(&app.token("IOM", "iom_reception"), REGISTER, vars)
        .await;
    body["data"]["registerArrival"]["migrant"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

fn at_door(p: &Value) -> Value {
    json!({"identity": p["identity"], "documents": p["documents"], "origin": p["origin"]})
}

async fn subscribers_get_only_what_they_may_query(app: TestApp) {
    let consented = person("Rosa", "Cutzal", 2);
    let known = app.register(consented.clone()).await;
    app.consent(&known, "MINTRAB", "EMPLOYMENT", None).await;
    let mut minex = connect(&app, &app.token("MINEX", "foreign_affairs_officer"))
        .await
        .expect("minex ws");
    let mut labour = connect(&app, &app.token("MINTRAB", "labour_officer"))
        .await
        .expect("labour ws");
    subscribe(&mut minex, ARRIVALS).await;
    subscribe(&mut labour, ARRIVALS).await;
    let flight = schedule(&app, "GUA-WS-1").await;
    let stranger = receive(&app, &flight, at_door(&person("Ana", "Sic", 1))).await;
    let linked = receive(&app, &flight, at_door(&consented)).await;
    assert_eq!(
        linked, known,
        "the returning person is linked, not duplicated"
    );
    // MINEX sees both arrivals, with the flight (RETURN slice).
    for expected in [&stranger, &known] {
        let msg = next_json(&mut minex).await.expect("minex event");
        assert_eq!(msg["type"], "next", "{msg}");
        let ev = &msg["payload"]["data"]["arrivals"];
        assert_eq!(&ev["migrant"]["id"], expected, "{msg}");
        assert_eq!(ev["arrival"]["flightId"], flight);
    }
    // MINTRAB's first event is the consented person: the stranger never came.
    let msg = next_json(&mut labour).await.expect("labour event");
    let ev = &msg["payload"]["data"]["arrivals"];
    assert_eq!(ev["migrant"]["id"], known, "{msg}");
    assert_eq!(ev["migrant"]["givenNames"], "Rosa");
    assert!(
        ev["arrival"].is_null(),
        "RETURN is not MINTRAB's slice: {msg}"
    );
    assert_eq!(
        msg["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{msg}"
    );
}

async fn two_servers_behave_as_one(app: TestApp) {
    if app.backend == crate::support::Backend::Sqlite {
        return; // SQLite is served by one process.
    }
    let other = TestApp::spawn(app.backend, app.db.shared(), |_| {});
    let mut minex = connect(&other, &other.token("MINEX", "foreign_affairs_officer"))
        .await
        .expect("minex ws on the second server");
    subscribe(&mut minex, ARRIVALS).await;
    let flight = schedule(&app, "GUA-WS-2").await;
    let id = receive(&app, &flight, at_door(&person("Ana", "Sic", 1))).await;
    let msg = next_json(&mut minex)
        .await
        .expect("event from the first server");
    assert_eq!(
        msg["payload"]["data"]["arrivals"]["migrant"]["id"], id,
        "{msg}"
    );
    // One audit chain for both.
    let (_, body) = other
        .gql(
            &other.token("IOM", "auditor"),
            "{ auditChain { ok } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["auditChain"]["ok"], true, "{body}");
}

async fn a_board_sees_manifests_arrivals_and_reception(app: TestApp) {
    let token = app.token("MINEX", "foreign_affairs_officer");
    let mut flights = connect(&app, &token).await.expect("ws");
    subscribe(&mut flights, "subscription { flightUpdates { id } }").await;
    let mut help = connect(&app, &token).await.expect("ws");
    subscribe(
        &mut help,
        "subscription { assistanceRecorded { assistance { kind } } }",
    )
    .await;
    let flight = schedule(&app, "GUA-WS-3").await;
    let first = next_json(&mut flights).await.expect("scheduled");
    assert_eq!(
        first["payload"]["data"]["flightUpdates"]["id"], flight,
        "{first}"
    );
    let q = "mutation($f: ID!, $rows: [ManifestRowInput!]!) { importManifest(flightId: $f, rows: $rows) { accepted { line } } }";
    let row = json!({"givenNames": "Ana", "familyNames": "Pop", "birthDate": "1990-02-03", "sex": "F", "municipalityCode": "1301"});
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_reception"),
            q,
            json!({"f": flight, "rows": [row]}),
        )
        .await;
    assert_eq!(
        body["data"]["importManifest"]["accepted"][0]["line"], 1,
        "{body}"
    );
    let imported = next_json(&mut flights).await.expect("manifest event");
    assert_eq!(
        imported["payload"]["data"]["flightUpdates"]["id"], flight,
        "{imported}"
    );
    receive(&app, &flight, at_door(&person("Rosa", "Sic", 3))).await;
    let arrived = next_json(&mut flights).await.expect("arrival event");
    assert_eq!(
        arrived["payload"]["data"]["flightUpdates"]["id"], flight,
        "{arrived}"
    );
    let reception = next_json(&mut help).await.expect("reception event");
    let kind = &reception["payload"]["data"]["assistanceRecorded"]["assistance"]["kind"];
    assert_eq!(kind, "RECEPTION", "{reception}");
}

async fn stopping_closes_sockets_as_going_away(app: TestApp) {
    use crate::support::ws::{next_event, Event};
    let mut conn = connect(&app, &app.token("MINEX", "foreign_affairs_officer"))
        .await
        .expect("ws");
    subscribe(&mut conn, ARRIVALS).await;
    app.state.begin_shutdown();
    assert_eq!(next_event(&mut conn, 15).await, Event::Closed(Some(1001)));
}

async fn metrics_count_sockets_and_subscriptions(app: TestApp) {
    let mut conn = connect(&app, &app.token("MINEX", "foreign_affairs_officer"))
        .await
        .expect("ws");
    subscribe(&mut conn, ARRIVALS).await;
    let (_, text) = app.get("/metrics", None).await;
    assert!(text.contains("reintegra_ws_connections 1"), "{text}");
    assert!(
        text.contains("reintegra_ws_operations{field=\"arrivals\"} 1"),
        "{text}"
    );
    assert!(text.contains("process_resident_memory_bytes"), "{text}");
}

async fn invalid_tokens_are_refused_at_init(app: TestApp) {
    assert!(connect(&app, "not-a-token").await.is_none());
    let expired = {
        let mut c = crate::support::claims("MINEX", "foreign_affairs_officer", "x");
        c["exp"] = json!(chrono::Utc::now().timestamp() - 600);
        crate::support::sign_hs(&c, crate::support::SECRET)
    };
    assert!(
        connect(&app, &expired).await.is_none(),
        "expired token refused"
    );
    assert!(
        connect(&app, &app.token("MINEX", "foreign_affairs_officer"))
            .await
            .is_some()
    );
}

db_tests!(
    metrics_count_sockets_and_subscriptions,
    stopping_closes_sockets_as_going_away,
    a_board_sees_manifests_arrivals_and_reception,
    two_servers_behave_as_one,
    subscribers_get_only_what_they_may_query,
    invalid_tokens_are_refused_at_init
);
