//! Training enrolments (EMPLOYMENT slice): `enrolInCourse`,
//! `moveEnrolment`, `courseEnrolments`. An enrolment's person is looked up
//! through the caller's scoped rows: once a consent is revoked the
//! enrolment still counts, but its `migrant` is `null`.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::course::TrainingCourse;
use crate::db::courses::{self, CourseRow};
use crate::db::enrolments::{self, EnrolmentRow};
use crate::db::{self, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::training::EnrolmentStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::access::{require_read, require_write, row_filter, ReadLog};
use crate::graphql::labour::{actor, checked_id, with_people};
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::pool;
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::policy::{RowFilter, Slice};
use crate::service;

/// A person enrolled in a training course (EMPLOYMENT).
#[derive(SimpleObject)]
pub struct TrainingEnrolment {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Where it stands.
    pub status: EnrolmentStatus,
    /// The course.
    pub course: TrainingCourse,
    /// The person; `null` when no longer among the caller's rows (e.g.
    /// the EMPLOYMENT consent was revoked).
    pub migrant: Option<Migrant>,
    /// Enrolled at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last moved at (UTC).
    pub updated_at: DateTime<Utc>,
}

/// How many enrolments of a course are in one status.
#[derive(SimpleObject)]
pub struct EnrolmentStatusCount {
    /// The status.
    pub status: EnrolmentStatus,
    /// How many.
    pub count: i64,
}

/// An edge of `courseEnrolments`.
#[derive(SimpleObject)]
pub struct TrainingEnrolmentEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The enrolment.
    pub node: TrainingEnrolment,
}

/// A course's enrolments, oldest first.
#[derive(SimpleObject)]
pub struct TrainingEnrolmentConnection {
    /// Enrolments of this page.
    pub edges: Vec<TrainingEnrolmentEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Enrolments of the course.
    pub total_count: i64,
    /// Enrolments of the course by status.
    pub status_counts: Vec<EnrolmentStatusCount>,
}

/// The GraphQL enrolment of a row, its course and its person (when the
/// caller sees them); logs the EMPLOYMENT read of that person.
pub fn enrolment(
    ctx: &Context<'_>,
    r: EnrolmentRow,
    course: CourseRow,
    m: Option<Migrant>,
) -> AppResult<TrainingEnrolment> {
    if m.is_some() {
        ctx.data::<Arc<ReadLog>>()
            .map_err(|_| AppError::Internal("read log unavailable".into()))?
            .record(&r.migrant_id, Slice::Employment)?;
    }
    Ok(TrainingEnrolment {
        id: ID(r.id),
        version: r.version,
        status: EnrolmentStatus::from_stored(&r.status).unwrap_or(EnrolmentStatus::Enrolled),
        course: course.into(),
        migrant: m,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

type Loaded = (EnrolmentRow, CourseRow, Option<Migrant>);

/// One enrolment with its course and person, after a write.
fn complete(c: &mut DbConnection, rows: &RowFilter, r: EnrolmentRow) -> AppResult<Loaded> {
    let course = courses::by_id(c, &r.course_id)?.ok_or(AppError::NotFound("training course"))?;
    let (r, m) = with_people(c, rows, vec![r], |r| &r.migrant_id)?
        .pop()
        .ok_or(AppError::NotFound("enrolment"))?;
    Ok((r, course, m))
}

fn counts(raw: Vec<(String, i64)>) -> Vec<EnrolmentStatusCount> {
    raw.into_iter()
        .filter_map(|(s, count)| {
            EnrolmentStatus::from_stored(&s).map(|status| EnrolmentStatusCount { status, count })
        })
        .collect()
}

/// Enrolment queries.
#[derive(Default)]
pub struct EnrolmentQuery;

#[Object]
impl EnrolmentQuery {
    /// The enrolments of a course, oldest first (EMPLOYMENT).
    #[graphql(
        visible = "crate::graphql::visibility::reads_enrolments",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn course_enrolments(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<TrainingEnrolmentConnection> {
        require_read(ctx, Slice::Employment)?;
        let course_id = checked_id(course_id.0, "courseId")?;
        let limit = pagination::limit(ctx, first)?;
        let after = pagination::after_time_id(after, "enrolment")?;
        let rows = row_filter(ctx)?;
        let (course, page, more, raw) = db::run(pool(ctx)?, move |c| {
            let course =
                courses::by_id(c, &course_id)?.ok_or(AppError::NotFound("training course"))?;
            let found = enrolments::of_course(c, &course_id, after, limit + 1)?;
            let (found, more) = pagination::cut(found, limit);
            let raw = enrolments::counts(c, &course_id)?;
            Ok((
                course,
                with_people(c, &rows, found, |r| &r.migrant_id)?,
                more,
                raw,
            ))
        })
        .await?;
        let mut edges = Vec::with_capacity(page.len());
        for (r, m) in page {
            let cursor = pagination::encode(&Position::TimeId(r.created_at, r.id.clone()));
            let node = enrolment(ctx, r, course.clone(), m)?;
            edges.push(TrainingEnrolmentEdge { cursor, node });
        }
        let page_info = pagination::page_info_of(&edges, |e| &e.cursor, more);
        let status_counts = counts(raw);
        Ok(TrainingEnrolmentConnection {
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
        entity: "TrainingEnrolment",
        slices: vec![Slice::Employment],
    }
}

/// Enrolment mutations (MINTRAB).
#[derive(Default)]
pub struct EnrolmentMutation;

#[Object]
impl EnrolmentMutation {
    /// Enrols a person in an open course, as `ENROLLED`, taking one of its
    /// seats. The person must have an active EMPLOYMENT consent to MINTRAB
    /// at this moment (otherwise `NOT_FOUND`); a full, cancelled or ended
    /// course, or a second enrolment of the same person, answers `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_enrolments")]
    async fn enrol_in_course(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        migrant_id: ID,
        idempotency_key: Option<String>,
    ) -> Result<TrainingEnrolment> {
        require_write(ctx, Slice::Employment)?;
        let course_id = checked_id(course_id.0, "courseId")?;
        let migrant_id = checked_id(migrant_id.0, "migrantId")?;
        let key = idem_key(ctx, idempotency_key, "enrolInCourse")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, course, m) = audited(ctx, draft("CREATE"), move |c| {
            let (row, ids) =
                service::enrolments::enrol(c, &actor, &rows, &key, &course_id, &migrant_id)?;
            Ok((complete(c, &rows, row)?, ids))
        })
        .await?;
        Ok(enrolment(ctx, r, course, m)?)
    }

    /// Moves an enrolment forward: `ENROLLED → COMPLETED | DROPPED`
    /// (a dropped enrolment frees its seat). Anything else answers
    /// `BAD_USER_INPUT`; a stale `expectedVersion` `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_enrolments")]
    async fn move_enrolment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: EnrolmentStatus,
        expected_version: Option<i32>,
    ) -> Result<TrainingEnrolment> {
        require_write(ctx, Slice::Employment)?;
        let id = checked_id(id.0, "id")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, course, m) = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) =
                service::enrolments::advance(c, &actor, &rows, &id, to, expected_version)?;
            Ok((complete(c, &rows, row)?, ids))
        })
        .await?;
        Ok(enrolment(ctx, r, course, m)?)
    }
}
