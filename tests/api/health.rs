//! Health, readiness, metrics, and the HTTP-level limits of /graphql.

use serde_json::json;

use crate::db_tests;
use crate::support::{db, error_code, Backend, TestApp};

async fn health_and_readiness(app: TestApp) {
    assert_eq!(app.get("/healthz", None).await.0, 200);
    let (status, body) = app.get("/readyz", None).await;
    assert_eq!(status, 200, "{body}");
    let (status, page) = app.get("/graphiql", None).await;
    assert_eq!(status, 200);
    assert!(page.contains("/graphiql/assets/app.js"));
    let _ = app
        .gql(&app.token("IOM", "iom_admin"), "{ me { role } }", json!({}))
        .await;
    let (status, text) = app.get("/metrics", None).await;
    assert_eq!(status, 200);
    for name in [
        "reintegra_http_requests_total",
        "reintegra_http_request_duration_seconds",
        "reintegra_db_pool_connections",
    ] {
        assert!(text.contains(name), "{name} missing from /metrics");
    }
}

async fn readyz_fails_when_database_is_gone(app: TestApp) {
    let unreachable = match app.backend {
        Backend::Sqlite => "/nonexistent-directory/for/sure/reintegra.db".to_string(),
        Backend::Postgres => "postgres://postgres@127.0.0.1:1/nowhere".to_string(),
    };
    let backend = app.backend;
    let broken = TestApp::spawn(backend, db::sqlite(), |s| {
        s.database_url = unreachable.clone();
        s.pool_timeout = std::time::Duration::from_millis(300);
    });
    let (status, body) = broken.get("/readyz", None).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(broken.get("/healthz", None).await.0, 200);
    // A request that needs the database fails fast with a retryable code,
    // and no detail of the database in the message.
    let token = broken.token("IOM", "iom_admin");
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let (status, retry, body) = broken
            .gql_with_header(&token, "{ me { role } }", "retry-after")
            .await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(error_code(&body).as_deref(), Some("UNAVAILABLE"));
        assert!(
            retry.is_some_and(|r| r.parse::<u64>().is_ok()),
            "Retry-After"
        );
        assert!(!body.to_string().contains("nowhere") && !body.to_string().contains("nonexistent"));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
    // On PostgreSQL, the live database disappearing is noticed as well.
    if app.db.drop_now() {
        let (status, _) = app.get("/readyz", None).await;
        assert_eq!(status, 503);
    }
}

async fn browsers_call_only_from_allowed_origins(app: TestApp) {
    let (status, allowed) = app.preflight("http://localhost:3000").await;
    assert_eq!(status, 200);
    assert_eq!(allowed.as_deref(), Some("http://localhost:3000"));
    let (_, allowed) = app.preflight("https://evil.example").await;
    assert_eq!(allowed, None, "no CORS for other origins");
}

async fn graphql_over_http_niceties(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let (_, body) = app.gql(&token, "{ me { ", json!({})).await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("syntax error at 1:"), "{body}");
    assert!(!message.contains('\n'), "one line: {message}");
    let big = "{ departments { code name municipalities { code name } } }";
    let asked = [
        ("accept", "application/graphql-response+json"),
        ("accept-encoding", "gzip"),
    ];
    let (status, media, encoding) = app.post_headers(&token, big, &asked).await;
    assert_eq!(status, 200);
    assert!(media.is_some_and(|m| m.starts_with("application/graphql-response+json")));
    assert_eq!(encoding.as_deref(), Some("gzip"));
}

async fn get_honours_operation_name(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let q = "query%20A%20%7B%20me%20%7B%20role%20%7D%20%7D%20query%20B%20%7B%20me%20%7B%20subject%20%7D%20%7D";
    let (status, body) = app
        .get(&format!("/graphql?query={q}&operationName=B"), Some(&token))
        .await;
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["data"]["me"]["subject"], "iom_admin@iom", "{body}");
}

async fn get_runs_queries_but_never_mutations(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let (status, body) = app
        .get("/graphql?query=%7Bme%7Brole%7D%7D", Some(&token))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("iom_admin"));
    let m = "mutation%7BcreateInstitution(input:%7Bcode:%22ZZ%22,name:%22z%22,kind:LABOUR%7D)%7Bcode%7D%7D";
    let (status, body) = app.get(&format!("/graphql?query={m}"), Some(&token)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BAD_USER_INPUT"));
    let (_, body) = app
        .gql(&token, "{ institutions { code } }", json!({}))
        .await;
    assert!(
        !body.to_string().contains("ZZ"),
        "GET mutation must not run"
    );
}

