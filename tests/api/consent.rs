//! Consents open and close partner row scopes; protection overrides them.

use serde_json::json;

use crate::db_tests;
use crate::support::{person, TestApp};

const LIST: &str = "{ migrants(first: 50) { totalCount edges { node { id givenNames } } } }";

async fn count(app: &TestApp, token: &str) -> i64 {
    let (_, body) = app.gql(token, LIST, json!({})).await;
    body["data"]["migrants"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn sees(app: &TestApp, token: &str, id: &str) -> bool {
    let (_, body) = app
        .gql(
            token,
            "query($id: ID!) { migrant(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    !body["data"]["migrant"].is_null()
}

async fn consent_grant_revoke_and_expiry(app: TestApp) {
    let id = app.register(person("Ana", "López", 1)).await;
    let labour = app.token("MINTRAB", "labour_officer");
    assert!(!sees(&app, &labour, &id).await);
    assert_eq!(count(&app, &labour).await, 0);
    let consent = app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    assert!(sees(&app, &labour, &id).await, "granted → visible");
    assert_eq!(count(&app, &labour).await, 1);
    let q = "mutation($c: ID!) { revokeConsent(id: $c) { revokedAt active } }";
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_caseworker"),
            q,
            json!({"c": consent}),
        )
        .await;
    assert_eq!(body["data"]["revokeConsent"]["active"], false, "{body}");
    assert!(
        !sees(&app, &labour, &id).await,
        "revoked → gone on the next request"
    );
    assert_eq!(count(&app, &labour).await, 0);
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_caseworker"),
            q,
            json!({"c": consent}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "double revoke: {body}"
    );
    let future = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    app.consent(&id, "MINTRAB", "EMPLOYMENT", Some(future))
        .await;
    assert!(sees(&app, &labour, &id).await);
    // Expiry passes (moved into the past directly in the database).
    app.exec_sql(
        "UPDATE consents SET expires_at = '2020-01-01 00:00:00' WHERE expires_at IS NOT NULL",
    );
    assert!(!sees(&app, &labour, &id).await, "expired → gone");
    // The count's own expiry (no write, the clock moves) is proven in
    // `counts`, where the clock can be moved for real.
}

async fn universities_see_only_their_own(app: TestApp) {
    let a = app.register(person("Ixchel", "Tzoc", 1)).await;
    let b = app.register(person("Pedro", "Cux", 2)).await;
    app.consent(&a, "USAC", "EDUCATION", None).await;
    app.consent(&b, "URL", "EDUCATION", None).await;
    let usac = app.token("USAC", "university_officer");
    let url = app.token("URL", "university_officer");
    let uvg = app.token("UVG", "university_officer");
    assert!(sees(&app, &usac, &a).await && !sees(&app, &usac, &b).await);
    assert!(sees(&app, &url, &b).await && !sees(&app, &url, &a).await);
    assert_eq!(count(&app, &uvg).await, 0);
    // The university's view of consents holds only its own.
    let (_, body) = app
        .gql(
            &usac,
            "query($id: ID!) { migrant(id: $id) { consents { institution { code } } } }",
            json!({"id": a}),
        )
        .await;
    assert_eq!(
        body["data"]["migrant"]["consents"],
        json!([{"institution": {"code": "USAC"}}])
    );
    // An EDUCATION consent to a ministry is refused, and changes nothing.
    let q = "mutation($i: ConsentInput!) { recordConsent(input: $i) { id } }";
    let vars = json!({"i": {"migrantId": a, "institutionCode": "MINTRAB", "purpose": "EDUCATION"}});
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q, vars).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "input.institutionCode"
    );
    // Partners cannot record consents.
    let vars = json!({"i": {"migrantId": a, "institutionCode": "USAC", "purpose": "EDUCATION"}});
    let (_, body) = app.gql(&usac, q, vars).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
}

async fn protected_records_are_invisible_to_partners(app: TestApp) {
    let mut p = person("Rosa", "Xicará", 1);
    p["protection"]["doNotShare"] = json!(true);
    let id = app.register(p).await;
    app.arrive(&id, 1).await;
    for (inst, purpose) in [
        ("MINTRAB", "EMPLOYMENT"),
        ("USAC", "EDUCATION"),
        ("URL", "EDUCATION"),
    ] {
        app.consent(&id, inst, purpose, None).await;
    }
    for (inst, role) in [
        ("MINTRAB", "labour_officer"),
        ("USAC", "university_officer"),
        ("URL", "university_officer"),
        ("MINEX", "foreign_affairs_officer"),
    ] {
        let token = app.token(inst, role);
        assert!(
            !sees(&app, &token, &id).await,
            "{inst} must not see a protected record"
        );
        assert_eq!(count(&app, &token).await, 0, "{inst}");
        let (_, body) = app
            .gql(
                &token,
                "{ migrants(filter: {name: \"rosa\"}) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{inst}: {body}");
    }
    for role in ["iom_admin", "iom_caseworker", "iom_reception"] {
        assert!(sees(&app, &app.token("IOM", role), &id).await, "{role}");
    }
}

async fn minex_sees_the_arrival_window_only(app: TestApp) {
    let recent = app.register(person("Juan", "Ajú", 1)).await;
    app.arrive(&recent, 10).await;
    let old = app.register(person("Marta", "Coc", 2)).await;
    app.arrive(&old, 45).await;
    let returned = app.register(person("Elena", "Mux", 3)).await;
    app.arrive(&returned, 400).await;
    app.arrive(&returned, 1).await;
    let minex = app.token("MINEX", "foreign_affairs_officer");
    assert!(sees(&app, &minex, &recent).await);
    assert!(
        !sees(&app, &minex, &old).await,
        "45 days ago is outside the 30-day window"
    );
    assert!(sees(&app, &minex, &returned).await, "latest arrival counts");
    assert_eq!(count(&app, &minex).await, 2);
    // MINEX writes HEALTH for people in its window only.
    let q = "mutation($id: ID!, $v: Int!) { updateMigrant(id: $id, expectedVersion: $v, input: {health: {needsMedicalAttention: true, notes: \"insulin\"}}) { health { notes } } }";
    let (_, body) = app.gql(&minex, q, json!({"id": recent, "v": 1})).await;
    assert_eq!(
        body["data"]["updateMigrant"]["health"]["notes"], "insulin",
        "{body}"
    );
    let (_, body) = app.gql(&minex, q, json!({"id": old, "v": 1})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{body}"
    );
    // A record update never moves the arrival that decides the window.
    assert!(
        sees(&app, &minex, &recent).await,
        "still inside the window after an update"
    );
    assert_eq!(count(&app, &minex).await, 2);
}

db_tests!(
    consent_grant_revoke_and_expiry,
    universities_see_only_their_own,
    protected_records_are_invisible_to_partners,
    minex_sees_the_arrival_window_only,
);
