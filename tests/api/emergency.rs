//! Emergency access (break-the-glass): scoped to one record, one caller and
//! the caller's own slices; it ends on time, is audited and reviewable.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{cui, error_code, person, TestApp};

const OPEN: &str = "mutation($i: EmergencyAccessInput!) { openEmergencyAccess(input: $i) { id migrantId role reason expiresAt openedAt } }";
const READ: &str = "query($id: ID!) { migrant(id: $id) { id familyNames documentNumber health { needsMedicalAttention } } }";
const REASON: &str = "medical emergency at the consulate, needs history";

async fn open(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, OPEN, json!({ "i": input })).await.1
}

/// A person whose only arrival is 90 days ago: outside MINEX's window.
async fn old_arrival(app: &TestApp, n: u32) -> String {
    let id = app.register(person("Rosa", "Tzoc", n)).await;
    app.arrive(&id, 90).await;
    id
}

async fn a_grant_opens_one_record_for_one_caller(app: TestApp) {
    let id = old_arrival(&app, 7).await;
    let other = old_arrival(&app, 8).await;
    let minex = app.token_as("MINEX", "foreign_affairs_officer", "officer-1@minrex");
    let (_, body) = app.gql(&minex, READ, json!({"id": id})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("NOT_FOUND"),
        "outside the window: {body}"
    );

    let body = open(&app, &minex, json!({"migrantId": id, "reason": REASON})).await;
    let grant = &body["data"]["openEmergencyAccess"];
    assert_eq!(grant["migrantId"], json!(id), "{body}");
    assert_eq!(grant["role"], "foreign_affairs_officer");

    let (_, body) = app.gql(&minex, READ, json!({"id": id})).await;
    assert_eq!(body["data"]["migrant"]["familyNames"], "Tzoc", "{body}");
    // The role's slices only: MINEX reads HEALTH and DOCUMENTS per the matrix,
    // and nothing more appears because of the grant.
    let (_, body) = app
        .gql(
            &minex,
            "query($id: ID!) { migrant(id: $id) { skills { educationLevel } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    // Only that record, only that caller, never in lists.
    let (_, body) = app.gql(&minex, READ, json!({"id": other})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let colleague = app.token_as("MINEX", "foreign_affairs_officer", "officer-2@minrex");
    let (_, body) = app.gql(&colleague, READ, json!({"id": id})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    let (_, body) = app
        .gql(&minex, "{ migrants(first: 50) { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{body}");

    // It ends on time: once expired, the record is closed again.
    app.exec_sql("UPDATE emergency_accesses SET expires_at = opened_at");
    let (_, body) = app.gql(&minex, READ, json!({"id": id})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("NOT_FOUND"),
        "expired: {body}"
    );
}

async fn emergency_reads_are_flagged_and_reviewable(app: TestApp) {
    let id = old_arrival(&app, 7).await;
    let minex = app.token("MINEX", "foreign_affairs_officer");
    let body = open(
        &app,
        &minex,
        json!({"documentNumber": cui(7, "1301"), "reason": REASON}),
    )
    .await;
    let grant = body["data"]["openEmergencyAccess"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    app.gql(&minex, READ, json!({"id": id})).await;
    let auditor = app.token("IOM", "auditor");
    let q = "query($r: String) { auditEvents(first: 20, filter: {recordId: $r}) { edges { node { action actorInstitution slices } } } }";
    let (_, body) = app.gql(&auditor, q, json!({"r": id})).await;
    let actions: Vec<String> = body["data"]["auditEvents"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap().to_string())
        .collect();
    assert!(
        actions.contains(&"EMERGENCY_ACCESS".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"EMERGENCY_READ".to_string()),
        "{actions:?}"
    );
    assert!(
        !body.to_string().contains("medical emergency"),
        "no reason in the chain"
    );
    let list = "{ emergencyAccesses(first: 10, activeOnly: true) { totalCount edges { node { id migrantId reason subject } } } }";
    for token in [auditor.clone(), app.token("IOM", "iom_admin")] {
        let (_, body) = app.gql(&token, list, json!({})).await;
        let conn = &body["data"]["emergencyAccesses"];
        assert_eq!(conn["totalCount"], 1, "{body}");
        assert_eq!(conn["edges"][0]["node"]["id"], json!(grant));
        assert_eq!(conn["edges"][0]["node"]["reason"], REASON);
    }
    let (_, body) = app.gql(&minex, list, json!({})).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    app.exec_sql("UPDATE emergency_accesses SET expires_at = opened_at");
    let (_, body) = app.gql(&auditor, list, json!({})).await;
    assert_eq!(body["data"]["emergencyAccesses"]["totalCount"], 0, "{body}");
}

async fn who_may_break_the_glass_and_how(app: TestApp) {
    let id = old_arrival(&app, 7).await;
    for (inst, role) in [
        ("MINTRAB", "labour_officer"),
        ("USAC", "university_officer"),
        ("IOM", "auditor"),
    ] {
        let body = open(
            &app,
            &app.token(inst, role),
            json!({"migrantId": id, "reason": REASON}),
        )
        .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{role}: {body}"
        );
    }
    let minex = app.token("MINEX", "foreign_affairs_officer");
    let bad = [
        json!({"migrantId": id, "reason": "short"}),
        json!({"reason": REASON}),
        json!({"migrantId": id, "documentNumber": cui(7, "1301"), "reason": REASON}),
        json!({"documentNumber": "123", "reason": REASON}),
    ];
    for input in bad {
        let body = open(&app, &minex, input.clone()).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{input}: {body}"
        );
    }
    let body = open(
        &app,
        &minex,
        json!({"migrantId": "no-such-id", "reason": REASON}),
    )
    .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
    // A do-not-share record stays closed to MINEX, as if it did not exist.
    app.exec_sql(&format!(
        "UPDATE migrants SET do_not_share = TRUE WHERE id = '{id}'"
    ));
    let body = open(&app, &minex, json!({"migrantId": id, "reason": REASON})).await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
}

db_tests!(
    a_grant_opens_one_record_for_one_caller,
    emergency_reads_are_flagged_and_reviewable,
    who_may_break_the_glass_and_how,
);
