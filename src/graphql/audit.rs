//! `auditEvents` and `auditChain`, for `iom_admin` and `auditor`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::pagination::{self, PageInfo, Position};
use super::{caller, pool};
use crate::db::audit::{self, AuditEventRow, AuditQuery};
use crate::db::{self};
use crate::error::{AppError, AppResult};
use crate::policy;

/// One audit event.
#[derive(SimpleObject)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When it happened (UTC).
    pub occurred_at: DateTime<Utc>,
    /// Token `sub` of the actor.
    pub actor_subject: String,
    /// Actor's institution code.
    pub actor_institution: String,
    /// Actor's role.
    pub actor_role: String,
    /// `READ`, `CREATE`, `UPDATE`, `CONSENT_RECORD`, `CONSENT_REVOKE`, …
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Ids of the migrant records concerned.
    pub record_ids: Vec<String>,
    /// Slices read or written.
    pub slices: Vec<String>,
    /// The HTTP request id.
    pub request_id: String,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl From<AuditEventRow> for AuditEvent {
    fn from(r: AuditEventRow) -> Self {
        AuditEvent {
            seq: r.seq,
            occurred_at: r.occurred_at.and_utc(),
            actor_subject: r.actor_subject,
            actor_institution: r.actor_institution,
            actor_role: r.actor_role,
            action: r.action,
            entity: r.entity,
            record_ids: serde_json::from_str(&r.record_ids).unwrap_or_default(),
            slices: serde_json::from_str(&r.slices).unwrap_or_default(),
            request_id: r.request_id,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Filters of `auditEvents`.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Events concerning this migrant record.
    pub record_id: Option<String>,
    /// Events by this subject.
    pub actor_subject: Option<String>,
    /// Events of this action.
    pub action: Option<String>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
}

/// An edge of the audit connection.
#[derive(SimpleObject)]
pub struct AuditEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The event.
    pub node: AuditEvent,
}

/// A page of audit events, oldest first.
#[derive(SimpleObject)]
pub struct AuditConnection {
    /// Events of this page.
    pub edges: Vec<AuditEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Events matching the filter.
    pub total_count: i64,
}

/// The result of verifying the chain.
#[derive(SimpleObject)]
pub struct AuditChainStatus {
    /// True when every link verifies.
    pub ok: bool,
    /// Events checked before the first break (or all).
    pub checked: i64,
    /// The first broken event, if any.
    pub first_broken_seq: Option<i64>,
    /// Why it is broken.
    pub reason: Option<String>,
}

fn require_audit_reader(ctx: &Context<'_>) -> AppResult<()> {
    if policy::can_read_audit(caller(ctx)?.identity.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only iom_admin and auditor may read the audit log".into(),
        ))
    }
}

/// Audit queries.
#[derive(Default)]
pub struct AuditQueryRoot;

#[Object]
impl AuditQueryRoot {
    /// The audit log, oldest first.
    #[graphql(
        visible = "super::visibility::reads_audit",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AuditFilter>,
    ) -> Result<AuditConnection> {
        require_audit_reader(ctx)?;
        let limit = pagination::limit(ctx, first)?;
        let after_seq = match after.as_deref().map(pagination::decode).transpose()? {
            Some(Position::Seq(n)) => Some(n),
            Some(_) => return Err(AppError::bad_input("after", "not an audit cursor").into()),
            None => None,
        };
        let f = filter.unwrap_or_default();
        let q = AuditQuery {
            after_seq,
            limit: limit + 1,
            record_id: f.record_id,
            actor_subject: f.actor_subject,
            action: f.action,
            from: f.from.map(|t| t.naive_utc()),
            to: f.to.map(|t| t.naive_utc()),
        };
        let (rows, total_count) = db::run(pool(ctx)?, move |c| Ok(audit::list(c, &q)?)).await?;
        let (rows, has_next_page) = pagination::cut(rows, limit);
        let edges: Vec<AuditEdge> = rows
            .into_iter()
            .map(|r| AuditEdge {
                cursor: pagination::encode(&Position::Seq(r.seq)),
                node: r.into(),
            })
            .collect();
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            has_next_page,
        );
        Ok(AuditConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// Verifies the whole hash chain and reports the first broken link.
    #[graphql(visible = "super::visibility::reads_audit")]
    async fn audit_chain(&self, ctx: &Context<'_>) -> Result<AuditChainStatus> {
        require_audit_reader(ctx)?;
        let report = db::run_heavy(pool(ctx)?, |c| Ok(audit::verify(c)?)).await?;
        Ok(AuditChainStatus {
            ok: report.first_broken_seq.is_none(),
            checked: report.checked,
            first_broken_seq: report.first_broken_seq,
            reason: report.reason,
        })
    }
}
