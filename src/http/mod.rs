//! HTTP surface: routes, shared state and the non-GraphQL endpoints.

pub mod graphiql;
pub mod graphql;
pub mod stats_csv;
pub mod ws;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::auth::Verifier;
use crate::config::Settings;
use crate::db::audit_committer::AuditCommitter;
use crate::db::{self, DbPool, StatementCounter};
use crate::error::{AppError, ErrorCode};
use crate::gateway::budget::{Budget, Limiter};
use crate::gateway::persisted::PersistedQueries;
use crate::graphql::events::EventBus;
use crate::graphql::AppSchema;
use crate::metrics::Metrics;

/// Everything a handler needs, shared by all workers.
pub struct AppState {
    /// The executable schema.
    pub schema: AppSchema,
    /// Database pool.
    pub pool: DbPool,
    /// Token verifier.
    pub verifier: Arc<Verifier>,
    /// Configuration.
    pub settings: Settings,
    /// Metrics registry.
    pub metrics: Metrics,
    /// Request budget per (institution, subject).
    pub rate_limiter: Limiter<String>,
    /// Larger (or smaller) budgets for the subjects of some institutions.
    pub institution_limiters: std::collections::HashMap<String, Limiter<String>>,
    /// Per-address budget of requests with a missing or invalid token.
    pub address_limiter: Limiter<IpAddr>,
    /// The group committer of read events.
    pub audit: AuditCommitter,
    /// Domain events, for subscriptions and for sessions to notice
    /// institution changes at once.
    pub events: EventBus,
    /// SQL statements sent so far.
    pub statements: StatementCounter,
    /// Queries known by hash (Automatic Persisted Queries).
    pub persisted: PersistedQueries,
    /// Turns true when the server is stopping: open WebSockets close.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

impl AppState {
    /// Tells every open WebSocket to close (1001) because the server stops.
    pub fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
    }
}

/// Seconds a client should wait after `UNAVAILABLE` (the breaker's window).
pub const UNAVAILABLE_RETRY_SECS: u64 = 1;

/// A JSON error body with the status matching its code.
pub fn error_response(err: &AppError) -> HttpResponse {
    let status = match err.code() {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::QueryTooComplex => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        // Clients treat it as a normal GraphQL error and resend the query.
        ErrorCode::PersistedQueryNotFound => StatusCode::OK,
    };
    if let AppError::Internal(detail) = err {
        tracing::error!(detail = %detail, "internal error");
    }
    let mut resp = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    match err {
        AppError::RateLimited { retry_after, limit } => {
            resp.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            let spent = Budget {
                limit: *limit,
                remaining: 0,
                reset_secs: *retry_after,
            };
            for h in spent.headers() {
                resp.insert_header(h);
            }
        }
        AppError::Unavailable(_) => {
            resp.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_SECS.to_string()));
        }
        _ => {}
    }
    resp.json(err.to_graphql_body())
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match db::run(&state.pool, db::ping).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(_) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "unavailable", "reason": "database unreachable" })),
    }
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(&state.pool, state.statements.get()))
}

/// CORS for the configured origins only: a browser page elsewhere gets no
/// `Access-Control-Allow-Origin` and its preflight is refused.
pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("ratelimit-limit"),
            header::HeaderName::from_static("ratelimit-remaining"),
            header::HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Registers every route; shared by `serve` and the tests.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql::graphql))
        .route("/graphql", web::get().to(graphql::graphql))
        .route("/graphql/ws", web::get().to(ws::graphql_ws))
        .route("/graphiql", web::get().to(graphiql::page))
        .route("/graphiql/assets/{file}", web::get().to(graphiql::asset))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics))
        .route("/stats.csv", web::get().to(stats_csv::stats_csv));
}

/// Records a finished request in the metrics.
pub fn record_request(
    state: Option<&web::Data<AppState>>,
    route: &str,
    status: u16,
    started: Instant,
) {
    if let Some(state) = state {
        state
            .metrics
            .observe_request(route, status, started.elapsed().as_secs_f64());
    }
}
