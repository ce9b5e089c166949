//! Prometheus metrics: requests, latencies, errors by code, pool usage,
//! open WebSockets and their operations, and the process (RSS, CPU, files).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::db::DbPool;

/// The metrics of one running service.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    pool: IntGaugeVec,
    statements: prometheus::IntCounter,
    ws_connections: IntGauge,
    ws_operations: IntGaugeVec,
}

/// Decrements its gauge when dropped: an operation or a connection that
/// ends any way (done, aborted, failed) leaves the gauge right.
pub struct Live(IntGauge);

impl Drop for Live {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Registers every metric in a fresh registry (one per app, so tests
    /// running side by side do not share counters).
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "reintegra_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "reintegra_http_request_duration_seconds",
                "HTTP latency by route",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )?;
        let errors = IntCounterVec::new(
            Opts::new(
                "reintegra_graphql_errors_total",
                "GraphQL errors by extensions.code",
            ),
            &["code"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "reintegra_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        let statements = prometheus::IntCounter::new(
            "reintegra_db_statements_total",
            "SQL statements sent to the database",
        )?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        let ws_connections =
            IntGauge::new("reintegra_ws_connections", "Open WebSocket connections")?;
        let ws_operations = IntGaugeVec::new(
            Opts::new(
                "reintegra_ws_operations",
                "Operations running on WebSockets, by root field",
            ),
            &["field"],
        )?;
        registry.register(Box::new(ws_connections.clone()))?;
        registry.register(Box::new(ws_operations.clone()))?;
        registry.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))?;
        Ok(Metrics {
            ws_connections,
            ws_operations,
            registry,
            requests,
            latency,
            errors,
            pool,
            statements,
        })
    }

    /// Records one finished HTTP request.
    pub fn observe_request(&self, route: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, &status.to_string()])
            .inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    /// Counts an open WebSocket until the returned guard is dropped.
    pub fn ws_connection(&self) -> Live {
        self.ws_connections.inc();
        Live(self.ws_connections.clone())
    }

    /// Counts a running WebSocket operation (by its root field, a name from
    /// the schema) until the returned guard is dropped.
    pub fn ws_operation(&self, field: &str) -> Live {
        let gauge = self.ws_operations.with_label_values(&[field]);
        gauge.inc();
        Live(gauge)
    }

    /// Counts one error sent to a client, by code.
    pub fn count_error(&self, code: &str) {
        self.errors.with_label_values(&[code]).inc();
    }

    /// The text exposition, with pool gauges read at scrape time.
    pub fn render(&self, pool: &DbPool, statements: u64) -> String {
        self.statements
            .inc_by(statements.saturating_sub(self.statements.get()));
        let state = pool.state();
        let idle = i64::from(state.idle_connections);
        let total = i64::from(state.connections);
        self.pool.with_label_values(&["idle"]).set(idle);
        self.pool.with_label_values(&["in_use"]).set(total - idle);
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max_size()));
        let mut buf = Vec::new();
        // Encoding into a Vec cannot fail for well-formed metric families.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }
}
