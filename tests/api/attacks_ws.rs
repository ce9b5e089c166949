//! Attacks through the WebSocket side door: a session must be as valid at
//! every moment as an HTTP request, go through the same limits, and leave
//! the same audit trail.

use serde_json::{json, Value};

use crate::support::ws::{connect, next_event, open, send, start, subscribe, Conn, Event};
use crate::support::{claims, error_code, person, sign_hs, TestApp, SECRET};
use crate::{db_tests, db_tests_with};
use reintegra::config::Settings;

const ARRIVALS: &str = "subscription { arrivals { migrant { id givenNames } } }";
const FORBIDDEN: u16 = 4403;

/// A MINTRAB token that expires `secs` from now.
fn short_lived(secs: i64) -> String {
    let mut c = claims("MINTRAB", "labour_officer", "short@mintrab");
    c["exp"] = json!(chrono::Utc::now().timestamp() + secs);
    sign_hs(&c, SECRET)
}

/// The next message must be an `error` for `id` coded `code`.
async fn expect_error(conn: &mut Conn, id: &str, code: &str) {
    match next_event(conn, 15).await {
        Event::Msg(m) => {
            assert_eq!(m["type"], "error", "{m}");
            assert_eq!(m["id"], id, "{m}");
            assert_eq!(m["payload"][0]["extensions"]["code"], code, "{m}");
        }
        other => panic!("expected an error for {id}, got {other:?}"),
    }
}

async fn expect_closed(conn: &mut Conn, code: u16) {
    assert_eq!(next_event(conn, 15).await, Event::Closed(Some(code)));
}

/// The first `next` payload of operation `id`.
async fn result_of(conn: &mut Conn, id: &str) -> Value {
    match next_event(conn, 15).await {
        Event::Msg(m) if m["id"] == id => m,
        other => panic!("expected a message for {id}, got {other:?}"),
    }
}

async fn quiet_subscription_ends_when_the_token_expires(app: TestApp) {
    let mut conn = connect(&app, &short_lived(2)).await.expect("ws");
    subscribe(&mut conn, ARRIVALS).await;
    // Nothing is delivered, yet the session ends at expiry with a reason.
    expect_error(&mut conn, "1", "UNAUTHENTICATED").await;
    expect_closed(&mut conn, FORBIDDEN).await;
}

async fn deactivated_session_can_neither_read_nor_write(app: TestApp) {
    let id = app.register(person("Rosa", "Cutzal", 1)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let mut conn = connect(&app, &app.token("MINTRAB", "labour_officer"))
        .await
        .expect("ws");
    // Deactivated behind the API's back: no event tells the session.
    app.exec_sql("UPDATE institutions SET active = false WHERE code = 'MINTRAB'");
    let write = "mutation($id: ID!) { updateMigrant(id: $id, expectedVersion: 1, input: {skills: {yearsExperience: 40}}) { version } }";
    start(&mut conn, "w", write, json!({"id": id})).await;
    expect_error(&mut conn, "w", "UNAUTHENTICATED").await;
    expect_closed(&mut conn, FORBIDDEN).await;
    let admin = app.token("IOM", "iom_admin");
    let q = "query($id: ID!) { migrant(id: $id) { version skills { yearsExperience } } }";
    let (_, body) = app.gql(&admin, q, json!({"id": id})).await;
    assert_eq!(
        body["data"]["migrant"]["skills"]["yearsExperience"], 6,
        "nothing stored: {body}"
    );
}

async fn deactivation_ends_open_subscriptions_at_once(app: TestApp) {
    let mut conn = connect(&app, &app.token("MINEX", "foreign_affairs_officer"))
        .await
        .expect("ws");
    subscribe(&mut conn, ARRIVALS).await;
    let admin = app.token("IOM", "iom_admin");
    let q = "mutation { setInstitutionActive(code: \"MINEX\", active: false, expectedVersion: 1) { active } }";
    let (_, body) = app.gql(&admin, q, json!({})).await;
    assert_eq!(
        body["data"]["setInstitutionActive"]["active"], false,
        "{body}"
    );
    expect_error(&mut conn, "1", "UNAUTHENTICATED").await;
    expect_closed(&mut conn, FORBIDDEN).await;
}

async fn websocket_reads_are_audited(app: TestApp) {
    let id = app.register(person("Ana", "Sic", 1)).await;
    let mut conn = connect(&app, &app.token_as("IOM", "iom_caseworker", "ws@iom"))
        .await
        .expect("ws");
    let q = "query($id: ID!) { migrant(id: $id) { givenNames } }";
    start(&mut conn, "r", q, json!({"id": id})).await;
    let m = result_of(&mut conn, "r").await;
    assert_eq!(m["payload"]["data"]["migrant"]["givenNames"], "Ana", "{m}");
    let admin = app.token("IOM", "iom_admin");
    let audit = "query($r: String) { auditEvents(first: 50, filter: {recordId: $r}) { edges { node { action actorSubject slices } } } }";
    let (_, body) = app.gql(&admin, audit, json!({"r": id})).await;
    let read = body["data"]["auditEvents"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["actorSubject"] == "ws@iom")
        .cloned()
        .unwrap_or_else(|| panic!("no audit of the WebSocket read: {body}"));
    assert_eq!(read["action"], "READ");
    assert_eq!(read["slices"], json!(["IDENTITY"]));
}

async fn websocket_obeys_the_width_limit(app: TestApp) {
    let mut conn = connect(&app, &app.token("IOM", "iom_admin"))
        .await
        .expect("ws");
    let fields: String = (0..40).map(|i| format!("a{i}: me {{ role }} ")).collect();
    start(&mut conn, "wide", &format!("{{ {fields} }}"), json!({})).await;
    expect_error(&mut conn, "wide", "QUERY_TOO_COMPLEX").await;
}

async fn websocket_shares_the_subject_budget(app: TestApp) {
    // The budget is 5 a minute: the connection_init spends one.
    let mut conn = connect(&app, &app.token("IOM", "iom_admin"))
        .await
        .expect("ws");
    for n in 0..4 {
        start(&mut conn, &n.to_string(), "{ me { role } }", json!({})).await;
        let m = result_of(&mut conn, &n.to_string()).await;
        assert_eq!(m["type"], "next", "{m}");
        assert_eq!(
            next_event(&mut conn, 15).await,
            Event::Msg(json!({"type": "complete", "id": n.to_string()}))
        );
    }
    start(&mut conn, "over", "{ me { role } }", json!({})).await;
    expect_error(&mut conn, "over", "RATE_LIMITED").await;
    // HTTP draws on the same budget.
    let (status, body) = app
        .gql(&app.token("IOM", "iom_admin"), "{ me { role } }", json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (429, Some("RATE_LIMITED"))
    );
}

async fn silent_sockets_are_closed(app: TestApp) {
    let mut conn = open(&app).await;
    expect_closed(&mut conn, 4408).await;
    let mut conn = open(&app).await;
    send(
        &mut conn,
        json!({"type": "subscribe", "id": "1", "payload": {"query": "{ me { role } }"}}),
    )
    .await;
    expect_closed(&mut conn, 4401).await;
}

fn tight(s: &mut Settings) {
    s.limits.rate_per_minute = 5;
    s.limits.ws_init_timeout = std::time::Duration::from_secs(1);
}

db_tests!(
    quiet_subscription_ends_when_the_token_expires,
    deactivated_session_can_neither_read_nor_write,
    deactivation_ends_open_subscriptions_at_once,
    websocket_reads_are_audited,
    websocket_obeys_the_width_limit,
);

db_tests_with!(tight; websocket_shares_the_subject_budget, silent_sockets_are_closed);
