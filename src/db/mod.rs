//! Storage: one connection type over SQLite and PostgreSQL, a pool, and the
//! helpers that keep blocking database work off the async workers.

pub mod applications;
pub mod arrivals;
pub mod assistance;
pub mod audit;
pub mod audit_committer;
pub mod bulk;
pub mod connect;
pub mod consents;
pub mod courses;
pub mod education;
pub mod emergency;
pub mod employers;
pub mod enrolments;
pub mod enterprise;
pub mod flights;
pub mod idempotency;
pub mod institutions;
pub mod matching;
pub mod migrant_columns;
pub mod migrants;
pub mod migrate;
pub mod name_words;
pub mod notify;
pub mod occupations;
pub mod programs;
pub mod reference;
pub mod referrals;
pub mod schema;
pub mod scope;
pub mod scope_counts;
pub mod skills;
pub mod stats;
pub mod study_matching;
pub mod subject;
pub mod vacancies;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{
    AnsiTransactionManager, Connection, Instrumentation, InstrumentationEvent, SimpleConnection,
    TransactionManager,
};
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;

use crate::config::is_postgres_url;
use crate::error::{AppError, AppResult, StartupError};

/// A connection to either backend; domain code is written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, selected by a `postgres://` URL.
    Pg(PgConnection),
    /// Embedded SQLite, the default.
    Sqlite(SqliteConnection),
}

/// Multi-row INSERT of `rows` into `table`. Batch inserts are not
/// expressible for the multi-backend, so this dispatches to the concrete
/// connection; the statement is the same on both.
#[macro_export]
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::db::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}

/// Moves the row `id` of a versioned state machine (`table` has `id`,
/// `version`, `status`, `updated_at`) from `from` at version `expected` to
/// `to` in one conditional UPDATE; `Ok(false)` when the row changed
/// meanwhile (stale version or status), so two concurrent moves cannot
/// both succeed.
#[macro_export]
macro_rules! conditional_move {
    ($conn:expr, $table:ident, $id:expr, $expected:expr, ($from:expr, $to:expr), $at:expr) => {{
        let expected: i32 = $expected;
        diesel::update(
            $table::table
                .filter($table::id.eq($id))
                .filter($table::version.eq(expected))
                .filter($table::status.eq($from)),
        )
        .set((
            $table::status.eq($to),
            $table::version.eq(expected + 1),
            $table::updated_at.eq($at),
        ))
        .execute($conn)
        .map(|n| n == 1)
    }};
}

/// Rows per multi-row INSERT of a bulk load on SQLite: 30 columns of 100
/// rows stay far below SQLite's 32,766 bound parameters.
pub const SQLITE_BATCH: usize = 100;

/// Inserts every row of the slice `rows` into `table`: on PostgreSQL in one
/// binary `COPY … FROM STDIN` (no statement to parse, no bind-parameter
/// limit; a bulk load spends its time in the server's heap, not in the
/// protocol), on SQLite in multi-row INSERTs of [`SQLITE_BATCH`] rows. The
/// row struct must derive `Insertable` with
/// `treat_none_as_default_value = false`, which `COPY` needs (every column
/// is sent, `None` as NULL).
#[macro_export]
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Pg(c) if !rows.is_empty() => {
                use diesel::ExecuteCopyFromDsl;
                diesel::copy_from($table).from_insertable(rows).execute(c)
            }
            $crate::db::DbConnection::Pg(_) => Ok(0),
            $crate::db::DbConnection::Sqlite(c) => 'sqlite: {
                // Whole batches go in as fixed-size arrays: their statement
                // has one shape, so SQLite prepares it once per table and
                // reuses it (a slice's statement is parsed anew each time).
                const BATCH: usize = $crate::db::SQLITE_BATCH;
                let mut whole = rows.chunks_exact(BATCH);
                let mut n = 0;
                for chunk in &mut whole {
                    let Ok(batch) = <&[_; BATCH]>::try_from(chunk) else {
                        let e = diesel::result::Error::QueryBuilderError("batch size".into());
                        break 'sqlite Err(e);
                    };
                    match diesel::insert_into($table).values(batch).execute(c) {
                        Ok(k) => n += k,
                        Err(e) => break 'sqlite Err(e),
                    }
                }
                let rest = whole.remainder();
                if rest.is_empty() {
                    Ok(n)
                } else {
                    diesel::insert_into($table)
                        .values(rest)
                        .execute(c)
                        .map(|k| n + k)
                }
            }
        }
    }};
}

