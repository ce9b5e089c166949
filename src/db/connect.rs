//! Opening connections and the pool around them.
//!
//! The URL's scheme picks the backend, so a failure reports its real cause
//! (unreachable host, missing database, authentication, bad path) instead
//! of the multi-backend's "invalid connection url". A breaker remembers a
//! failed connection for a moment, so while the database is away requests
//! fail at once with `UNAVAILABLE` instead of each waiting out the pool
//! timeout; the first request after the moment tries again, and the service
//! recovers by itself when the database returns.
//!
//! Requests are admitted to the pool in arrival order by a fair semaphore
//! held on the async side ([`DbPool::admit`]). r2d2 hands a returned
//! connection to whichever thread asks first, so under load a waiting
//! request could lose it again and again to newcomers: a long tail. Past
//! the gate, a request's blocking task always finds a connection. Work
//! whose cost grows with the tables (matching, statistics, exports, chain
//! verification) also queues in a lane of its own that holds at most half
//! the places, so a burst of it cannot shut pages and lookups out.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::Connection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::ConnectionResult;
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

use super::{normalize_url, DbConnection};
use crate::config::is_postgres_url;
use crate::error::AppError;

/// How long a failed connection keeps requests from trying again.
const BREAK: Duration = Duration::from_millis(1000);

