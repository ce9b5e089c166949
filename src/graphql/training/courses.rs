//! Training course queries and mutations (`trainingCourses`,
//! `trainingCourse`, `createTrainingCourse`, `updateTrainingCourse`,
//! `cancelTrainingCourse`). Who may call them is `policy::course_access`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use super::course::{CreateTrainingCourseInput, TrainingCourse, UpdateTrainingCourseInput};
use crate::db::courses::{self, CourseQuery};
use crate::db::{self};
use crate::domain::isco::IscoGroup;
use crate::domain::person::StoredEnum;
use crate::domain::training::CourseStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::labour::inputs::{place_filter, with_field};
use crate::graphql::labour::{checked_id, require};
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::graphql::{caller, pool};
use crate::policy::{self, Access};
use crate::service;

/// Fails unless the caller's role has at least `need` on courses.
pub fn require_courses(ctx: &Context<'_>, need: Access) -> AppResult<()> {
    let role = caller(ctx)?.identity.role;
    require(policy::course_access(role), need, "training courses")
}

/// Filters of `trainingCourses`; all given filters apply.
#[derive(InputObject, Default)]
pub struct TrainingCourseFilter {
    /// With this status.
    pub status: Option<CourseStatus>,
    /// Targeting this ISCO-08 group or a group under it (`7`, `71`, `7112`).
    pub isco_code: Option<String>,
    /// Taught in this municipality (four digits).
    pub municipality_code: Option<String>,
    /// Taught in this department (two digits).
    pub department_code: Option<String>,
}

impl TrainingCourseFilter {
    fn validate(self) -> AppResult<CourseQuery> {
        let (municipality_code, department_code) =
            place_filter(self.municipality_code, self.department_code)?;
        Ok(CourseQuery {
            status: self.status.map(|s| s.stored().to_string()),
            isco_prefix: (self.isco_code.as_deref())
                .map(|c| with_field("filter.iscoCode", IscoGroup::parse(c)))
                .transpose()?
                .map(|g| g.as_str().to_string()),
            municipality_code,
            department_code,
        })
    }
}

/// An edge of the course connection.
#[derive(SimpleObject)]
pub struct TrainingCourseEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The course.
    pub node: TrainingCourse,
}

/// A page of courses, newest first.
#[derive(SimpleObject)]
pub struct TrainingCourseConnection {
    /// Courses of this page.
    pub edges: Vec<TrainingCourseEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Courses matching the filter.
    pub total_count: i64,
}

/// Training course queries.
#[derive(Default)]
pub struct CourseQueryRoot;

#[Object]
impl CourseQueryRoot {
    /// Training courses, newest first.
    #[graphql(
        visible = "crate::graphql::visibility::reads_courses",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn training_courses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<TrainingCourseFilter>,
    ) -> Result<TrainingCourseConnection> {
        require_courses(ctx, Access::Read)?;
        let limit = pagination::limit(ctx, first)?;
        let after = pagination::after_time_id(after, "course")?;
        let q = filter.unwrap_or_default().validate()?;
        let (rows, total_count) = db::run(pool(ctx)?, move |c| {
            Ok(courses::page(c, &q, after, limit + 1)?)
        })
        .await?;
        let (rows, more) = pagination::cut(rows, limit);
        let edges: Vec<TrainingCourseEdge> = rows
            .into_iter()
            .map(|r| TrainingCourseEdge {
                cursor: pagination::encode(&Position::TimeId(r.created_at, r.id.clone())),
                node: TrainingCourse::from(r),
            })
            .collect();
        let page_info = pagination::page_info_of(&edges, |e| &e.cursor, more);
        Ok(TrainingCourseConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// One training course.
    #[graphql(visible = "crate::graphql::visibility::reads_courses")]
    async fn training_course(&self, ctx: &Context<'_>, id: ID) -> Result<Option<TrainingCourse>> {
        require_courses(ctx, Access::Read)?;
        let id = checked_id(id.0, "id")?;
        let row = db::run(pool(ctx)?, move |c| {
            courses::by_id(c, &id)?.ok_or(AppError::NotFound("training course"))
        })
        .await?;
        Ok(Some(row.into()))
    }
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "TrainingCourse",
        slices: vec![],
    }
}

/// Training course mutations (MINTRAB).
#[derive(Default)]
pub struct CourseMutation;

#[Object]
impl CourseMutation {
    /// Creates a course, `OPEN`, with all its seats free.
    #[graphql(visible = "crate::graphql::visibility::writes_courses")]
    async fn create_training_course(
        &self,
        ctx: &Context<'_>,
        input: CreateTrainingCourseInput,
        idempotency_key: Option<String>,
    ) -> Result<TrainingCourse> {
        require_courses(ctx, Access::ReadWrite)?;
        let fields = input.validate()?;
        let key = idem_key(ctx, idempotency_key, "createTrainingCourse")?;
        let actor = crate::graphql::labour::actor(ctx)?;
        let row = audited(ctx, draft("CREATE"), move |c| {
            service::courses::create(c, &actor, &key, fields)
        })
        .await?;
        Ok(row.into())
    }

    /// Changes the given fields of an open course. A stale
    /// `expectedVersion` answers `CONFLICT`; a capacity below the seats
    /// taken, or an end before the start, `BAD_USER_INPUT`.
    #[graphql(visible = "crate::graphql::visibility::writes_courses")]
    async fn update_training_course(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateTrainingCourseInput,
    ) -> Result<TrainingCourse> {
        require_courses(ctx, Access::ReadWrite)?;
        let id = checked_id(id.0, "id")?;
        let patch = input.validate()?;
        let row = audited(ctx, draft("UPDATE"), move |c| {
            service::courses::update(c, &id, expected_version, patch)
        })
        .await?;
        Ok(row.into())
    }

    /// Cancels an open course: it takes no more enrolments.
    #[graphql(visible = "crate::graphql::visibility::writes_courses")]
    async fn cancel_training_course(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<TrainingCourse> {
        require_courses(ctx, Access::ReadWrite)?;
        let id = checked_id(id.0, "id")?;
        let row = audited(ctx, draft("UPDATE"), move |c| {
            service::courses::cancel(c, &id, expected_version)
        })
        .await?;
        Ok(row.into())
    }
}
