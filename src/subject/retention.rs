//! Retention: people with no activity for `REINTEGRA_RETENTION_YEARS` are
//! pseudonymised like an erasure, in batches, never while a case is open.

use chrono::NaiveDateTime;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::erase::{erase, Erasure};
use crate::db::schema::{arrivals, assistance, consents, erasures, migrants};
use crate::db::{self, DbConnection};
use crate::error::AppResult;

/// People erased per transaction: a long run commits as it goes and holds
/// the write lock only briefly each time.
const BATCH: i64 = 500;

/// The reason recorded on each erasure.
pub const REASON: &str = "retention period elapsed with no activity";

/// Ids of records with no activity since `cutoff`: not changed, no arrival,
/// no service and no consent given or revoked since, not yet erased, and
/// no open case (an open consent counts as one: the person is followed).
pub fn due(conn: &mut DbConnection, cutoff: NaiveDateTime, limit: i64) -> AppResult<Vec<String>> {
    let recent_arrival = arrivals::table
        .filter(arrivals::migrant_id.eq(migrants::id))
        .filter(arrivals::arrived_at.ge(cutoff));
    let recent_service = assistance::table
        .filter(assistance::migrant_id.eq(migrants::id))
        .filter(assistance::given_at.ge(cutoff));
    let consent_activity = consents::table
        .filter(consents::migrant_id.eq(migrants::id))
        .filter(
            consents::granted_at
                .ge(cutoff)
                .or(consents::revoked_at.ge(cutoff))
                .or(consents::revoked_at.is_null()),
        );
    let erased = erasures::table.filter(erasures::migrant_id.eq(migrants::id));
    Ok(migrants::table
        .filter(migrants::updated_at.lt(cutoff))
        .filter(not(exists(recent_arrival)))
        .filter(not(exists(recent_service)))
        .filter(not(exists(consent_activity)))
        .filter(not(exists(erased)))
        .order(migrants::id)
        .limit(limit)
        .select(migrants::id)
        .load(conn)?)
}

/// How many records are due at `cutoff` (for `--dry-run`).
pub fn count_due(conn: &mut DbConnection, cutoff: NaiveDateTime) -> AppResult<usize> {
    Ok(due(conn, cutoff, i64::MAX)?.len())
}

/// Pseudonymises every record due at `cutoff`, `BATCH` per transaction,
/// each with its audit event; returns how many.
pub fn apply(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    audit: impl Fn(&mut DbConnection, &[String]) -> AppResult<()>,
) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let n = db::write_tx(conn, |c| {
            let ids = due(c, cutoff, BATCH)?;
            let at = db::now();
            // One erasure script for the API and for retention, so the two
            // can never pseudonymise differently; a batch job, not a request.
            for id in &ids {
                let e = Erasure {
                    migrant_id: id,
                    by: "retention",
                    reason: REASON,
                    at,
                };
                erase(c, &e)?;
            }
            if !ids.is_empty() {
                audit(c, &ids)?;
            }
            Ok(ids.len())
        })?;
        done += n;
        if n < BATCH as usize {
            return Ok(done);
        }
    }
}
