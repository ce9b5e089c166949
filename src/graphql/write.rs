//! Writes: one transaction holding the change and its audit event, and
//! idempotency keys for creates.

use async_graphql::Context;

use super::access::slice_name;
use super::{caller, pool, RequestContext};
use crate::db::audit::{self, AuditEntry};
use crate::db::idempotency::IdemKey;
use crate::db::{self, DbConnection};
use crate::error::{AppError, AppResult};
use crate::policy::Slice;

/// What a write will record in the audit log.
pub struct AuditDraft {
    /// `CREATE`, `UPDATE`, `CONSENT_RECORD`, …
    pub action: &'static str,
    /// The kind of record changed.
    pub entity: &'static str,
    /// The slices the write touches.
    pub slices: Vec<Slice>,
}

/// The audit entry of `rc` for a draft and record ids.
pub fn entry(
    rc: &RequestContext,
    action: &str,
    entity: &str,
    ids: Vec<String>,
    slices: Vec<String>,
) -> AuditEntry {
    AuditEntry {
        actor_subject: rc.identity.subject.clone(),
        actor_institution: rc.identity.institution.code.clone(),
        actor_role: rc.identity.role.as_str().to_string(),
        action: action.to_string(),
        entity: entity.to_string(),
        record_ids: ids,
        slices,
        request_id: rc.request_id.clone(),
        detail: None,
    }
}

/// Runs `f` in a write transaction and appends the audit event in the
/// same transaction: the change and its record commit or fail together.
/// `f` returns the value and the ids it changed (none: nothing to record,
/// e.g. an idempotent replay).
pub async fn audited<T, F>(ctx: &Context<'_>, draft: AuditDraft, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<(T, Vec<String>)> + Send + 'static,
{
    let rc = caller(ctx)?.clone();
    let slices = draft
        .slices
        .iter()
        .map(|s| slice_name(*s).to_string())
        .collect();
    db::run(pool(ctx)?, move |conn| {
        db::write_tx(conn, |conn| {
            let (value, ids) = f(conn)?;
            if !ids.is_empty() {
                let e = entry(&rc, draft.action, draft.entity, ids, slices);
                audit::append(conn, &[e], db::now())?;
            }
            Ok(value)
        })
    })
    .await
}

/// The idempotency key of a create, scoped to the caller.
pub fn idem_key(
    ctx: &Context<'_>,
    key: Option<String>,
    operation: &'static str,
) -> AppResult<Option<IdemKey>> {
    let Some(key) = key.map(|k| k.trim().to_string()) else {
        return Ok(None);
    };
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::bad_input(
            "idempotencyKey",
            "must be 1 to 200 characters",
        ));
    }
    let rc = caller(ctx)?;
    Ok(Some(IdemKey {
        institution_code: rc.identity.institution.code.clone(),
        subject: rc.identity.subject.clone(),
        key,
        operation,
    }))
}

/// The id stored under `key` by an earlier call, if any.
pub fn replayed(conn: &mut DbConnection, key: &Option<IdemKey>) -> AppResult<Option<String>> {
    let Some(key) = key else { return Ok(None) };
    match db::idempotency::lookup(conn, key)? {
        None => Ok(None),
        Some(Ok(id)) => Ok(Some(id)),
        Some(Err(op)) => Err(AppError::Conflict(format!(
            "idempotencyKey was already used for {op}"
        ))),
    }
}

/// Remembers the id created under `key`.
pub fn remember(conn: &mut DbConnection, key: &Option<IdemKey>, id: &str) -> AppResult<()> {
    if let Some(key) = key {
        db::idempotency::store(conn, key, id, db::now())?;
    }
    Ok(())
}
