//! GraphiQL is served from the binary: a page that loads nothing from
//! elsewhere, its assets with the right types, a strict CSP, and 404s for
//! unknown names or when switched off.

use std::time::Duration;

use reintegra::config::Settings;

use crate::db_tests_with;
use crate::support::TestApp;

fn enabled(s: &mut Settings) {
    s.graphiql = true;
}

fn disabled(s: &mut Settings) {
    s.graphiql = false;
}

/// A GET answered: status, the headers we look at, and the body.
struct Got {
    status: u16,
    content_type: String,
    csp: String,
    etag: Option<String>,
    body: Vec<u8>,
}

async fn fetch(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Got {
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let mut req = client.get(format!("{}{path}", app.base));
    if let Some(tag) = if_none_match {
        req = req.insert_header(("if-none-match", tag));
    }
    let mut resp = req.send().await.expect("request");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (content_type, csp, etag) = (
        header("content-type").unwrap_or_default(),
        header("content-security-policy").unwrap_or_default(),
        header("etag"),
    );
    let body = resp.body().limit(20 * 1024 * 1024).await.expect("body");
    Got {
        status: resp.status().as_u16(),
        content_type,
        csp,
        etag,
        body: body.to_vec(),
    }
}

/// The values of `attr="…"` in `html`.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

async fn page_loads_only_its_own_assets(app: TestApp) {
    let page = fetch(&app, "/graphiql", None).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    let html = String::from_utf8(page.body).expect("utf-8 page");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no absolute URL in the page"
    );
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("<style"), "no inline style element");
    let scripts = attributes(&html, "src");
    let styles = attributes(&html, "href");
    assert!(
        scripts.len() >= 4,
        "React, ReactDOM, GraphiQL, app: {scripts:?}"
    );
    assert!(styles.len() >= 2, "{styles:?}");
    let names: Vec<&str> = reintegra::http::graphiql::asset_names().collect();
    for url in scripts.iter().chain(&styles) {
        let name = url
            .strip_prefix("/graphiql/assets/")
            .unwrap_or_else(|| panic!("{url} is not a same-origin asset"));
        assert!(names.contains(&name), "{name} is not served");
    }
    assert!(scripts.contains(&"/graphiql/assets/app.js"));
}

async fn assets_have_their_content_types(app: TestApp) {
    for name in reintegra::http::graphiql::asset_names() {
        let got = fetch(&app, &format!("/graphiql/assets/{name}"), None).await;
        assert_eq!(got.status, 200, "{name}");
        let expected = if name.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else if name.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            panic!("unexpected asset {name}")
        };
        assert_eq!(got.content_type, expected, "{name}");
        assert!(got.body.len() > 100, "{name} is empty");
        let etag = got.etag.unwrap_or_else(|| panic!("{name} has no ETag"));
        let again = fetch(&app, &format!("/graphiql/assets/{name}"), Some(&etag)).await;
        assert_eq!(again.status, 304, "{name} revalidates");
        assert!(again.body.is_empty());
    }
    let app_js = fetch(&app, "/graphiql/assets/app.js", None).await;
    let app_js = String::from_utf8(app_js.body).expect("utf-8");
    assert!(!app_js.contains("http://") && !app_js.contains("https://"));
    assert!(app_js.contains("Authorization"));
}

async fn unknown_assets_are_not_found(app: TestApp) {
    for path in [
        "/graphiql/assets/nope.js",
        "/graphiql/assets/graphiql.min.js.map",
        "/graphiql/assets/index.html",
        "/graphiql/assets/..%2F..%2FCargo.toml",
        "/graphiql/assets/%2e%2e%2fsrc%2fmain.rs",
        "/graphiql/assets/APP.JS",
        "/graphiql/assets/",
    ] {
        assert_eq!(fetch(&app, path, None).await.status, 404, "{path}");
    }
}

async fn csp_is_strict(app: TestApp) {
    for path in ["/graphiql", "/graphiql/assets/app.js"] {
        let csp = fetch(&app, path, None).await.csp;
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("connect-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(!csp.contains('*'), "{path}: no wildcard: {csp}");
    }
}

async fn switched_off_is_not_found(app: TestApp) {
    for path in [
        "/graphiql",
        "/graphiql/assets/app.js",
        "/graphiql/assets/graphiql.min.js",
    ] {
        assert_eq!(fetch(&app, path, None).await.status, 404, "{path}");
    }
}

db_tests_with!(
    enabled;
    page_loads_only_its_own_assets,
    assets_have_their_content_types,
    unknown_assets_are_not_found,
    csp_is_strict,
);

db_tests_with!(disabled; switched_off_is_not_found);
