//! Embedded, reversible migrations, one set per backend.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::DbConnection;
use crate::error::StartupError;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
pub fn run_pending(conn: &mut DbConnection) -> Result<usize, StartupError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
    };
    applied.map_err(|e| StartupError::Database(format!("migration failed: {e}")))
}

/// Reverts the most recent migration (for `reintegra migrate --revert`).
pub fn revert_last(conn: &mut DbConnection) -> Result<String, StartupError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE).map(|v| v.to_string()),
        DbConnection::Pg(c) => c.revert_last_migration(POSTGRES).map(|v| v.to_string()),
    };
    reverted.map_err(|e| StartupError::Database(format!("revert failed: {e}")))
}

/// Opens one direct connection and migrates (used by `migrate` and `serve`).
pub fn connect_and_migrate(url: &str) -> Result<usize, StartupError> {
    let mut conn = super::establish(url)
        .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))?;
    if let DbConnection::Sqlite(c) = &mut conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .map_err(|e| StartupError::Database(e.to_string()))?;
    }
    let applied = run_pending(&mut conn)?;
    super::analyze(&mut conn).map_err(|e| StartupError::Database(format!("analyze: {e}")))?;
    Ok(applied)
}
