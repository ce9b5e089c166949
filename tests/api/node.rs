//! Relay `node(id)`: refetch by id through the same scope as `migrant(id)`.

use serde_json::json;

use crate::arrival_day::schedule;
use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id ... on Migrant { familyNames } ... on Flight { code } } }";

async fn node_refetches_within_the_callers_scope(app: TestApp) {
    let seen = app.register(person("Ana", "Xol", 1)).await;
    let unseen = app.register(person("Luis", "Tzul", 2)).await;
    app.consent(&seen, "MINTRAB", "EMPLOYMENT", None).await;
    let flight = schedule(&app, "GUA-T-NODE").await;
    let labour = app.token("MINTRAB", "labour_officer");
    let (_, body) = app.gql(&labour, NODE, json!({"id": seen})).await;
    assert_eq!(
        body["data"]["node"],
        json!({"__typename": "Migrant", "id": seen, "familyNames": "Xol"}),
        "{body}"
    );
    // Out of scope, a flight without flight access, and nonsense: all alike.
    for id in [unseen.as_str(), flight.as_str(), "no-such-id"] {
        let (_, body) = app.gql(&labour, NODE, json!({"id": id})).await;
        assert_eq!(body["data"]["node"], json!(null), "{body}");
        assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"), "{body}");
        assert!(!body.to_string().contains("Tzul"));
    }
    let iom = app.token("IOM", "iom_admin");
    let (_, body) = app.gql(&iom, NODE, json!({"id": flight})).await;
    assert_eq!(body["data"]["node"]["__typename"], "Flight", "{body}");
    assert_eq!(body["data"]["node"]["code"], "GUA-T-NODE");
}

db_tests!(node_refetches_within_the_callers_scope);
