//! The audit log records reads and writes and detects tampering.

use serde_json::json;

use crate::db_tests;
use crate::support::{person, TestApp};

const CHAIN: &str = "{ auditChain { ok checked firstBrokenSeq reason } }";

async fn reads_and_writes_are_audited(app: TestApp) {
    let id = app.register(person("Ana", "Pop", 1)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let labour = app.token_as("MINTRAB", "labour_officer", "ana@mintrab");
    app.gql(
        &labour,
        "{ migrants { edges { node { givenNames phone skills { occupations { years } } } } } }",
        json!({}),
    )
    .await;
    let admin = app.token("IOM", "iom_admin");
    let q = "query($r: String) { auditEvents(first: 50, filter: {recordId: $r}) { totalCount edges { node { seq action actorSubject actorInstitution actorRole recordIds slices requestId } } } }";
    let (_, body) = app.gql(&admin, q, json!({"r": id})).await;
    let events = body["data"]["auditEvents"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["CREATE", "CONSENT_RECORD", "READ"], "{body}");
    let read = events
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["actorSubject"] == "ana@mintrab")
        .expect("labour read audited");
    assert_eq!(read["action"], "READ");
    assert_eq!(read["actorInstitution"], "MINTRAB");
    assert_eq!(read["recordIds"], json!([id]));
    assert_eq!(read["slices"], json!(["IDENTITY", "CONTACT", "SKILLS"]));
    assert!(read["requestId"].as_str().is_some_and(|r| !r.is_empty()));
    // Only iom_admin and the auditor read the log.
    let (_, body) = app
        .gql(&app.token("IOM", "auditor"), CHAIN, json!({}))
        .await;
    assert_eq!(body["data"]["auditChain"]["ok"], true, "{body}");
    let (_, body) = app.gql(&labour, CHAIN, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

async fn tampering_breaks_the_chain(app: TestApp) {
    for n in 0..3 {
        app.register(person(
            "Ana",
            &format!("Ical{}", "a".repeat(n + 1)),
            n as u32,
        ))
        .await;
    }
    let auditor = app.token("IOM", "auditor");
    let (_, body) = app.gql(&auditor, CHAIN, json!({})).await;
    assert_eq!(body["data"]["auditChain"]["ok"], true, "{body}");
    assert_eq!(body["data"]["auditChain"]["checked"], 3);
    app.exec_sql("UPDATE audit_events SET actor_subject = 'someone-else' WHERE seq = 2");
    let (_, body) = app.gql(&auditor, CHAIN, json!({})).await;
    let status = &body["data"]["auditChain"];
    assert_eq!(status["ok"], false, "{body}");
    assert_eq!(status["firstBrokenSeq"], 2);
    assert_eq!(status["checked"], 1);
}

async fn deleting_the_tail_is_detected(app: TestApp) {
    for n in 0..2 {
        app.register(person(
            "Ana",
            &format!("Tiul{}", "a".repeat(n + 1)),
            n as u32,
        ))
        .await;
    }
    app.exec_sql("DELETE FROM audit_events WHERE seq = 2");
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), CHAIN, json!({}))
        .await;
    assert_eq!(body["data"]["auditChain"]["firstBrokenSeq"], 2, "{body}");
}

async fn concurrent_readers_each_leave_one_chained_event(app: TestApp) {
    let id = app.register(person("Ana", "Quej", 1)).await;
    let q = "query($id: ID!) { migrant(id: $id) { givenNames } }";
    let readers = (0..200).map(|n| {
        let token = app.token_as("IOM", "iom_caseworker", &format!("reader{n}@iom"));
        let (app, vars) = (&app, json!({"id": id}));
        async move { app.gql(&token, q, vars).await }
    });
    for (_, body) in futures_util::future::join_all(readers).await {
        assert_eq!(body["data"]["migrant"]["givenNames"], "Ana", "{body}");
    }
    let admin = app.token("IOM", "iom_admin");
    let count = "query($r: String) { auditEvents(first: 1, filter: {recordId: $r, action: \"READ\"}) { totalCount } }";
    let (_, body) = app.gql(&admin, count, json!({"r": id})).await;
    assert_eq!(body["data"]["auditEvents"]["totalCount"], 200, "{body}");
    let (_, body) = app.gql(&admin, CHAIN, json!({})).await;
    let chain = &body["data"]["auditChain"];
    assert_eq!(chain["ok"], true, "{body}");
    // The registration, then one event per reader.
    assert_eq!(chain["checked"], 201, "{body}");
}

db_tests!(
    reads_and_writes_are_audited,
    tampering_breaks_the_chain,
    deleting_the_tail_is_detected,
    concurrent_readers_each_leave_one_chained_event
);
