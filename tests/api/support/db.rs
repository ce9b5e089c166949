//! A fresh database per test, copied from a migrated template.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reintegra::db::migrate::connect_and_migrate;
use sha2::{Digest, Sha256};

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// The same database for a second server; only the original removes it.
    pub fn shared(&self) -> TestDb {
        TestDb {
            url: self.url.clone(),
            pg_name: None,
            _dir: None,
        }
    }

    /// Makes the database disappear under a running app (PostgreSQL only).
    pub fn drop_now(&self) -> bool {
        self.drop_pg();
        self.pg_name.is_some()
    }

    fn drop_pg(&self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = PgConnection::establish(&admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.drop_pg();
    }
}

static SQLITE_TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
static PG_TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();

fn sqlite_template() -> &'static Path {
    &SQLITE_TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("template.db");
            connect_and_migrate(path.to_str().expect("utf-8 path")).expect("migrate template");
            (dir, path)
        })
        .1
}

/// A fresh SQLite file copied from the migrated template.
pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test.db");
    std::fs::copy(sqlite_template(), &path).expect("copy template");
    TestDb {
        url: path.to_string_lossy().into_owned(),
        pg_name: None,
        _dir: Some(dir),
    }
}

/// The server-level URL used to create and drop test databases.
pub fn admin_url() -> String {
    let url = std::env::var("REINTEGRA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    without_tls(url)
}

/// Test servers are local: connect without TLS unless the URL asks for it.
/// With TLS, libpq's OpenSSL state is torn down by the exit handlers while
/// the test servers' threads (pools, audit writer, LISTEN) still hold
/// connections, which aborted the test binary at exit after every test had
/// passed ("double free or corruption").
fn without_tls(url: String) -> String {
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let server = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => server,
        _ => base,
    };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{server}/{name}{query}")
}

fn migrations_hash() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<PathBuf> = walk(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    // Bump when the way templates are prepared changes (v2: analysed).
    hasher.update(b"template-v2");
    for f in files {
        hasher.update(f.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(&hasher.finalize()[..6])
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn create_pg_template() -> Result<String, String> {
    let admin = admin_url();
    let mut conn = PgConnection::establish(&admin).map_err(|e| e.to_string())?;
    let name = format!("reintegra_tpl_{}", migrations_hash());
    let exists: i64 = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result::<Count>(&mut conn)
    .map_err(|e| e.to_string())?
    .n;
    if exists == 0 {
        // Build under a temporary name, rename when complete: a crashed run
        // never leaves a half-migrated template behind under the real name.
        let tmp = format!("reintegra_tmp_{}", uuid::Uuid::new_v4().simple());
        run(&mut conn, &format!("CREATE DATABASE {tmp}"))?;
        connect_and_migrate(&with_database(&admin, &tmp)).map_err(|e| e.to_string())?;
        run(&mut conn, &format!("ALTER DATABASE {tmp} RENAME TO {name}"))?;
    }
    Ok(name)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn run(conn: &mut PgConnection, sql: &str) -> Result<(), String> {
    diesel::sql_query(sql)
        .execute(conn)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A fresh PostgreSQL database from the template, or why there is none.
pub fn postgres() -> Result<TestDb, String> {
    let template = PG_TEMPLATE.get_or_init(create_pg_template).clone()?;
    let admin = admin_url();
    let mut conn = PgConnection::establish(&admin).map_err(|e| e.to_string())?;
    let name = format!("reintegra_t_{}", uuid::Uuid::new_v4().simple());
    run(
        &mut conn,
        &format!("CREATE DATABASE {name} TEMPLATE {template}"),
    )?;
    Ok(TestDb {
        url: with_database(&admin, &name),
        pg_name: Some(name),
        _dir: None,
    })
}
