//! Typed configuration, read from `REINTEGRA_*` environment variables.

use std::time::Duration;

use crate::error::StartupError;

/// The development-only JWT secret; production refuses to start with it.
pub const DEV_JWT_SECRET: &str = "reintegra-development-secret-not-for-production-use";

/// Where the process runs; production turns insecure defaults into errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Local work: default secret allowed (with a warning), GraphiQL served.
    Development,
    /// A real deployment: a real secret or JWKS file is mandatory.
    Production,
}

/// Limits that protect the server from oversized or hostile requests.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum GraphQL selection depth.
    pub max_depth: usize,
    /// Maximum GraphQL complexity (fields weighted by page size).
    pub max_complexity: usize,
    /// Maximum number of aliased or root fields in one operation.
    pub max_aliases: usize,
    /// Maximum number of operations in one batched request.
    pub max_batch: usize,
    /// Maximum request body size in bytes.
    pub max_body_bytes: usize,
    /// Largest `first` a connection accepts.
    pub max_page_size: usize,
    /// Requests per minute allowed for one subject of one institution.
    pub rate_per_minute: u32,
    /// Budgets per subject for particular institutions (a portal's back end
    /// behind one service account needs more than one person does).
    pub rate_per_institution: Vec<(String, u32)>,
    /// Requests per minute with a missing or invalid token allowed from one
    /// client address.
    pub unauthenticated_rate_per_minute: u32,
    /// Longest string any argument or variable may hold, in characters.
    pub max_string_chars: usize,
    /// How often an open WebSocket session re-checks its identity even
    /// when nothing happens on it (expiry is enforced to the second anyway).
    pub ws_revalidate_every: Duration,
    /// How long a new WebSocket may wait before `connection_init`.
    pub ws_init_timeout: Duration,
    /// Operations one WebSocket connection may run at the same time.
    pub ws_max_operations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 12,
            max_complexity: 20_000,
            max_aliases: 30,
            max_batch: 10,
            max_body_bytes: 1_048_576,
            max_page_size: 100,
            rate_per_minute: 600,
            rate_per_institution: Vec::new(),
            unauthenticated_rate_per_minute: 60,
            max_string_chars: 10_000,
            ws_revalidate_every: Duration::from_secs(30),
            ws_init_timeout: Duration::from_secs(10),
            ws_max_operations: 50,
        }
    }
}

/// `REINTEGRA_RATE_LIMIT_INSTITUTIONS=MINTRAB=6000,USAC=1200`.
fn institution_budgets() -> Result<Vec<(String, u32)>, StartupError> {
    let Some(raw) = var("REINTEGRA_RATE_LIMIT_INSTITUTIONS") else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let bad = || {
                StartupError::Config(format!(
                    "REINTEGRA_RATE_LIMIT_INSTITUTIONS: {pair:?} is not CODE=PER_MINUTE"
                ))
            };
            let (code, n) = pair.split_once('=').ok_or_else(bad)?;
            let n: u32 = n.trim().parse().map_err(|_| bad())?;
            Ok((code.trim().to_ascii_uppercase(), n))
        })
        .collect()
}

