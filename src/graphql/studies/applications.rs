//! Study applications (STUDIES slice): `studyApplications`,
//! `studyApplication`, `submitStudyApplication`, `moveStudyApplication`,
//! and `Migrant.studyApplications`. A university sees and writes only the
//! applications to its own programmes; another's answer `NOT_FOUND` and
//! never count. An application's person is looked up through the
//! caller's scoped rows: after a revoked consent it still counts, but its
//! `migrant` is `null`.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::application_inputs::{
    ApplicationTermsInput, StudyApplicationFilter, SubmitApplicationInput,
};
use super::programs::{view_of, UniversityProgram};
use super::{checked_id, time_cursor};
use crate::db::applications::{self, ApplicationRow};
use crate::db::migrant_columns::Columns;
use crate::db::{self, matching, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::studies::ApplicationStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::access::{require_read, require_write, row_filter, ReadLog};
use crate::graphql::events::{DomainEvent, EventBus};
use crate::graphql::labour::actor;
use crate::graphql::migrant::Migrant;
use crate::graphql::money::Money;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::graphql::{loaders, pool};
use crate::policy::{RowFilter, Slice};
use crate::service;

/// A scholarship granted: a share of tuition or an amount.
#[derive(SimpleObject, Clone)]
pub struct Scholarship {
    /// Share of tuition (1 to 100), when granted as a percentage.
    pub percent: Option<i32>,
    /// Yearly amount, when granted as money.
    pub amount: Option<Money>,
}

/// Prior studies recognised, and the record they come from.
#[derive(SimpleObject, Clone)]
pub struct RecognisedStudies {
    /// The person's education record.
    pub education_record_id: ID,
    /// Years recognised.
    pub years: Option<i32>,
    /// Credits recognised.
    pub credits: Option<i32>,
}

/// One move of an application: who, when.
#[derive(SimpleObject, Clone)]
pub struct ApplicationMove {
    /// The status reached.
    pub status: ApplicationStatus,
    /// The officer (`sub`) who moved it.
    pub by: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// A person's application to an intake of a programme (STUDIES).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct StudyApplication {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version; pass it as `expectedVersion`.
    pub version: i32,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// The university (the programme's).
    pub university_code: String,
    /// The programme's id.
    pub program_id: ID,
    /// The intake applied to.
    pub intake_id: ID,
    /// The person; `null` when no longer among the caller's rows (the
    /// EDUCATION consent was revoked or expired).
    pub migrant: Option<Migrant>,
    /// The scholarship granted, if any.
    pub scholarship: Option<Scholarship>,
    /// Prior studies recognised, if any.
    pub recognised_studies: Option<RecognisedStudies>,
    /// Submitted at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last moved at (UTC).
    pub updated_at: DateTime<Utc>,
}

#[ComplexObject]
impl StudyApplication {
    /// The programme.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<UniversityProgram>> {
        let found = loaders::of(ctx)?
            .programs
            .load_one(self.program_id.0.clone())
            .await?;
        let view = view_of(ctx)?;
        Ok(found.map(|(p, i)| UniversityProgram::new(p, i, &view)))
    }

    /// Every move, oldest first, each with who and when.
    #[graphql(complexity = "crate::graphql::cost::PER_PERSON * child_complexity + 1")]
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ApplicationMove>> {
        let rows = loaders::of(ctx)?
            .application_events
            .load_one(self.id.0.clone())
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter_map(|e| {
                Some(ApplicationMove {
                    status: ApplicationStatus::from_stored(&e.status)?,
                    by: e.by,
                    at: e.at.and_utc(),
                })
            })
            .collect())
    }
}

