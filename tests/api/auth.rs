//! Every way a token can be wrong is refused with `UNAUTHENTICATED`.

use base64::Engine;
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{claims, error_code, sign_hs, sign_pem, TestApp, SECRET};

const ME: &str = "{ me { subject role institution { code } } }";

async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let (status, body) = app.gql(token, ME, json!({})).await;
    assert_eq!(status, 401, "{why}: expected 401, got {status} {body}");
    assert_eq!(
        error_code(&body).as_deref(),
        Some("UNAUTHENTICATED"),
        "{why}: {body}"
    );
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "{why}: data leaked {body}"
    );
}

async fn assert_accepted(app: &TestApp, token: &str, why: &str) -> Value {
    let (status, body) = app.gql(token, ME, json!({})).await;
    assert_eq!(status, 200, "{why}: {body}");
    assert!(body.get("errors").is_none(), "{why}: {body}");
    body
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn with(mut c: Value, key: &str, value: Value) -> Value {
    c[key] = value;
    c
}

fn without(mut c: Value, key: &str) -> Value {
    c.as_object_mut().unwrap().remove(key);
    c
}

async fn alg_none_is_refused(app: TestApp) {
    let c = claims("IOM", "iom_admin", "mallory");
    let token = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&c)
    );
    assert_refused(&app, &token, "alg none").await;
    let token = format!("{}.{}.", b64(&json!({"alg": "None"})), b64(&c));
    assert_refused(&app, &token, "alg None").await;
}

async fn other_algorithms_are_refused(app: TestApp) {
    let c = claims("IOM", "iom_admin", "mallory");
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()).unwrap();
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::new(alg), &c, &key).unwrap();
        assert_refused(&app, &token, &format!("{alg:?}")).await;
    }
}

async fn hs_rs_key_confusion_is_refused(app: TestApp) {
    // The classic attack: sign HS256 with the server's *public* RSA key.
    let public = std::fs::read_to_string(crate::support::fixture("rsa_public.pem")).unwrap();
    let c = claims("IOM", "iom_admin", "mallory");
    let key = jsonwebtoken::EncodingKey::from_secret(public.as_bytes()).unwrap();
    let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
    header.kid = Some("test-rsa".into());
    let token = jsonwebtoken::encode(&header, &c, &key).unwrap();
    assert_refused(&app, &token, "HS256 signed with RSA public key").await;
    // An RS256 token naming the EC key's kid is refused too.
    let token = sign_pem(&c, Algorithm::RS256, "rsa_private.pem", Some("test-ec"));
    assert_refused(&app, &token, "RS256 with an EC kid").await;
}

async fn public_key_tokens_are_accepted(app: TestApp) {
    let c = claims("MINTRAB", "labour_officer", "idp-user");
    let rs = sign_pem(&c, Algorithm::RS256, "rsa_private.pem", Some("test-rsa"));
    let body = assert_accepted(&app, &rs, "RS256").await;
    assert_eq!(body["data"]["me"]["subject"], "idp-user");
    let es = sign_pem(&c, Algorithm::ES256, "ec_private.pem", Some("test-ec"));
    assert_accepted(&app, &es, "ES256").await;
}

async fn unknown_or_missing_kid_is_refused(app: TestApp) {
    let c = claims("MINTRAB", "labour_officer", "idp-user");
    let token = sign_pem(
        &c,
        Algorithm::RS256,
        "rsa_private.pem",
        Some("rotated-away"),
    );
    assert_refused(&app, &token, "unknown kid").await;
    let token = sign_pem(&c, Algorithm::RS256, "rsa_private.pem", None);
    assert_refused(&app, &token, "no kid").await;
}

async fn wrong_key_is_refused(app: TestApp) {
    let c = claims("IOM", "iom_admin", "mallory");
    assert_refused(
        &app,
        &sign_hs(&c, "not-the-secret-not-the-secret-xx"),
        "wrong secret",
    )
    .await;
    // A valid token with its payload swapped keeps the old signature.
    let good = sign_hs(&claims("MINEX", "foreign_affairs_officer", "x"), SECRET);
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], b64(&c), parts[2]);
    assert_refused(&app, &forged, "payload swapped").await;
}

