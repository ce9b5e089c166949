//! Emergency access (break-the-glass): a MINEX officer or IOM reception
//! opens one record outside their rows, with a reason, for a short time.
//! Every opening and every read under it is in the audit chain; IOM admins
//! and auditors review the list.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::pagination::{self, PageInfo, Position};
use super::write::{audited, AuditDraft};
use super::{caller, pool};
use crate::config::Settings;
use crate::db::emergency::{self, EmergencyAccessRow};
use crate::db::schema::migrants;
use crate::db::{self};
use crate::domain::cui::Cui;
use crate::error::{AppError, AppResult};
use crate::policy;

/// An emergency access grant.
#[derive(SimpleObject)]
pub struct EmergencyAccess {
    /// Opaque id.
    pub id: ID,
    /// The record opened.
    pub migrant_id: ID,
    /// Who opened it: institution, `sub` and role.
    pub institution_code: String,
    /// The caller's `sub`.
    pub subject: String,
    /// The caller's role.
    pub role: String,
    /// Why.
    pub reason: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
}

impl From<EmergencyAccessRow> for EmergencyAccess {
    fn from(r: EmergencyAccessRow) -> Self {
        EmergencyAccess {
            id: ID(r.id),
            migrant_id: ID(r.migrant_id),
            institution_code: r.institution_code,
            subject: r.subject,
            role: r.role,
            reason: r.reason,
            opened_at: r.opened_at.and_utc(),
            expires_at: r.expires_at.and_utc(),
        }
    }
}

/// Input of `openEmergencyAccess`: the record (by id or by CUI) and why.
#[derive(InputObject)]
pub struct EmergencyAccessInput {
    /// The record's id, or
    pub migrant_id: Option<ID>,
    /// the person's CUI, when only the document is at hand.
    pub document_number: Option<String>,
    /// Why the record must be opened now (10 to 500 characters).
    pub reason: String,
}

/// An edge of the review list.
#[derive(SimpleObject)]
pub struct EmergencyAccessEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The grant.
    pub node: EmergencyAccess,
}

/// Grants, newest first.
#[derive(SimpleObject)]
pub struct EmergencyAccessConnection {
    /// Grants of this page.
    pub edges: Vec<EmergencyAccessEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Grants matching, across pages.
    pub total_count: i64,
}

/// Which record the input names, as a filter on `migrants`.
enum Target {
    Id(String),
    Document(String),
}

fn check_input(input: &EmergencyAccessInput) -> AppResult<(Target, String)> {
    let reason = input.reason.trim().to_string();
    if !(10..=500).contains(&reason.chars().count()) {
        return Err(AppError::bad_input("input.reason", "10 to 500 characters"));
    }
    let target = match (&input.migrant_id, &input.document_number) {
        (Some(id), None) => Target::Id(id.0.clone()),
        (None, Some(cui)) => Target::Document(
            Cui::parse(cui)
                .map_err(|e| AppError::bad_input("input.documentNumber", e))?
                .as_str()
                .to_string(),
        ),
        _ => {
            return Err(AppError::bad_input(
                "input",
                "give exactly one of migrantId and documentNumber",
            ))
        }
    };
    Ok((target, reason))
}

/// The record the input names, as the grant may open it: a do-not-share
/// record does not exist for a role outside IOM.
fn target_id(c: &mut db::DbConnection, t: &Target, iom: bool) -> AppResult<String> {
    let mut q = migrants::table.into_boxed();
    q = match t {
        Target::Id(id) => q.filter(migrants::id.eq(id.clone())),
        Target::Document(cui) => q.filter(migrants::document_number.eq(cui.clone())),
    };
    if !iom {
        q = q.filter(migrants::do_not_share.eq(false));
    }
    q.select(migrants::id)
        .first(c)
        .optional()?
        .ok_or(AppError::NotFound("migrant"))
}

/// Emergency access mutations.
#[derive(Default)]
pub struct EmergencyMutation;

#[Object]
impl EmergencyMutation {
    /// Opens one record outside the caller's rows for a short time
    /// (`REINTEGRA_EMERGENCY_ACCESS_MINUTES`), with the caller's own slices
    /// only. Audited, and listed for review in `emergencyAccesses`.
    #[graphql(visible = "super::visibility::opens_emergency_access")]
    async fn open_emergency_access(
        &self,
        ctx: &Context<'_>,
        input: EmergencyAccessInput,
    ) -> Result<EmergencyAccess> {
        let rc = caller(ctx)?.clone();
        if !policy::can_open_emergency_access(rc.identity.role) {
            return Err(
                AppError::Forbidden("your role may not open emergency access".into()).into(),
            );
        }
        let (target, reason) = check_input(&input)?;
        let minutes = ctx
            .data::<Settings>()
            .map_err(|_| AppError::Internal("settings missing".into()))?
            .emergency_access_minutes;
        let iom = policy::row_scope(rc.identity.role) == policy::RowScope::All;
        let draft = AuditDraft {
            action: "EMERGENCY_ACCESS",
            entity: "Migrant",
            slices: vec![],
        };
        let row = audited(ctx, draft, move |c| {
            let now = db::now();
            let row = EmergencyAccessRow {
                id: uuid::Uuid::new_v4().to_string(),
                migrant_id: target_id(c, &target, iom)?,
                institution_code: rc.identity.institution.code.clone(),
                subject: rc.identity.subject.clone(),
                role: rc.identity.role.as_str().to_string(),
                reason,
                opened_at: now,
                expires_at: now + chrono::Duration::minutes(minutes),
            };
            emergency::insert(c, &row)?;
            let ids = vec![row.migrant_id.clone()];
            Ok((row, ids))
        })
        .await?;
        Ok(row.into())
    }
}

/// The review list.
#[derive(Default)]
pub struct EmergencyQuery;

#[Object]
impl EmergencyQuery {
    /// Emergency accesses, newest first (IOM admin and auditor).
    #[graphql(
        visible = "super::visibility::reviews_emergency_access",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn emergency_accesses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        active_only: Option<bool>,
    ) -> Result<EmergencyAccessConnection> {
        if !policy::can_review_emergency_access(caller(ctx)?.identity.role) {
            return Err(
                AppError::Forbidden("your role may not review emergency access".into()).into(),
            );
        }
        let limit = pagination::limit(ctx, first)?;
        let before = match after.as_deref().map(pagination::decode).transpose()? {
            Some(Position::TimeId(t, id)) => Some((t, id)),
            Some(_) => return Err(AppError::bad_input("after", "not a cursor of this list").into()),
            None => None,
        };
        let active = active_only.unwrap_or(false).then(db::now);
        let (rows, total) = db::run(pool(ctx)?, move |c| {
            let rows = emergency::page(c, before, active, limit + 1)?;
            Ok((rows, emergency::count(c, active)?))
        })
        .await?;
        let (rows, more) = pagination::cut(rows, limit);
        let edges: Vec<EmergencyAccessEdge> = rows
            .into_iter()
            .map(|r| EmergencyAccessEdge {
                cursor: pagination::encode(&Position::TimeId(r.opened_at, r.id.clone())),
                node: r.into(),
            })
            .collect();
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        Ok(EmergencyAccessConnection {
            edges,
            page_info,
            total_count: total,
        })
    }
}
