//! GraphiQL, served entirely from the binary.
//!
//! The page, its script and the vendored GraphiQL/React bundles are compiled
//! in (`assets/graphiql/`), so the IDE works on networks without internet
//! access: nothing is loaded from a CDN. The page carries a token box and
//! sends no request to `/graphql` until a token is pasted.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use super::AppState;

/// The Content-Security-Policy of the page and of its assets.
///
/// - `default-src 'none'`: anything not listed below is refused.
/// - `script-src 'self'`: only the vendored bundles and `app.js`; the page has
///   no inline script and GraphiQL 3 needs no `eval`.
/// - `style-src 'self' 'unsafe-inline'`: GraphiQL's dialogs (Radix UI, via
///   `react-remove-scroll`) insert a `<style>` element when they open; the
///   browser check (`tests/browser/`) sees it refused without this. Inline
///   styles cannot run code, so this is the one relaxation.
/// - `font-src`/`img-src` `data:`: the bundled CSS embeds its fonts and icons
///   as `data:` URLs.
/// - `connect-src 'self'`: `fetch` to `/graphql` and the subscription
///   WebSocket to `/graphql/ws` (CSP 3 lets `'self'` match `ws:`/`wss:` on the
///   same host, so no wider `ws:` source is needed).
/// - no framing, no forms, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
     script-src 'self'; \
     style-src 'self' 'unsafe-inline'; \
     font-src 'self' data:; \
     img-src 'self' data:; \
     connect-src 'self'; \
     base-uri 'none'; \
     form-action 'none'; \
     frame-ancestors 'none'";

/// One file compiled into the binary.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The page itself (not under `/assets`, but served the same way).
const PAGE: Asset = Asset {
    name: "index.html",
    content_type: "text/html; charset=utf-8",
    body: include_bytes!("../../assets/graphiql/index.html"),
};

/// Every asset `/graphiql/assets/{file}` serves; any other name is a 404.
/// A fixed list: the requested name is only compared, never used as a path.
const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/app.js"),
    },
    Asset {
        name: "page.css",
        content_type: CSS,
        body: include_bytes!("../../assets/graphiql/page.css"),
    },
    Asset {
        name: "graphiql.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/graphiql.min.js"),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: CSS,
        body: include_bytes!("../../assets/graphiql/graphiql.min.css"),
    },
    Asset {
        name: "react.production.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/react.production.min.js"),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    },
];

/// Names of the assets, for the tests and for anyone curious.
pub fn asset_names() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.name)
}

/// Strong ETags of the page (index 0) and the assets (1..), hashed once on
/// first use: the contents never change while the binary runs.
fn etags() -> &'static [String] {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        std::iter::once(&PAGE)
            .chain(ASSETS)
            .map(|a| {
                let digest = Sha256::digest(a.body);
                format!("\"{}\"", hex::encode(&digest[..12]))
            })
            .collect()
    })
}

/// Answers with `asset`, or 304 when the browser already holds this version.
fn respond(req: &HttpRequest, asset: &Asset, etag: &str) -> HttpResponse {
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    // `no-cache` means "revalidate", not "do not store": the browser keeps
    // the 3.5 MB bundle and gets a bodiless 304 while the binary is the same,
    // yet a new release is picked up at once (the URLs carry no version).
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, etag.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    if fresh {
        resp.finish()
    } else {
        resp.content_type(asset.content_type).body(asset.body)
    }
}

/// `GET /graphiql`: the IDE page (404 when GraphiQL is switched off).
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if !state.settings.graphiql {
        return HttpResponse::NotFound().finish();
    }
    match etags().first() {
        Some(etag) => respond(&req, &PAGE, etag),
        None => HttpResponse::InternalServerError().finish(),
    }
}

/// `GET /graphiql/assets/{file}`: one of the compiled-in files, or 404.
pub async fn asset(
    req: HttpRequest,
    file: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    if !state.settings.graphiql {
        return HttpResponse::NotFound().finish();
    }
    let found = ASSETS
        .iter()
        .zip(etags().iter().skip(1))
        .find(|(a, _)| a.name == file.as_str());
    match found {
        Some((asset, etag)) => respond(&req, asset, etag),
        None => HttpResponse::NotFound().finish(),
    }
}
