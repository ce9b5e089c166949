//! Building and running the application; shared by `main` and the tests.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpMessage, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::auth::Verifier;
use crate::config::Settings;
use crate::db::audit_committer::AuditCommitter;
use crate::db::{self, DbPool, StatementCounter};
use crate::error::StartupError;
use crate::gateway::budget;
use crate::gateway::persisted::PersistedQueries;
use crate::graphql::build_schema;
use crate::graphql::events::EventBus;
use crate::http::{self, AppState};
use crate::metrics::Metrics;
use crate::telemetry::{RequestIdent, SafeRootSpan};

/// How many queries the persisted-query store keeps, and their total size:
/// portals send a few hundred distinct operations at most.
const PERSISTED_QUERIES: usize = 2_000;
const PERSISTED_QUERY_BYTES: usize = 16 << 20;

/// Builds the shared state from settings and an existing pool.
pub fn build_state(
    settings: Settings,
    pool: DbPool,
    statements: StatementCounter,
) -> Result<web::Data<AppState>, StartupError> {
    let verifier = Arc::new(Verifier::new(&settings.jwt)?);
    let metrics = Metrics::new().map_err(|e| StartupError::Other(format!("metrics: {e}")))?;
    let events = if settings.is_postgres() {
        EventBus::over_postgres(&settings.database_url)
            .map_err(|e| StartupError::Other(format!("event relay: {e}")))?
    } else {
        EventBus::default()
    };
    let audit = AuditCommitter::start(pool.clone())
        .map_err(|e| StartupError::Other(format!("audit committer: {e}")))?;
    let schema = build_schema(pool.clone(), settings.clone(), events.clone());
    let rate_limiter = budget::limiter(settings.limits.rate_per_minute);
    let address_limiter = budget::limiter(settings.limits.unauthenticated_rate_per_minute);
    let institution_limiters = (settings.limits.rate_per_institution.iter())
        .map(|(code, n)| (code.clone(), budget::limiter(*n)))
        .collect();
    Ok(web::Data::new(AppState {
        schema,
        pool,
        verifier,
        settings,
        metrics,
        rate_limiter,
        institution_limiters,
        address_limiter,
        audit,
        events,
        statements,
        persisted: PersistedQueries::new(PERSISTED_QUERIES, PERSISTED_QUERY_BYTES),
        stopping: tokio::sync::watch::channel(false).0,
    }))
}

/// Starts the HTTP server on a bound listener (port 0 in tests).
pub fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: usize,
) -> Result<Server, StartupError> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(http::configure)
            .wrap_fn(|req, srv| {
                let started = Instant::now();
                let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
                let state = req.app_data::<web::Data<AppState>>().cloned();
                let request_id = req
                    .extensions()
                    .get::<RequestIdent>()
                    .map(|id| id.0.clone());
                let fut = srv.call(req);
                async move {
                    let mut resp = fut.await?;
                    http::record_request(state.as_ref(), &route, resp.status().as_u16(), started);
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        resp.headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), id);
                    }
                    Ok(resp)
                }
            })
            .wrap(actix_web::middleware::Compress::default())
            .wrap(http::cors(&state.settings.cors_origins))
            .wrap(TracingLogger::<SafeRootSpan>::new())
    })
    .workers(workers.max(1))
    // Signals are handled in `serve`, which closes WebSockets first.
    .disable_signals()
    .shutdown_timeout(5)
    .listen(listener)
    .map_err(|e| StartupError::Other(format!("cannot listen: {e}")))?
    .run();
    Ok(server)
}

/// `reintegra serve`: migrate, then serve until stopped.
pub async fn serve(settings: Settings) -> Result<(), StartupError> {
    if settings.uses_dev_secret() {
        tracing::warn!(
            "USING THE DEVELOPMENT JWT SECRET: anyone can mint tokens. Set REINTEGRA_JWT_SECRET \
             (REINTEGRA_ENV=production refuses to start without it)"
        );
    }
    let url = settings.database_url.clone();
    let applied = web::block(move || db::migrate::connect_and_migrate(&url))
        .await
        .map_err(|e| StartupError::Other(e.to_string()))??;
    tracing::info!(
        applied,
        backend = if settings.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        },
        "database ready"
    );
    let statements = StatementCounter::default();
    let pool = db::build_pool(
        &settings.database_url,
        settings.pool_size,
        settings.pool_timeout,
        &statements,
    )?;
    let listener = TcpListener::bind(&settings.bind)
        .map_err(|e| StartupError::Other(format!("cannot bind {}: {e}", settings.bind)))?;
    tracing::info!(address = %settings.bind, "serving GraphQL at /graphql");
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let state = build_state(settings, pool, statements)?;
    let server = run(listener, state.clone(), workers)?;
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        stop_signal().await;
        tracing::info!("stopping: closing WebSockets, finishing requests");
        state.begin_shutdown();
        handle.stop(true).await;
    });
    server
        .await
        .map_err(|e| StartupError::Other(format!("server stopped: {e}")))
}

/// SIGTERM (service managers) or Ctrl-C.
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
