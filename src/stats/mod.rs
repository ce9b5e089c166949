//! Statistics without disclosure (docs/statistics.md): each figure family
//! is a small [`figures::Figure`] over the common table engine
//! ([`table`]); counts come from one GROUP BY statement each
//! (`db::stats`), over the people the caller followed in the period; small
//! cells, and the cells that would give them away, are hidden outside IOM
//! ([`suppression`]).

pub mod csv;
pub mod dimension;
pub mod figures;
pub mod suppression;
pub mod table;

use diesel::connection::SimpleConnection;

use crate::db::stats::Query;
use crate::db::DbConnection;
use crate::domain::institution::Role;
use crate::error::AppResult;
use crate::policy::{self, RowFilter};
use dimension::{Dimension, Period};
use figures::Figure;
use table::Table;

/// One statistics request: whose figures, which period, rows by what.
#[derive(Clone, Debug)]
pub struct Request {
    /// The period.
    pub period: Period,
    /// The row dimension of every table.
    pub by: Dimension,
    /// The caller's statistics rows (`policy::stats_filter`).
    pub rows: RowFilter,
    /// Whether small cells are hidden (`policy::stats_suppressed`).
    pub suppressed: bool,
}

/// The table of `figure` for `req`: one statement, read in a snapshot.
pub fn compute(conn: &mut DbConnection, req: &Request, figure: &Figure) -> AppResult<Table> {
    let q = Query {
        rows: &req.rows,
        start: req.period.start(),
        end: req.period.end(),
        by: req.by,
    };
    let counts = (figure.count)(conn, &q)?;
    Ok(table::build(
        figure,
        req.by,
        &req.period,
        &counts,
        req.suppressed,
    ))
}

/// Every family's table for `req`, all read in one snapshot so that the
/// tables agree with each other.
pub fn compute_all(conn: &mut DbConnection, req: &Request) -> AppResult<Vec<Table>> {
    snapshot(conn, |c| {
        figures::ALL.iter().map(|f| compute(c, req, f)).collect()
    })
}

/// Runs `f` in one read transaction (PostgreSQL: REPEATABLE READ, so every
/// statement sees the same data; SQLite transactions are snapshots).
pub fn snapshot<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<T> {
    use diesel::Connection;
    conn.transaction(|c| {
        if let DbConnection::Pg(pg) = c {
            pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        }
        f(c)
    })
}

impl Request {
    /// The request of a caller of `role` at `institution`, now: the
    /// statistics rows and suppression the policy gives that role.
    pub fn for_caller(
        role: Role,
        institution: &str,
        period: Period,
        by: Dimension,
        minex_window_days: i64,
    ) -> Request {
        let rows = RowFilter::for_caller(role, institution, crate::db::now(), minex_window_days);
        Request {
            period,
            by,
            rows: policy::stats_filter(rows, role),
            suppressed: policy::stats_suppressed(role),
        }
    }
}