impl Limits {
    fn from_env() -> Result<Self, StartupError> {
        let d = Limits::default();
        let secs = |name: &str, default: Duration| -> Result<Duration, StartupError> {
            Ok(Duration::from_secs(parsed(name, default.as_secs())?.max(1)))
        };
        Ok(Limits {
            max_depth: parsed("REINTEGRA_MAX_DEPTH", d.max_depth)?,
            max_complexity: parsed("REINTEGRA_MAX_COMPLEXITY", d.max_complexity)?,
            max_aliases: parsed("REINTEGRA_MAX_ALIASES", d.max_aliases)?,
            max_batch: parsed("REINTEGRA_MAX_BATCH", d.max_batch)?,
            max_body_bytes: parsed("REINTEGRA_MAX_BODY_BYTES", d.max_body_bytes)?,
            max_page_size: parsed("REINTEGRA_MAX_PAGE_SIZE", d.max_page_size)?,
            rate_per_minute: parsed("REINTEGRA_RATE_LIMIT_PER_MINUTE", d.rate_per_minute)?,
            rate_per_institution: institution_budgets()?,
            unauthenticated_rate_per_minute: parsed(
                "REINTEGRA_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE",
                d.unauthenticated_rate_per_minute,
            )?,
            max_string_chars: parsed("REINTEGRA_MAX_STRING_CHARS", d.max_string_chars)?,
            ws_revalidate_every: secs("REINTEGRA_WS_REVALIDATE_SECS", d.ws_revalidate_every)?,
            ws_init_timeout: secs("REINTEGRA_WS_INIT_TIMEOUT_SECS", d.ws_init_timeout)?,
            ws_max_operations: parsed("REINTEGRA_WS_MAX_OPERATIONS", d.ws_max_operations)?,
        })
    }
}

/// JWT verification settings.
#[derive(Clone, Debug)]
pub struct JwtSettings {
    /// Shared HS256 secret.
    pub secret: String,
    /// Optional JWKS file with RS256/ES256 public keys.
    pub jwks_file: Option<String>,
    /// Expected `iss`.
    pub issuer: String,
    /// Expected `aud`.
    pub audience: String,
    /// Clock skew tolerated on `exp`/`nbf`, in seconds.
    pub leeway_secs: u64,
}

/// Everything the application needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Development or production.
    pub environment: Environment,
    /// `postgres://…` or an SQLite file path (optionally `sqlite://path`).
    pub database_url: String,
    /// Address the HTTP server binds.
    pub bind: String,
    /// Connections kept in the pool.
    pub pool_size: u32,
    /// How long a request waits for a connection before failing.
    pub pool_timeout: Duration,
    /// Token verification.
    pub jwt: JwtSettings,
    /// MINEX sees people whose latest arrival is this recent.
    pub minex_window_days: i64,
    /// How long an emergency access (break-the-glass) lasts, in minutes.
    pub emergency_access_minutes: i64,
    /// Years without activity after which `reintegra retention` pseudonymises a record.
    pub retention_years: i64,
    /// Request limits.
    pub limits: Limits,
    /// Serve the GraphiQL page.
    pub graphiql: bool,
    /// Browser origins (exact, e.g. `https://portal.mintrab.gob.gt`) allowed
    /// to call the API cross-origin; none by default.
    pub cors_origins: Vec<String>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> Result<T, StartupError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|_| StartupError::Config(format!("{name} has an invalid value: {raw:?}"))),
    }
}

/// Two connections per core plus two: PostgreSQL's rule of thumb, for a
/// database on this machine's cores (SQLite's readers run on them). More
/// connections only queue inside the database, where nothing is fair,
/// instead of in arrival order at the pool's gate (`db::DbPool::admit`):
/// on 2 cores, 6 connections held the MINTRAB list's p99 at 45-48 ms
/// where 16 gave 61-73 ms, at the same rate.
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(2 * cores + 2).unwrap_or(u32::MAX)
}