/// Opens one connection to the backend the URL names.
pub fn establish(url: &str) -> ConnectionResult<DbConnection> {
    if is_postgres_url(url) {
        PgConnection::establish(url).map(DbConnection::Pg)
    } else {
        let path = normalize_url(url);
        SqliteConnection::establish(&path)
            .map(DbConnection::Sqlite)
            .map_err(|e| {
                diesel::ConnectionError::BadConnection(format!(
                    "cannot open the SQLite database file {path}: {e} \
                     (does its directory exist, and may this user write there?)"
                ))
            })
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Remembers the last failure to connect, and what it was.
#[derive(Debug, Default)]
pub struct Breaker {
    open_until_ms: AtomicI64,
}

impl Breaker {
    /// `UNAVAILABLE` while a recent connection attempt failed.
    pub fn check(&self) -> Result<(), AppError> {
        if now_ms() < self.open_until_ms.load(Ordering::Relaxed) {
            return Err(AppError::Unavailable(
                "database recently unreachable".into(),
            ));
        }
        Ok(())
    }

    fn trip(&self) {
        let until = now_ms() + BREAK.as_millis() as i64;
        self.open_until_ms.store(until, Ordering::Relaxed);
    }

    fn reset(&self) {
        self.open_until_ms.store(0, Ordering::Relaxed);
    }
}

/// The r2d2 manager: opens connections with [`establish`], feeding the breaker.
#[derive(Debug)]
pub struct Manager {
    url: String,
    breaker: Arc<Breaker>,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match establish(&self.url) {
            Ok(conn) => {
                self.breaker.reset();
                Ok(conn)
            }
            Err(e) => {
                self.breaker.trip();
                Err(r2d2::Error::ConnectionError(e))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// The connection pool shared by the workers, with its breaker and the
/// gate that admits requests to it in order.
#[derive(Clone, Debug)]
pub struct DbPool {
    pool: r2d2::Pool<Manager>,
    breaker: Arc<Breaker>,
    gate: Arc<Semaphore>,
    heavy: Arc<Semaphore>,
}

/// A request's place at the pool, held until its connection is back.
pub type Admission = OwnedSemaphorePermit;

/// One pooled connection.
pub type PooledConn = r2d2::PooledConnection<Manager>;

impl DbPool {
    /// Wraps a pool built over [`manager`]'s manager.
    pub fn new(pool: r2d2::Pool<Manager>, breaker: Arc<Breaker>) -> Self {
        // One connection stays out of the gate for the audit committer, so
        // admitted requests waiting on their audit never starve it.
        let places = pool.max_size().saturating_sub(1).max(1) as usize;
        DbPool {
            pool,
            breaker,
            gate: Arc::new(Semaphore::new(places)),
            heavy: Arc::new(Semaphore::new((places / 2).max(1))),
        }
    }

    /// Waits, in arrival order, for a place at the pool: `UNAVAILABLE` at
    /// once while the breaker is open, or after the pool's timeout.
    pub async fn admit(&self) -> Result<Admission, AppError> {
        self.breaker.check()?;
        self.in_time(Arc::clone(&self.gate).acquire_owned()).await
    }

    /// [`DbPool::admit`] for heavy work: a place in the heavy lane, then
    /// one at the pool, both within the pool's timeout.
    pub async fn admit_heavy(&self) -> Result<(Admission, Admission), AppError> {
        self.breaker.check()?;
        let (lane, gate) = (Arc::clone(&self.heavy), Arc::clone(&self.gate));
        self.in_time(async move {
            let lane = lane.acquire_owned().await?;
            Ok((lane, gate.acquire_owned().await?))
        })
        .await
    }

    async fn in_time<T>(
        &self,
        places: impl std::future::Future<Output = Result<T, AcquireError>>,
    ) -> Result<T, AppError> {
        let wait = self.pool.connection_timeout();
        match tokio::time::timeout(wait, places).await {
            Ok(Ok(places)) => Ok(places),
            Ok(Err(_)) | Err(_) => {
                tracing::warn!(waited_ms = wait.as_millis() as u64, "no place at the pool");
                Err(AppError::Unavailable(
                    "no database connection in time".into(),
                ))
            }
        }
    }

    /// A connection, or `UNAVAILABLE` at once while the breaker is open,
    /// or after the pool's timeout when none can be had.
    pub fn get(&self) -> Result<PooledConn, AppError> {
        self.breaker.check()?;
        self.pool.get().map_err(|e| {
            tracing::warn!(error = %e, "no database connection");
            AppError::Unavailable(format!("no database connection: {e}"))
        })
    }

    /// Connections open and idle.
    pub fn state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }
}

/// A manager for `url` and the breaker it feeds.
pub fn manager(url: &str) -> (Manager, Arc<Breaker>) {
    let breaker = Arc::new(Breaker::default());
    (
        Manager {
            url: url.to_string(),
            breaker: Arc::clone(&breaker),
        },
        breaker,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A pool of `size` connections that never connects (none is taken).
    fn pool(size: u32, wait: Duration) -> DbPool {
        let (manager, breaker) = manager("sqlite://:memory:");
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(wait)
            .build_unchecked(manager);
        DbPool::new(pool, breaker)
    }

    #[actix_web::test]
    async fn the_pool_admits_requests_in_arrival_order() {
        let pool = pool(2, Duration::from_secs(5));
        let first = pool.admit().await.expect("the one place");
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for n in 0..4 {
            let (pool, order) = (pool.clone(), Arc::clone(&order));
            waiting.push(actix_web::rt::spawn(async move {
                let _place = pool.admit().await.expect("a place");
                order.lock().expect("order").push(n);
            }));
            // Lets the new request reach the gate before the next one.
            tokio::task::yield_now().await;
        }
        drop(first);
        for w in waiting {
            w.await.expect("request");
        }
        assert_eq!(*order.lock().expect("order"), vec![0, 1, 2, 3]);
    }

    #[actix_web::test]
    async fn heavy_work_leaves_places_for_the_rest() {
        // 5 connections: 4 places for requests, 2 of them for heavy work.
        let pool = pool(5, Duration::from_millis(20));
        let _a = pool.admit_heavy().await.expect("heavy");
        let _b = pool.admit_heavy().await.expect("heavy");
        let refused = pool.admit_heavy().await.expect_err("a third heavy");
        assert!(matches!(refused, AppError::Unavailable(_)), "{refused:?}");
        let _c = pool.admit().await.expect("a page still gets in");
        let _d = pool.admit().await.expect("and another");
        pool.admit().await.expect_err("the places are all taken");
    }

    #[actix_web::test]
    async fn no_place_in_time_is_unavailable() {
        let pool = pool(2, Duration::from_millis(20));
        let _held = pool.admit().await.expect("the one place");
        let refused = pool.admit().await.expect_err("no place");
        assert!(matches!(refused, AppError::Unavailable(_)), "{refused:?}");
    }
}