pub use connect::{establish, DbPool, PooledConn};

/// Turns `sqlite://path` into the path diesel expects; other URLs pass through.
pub fn normalize_url(url: &str) -> String {
    url.strip_prefix("sqlite://").unwrap_or(url).to_string()
}

/// Counts SQL statements sent by the pool's connections (exported as
/// `reintegra_db_statements_total`; tests use it to prove no N+1).
#[derive(Clone, Debug, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements started so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counting(Arc<AtomicU64>);

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[derive(Debug)]
struct Setup {
    sqlite: bool,
    counter: StatementCounter,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for Setup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let (true, DbConnection::Sqlite(c)) = (self.sqlite, &mut *conn) {
            // WAL lets readers run beside the single writer; the busy timeout
            // makes concurrent writers queue instead of failing at once.
            c.batch_execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        conn.set_instrumentation(Counting(Arc::clone(&self.counter.0)));
        Ok(())
    }
}

/// Builds the pool without connecting, so the service starts (and reports
/// not-ready) while the database is away, and recovers when it returns.
pub fn build_pool(
    url: &str,
    size: u32,
    timeout: Duration,
    counter: &StatementCounter,
) -> Result<DbPool, StartupError> {
    let (manager, breaker) = connect::manager(url);
    let setup = Setup {
        sqlite: !is_postgres_url(url),
        counter: counter.clone(),
    };
    let pool = Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(0))
        .connection_timeout(timeout)
        // No `SELECT 1` per checkout: a connection that died is found
        // broken by the query that uses it, and the pool replaces it.
        .test_on_check_out(false)
        .connection_customizer(Box::new(setup))
        .build_unchecked(manager);
    Ok(DbPool::new(pool, breaker))
}

/// Refreshes the planner's statistics, after migrations and bulk loads: a
/// planner that believes a table holds one row picks plans that are fine
/// at ten rows and hopeless at a million.
pub fn analyze(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("ANALYZE"),
        // A bounded sample per index keeps this to milliseconds at any size.
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA optimize;")
        }
    }
}

/// Fresh statistics after a bulk load (seed, import): on PostgreSQL also a
/// VACUUM, because index-only scans (MINEX's window index, the count
/// indexes) need the visibility map that only VACUUM sets: without it the
/// window list of 100k people ran at 34 requests/s instead of 342. Must
/// run outside a transaction.
pub fn after_bulk_load(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Pg(c) => c.batch_execute("VACUUM ANALYZE"),
        DbConnection::Sqlite(_) => analyze(conn),
    }
}

/// Runs blocking database work on actix's blocking thread pool, once the
/// pool admits it (in arrival order, see [`DbPool::admit`]).
pub async fn run<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let place = pool.admit().await?;
    on_blocking_thread(pool, place, f).await
}

/// [`run`] for work whose cost grows with the tables (matching, statistics,
/// exports, chain verification): it also queues in the heavy lane, which
/// holds at most half the pool's places (see [`DbPool::admit_heavy`]).
pub async fn run_heavy<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let places = pool.admit_heavy().await?;
    on_blocking_thread(pool, places, f).await
}

async fn on_blocking_thread<T, F, P>(pool: &DbPool, places: P, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
    P: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        // Declared first, dropped last: the places free after the connection.
        let _places = places;
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite so that two
/// writers queue on the busy timeout instead of deadlocking on lock upgrade.
pub fn write_tx<T, F>(conn: &mut DbConnection, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T>,
{
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        }
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let result = f(conn);
    let end = match (&result, &mut *conn) {
        (Ok(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::commit_transaction(c),
        (Ok(_), DbConnection::Pg(c)) => AnsiTransactionManager::commit_transaction(c),
        (Err(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::rollback_transaction(c),
        (Err(_), DbConnection::Pg(c)) => AnsiTransactionManager::rollback_transaction(c),
    };
    end?;
    result
}

/// Checks that the database answers a real query.
pub fn ping(conn: &mut DbConnection) -> AppResult<()> {
    use diesel::prelude::*;
    schema::departments::table
        .select(diesel::dsl::count_star())
        .first::<i64>(conn)
        .map(|_| ())
        .map_err(AppError::from)
}

/// A new random opaque id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The current time as stored: UTC without offset, to the microsecond.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}