async fn time_claims_are_enforced(app: TestApp) {
    let now = chrono::Utc::now().timestamp();
    let c = claims("IOM", "iom_admin", "a");
    let expired = with(
        with(c.clone(), "exp", json!(now - 600)),
        "iat",
        json!(now - 4000),
    );
    assert_refused(&app, &sign_hs(&expired, SECRET), "expired").await;
    let early = with(c.clone(), "nbf", json!(now + 600));
    assert_refused(&app, &sign_hs(&early, SECRET), "not yet valid").await;
    let started = with(c, "nbf", json!(now - 10));
    assert_accepted(&app, &sign_hs(&started, SECRET), "nbf in the past").await;
}

async fn issuer_and_audience_are_enforced(app: TestApp) {
    let c = claims("IOM", "iom_admin", "a");
    let iss = with(c.clone(), "iss", json!("someone-else"));
    assert_refused(&app, &sign_hs(&iss, SECRET), "wrong iss").await;
    let aud = with(c.clone(), "aud", json!("another-api"));
    assert_refused(&app, &sign_hs(&aud, SECRET), "wrong aud").await;
    let aud_list = with(c, "aud", json!(["another-api", "reintegra-api"]));
    assert_accepted(
        &app,
        &sign_hs(&aud_list, SECRET),
        "aud list containing ours",
    )
    .await;
}

async fn missing_claims_are_refused(app: TestApp) {
    let c = claims("IOM", "iom_admin", "a");
    for key in ["sub", "inst", "role", "iat", "exp", "iss", "aud"] {
        let token = sign_hs(&without(c.clone(), key), SECRET);
        assert_refused(&app, &token, &format!("missing {key}")).await;
    }
}

async fn unknown_institution_and_foreign_roles_are_refused(app: TestApp) {
    let t = sign_hs(&claims("NOPE", "university_officer", "a"), SECRET);
    assert_refused(&app, &t, "unknown institution").await;
    let t = sign_hs(&claims("MINTRAB", "iom_admin", "a"), SECRET);
    assert_refused(&app, &t, "IOM role at MINTRAB").await;
    let t = sign_hs(&claims("USAC", "labour_officer", "a"), SECRET);
    assert_refused(&app, &t, "labour role at a university").await;
    let t = sign_hs(&claims("IOM", "superuser", "a"), SECRET);
    assert_refused(&app, &t, "unknown role").await;
}

async fn deactivated_institution_is_refused(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let usac = app.token("USAC", "university_officer");
    assert_accepted(&app, &usac, "active USAC").await;
    let q = "mutation($v: Int!, $a: Boolean!) { setInstitutionActive(code: \"USAC\", active: $a, expectedVersion: $v) { active version } }";
    let (_, body) = app.gql(&admin, q, json!({"v": 1, "a": false})).await;
    assert_eq!(
        body["data"]["setInstitutionActive"]["active"], false,
        "{body}"
    );
    assert_refused(&app, &usac, "deactivated USAC").await;
    let (_, body) = app.gql(&admin, q, json!({"v": 2, "a": true})).await;
    assert_eq!(body["data"]["setInstitutionActive"]["version"], 3, "{body}");
    assert_accepted(&app, &usac, "reactivated USAC").await;
}

async fn garbage_is_refused(app: TestApp) {
    for token in [
        "",
        "abc",
        "a.b.c",
        "not.a.token.at.all",
        "eyJhbGciOiJIUzI1NiJ9..",
        "null",
    ] {
        let (status, body) = app.post_json(None, &json!({"query": ME})).await;
        assert_eq!(status, 401, "no header: {body}");
        if token.is_empty() {
            continue;
        }
        assert_refused(&app, token, &format!("garbage {token:?}")).await;
    }
}

db_tests!(
    alg_none_is_refused,
    other_algorithms_are_refused,
    hs_rs_key_confusion_is_refused,
    public_key_tokens_are_accepted,
    unknown_or_missing_kid_is_refused,
    wrong_key_is_refused,
    time_claims_are_enforced,
    issuer_and_audience_are_enforced,
    missing_claims_are_refused,
    unknown_institution_and_foreign_roles_are_refused,
    deactivated_institution_is_refused,
    garbage_is_refused,
);
