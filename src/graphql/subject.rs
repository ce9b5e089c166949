//! The data subject's rights, exercised by IOM on the person's behalf:
//! `subjectExport` (everything held on them) and `eraseMigrant`.

use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::audit::AuditEvent;
use super::write::{audited, AuditDraft};
use super::{caller, RequestContext};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::policy::{self, Slice};
use crate::subject::{self, erase::Erasure};

/// One table's rows about the person, every column as stored.
#[derive(SimpleObject)]
pub struct SubjectTable {
    /// The table.
    pub table: String,
    /// Its rows about the person.
    pub rows: Vec<Json<serde_json::Value>>,
}

/// Everything held on one person.
#[derive(SimpleObject)]
pub struct SubjectExport {
    /// The person.
    pub migrant_id: ID,
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
    /// Whether the record was erased (only a pseudonymised remainder is left).
    pub erased: bool,
    /// Every table holding the person's data.
    pub tables: Vec<SubjectTable>,
    /// Who read or changed the record (the latest 5,000), oldest first.
    pub audit_events: Vec<AuditEvent>,
    /// How many audit events concern the person in all.
    pub audit_events_total: i64,
}

impl From<subject::SubjectDocument> for SubjectExport {
    fn from(d: subject::SubjectDocument) -> Self {
        SubjectExport {
            migrant_id: ID(d.migrant_id),
            generated_at: d.generated_at.and_utc(),
            erased: d.erased,
            tables: d
                .tables
                .into_iter()
                .map(|t| SubjectTable {
                    table: t.table,
                    rows: t.rows.into_iter().map(Json).collect(),
                })
                .collect(),
            audit_events: d.audit_events.into_iter().map(AuditEvent::from).collect(),
            audit_events_total: d.audit_events_total,
        }
    }
}

/// The result of `eraseMigrant`.
#[derive(SimpleObject)]
pub struct ErasureResult {
    /// The record, which stays as a pseudonymised remainder.
    pub migrant_id: ID,
    /// When.
    pub erased_at: DateTime<Utc>,
}

fn require_subject_rights(ctx: &Context<'_>) -> AppResult<RequestContext> {
    let rc = caller(ctx)?;
    if !policy::can_act_for_data_subject(rc.identity.role) {
        return Err(AppError::Forbidden(
            "only IOM administrators act on data-subject requests".into(),
        ));
    }
    Ok(rc.clone())
}

/// The data subject's export.
#[derive(Default)]
pub struct SubjectQuery;

#[Object]
impl SubjectQuery {
    /// Everything held on one person: every table that names them, every
    /// column, and the audit events about them (IOM administrators).
    /// The export itself is audited.
    #[graphql(visible = "super::visibility::acts_for_data_subjects")]
    async fn subject_export(&self, ctx: &Context<'_>, migrant_id: ID) -> Result<SubjectExport> {
        require_subject_rights(ctx)?;
        let draft = AuditDraft {
            action: "SUBJECT_EXPORT",
            entity: "Migrant",
            slices: Slice::ALL.to_vec(),
        };
        let doc = audited(ctx, draft, move |c| {
            let doc = subject::export(c, &migrant_id.0, db::now())?;
            let ids = vec![doc.migrant_id.clone()];
            Ok((doc, ids))
        })
        .await?;
        Ok(doc.into())
    }
}

/// Erasure.
#[derive(Default)]
pub struct SubjectMutation;

#[Object]
impl SubjectMutation {
    /// Erases a person by pseudonymisation (IOM administrators, with a
    /// reason of 10 to 500 characters): names, documents, contact, notes and
    /// free text are removed; department, sex, birth year and the dates of
    /// arrivals and services stay for statistics; consents are revoked and
    /// no partner finds the record again. A second erasure answers `CONFLICT`.
    #[graphql(visible = "super::visibility::acts_for_data_subjects")]
    async fn erase_migrant(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        reason: String,
    ) -> Result<ErasureResult> {
        let rc = require_subject_rights(ctx)?;
        let reason = reason.trim().to_string();
        if !(10..=500).contains(&reason.chars().count()) {
            return Err(AppError::bad_input("reason", "10 to 500 characters").into());
        }
        let draft = AuditDraft {
            action: "ERASE",
            entity: "Migrant",
            slices: Slice::ALL.to_vec(),
        };
        let at = db::now();
        audited(ctx, draft, move |c| {
            let e = Erasure {
                migrant_id: &migrant_id.0,
                by: &rc.identity.subject,
                reason: &reason,
                at,
            };
            subject::erase(c, &e)?;
            Ok((
                ErasureResult {
                    migrant_id: migrant_id.clone(),
                    erased_at: at.and_utc(),
                },
                vec![migrant_id.0.clone()],
            ))
        })
        .await
        .map_err(Into::into)
    }
}
