//! Job referrals (EMPLOYMENT slice): `referToVacancy`, `moveReferral`,
//! `jobReferrals`. A referral's person is looked up through the caller's
//! scoped rows: once a consent is revoked the referral still counts, but
//! its `migrant` is `null`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::{actor, checked_id};
use crate::db::referrals::{self, ReferralRow};
use crate::db::{self, DbConnection};
use crate::domain::labour::ReferralStatus;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::graphql::access::{require_read, require_write, row_filter, ReadLog};
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::pool;
use crate::graphql::write::{audited, AuditDraft};
use crate::policy::{RowFilter, Slice};
use crate::service;

/// A person referred to a vacancy (EMPLOYMENT).
#[derive(SimpleObject)]
pub struct JobReferral {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version; pass it as `expectedVersion`.
    pub version: i32,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The vacancy.
    pub vacancy_id: ID,
    /// The person; `null` when no longer among the caller's rows (e.g.
    /// the EMPLOYMENT consent was revoked).
    pub migrant: Option<Migrant>,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last moved at (UTC).
    pub updated_at: DateTime<Utc>,
}

/// How many referrals of a vacancy are in one status.
#[derive(SimpleObject)]
pub struct ReferralStatusCount {
    /// The status.
    pub status: ReferralStatus,
    /// How many.
    pub count: i64,
}

/// An edge of `jobReferrals`.
#[derive(SimpleObject)]
pub struct JobReferralEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The referral.
    pub node: JobReferral,
}

/// A vacancy's referrals, oldest first.
#[derive(SimpleObject)]
pub struct JobReferralConnection {
    /// Referrals of this page.
    pub edges: Vec<JobReferralEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Referrals of the vacancy.
    pub total_count: i64,
    /// Referrals of the vacancy by status.
    pub status_counts: Vec<ReferralStatusCount>,
}

/// The referrals with their people, those among the caller's rows only.
fn with_people(
    c: &mut DbConnection,
    rows: &RowFilter,
    refs: Vec<ReferralRow>,
) -> AppResult<Vec<(ReferralRow, Option<Migrant>)>> {
    super::with_people(c, rows, refs, |r| &r.migrant_id)
}

/// The GraphQL referral of a row and its person (when the caller sees
/// them); logs the EMPLOYMENT read of that person.
pub fn referral(ctx: &Context<'_>, r: ReferralRow, m: Option<Migrant>) -> AppResult<JobReferral> {
    if m.is_some() {
        ctx.data::<Arc<ReadLog>>()
            .map_err(|_| AppError::Internal("read log unavailable".into()))?
            .record(&r.migrant_id, Slice::Employment)?;
    }
    Ok(JobReferral {
        id: ID(r.id),
        version: r.version,
        status: ReferralStatus::from_stored(&r.status).unwrap_or(ReferralStatus::Proposed),
        vacancy_id: ID(r.vacancy_id),
        migrant: m,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// Referral queries.
#[derive(Default)]
pub struct ReferralQuery;

#[Object]
impl ReferralQuery {
    /// The referrals of a vacancy, oldest first (EMPLOYMENT).
    #[graphql(
        visible = "crate::graphql::visibility::reads_referrals",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn job_referrals(
        &self,
        ctx: &Context<'_>,
        vacancy_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<JobReferralConnection> {
        require_read(ctx, Slice::Employment)?;
        let vacancy_id = checked_id(vacancy_id.0, "vacancyId")?;
        let limit = pagination::limit(ctx, first)?;
        if after.as_ref().is_some_and(|a| a.len() > 200) {
            return Err(AppError::bad_input("after", "not a cursor returned by this API").into());
        }
        let after = match after.as_deref().map(pagination::decode).transpose()? {
            Some(Position::TimeId(t, id)) => Some((t, id)),
            Some(_) => return Err(AppError::bad_input("after", "not a referral cursor").into()),
            None => None,
        };
        let rows = row_filter(ctx)?;
        let (page, more, counts) = db::run(pool(ctx)?, move |c| {
            let found = referrals::of_vacancy(c, &vacancy_id, after, limit + 1)?;
            let (found, more) = pagination::cut(found, limit);
            let counts = referrals::counts(c, &vacancy_id)?;
            Ok((with_people(c, &rows, found)?, more, counts))
        })
        .await?;
        let mut edges = Vec::with_capacity(page.len());
        for (r, m) in page {
            let cursor = pagination::encode(&Position::TimeId(r.created_at, r.id.clone()));
            edges.push(JobReferralEdge {
                cursor,
                node: referral(ctx, r, m)?,
            });
        }
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        let status_counts: Vec<ReferralStatusCount> = counts
            .into_iter()
            .filter_map(|(s, count)| {
                ReferralStatus::from_stored(&s).map(|status| ReferralStatusCount { status, count })
            })
            .collect();
        Ok(JobReferralConnection {
            edges,
            page_info,
            total_count: status_counts.iter().map(|c| c.count).sum(),
            status_counts,
        })
    }
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "JobReferral",
        slices: vec![Slice::Employment],
    }
}

/// Referral mutations (MINTRAB).
#[derive(Default)]
pub struct ReferralMutation;

#[Object]
impl ReferralMutation {
    /// Refers a person to an open vacancy, as `PROPOSED`. The person must
    /// have an active EMPLOYMENT consent to MINTRAB at this moment
    /// (otherwise `NOT_FOUND`); a second referral of the same pair
    /// answers `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_referrals")]
    async fn refer_to_vacancy(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        vacancy_id: ID,
    ) -> Result<JobReferral> {
        require_write(ctx, Slice::Employment)?;
        let migrant_id = checked_id(migrant_id.0, "migrantId")?;
        let vacancy_id = checked_id(vacancy_id.0, "vacancyId")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("CREATE"), move |c| {
            let (row, ids) = service::referrals::refer(c, &actor, &rows, &migrant_id, &vacancy_id)?;
            let mut out = with_people(c, &rows, vec![row])?;
            let one = out.pop().ok_or(AppError::NotFound("job referral"))?;
            Ok((one, ids))
        })
        .await?;
        Ok(referral(ctx, r, m)?)
    }

    /// Moves a referral forward: `PROPOSED → REFERRED → INTERVIEWED →
    /// HIRED`, or to `REJECTED`/`WITHDRAWN` from any state not final.
    /// HIRED takes one of the vacancy's openings in the same transaction
    /// (`CONFLICT` when none is left); a stale `expectedVersion` answers
    /// `CONFLICT`; a backward move `BAD_USER_INPUT`.
    #[graphql(visible = "crate::graphql::visibility::writes_referrals")]
    async fn move_referral(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: ReferralStatus,
        expected_version: i32,
    ) -> Result<JobReferral> {
        require_write(ctx, Slice::Employment)?;
        let id = checked_id(id.0, "id")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) =
                service::referrals::advance(c, &actor, &rows, &id, to, expected_version)?;
            let mut out = with_people(c, &rows, vec![row])?;
            let one = out.pop().ok_or(AppError::NotFound("job referral"))?;
            Ok((one, ids))
        })
        .await?;
        Ok(referral(ctx, r, m)?)
    }
}
