//! GraphQL over HTTP for off-the-shelf clients: Automatic Persisted
//! Queries, `RateLimit-*` headers, response keys in request order.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{error_code, TestApp};
use crate::{db_tests, db_tests_with};

fn sha(q: &str) -> String {
    hex::encode(Sha256::digest(q.as_bytes()))
}

fn persisted(query: Option<&str>, hash: &str) -> Value {
    let ext = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}});
    match query {
        Some(q) => json!({"query": q, "extensions": ext}),
        None => json!({"extensions": ext}),
    }
}

async fn automatic_persisted_queries(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let q = "query Who { me { role institution { code } } }";
    // First the hash alone: unknown, the client must send the query.
    let (status, body) = app.post_json(Some(&token), &persisted(None, &sha(q))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        error_code(&body).as_deref(),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    // Then the query with its hash: it runs and is remembered.
    let (_, body) = app
        .post_json(Some(&token), &persisted(Some(q), &sha(q)))
        .await;
    assert_eq!(body["data"]["me"]["role"], "iom_admin", "{body}");
    // From now on the hash alone is enough, over POST and over GET.
    let (_, body) = app.post_json(Some(&token), &persisted(None, &sha(q))).await;
    assert_eq!(body["data"]["me"]["institution"]["code"], "IOM", "{body}");
    let ext = serde_json::to_string(&persisted(None, &sha(q))["extensions"]).unwrap();
    let path = format!("/graphql?operationName=Who&extensions={}", urlencode(&ext));
    let (status, text) = app.get(&path, Some(&token)).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("iom_admin"), "{text}");
    // A hash that is not the query's is refused, and nothing is stored.
    let other = "{ me { subject } }";
    let (_, body) = app
        .post_json(
            Some(&token),
            &persisted(Some(other), &sha(q).replace('a', "b")),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let (_, body) = app
        .post_json(
            Some(&token),
            &json!({"extensions": {"persistedQuery": {"version": 2, "sha256Hash": sha(q)}}}),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
}

async fn persisted_queries_keep_every_limit(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let wide: String = (0..40).map(|i| format!("a{i}: me {{ role }} ")).collect();
    let wide = format!("{{ {wide} }}");
    let (_, body) = app
        .post_json(Some(&token), &persisted(Some(&wide), &sha(&wide)))
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{body}"
    );
    let (_, body) = app
        .post_json(Some(&token), &persisted(None, &sha(&wide)))
        .await;
    assert_eq!(
        body["data"],
        Value::Null,
        "hash-only must not skip checks: {body}"
    );
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{body}"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn rate_limit_headers(app: TestApp) {
    let token = app.token("MINTRAB", "labour_officer");
    let q = json!({"query": "{ me { role } }"});
    let (status, headers, _) = app.post_full(&token, &q, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers.get("ratelimit-limit").map(String::as_str),
        Some("3")
    );
    assert_eq!(
        headers.get("ratelimit-remaining").map(String::as_str),
        Some("2")
    );
    assert!(headers
        .get("ratelimit-reset")
        .is_some_and(|r| r.parse::<u64>().is_ok()));
    app.post_full(&token, &q, &[]).await;
    app.post_full(&token, &q, &[]).await;
    let (status, headers, text) = app.post_full(&token, &q, &[]).await;
    assert_eq!(status, 429, "{text}");
    assert_eq!(
        headers.get("ratelimit-remaining").map(String::as_str),
        Some("0")
    );
    assert_eq!(
        headers.get("ratelimit-limit").map(String::as_str),
        Some("3")
    );
    assert_eq!(headers.get("retry-after"), headers.get("ratelimit-reset"));
}

async fn response_keys_in_request_order(app: TestApp) {
    let id = app.register(crate::support::person("Ana", "Xol", 1)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let token = app.token("IOM", "iom_admin");
    let q = "{ migrants(first: 5) { totalCount edges { node { familyNames id consents { purpose institution { code } active } } } } gone: migrant(id: \"nope\") { id } me { role } }";
    let (_, _, text) = app.post_full(&token, &json!({"query": q}), &[]).await;
    let at = |k: &str| {
        text.find(&format!("\"{k}\""))
            .unwrap_or_else(|| panic!("{k} in {text}"))
    };
    assert!(
        at("migrants") < at("gone") && at("gone") < at("me"),
        "{text}"
    );
    assert!(
        text.contains("\"gone\":null"),
        "a failed field is null: {text}"
    );
    assert!(at("totalCount") < at("edges"), "{text}");
    assert!(at("familyNames") < at("id"), "{text}");
    assert!(
        at("purpose") < at("institution") && at("institution") < at("active"),
        "{text}"
    );
}

async fn client_request_ids_are_kept_when_well_formed(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let q = json!({"query": "{ me { role } }"});
    let (_, headers, _) = app
        .post_full(&token, &q, &[("x-request-id", "portal-7f3a:42")])
        .await;
    assert_eq!(
        headers.get("x-request-id").map(String::as_str),
        Some("portal-7f3a:42")
    );
    for bad in ["two words", "x".repeat(200).as_str(), "a\"b"] {
        let (_, headers, _) = app.post_full(&token, &q, &[("x-request-id", bad)]).await;
        let echoed = headers.get("x-request-id").cloned().unwrap_or_default();
        assert_ne!(echoed, bad);
        assert!(
            uuid::Uuid::parse_str(&echoed).is_ok(),
            "a fresh id: {echoed}"
        );
    }
}

db_tests!(
    client_request_ids_are_kept_when_well_formed,
    automatic_persisted_queries,
    persisted_queries_keep_every_limit,
    response_keys_in_request_order,
);
fn three_per_minute(s: &mut reintegra::config::Settings) {
    s.limits.rate_per_minute = 3;
}

db_tests_with!(three_per_minute; rate_limit_headers);

async fn dates_are_strict_rfc3339_full_dates(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let q = "query($d: Date) { migrants(first: 1, filter: {arrivedFrom: $d}) { totalCount } }";
    let (_, body) = app.gql(&token, q, json!({"d": "2026-11-01"})).await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{body}");
    for bad in [
        "2026-1-05",
        "2026-13-01",
        "20261101",
        "2026-11-01T00:00:00Z",
    ] {
        let (_, body) = app.gql(&token, q, json!({"d": bad})).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{bad}: {body}"
        );
    }
}

db_tests!(dates_are_strict_rfc3339_full_dates);