async fn bad_requests_get_clear_errors(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let (status, body) = app.post_raw(Some(&token), b"{not json".to_vec()).await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (400, Some("BAD_USER_INPUT")),
        "{body}"
    );
    let (status, body) = app.gql(&token, "{ me { nope } }", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let (_, body) = app.gql(&token, "{ me { role ", json!({})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    let huge = format!(
        "{{\"query\": \"{{ me {{ role }} }}\", \"pad\": \"{}\"}}",
        "x".repeat(2_000_000)
    );
    let (status, body) = app.post_raw(Some(&token), huge.into_bytes()).await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (413, Some("QUERY_TOO_COMPLEX")),
        "{body}"
    );
}

async fn hostile_queries_are_refused(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let aliases: String = (0..40).map(|i| format!("a{i}: me {{ role }} ")).collect();
    let (status, body) = app
        .gql(&token, &format!("{{ {aliases} }}"), json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (413, Some("QUERY_TOO_COMPLEX")),
        "{body}"
    );
    let deep = format!(
        "{{ departments {{ {} code {} }} }}",
        "municipalities { department { ".repeat(8),
        "} } ".repeat(8)
    );
    let (_, body) = app.gql(&token, &deep, json!({})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{body}"
    );
    let batch: Vec<_> = (0..11)
        .map(|_| json!({"query": "{ me { role } }"}))
        .collect();
    let (status, body) = app.post_json(Some(&token), &json!(batch)).await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (413, Some("QUERY_TOO_COMPLEX")),
        "{body}"
    );
    let batch: Vec<_> = (0..2)
        .map(|_| json!({"query": "{ me { role } }"}))
        .collect();
    let (status, body) = app.post_json(Some(&token), &json!(batch)).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(2), "{body}");
}

async fn rate_limit_per_subject(app: TestApp) {
    let limited = TestApp::spawn(
        app.backend,
        match app.backend {
            Backend::Sqlite => db::sqlite(),
            Backend::Postgres => db::postgres().expect("postgres"),
        },
        |s| s.limits.rate_per_minute = 3,
    );
    let a = limited.token_as("IOM", "iom_admin", "a");
    let b = limited.token_as("IOM", "iom_admin", "b");
    for _ in 0..3 {
        assert_eq!(limited.gql(&a, "{ me { role } }", json!({})).await.0, 200);
    }
    let (status, body) = limited.gql(&a, "{ me { role } }", json!({})).await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (429, Some("RATE_LIMITED")),
        "{body}"
    );
    assert_eq!(
        limited.gql(&b, "{ me { role } }", json!({})).await.0,
        200,
        "other subjects unaffected"
    );
}

db_tests!(
    graphql_over_http_niceties,
    browsers_call_only_from_allowed_origins,
    get_honours_operation_name,
    health_and_readiness,
    readyz_fails_when_database_is_gone,
    get_runs_queries_but_never_mutations,
    bad_requests_get_clear_errors,
    hostile_queries_are_refused,
    rate_limit_per_subject,
);

fn budgets(s: &mut reintegra::config::Settings) {
    s.limits.rate_per_minute = 2;
    s.limits.rate_per_institution = vec![("MINTRAB".into(), 5)];
}

async fn institutions_have_their_own_budgets(app: TestApp) {
    let me = "{ me { role } }";
    let service = app.token_as("MINTRAB", "labour_officer", "portal@mintrab");
    for _ in 0..5 {
        assert_eq!(app.gql(&service, me, json!({})).await.0, 200);
    }
    assert_eq!(app.gql(&service, me, json!({})).await.0, 429);
    // The same subject at another institution is another caller.
    let iom = app.token_as("IOM", "iom_admin", "portal@mintrab");
    let minex = app.token_as("MINEX", "foreign_affairs_officer", "portal@mintrab");
    for token in [&iom, &iom, &minex, &minex] {
        assert_eq!(app.gql(token, me, json!({})).await.0, 200);
    }
    assert_eq!(app.gql(&iom, me, json!({})).await.0, 429);
}

crate::db_tests_with!(budgets; institutions_have_their_own_budgets);
