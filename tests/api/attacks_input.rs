//! Hostile input must be cheap to refuse: a clear error within the limits,
//! never a crash, a blow-up or an internal error.

use serde_json::{json, Value};

use crate::support::{claims, error_code, person, sign_hs, TestApp, SECRET};
use crate::{db_tests, db_tests_with};
use reintegra::config::Settings;

/// The server still answers, quickly.
async fn still_alive(app: &TestApp) {
    let (status, _) = app.get("/healthz", None).await;
    assert_eq!(status, 200);
}

fn field_of(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}

async fn huge_name_searches_are_refused(app: TestApp) {
    let labour = app.token("MINTRAB", "labour_officer");
    let q = "query($n: String) { migrants(filter: {name: $n}) { totalCount } }";
    // Past the search's own bounds, then past the bound on every string.
    for (words, field) in [(7, "filter.name"), (1_000, "filter.name"), (10_000, "n")] {
        let name = "ab ".repeat(words);
        let (_, body) = app.gql(&labour, q, json!({"n": name})).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{words}: {body}"
        );
        assert_eq!(field_of(&body), Some(field), "{body}");
    }
    let (_, body) = app.gql(&labour, q, json!({"n": "ab ab"})).await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{body}");
    still_alive(&app).await;
}

async fn nested_reference_lists_are_too_complex(app: TestApp) {
    let token = app.token("MINTRAB", "labour_officer");
    let q = "{ departments { municipalities { department { municipalities { department { municipalities { department { municipalities { department { code } } } } } } } } } }";
    let started = std::time::Instant::now();
    let (status, body) = app.gql(&token, q, json!({})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{status} {body}"
    );
    assert!(started.elapsed().as_secs() < 2, "refused cheaply");
    let ok = "{ departments { code municipalities { code name } } }";
    let (_, body) = app.gql(&token, ok, json!({})).await;
    assert_eq!(
        body["data"]["departments"].as_array().map(Vec::len),
        Some(22),
        "{body}"
    );
    still_alive(&app).await;
}

async fn nul_characters_are_bad_input_everywhere(app: TestApp) {
    let id = app.register(person("Ana", "Pop", 1)).await;
    let admin = app.token("IOM", "iom_admin");
    let nul_id = format!("{id}\u{0}");
    let cases = [
        ("query($id: ID!) { migrant(id: $id) { id } }", json!({"id": nul_id}), "id"),
        (
            "query($n: String) { migrants(filter: {name: $n}) { totalCount } }",
            json!({"n": "Ana\u{0}"}),
            "n",
        ),
        (
            "mutation($c: String!) { setInstitutionActive(code: $c, active: true, expectedVersion: 1) { code } }",
            json!({"c": "MIN\u{0}TRAB"}),
            "c",
        ),
        (r#"{ migrant(id: "a\u0000b") { id } }"#, json!({}), "id"),
        (
            r#"{ migrants(filter: { departmentCode: "1\u00003" }) { totalCount } }"#,
            json!({}),
            "filter.departmentCode",
        ),
    ];
    for (q, vars, field) in cases {
        let (_, body) = app.gql(&admin, q, vars).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{q}: {body}"
        );
        assert_eq!(field_of(&body), Some(field), "{body}");
    }
    let nul_claim = sign_hs(
        &claims("MIN\u{0}EX", "foreign_affairs_officer", "x"),
        SECRET,
    );
    let (status, body) = app.gql(&nul_claim, "{ me { role } }", json!({})).await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (401, Some("UNAUTHENTICATED"))
    );
}

async fn overlong_strings_are_refused_before_work(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let long = "x".repeat(10_001);
    let (_, body) = app
        .gql(
            &admin,
            "query($id: ID!) { migrant(id: $id) { id } }",
            json!({"id": long}),
        )
        .await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("BAD_USER_INPUT"),
        "{body}"
    );
    assert_eq!(field_of(&body), Some("id"));
}

async fn deep_nesting_is_too_complex(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let deep = format!(
        "{{ {}code{} }}",
        "departments { municipalities { department { ".repeat(34),
        " } } }".repeat(34)
    );
    let (_, body) = app.gql(&token, &deep, json!({})).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{body}"
    );
}

async fn a_batch_shares_one_width_budget(app: TestApp) {
    let token = app.token("IOM", "iom_admin");
    let fields: String = (0..30).map(|i| format!("a{i}: me {{ role }} ")).collect();
    let one = json!({"query": format!("{{ {fields} }}")});
    let (_, body) = app.post_json(Some(&token), &json!([one])).await;
    assert!(body[0]["data"]["a29"]["role"].is_string(), "{body}");
    let batch: Vec<Value> = (0..10).map(|_| one.clone()).collect();
    let (status, body) = app.post_json(Some(&token), &json!(batch)).await;
    assert_eq!(
        error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{status} {body}"
    );
}

async fn expired_tokens_have_no_grace(app: TestApp) {
    let mut c = claims("IOM", "iom_admin", "late@iom");
    c["exp"] = json!(chrono::Utc::now().timestamp() - 1);
    let (status, body) = app
        .gql(&sign_hs(&c, SECRET), "{ me { role } }", json!({}))
        .await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (401, Some("UNAUTHENTICATED"))
    );
}

async fn bad_tokens_are_rate_limited_per_address(app: TestApp) {
    for _ in 0..3 {
        let (status, _) = app.gql("not-a-token", "{ me { role } }", json!({})).await;
        assert_eq!(status, 401);
    }
    let (status, retry, body) = app
        .gql_with_header("not-a-token", "{ me { role } }", "retry-after")
        .await;
    assert!(retry
        .and_then(|r| r.parse::<u64>().ok())
        .is_some_and(|s| (1..=60).contains(&s)));
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (429, Some("RATE_LIMITED"))
    );
    let (status, body) = app
        .post_json(None, &json!({"query": "{ me { role } }"}))
        .await;
    assert_eq!(
        (status, error_code(&body).as_deref()),
        (429, Some("RATE_LIMITED"))
    );
    // A caller with a good token has its own budget.
    let (status, _) = app
        .gql(&app.token("IOM", "iom_admin"), "{ me { role } }", json!({}))
        .await;
    assert_eq!(status, 200);
}

fn few_failures(s: &mut Settings) {
    s.limits.unauthenticated_rate_per_minute = 3;
}

db_tests!(
    huge_name_searches_are_refused,
    nested_reference_lists_are_too_complex,
    nul_characters_are_bad_input_everywhere,
    overlong_strings_are_refused_before_work,
    deep_nesting_is_too_complex,
    a_batch_shares_one_width_budget,
    expired_tokens_have_no_grace,
);

db_tests_with!(few_failures; bad_tokens_are_rate_limited_per_address);
