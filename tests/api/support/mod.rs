//! The test harness: a real server on a random port, a fresh database per
//! test, and real signed tokens.

pub mod db;
pub mod ws;

use std::future::Future;
use std::io::Write;
use std::net::TcpListener;
use std::time::Duration;

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reintegra::config::{Environment, JwtSettings, Limits, Settings};
use serde_json::{json, Value};

pub use db::Backend;

pub const SECRET: &str = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

/// Runs a test body against a fresh app on `backend`; PostgreSQL tests are
/// skipped (and say so on stderr) when no server is reachable, unless
/// `REINTEGRA_TEST_REQUIRE_POSTGRES=1` makes that a failure.
pub async fn run<F, Fut>(backend: Backend, name: &str, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    run_with(backend, name, |_| {}, body).await;
}

/// [`run`] with adjusted settings (tight limits for attack tests).
pub async fn run_with<F, Fut>(
    backend: Backend,
    name: &str,
    tweak: impl FnOnce(&mut Settings),
    body: F,
) where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    if !backend_selected(backend) {
        return;
    }
    let db = match backend {
        Backend::Sqlite => db::sqlite(),
        Backend::Postgres => match db::postgres() {
            Ok(db) => db,
            Err(e) => {
                if std::env::var("REINTEGRA_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!("PostgreSQL required but unavailable: {e}");
                }
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED PostgreSQL test {name}: no PostgreSQL at {} ({e})",
                    db::admin_url()
                );
                return;
            }
        },
    };
    body(TestApp::spawn(backend, db, tweak)).await;
}

fn backend_selected(backend: Backend) -> bool {
    match std::env::var("REINTEGRA_TEST_BACKEND").as_deref() {
        Ok("sqlite") => backend == Backend::Sqlite,
        Ok("postgres") => backend == Backend::Postgres,
        _ => true,
    }
}

/// Declares tests that run once per backend: `db_tests!(name, …)` expects
/// `async fn name(app: TestApp)` in the same module.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_rt::test]
                async fn sqlite() {
                    $crate::support::run($crate::support::Backend::Sqlite, concat!(module_path!()), super::$name).await
                }
                #[actix_rt::test]
                async fn postgres() {
                    $crate::support::run($crate::support::Backend::Postgres, concat!(module_path!()), super::$name).await
                }
            }
        )*
    };
}

/// [`db_tests!`] for apps with adjusted settings:
/// `db_tests_with!(tweak; name, …)` expects `fn tweak(&mut Settings)` too.
#[macro_export]
macro_rules! db_tests_with {
    ($tweak:ident; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_rt::test]
                async fn sqlite() {
                    $crate::support::run_with($crate::support::Backend::Sqlite, concat!(module_path!()), super::$tweak, super::$name).await
                }
                #[actix_rt::test]
                async fn postgres() {
                    $crate::support::run_with($crate::support::Backend::Postgres, concat!(module_path!()), super::$tweak, super::$name).await
                }
            }
        )*
    };
}

/// Settings for a test app on `url`.
pub fn test_settings(url: &str) -> Settings {
    Settings {
        environment: Environment::Development,
        database_url: url.to_string(),
        bind: "127.0.0.1:0".into(),
        pool_size: 4,
        pool_timeout: Duration::from_millis(1500),
        jwt: JwtSettings {
            secret: SECRET.into(),
            jwks_file: Some(fixture("jwks.json")),
            issuer: "reintegra".into(),
            audience: "reintegra-api".into(),
            leeway_secs: 5,
        },
        minex_window_days: 30,
        emergency_access_minutes: 30,
        retention_years: 10,
        limits: Limits {
            rate_per_minute: 100_000,
            ..Limits::default()
        },
        graphiql: true,
        cors_origins: vec!["http://localhost:3000".into()],
    }
}

/// Path of a file under `tests/fixtures`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A running app and a client for it.
pub struct TestApp {
    pub backend: Backend,
    pub state: actix_web::web::Data<reintegra::http::AppState>,
    pub base: String,
    pub db: db::TestDb,
    client: awc::Client,
}

impl TestApp {
    /// Starts a server on `db`; `tweak` may adjust settings first.
    pub fn spawn(backend: Backend, db: db::TestDb, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = test_settings(&db.url);
        tweak(&mut settings);
        let counter = reintegra::db::StatementCounter::default();
        let pool = reintegra::db::build_pool(
            &settings.database_url,
            settings.pool_size,
            settings.pool_timeout,
            &counter,
        )
        .expect("pool");
        let state = reintegra::startup::build_state(settings, pool, counter).expect("state");
        let handle = state.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = reintegra::startup::run(listener, state, 1).expect("server");
        actix_rt::spawn(server);
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish();
        TestApp {
            backend,
            state: handle,
            base: format!("http://127.0.0.1:{port}"),
            db,
            client,
        }
    }

