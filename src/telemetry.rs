//! Structured logging. Spans carry a request id, method and route pattern
//! only: never query strings, bodies, tokens or personal data.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use std::time::Instant;

use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (JSON when `REINTEGRA_LOG_FORMAT=json`).
pub fn init() {
    let filter = EnvFilter::try_from_env("REINTEGRA_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let json = std::env::var("REINTEGRA_LOG_FORMAT").is_ok_and(|v| v == "json");
    // Colour codes only for a person at a terminal, never in a log file.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    // A second init (tests, repeated CLI calls) is harmless: keep the first.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The id of one HTTP request: the client's `X-Request-Id` when it is
/// well-formed (so a portal can follow its own id through our logs and
/// audit), a fresh UUID otherwise. Echoed in the response header.
#[derive(Clone, Debug)]
pub struct RequestIdent(pub String);

impl RequestIdent {
    /// Accepts 1 to 128 characters of `A-Z a-z 0-9 . _ : -`: nothing a
    /// log line could be forged with.
    pub fn parse(header: &str) -> Option<RequestIdent> {
        let ok = (1..=128).contains(&header.len())
            && header
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
        ok.then(|| RequestIdent(header.to_string()))
    }
}

impl actix_web::FromRequest for RequestIdent {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let id = req.extensions().get::<RequestIdent>().cloned();
        std::future::ready(Ok(
            id.unwrap_or_else(|| RequestIdent(uuid::Uuid::new_v4().to_string()))
        ))
    }
}

/// When the request started, for the latency in its log line.
#[derive(Clone, Copy)]
struct Started(Instant);

/// What a GraphQL request adds to its log line: operation, caller, and
/// the codes of any errors (a 200 can carry `FORBIDDEN`).
pub fn record_graphql(operation: &str, institution: &str, role: &str, subject: &str) {
    let span = Span::current();
    span.record("operation", operation);
    span.record("institution", institution);
    span.record("role", role);
    span.record("subject", subject);
}

/// Records the GraphQL error codes of a response in its log line.
pub fn record_error_codes(codes: &str) {
    if !codes.is_empty() {
        Span::current().record("error_codes", codes);
    }
}

/// Root span for each HTTP request, free of personal data.
pub struct SafeRootSpan;

impl RootSpanBuilder for SafeRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .and_then(RequestIdent::parse)
            .or_else(|| {
                let generated = request
                    .extensions()
                    .get::<RequestId>()
                    .map(|id| id.to_string());
                generated.map(RequestIdent)
            })
            .unwrap_or_else(|| RequestIdent(uuid::Uuid::new_v4().to_string()));
        request.extensions_mut().insert(id.clone());
        request.extensions_mut().insert(Started(Instant::now()));
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        tracing::info_span!(
            "http_request",
            request_id = %id.0,
            method = %request.method(),
            route = %route,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            operation = tracing::field::Empty,
            institution = tracing::field::Empty,
            role = tracing::field::Empty,
            subject = tracing::field::Empty,
            error_codes = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, started) = match outcome {
            Ok(response) => (
                response.status().as_u16(),
                response.request().extensions().get::<Started>().copied(),
            ),
            Err(e) => (e.as_response_error().status_code().as_u16(), None),
        };
        span.record("status", status);
        if let Some(Started(at)) = started {
            span.record("latency_ms", at.elapsed().as_secs_f64() * 1000.0);
        }
        // One line per request, inside the span (id, route, status, latency,
        // operation, caller, error codes).
        span.in_scope(|| tracing::info!(status, "request finished"));
    }
}