/// The GraphQL application of a row and its person (when the caller sees
/// them); logs the STUDIES read of that person.
pub fn application(
    ctx: &Context<'_>,
    r: ApplicationRow,
    m: Option<Migrant>,
) -> AppResult<StudyApplication> {
    if m.is_some() {
        ctx.data::<Arc<ReadLog>>()
            .map_err(|_| AppError::Internal("read log unavailable".into()))?
            .record(&r.migrant_id, Slice::Studies)?;
    }
    let scholarship = match (r.scholarship_percent, r.scholarship_centavos) {
        (None, None) => None,
        (percent, amount) => Some(Scholarship {
            percent,
            amount: amount.map(Money::gtq),
        }),
    };
    Ok(StudyApplication {
        id: ID(r.id),
        version: r.version,
        status: ApplicationStatus::from_stored(&r.status).unwrap_or(ApplicationStatus::Submitted),
        university_code: r.university_code,
        program_id: ID(r.program_id),
        intake_id: ID(r.intake_id),
        migrant: m,
        scholarship,
        recognised_studies: r.recognised_record_id.map(|id| RecognisedStudies {
            education_record_id: ID(id),
            years: r.recognised_years,
            credits: r.recognised_credits,
        }),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// The applications with their people, those among the caller's rows
/// only (one statement for all of them).
pub fn with_people(
    c: &mut DbConnection,
    rows: &RowFilter,
    apps: Vec<ApplicationRow>,
) -> AppResult<Vec<(ApplicationRow, Option<Migrant>)>> {
    let ids: Vec<String> = apps.iter().map(|r| r.migrant_id.clone()).collect();
    let seen: HashMap<String, Migrant> = matching::rows_of(c, rows, &ids, Columns::ALL)?
        .into_iter()
        .map(|m| (m.id.clone(), Migrant::full(m)))
        .collect();
    Ok(apps
        .into_iter()
        .map(|r| {
            let m = seen.get(&r.migrant_id).cloned();
            (r, m)
        })
        .collect())
}

/// How many applications are in one status.
#[derive(SimpleObject)]
pub struct ApplicationStatusCount {
    /// The status.
    pub status: ApplicationStatus,
    /// How many.
    pub count: i64,
}

/// An edge of `studyApplications`.
#[derive(SimpleObject)]
pub struct StudyApplicationEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The application.
    pub node: StudyApplication,
}

/// Applications, oldest first.
#[derive(SimpleObject)]
pub struct StudyApplicationConnection {
    /// Applications of this page.
    pub edges: Vec<StudyApplicationEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Applications matching the filter (the caller's university's only).
    pub total_count: i64,
    /// The same, by status.
    pub status_counts: Vec<ApplicationStatusCount>,
}

type Page = (
    Vec<(ApplicationRow, Option<Migrant>)>,
    bool,
    Vec<(String, i64)>,
);

/// Application queries.
#[derive(Default)]
pub struct ApplicationQueryRoot;

#[Object]
impl ApplicationQueryRoot {
    /// Study applications, oldest first: a university's own, every one
    /// for IOM (STUDIES readers).
    #[graphql(
        visible = "crate::graphql::visibility::reads_studies",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn study_applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<StudyApplicationFilter>,
    ) -> Result<StudyApplicationConnection> {
        require_read(ctx, Slice::Studies)?;
        let limit = pagination::limit(ctx, first)?;
        let after = time_cursor(after)?;
        let q = filter.unwrap_or_default().validate()?;
        let (rows, view) = (row_filter(ctx)?, view_of(ctx)?);
        let (page, more, counts): Page = db::run(pool(ctx)?, move |c| {
            service::applications::check_program_filter(c, &view, &q)?;
            let found = applications::page(c, &view, &q, after, limit + 1)?;
            let (found, more) = pagination::cut(found, limit);
            let counts = applications::counts(c, &view, &q)?;
            Ok((with_people(c, &rows, found)?, more, counts))
        })
        .await?;
        let mut edges = Vec::with_capacity(page.len());
        for (r, m) in page {
            let cursor = pagination::encode(&Position::TimeId(r.created_at, r.id.clone()));
            edges.push(StudyApplicationEdge {
                cursor,
                node: application(ctx, r, m)?,
            });
        }
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        let status_counts: Vec<ApplicationStatusCount> = counts
            .into_iter()
            .filter_map(|(s, count)| {
                ApplicationStatus::from_stored(&s)
                    .map(|status| ApplicationStatusCount { status, count })
            })
            .collect();
        Ok(StudyApplicationConnection {
            edges,
            page_info,
            total_count: status_counts.iter().map(|c| c.count).sum(),
            status_counts,
        })
    }

    /// One study application (another university's: `NOT_FOUND`).
    #[graphql(visible = "crate::graphql::visibility::reads_studies")]
    async fn study_application(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<StudyApplication>> {
        require_read(ctx, Slice::Studies)?;
        let id = checked_id(id.0, "id")?;
        let (rows, view) = (row_filter(ctx)?, view_of(ctx)?);
        let (r, m) = db::run(pool(ctx)?, move |c| {
            let found = applications::by_id(c, &view, &id)?
                .ok_or(AppError::NotFound("study application"))?;
            with_people(c, &rows, vec![found])?
                .pop()
                .ok_or(AppError::NotFound("study application"))
        })
        .await?;
        Ok(Some(application(ctx, r, m)?))
    }
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "StudyApplication",
        slices: vec![Slice::Studies],
    }
}

/// Tells subscribers an application changed (after the commit).
fn publish(ctx: &Context<'_>, r: &ApplicationRow) {
    if let Ok(bus) = ctx.data::<EventBus>() {
        bus.publish(DomainEvent::StudyApplicationChanged {
            application_id: r.id.clone(),
            university_code: r.university_code.clone(),
        });
    }
}

/// Application mutations (universities, for their own programmes).
#[derive(Default)]
pub struct ApplicationMutation;

#[Object]
impl ApplicationMutation {
    /// Submits a person's application to an intake of one of the caller's
    /// programmes, as `SUBMITTED`. The person must have an active
    /// EDUCATION consent to the caller's university (else `NOT_FOUND`); a
    /// second application to the same intake answers `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_studies")]
    async fn submit_study_application(
        &self,
        ctx: &Context<'_>,
        input: SubmitApplicationInput,
        idempotency_key: Option<String>,
    ) -> Result<StudyApplication> {
        require_write(ctx, Slice::Studies)?;
        let migrant_id = checked_id(input.migrant_id.0, "input.migrantId")?;
        let intake_id = checked_id(input.intake_id.0, "input.intakeId")?;
        let terms = input.terms.unwrap_or_default().validate()?;
        let key = idem_key(ctx, idempotency_key, "submitStudyApplication")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("CREATE"), move |c| {
            let pair = (migrant_id.as_str(), intake_id.as_str());
            let (row, ids) = service::applications::submit(c, &actor, &rows, &key, pair, terms)?;
            let one = with_people(c, &rows, vec![row])?.pop();
            Ok((one.ok_or(AppError::NotFound("study application"))?, ids))
        })
        .await?;
        publish(ctx, &r);
        Ok(application(ctx, r, m)?)
    }

    /// Moves an application forward: `SUBMITTED → ADMITTED | REJECTED`,
    /// `ADMITTED → ENROLLED | WITHDRAWN`, optionally setting its terms.
    /// ADMITTED takes one seat of the intake (`CONFLICT` when none is
    /// left); WITHDRAWN frees it. A stale `expectedVersion` answers
    /// `CONFLICT`, a backward move `BAD_USER_INPUT`.
    #[graphql(visible = "crate::graphql::visibility::writes_studies")]
    async fn move_study_application(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: ApplicationStatus,
        expected_version: i32,
        terms: Option<ApplicationTermsInput>,
    ) -> Result<StudyApplication> {
        require_write(ctx, Slice::Studies)?;
        let id = checked_id(id.0, "id")?;
        let terms = terms.unwrap_or_default().validate()?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("UPDATE"), move |c| {
            let step = (id.as_str(), to, expected_version);
            let (row, ids) = service::applications::advance(c, &actor, &rows, step, terms)?;
            let one = with_people(c, &rows, vec![row])?.pop();
            Ok((one.ok_or(AppError::NotFound("study application"))?, ids))
        })
        .await?;
        publish(ctx, &r);
        Ok(application(ctx, r, m)?)
    }
}