impl Settings {
    /// Reads the configuration from the environment, with development defaults.
    pub fn from_env() -> Result<Self, StartupError> {
        let environment = match var("REINTEGRA_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(StartupError::Config(format!(
                    "REINTEGRA_ENV must be development or production, not {other:?}"
                )))
            }
        };
        let settings = Settings {
            environment,
            database_url: var("REINTEGRA_DATABASE_URL").unwrap_or_else(|| "reintegra.db".into()),
            bind: var("REINTEGRA_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            pool_size: parsed("REINTEGRA_DB_POOL_SIZE", default_pool_size())?,
            pool_timeout: Duration::from_millis(parsed("REINTEGRA_DB_TIMEOUT_MS", 3000)?),
            jwt: JwtSettings {
                secret: var("REINTEGRA_JWT_SECRET").unwrap_or_else(|| DEV_JWT_SECRET.into()),
                jwks_file: var("REINTEGRA_JWKS_FILE"),
                issuer: var("REINTEGRA_JWT_ISSUER").unwrap_or_else(|| "reintegra".into()),
                audience: var("REINTEGRA_JWT_AUDIENCE").unwrap_or_else(|| "reintegra-api".into()),
                leeway_secs: parsed("REINTEGRA_JWT_LEEWAY_SECS", 30)?,
            },
            minex_window_days: parsed("REINTEGRA_MINEX_WINDOW_DAYS", 30)?,
            emergency_access_minutes: parsed("REINTEGRA_EMERGENCY_ACCESS_MINUTES", 30)?,
            retention_years: parsed("REINTEGRA_RETENTION_YEARS", 10)?,
            limits: Limits::from_env()?,
            graphiql: parsed(
                "REINTEGRA_GRAPHIQL",
                environment == Environment::Development,
            )?,
            cors_origins: var("REINTEGRA_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().trim_end_matches('/').to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        };
        settings.validate()?;
        Ok(settings)
    }

    /// True when the HS256 secret is the built-in development one.
    pub fn uses_dev_secret(&self) -> bool {
        self.jwt.secret == DEV_JWT_SECRET
    }

    /// Refuses configurations that would be unsafe in production.
    pub fn validate(&self) -> Result<(), StartupError> {
        if self.minex_window_days < 0 {
            return Err(StartupError::Config(
                "REINTEGRA_MINEX_WINDOW_DAYS must not be negative".into(),
            ));
        }
        if !(1..=100).contains(&self.retention_years) {
            return Err(StartupError::Config(
                "REINTEGRA_RETENTION_YEARS must be 1 to 100".into(),
            ));
        }
        // Break-the-glass is for the moment at hand, never standing access.
        if !(1..=24 * 60).contains(&self.emergency_access_minutes) {
            return Err(StartupError::Config(
                "REINTEGRA_EMERGENCY_ACCESS_MINUTES must be 1 to 1440".into(),
            ));
        }
        if self.environment == Environment::Production {
            if self.uses_dev_secret() {
                return Err(StartupError::Config(
                    "REINTEGRA_ENV=production needs REINTEGRA_JWT_SECRET: refusing the development default".into(),
                ));
            }
            if self.jwt.secret.len() < 32 {
                return Err(StartupError::Config(
                    "REINTEGRA_JWT_SECRET must be at least 32 bytes in production".into(),
                ));
            }
        }
        Ok(())
    }

    /// True when the database URL selects PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        is_postgres_url(&self.database_url)
    }
}

/// True for `postgres://` and `postgresql://` URLs.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(env: Environment, secret: &str) -> Settings {
        Settings {
            environment: env,
            database_url: "reintegra.db".into(),
            bind: "127.0.0.1:0".into(),
            pool_size: 1,
            pool_timeout: Duration::from_secs(1),
            jwt: JwtSettings {
                secret: secret.into(),
                jwks_file: None,
                issuer: "reintegra".into(),
                audience: "reintegra-api".into(),
                leeway_secs: 30,
            },
            minex_window_days: 30,
            emergency_access_minutes: 30,
            retention_years: 10,
            limits: Limits::default(),
            graphiql: false,
            cors_origins: vec![],
        }
    }

    #[test]
    fn production_refuses_default_or_short_secrets() {
        assert!(settings(Environment::Production, DEV_JWT_SECRET)
            .validate()
            .is_err());
        assert!(settings(Environment::Production, "short")
            .validate()
            .is_err());
        let real = "a-real-secret-of-at-least-thirty-two-bytes!";
        assert!(settings(Environment::Production, real).validate().is_ok());
        assert!(settings(Environment::Development, DEV_JWT_SECRET)
            .validate()
            .is_ok());
    }
}
