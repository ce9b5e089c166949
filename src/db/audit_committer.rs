//! The group committer of read events. Requests hand their `READ` event to
//! one writer thread, which appends everything waiting in one transaction
//! (in arrival order, chained like any other event) and then answers each
//! request. A request releases its data only after that answer says the
//! event is durably stored, so the chain's head row is locked once per
//! batch instead of once per request, and nothing is disclosed without a
//! record. Writes still append their own event inside their own
//! transaction, on the same chain.

use tokio::sync::{mpsc, oneshot};

use super::audit::{self, AuditEntry};
use super::{now, write_tx, DbPool};
use crate::error::{AppError, AppResult};

/// Most events appended in one transaction.
const MAX_BATCH: usize = 512;
/// Requests that may wait for the writer; beyond, callers wait to enqueue.
const QUEUE: usize = 4096;

struct Pending {
    entry: AuditEntry,
    stored: oneshot::Sender<AppResult<()>>,
}

/// A handle to the writer; cheap to clone. The writer stops when the last
/// handle is dropped.
#[derive(Clone)]
pub struct AuditCommitter {
    queue: mpsc::Sender<Pending>,
}

impl AuditCommitter {
    /// Starts the writer thread over `pool`.
    pub fn start(pool: DbPool) -> std::io::Result<Self> {
        let (queue, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("audit-committer".into())
            .spawn(move || writer(pool, rx))?;
        Ok(AuditCommitter { queue })
    }

    /// Appends `entry` and returns once it is committed; an error means it
    /// is not stored and the caller must not disclose what it describes.
    pub async fn record(&self, entry: AuditEntry) -> AppResult<()> {
        let (stored, answer) = oneshot::channel();
        self.queue
            .send(Pending { entry, stored })
            .await
            .map_err(|_| AppError::Internal("audit committer stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::Internal("audit committer dropped a request".into()))?
    }
}

/// The writer loop: wait for one event, take whatever else is waiting,
/// commit them together, answer each.
fn writer(pool: DbPool, mut rx: mpsc::Receiver<Pending>) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let (entries, waiting): (Vec<_>, Vec<_>) =
            batch.into_iter().map(|p| (p.entry, p.stored)).unzip();
        let result = commit(&pool, &entries);
        for stored in waiting {
            // A request that gave up waiting has nobody left to answer.
            let _ = stored.send(result.clone());
        }
    }
}

fn commit(pool: &DbPool, entries: &[AuditEntry]) -> AppResult<()> {
    let mut conn = pool.get()?;
    write_tx(&mut conn, |c| Ok(audit::append(c, entries, now())?))
}