    /// An HS256 token with the standard claims.
    pub fn token(&self, inst: &str, role: &str) -> String {
        self.token_as(inst, role, &format!("{role}@{}", inst.to_lowercase()))
    }

    /// An HS256 token for a given subject.
    pub fn token_as(&self, inst: &str, role: &str, sub: &str) -> String {
        sign_hs(&claims(inst, role, sub), SECRET)
    }

    /// POSTs a GraphQL query; returns status and JSON body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> (u16, Value) {
        self.post_json(
            Some(token),
            &json!({ "query": query, "variables": variables }),
        )
        .await
    }

    /// POSTs any JSON body to `/graphql`.
    pub async fn post_json(&self, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.post_raw(token, serde_json::to_vec(body).expect("json"))
            .await
    }

    /// POSTs a GraphQL query; returns status, one response header and body.
    pub async fn gql_with_header(
        &self,
        token: &str,
        query: &str,
        header: &str,
    ) -> (u16, Option<String>, Value) {
        let mut resp = self
            .client
            .post(format!("{}/graphql", self.base))
            .insert_header(("content-type", "application/json"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .send_json(&json!({ "query": query }))
            .await
            .expect("request");
        let value = resp
            .headers()
            .get(header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = resp.body().await.expect("body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (resp.status().as_u16(), value, body)
    }

    /// POSTs any JSON body with `extra` request headers; returns status,
    /// every response header (lower case names) and the raw body text.
    pub async fn post_full(
        &self,
        token: &str,
        body: &Value,
        extra: &[(&str, &str)],
    ) -> (u16, std::collections::HashMap<String, String>, String) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .insert_header(("content-type", "application/json"))
            .insert_header(("authorization", format!("Bearer {token}")));
        for (k, v) in extra {
            req = req.insert_header((*k, *v));
        }
        let mut resp = req.send_json(body).await.expect("request");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let bytes = resp.body().await.expect("body");
        let text = String::from_utf8_lossy(&bytes).to_string();
        (resp.status().as_u16(), headers, text)
    }

    /// POSTs raw bytes to `/graphql`.
    pub async fn post_raw(&self, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .insert_header(("content-type", "application/json"));
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        let mut resp = req.send_body(body).await.expect("request");
        let status = resp.status().as_u16();
        let bytes = resp.body().limit(50 * 1024 * 1024).await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// POSTs a query with extra request headers; returns status and the
    /// `content-type` and `content-encoding` answered.
    pub async fn post_headers(
        &self,
        token: &str,
        query: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Option<String>, Option<String>) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base))
            .insert_header(("content-type", "application/json"))
            .insert_header(("authorization", format!("Bearer {token}")));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let resp = req
            .send_json(&json!({ "query": query }))
            .await
            .expect("request");
        let get = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        (
            resp.status().as_u16(),
            get("content-type"),
            get("content-encoding"),
        )
    }

    /// A CORS preflight for `POST /graphql` from `origin`; returns status
    /// and the `Access-Control-Allow-Origin` answered.
    pub async fn preflight(&self, origin: &str) -> (u16, Option<String>) {
        let resp = self
            .client
            .request(awc::http::Method::OPTIONS, format!("{}/graphql", self.base))
            .insert_header(("origin", origin))
            .insert_header(("access-control-request-method", "POST"))
            .insert_header((
                "access-control-request-headers",
                "authorization,content-type",
            ))
            .send()
            .await
            .expect("request");
        let allowed = resp
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (resp.status().as_u16(), allowed)
    }

    /// GETs a path; returns status and body text.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        let mut resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let bytes = resp.body().limit(10 * 1024 * 1024).await.expect("body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl TestApp {
    /// SQL statements the app has sent so far (from /metrics).
    pub async fn statements(&self) -> u64 {
        let (_, text) = self.get("/metrics", None).await;
        text.lines()
            .find_map(|l| l.strip_prefix("reintegra_db_statements_total "))
            .and_then(|v| v.trim().parse().ok())
            .expect("statement counter in /metrics")
    }

    /// Runs SQL directly on the test database (to simulate tampering).
    pub fn exec_sql(&self, sql: &str) -> usize {
        use diesel::{Connection, RunQueryDsl};
        let url = reintegra::db::normalize_url(&self.db.url);
        let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
        diesel::sql_query(sql).execute(&mut conn).expect("sql")
    }

    /// Reads two text columns, `a` and `b`, straight from the test database.
    pub fn text_pairs(&self, sql: &str) -> Vec<(String, String)> {
        use diesel::sql_types::Text;
        use diesel::{Connection, RunQueryDsl};
        #[derive(diesel::QueryableByName)]
        struct Pair {
            #[diesel(sql_type = Text)]
            a: String,
            #[diesel(sql_type = Text)]
            b: String,
        }
        let url = reintegra::db::normalize_url(&self.db.url);
        let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
        let rows: Vec<Pair> = diesel::sql_query(sql).load(&mut conn).expect("sql");
        rows.into_iter().map(|p| (p.a, p.b)).collect()
    }

    /// Registers a migrant as `iom_admin`; returns its id.
    pub async fn register(&self, input: Value) -> String {
        let q = "mutation($i: MigrantSections!) { registerMigrant(input: $i) { id } }";
        let (_, body) = self
            .gql(&self.token("IOM", "iom_admin"), q, json!({ "i": input }))
            .await;
        body["data"]["registerMigrant"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("register: {body}"))
            .to_string()
    }

    /// Records an arrival `days_ago` days ago as `iom_admin`.
    pub async fn arrive(&self, id: &str, days_ago: i64) {
        let at = chrono::Utc::now() - chrono::Duration::days(days_ago);
        let q = "mutation($m: ID!, $i: ArrivalInput!) { recordArrival(migrantId: $m, input: $i) { id } }";
        let vars = json!({ "m": id, "i": { "arrivedAt": at.to_rfc3339(), "flightCode": "GUA-1", "usState": "TX", "monthsInUs": 30 } });
        let (_, body) = self.gql(&self.token("IOM", "iom_admin"), q, vars).await;
        assert!(
            body["data"]["recordArrival"]["id"].is_string(),
            "arrive: {body}"
        );
    }

    /// Records a consent as `iom_admin`; returns the consent id.
    pub async fn consent(
        &self,
        id: &str,
        inst: &str,
        purpose: &str,
        expires_at: Option<String>,
    ) -> String {
        let q = "mutation($i: ConsentInput!) { recordConsent(input: $i) { id } }";
        let vars = json!({ "i": { "migrantId": id, "institutionCode": inst, "purpose": purpose, "expiresAt": expires_at } });
        let (_, body) = self.gql(&self.token("IOM", "iom_admin"), q, vars).await;
        body["data"]["recordConsent"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("consent: {body}"))
            .to_string()
    }
}

