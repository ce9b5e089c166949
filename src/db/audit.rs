//! The hash-chained audit log. Each event stores the hash of the previous
//! one; the hash covers a canonical encoding of every field, so editing,
//! removing or reordering any event breaks the chain.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::schema::{audit_events, audit_head};
use super::DbConnection;

/// What to record; the chain fields are added by [`append`].
#[derive(Clone, Debug, Default)]
pub struct AuditEntry {
    pub actor_subject: String,
    pub actor_institution: String,
    pub actor_role: String,
    /// `READ`, `CREATE`, `UPDATE`, `CONSENT_RECORD`, …
    pub action: String,
    /// `Migrant`, `Consent`, `Institution`, …
    pub entity: String,
    pub record_ids: Vec<String>,
    pub slices: Vec<String>,
    pub request_id: String,
    pub detail: Option<String>,
}

/// A stored audit event.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub seq: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_subject: String,
    pub actor_institution: String,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    /// JSON array of record ids.
    pub record_ids: String,
    /// JSON array of slice names.
    pub slices: String,
    pub request_id: String,
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event: SHA-256 over a JSON array of every field but
/// `hash`, in a fixed order (prev_hash included, which makes the chain).
pub fn hash_of(e: &AuditEventRow) -> String {
    let canonical = serde_json::json!([
        e.seq,
        e.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        e.actor_subject,
        e.actor_institution,
        e.actor_role,
        e.action,
        e.entity,
        e.record_ids,
        e.slices,
        e.request_id,
        e.detail,
        e.prev_hash,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends events to the chain. Call inside a write transaction: the
/// first statement locks the chain head, so appenders queue.
pub fn append(
    conn: &mut DbConnection,
    entries: &[AuditEntry],
    at: NaiveDateTime,
) -> QueryResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let n = entries.len() as i64;
    diesel::update(audit_head::table.find(1))
        .set(audit_head::seq.eq(audit_head::seq + n))
        .execute(conn)?;
    let (last, mut prev): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let mut row = AuditEventRow {
            seq: last - n + 1 + i as i64,
            occurred_at: at,
            actor_subject: e.actor_subject.clone(),
            actor_institution: e.actor_institution.clone(),
            actor_role: e.actor_role.clone(),
            action: e.action.clone(),
            entity: e.entity.clone(),
            record_ids: serde_json::to_string(&e.record_ids).unwrap_or_default(),
            slices: serde_json::to_string(&e.slices).unwrap_or_default(),
            request_id: e.request_id.clone(),
            detail: e.detail.clone(),
            prev_hash: prev,
            hash: String::new(),
        };
        row.hash = hash_of(&row);
        prev = row.hash.clone();
        rows.push(row);
    }
    crate::insert_batch!(conn, audit_events::table, &rows)?;
    diesel::update(audit_head::table.find(1))
        .set(audit_head::hash.eq(prev))
        .execute(conn)?;
    Ok(())
}

/// The outcome of a chain verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Events checked.
    pub checked: i64,
    /// The first event whose link is broken, if any.
    pub first_broken_seq: Option<i64>,
    /// Why it is broken.
    pub reason: Option<String>,
}

fn broken(checked: i64, seq: i64, reason: &str) -> ChainReport {
    ChainReport {
        checked,
        first_broken_seq: Some(seq),
        reason: Some(reason.to_string()),
    }
}

/// Walks the whole chain in pages and reports the first broken link.
pub fn verify(conn: &mut DbConnection) -> QueryResult<ChainReport> {
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    loop {
        let page: Vec<AuditEventRow> = audit_events::table
            .filter(audit_events::seq.ge(expected_seq))
            .order(audit_events::seq)
            .limit(2000)
            .select(AuditEventRow::as_select())
            .load(conn)?;
        if page.is_empty() {
            break;
        }
        for e in page {
            let checked = expected_seq - 1;
            if e.seq != expected_seq {
                return Ok(broken(
                    checked,
                    expected_seq,
                    "event missing from the sequence",
                ));
            }
            if e.prev_hash != prev {
                return Ok(broken(
                    checked,
                    e.seq,
                    "prev_hash does not match the previous event",
                ));
            }
            if hash_of(&e) != e.hash {
                return Ok(broken(
                    checked,
                    e.seq,
                    "event content does not match its hash",
                ));
            }
            prev = e.hash;
            expected_seq += 1;
        }
    }
    let checked = expected_seq - 1;
    if checked != head_seq || prev != head_hash {
        return Ok(broken(
            checked,
            checked + 1,
            "chain head does not match the last event",
        ));
    }
    Ok(ChainReport {
        checked,
        first_broken_seq: None,
        reason: None,
    })
}

/// Filters for listing audit events.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub after_seq: Option<i64>,
    pub limit: i64,
    pub record_id: Option<String>,
    pub actor_subject: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

fn filtered(q: &AuditQuery) -> audit_events::BoxedQuery<'static, super::MultiBackend> {
    let mut b = audit_events::table.into_boxed();
    if let Some(id) = &q.record_id {
        // Ids are UUIDs (no LIKE wildcards); they are stored JSON-quoted.
        b = b.filter(audit_events::record_ids.like(format!("%\"{id}\"%")));
    }
    if let Some(s) = &q.actor_subject {
        b = b.filter(audit_events::actor_subject.eq(s.clone()));
    }
    if let Some(a) = &q.action {
        b = b.filter(audit_events::action.eq(a.clone()));
    }
    if let Some(from) = q.from {
        b = b.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = q.to {
        b = b.filter(audit_events::occurred_at.lt(to));
    }
    b
}

/// A page of events (newest last) and the total matching the filter.
pub fn list(conn: &mut DbConnection, q: &AuditQuery) -> QueryResult<(Vec<AuditEventRow>, i64)> {
    let total = filtered(q).count().get_result(conn)?;
    let mut page = filtered(q);
    if let Some(after) = q.after_seq {
        page = page.filter(audit_events::seq.gt(after));
    }
    let rows = page
        .order(audit_events::seq)
        .limit(q.limit)
        .select(AuditEventRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The latest `limit` events about record `id`, oldest first, and how many
/// there are in all.
pub fn latest_about(
    conn: &mut DbConnection,
    id: &str,
    limit: i64,
) -> QueryResult<(Vec<AuditEventRow>, i64)> {
    let q = AuditQuery {
        record_id: Some(id.to_string()),
        ..Default::default()
    };
    let total = filtered(&q).count().get_result(conn)?;
    let mut rows: Vec<AuditEventRow> = filtered(&q)
        .order(audit_events::seq.desc())
        .limit(limit)
        .select(AuditEventRow::as_select())
        .load(conn)?;
    rows.reverse();
    Ok((rows, total))
}