/// A valid CUI for test `n` registered in `municipality`.
pub fn cui(n: u32, municipality: &str) -> String {
    (n * 7..)
        .find_map(|serial| {
            reintegra::domain::cui::Cui::from_parts(10_000_000 + serial, municipality)
        })
        .map(|c| c.as_str().to_string())
        .expect("cui")
}

/// A complete registration input.
pub fn person(given: &str, family: &str, n: u32) -> Value {
    json!({
        "identity": { "givenNames": given, "familyNames": family, "birthDate": "1994-05-17", "sex": "MALE" },
        "documents": { "documentNumber": cui(n, "1301"), "passportNumber": format!("P{n:07}") },
        "contact": { "phone": "+502 5555 0101", "address": "Aldea El Tablón", "relativeName": "Rosa Pérez", "relativePhone": "+1 213 555 0100" },
        "origin": { "municipalityCode": "1301" },
        "skills": { "educationLevel": "LOWER_SECONDARY", "occupations": [{ "iscoCode": "9313", "years": 6, "country": "US" }], "yearsExperience": 6, "languages": ["spa", "eng"], "englishLevel": "BASIC" },
        "health": { "needsMedicalAttention": false, "medicalConditions": "asthma" },
        "protection": { "unaccompaniedMinor": false, "familySeparation": true, "protectionNeeds": false, "doNotShare": false }
    })
}

/// Standard claims valid for an hour.
pub fn claims(inst: &str, role: &str, sub: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": sub, "inst": inst, "role": role,
        "iss": "reintegra", "aud": "reintegra-api",
        "iat": now, "exp": now + 3600,
    })
}

/// Signs claims with HS256 and a secret.
pub fn sign_hs(claims: &Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("key");
    encode(&Header::new(Algorithm::HS256), claims, &key).expect("sign")
}

/// Signs claims with a fixture private key (RS256 or ES256) and a `kid`.
pub fn sign_pem(claims: &Value, alg: Algorithm, pem_file: &str, kid: Option<&str>) -> String {
    let pem = std::fs::read(fixture(pem_file)).expect("pem");
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem),
        _ => EncodingKey::from_ec_pem(&pem),
    }
    .expect("key");
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_string);
    encode(&header, claims, &key).expect("sign")
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(body: &Value) -> Option<String> {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_string)
}
