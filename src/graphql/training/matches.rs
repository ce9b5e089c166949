//! `courseMatches`: the people the caller may see, ranked for an open
//! training course with the job-matching machinery (`ranked_page`) and
//! the course scoring of `service::course_matching`.

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use crate::db::courses::{self, CourseRow};
use crate::db::DbConnection;
use crate::domain::person::StoredEnum;
use crate::domain::training::CourseStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::caller;
use crate::graphql::cost;
use crate::graphql::labour::checked_id;
use crate::graphql::labour::matches::{ranked_page, CandidateMatch};
use crate::graphql::pagination::PageInfo;
use crate::policy;
use crate::service::candidates;

/// An edge of `courseMatches`.
#[derive(SimpleObject)]
pub struct CourseMatchEdge {
    /// Opaque cursor (score and id).
    pub cursor: String,
    /// The ranked person.
    pub node: CandidateMatch,
}

/// People ranked for a course, best first.
#[derive(SimpleObject)]
pub struct CourseMatchConnection {
    /// The matches of this page.
    pub edges: Vec<CourseMatchEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// People the caller may see who match (not excluded), across pages:
    /// one count over the whole group, run only when selected.
    pub total_count: i64,
}

/// An open course, else `NOT_FOUND` / `BAD_USER_INPUT`.
fn open_course(c: &mut DbConnection, id: &str) -> AppResult<CourseRow> {
    let course = courses::by_id(c, id)?.ok_or(AppError::NotFound("training course"))?;
    if course.status != CourseStatus::Open.stored() {
        return Err(AppError::bad_input("courseId", "the course is cancelled"));
    }
    Ok(course)
}

/// Course matching queries.
#[derive(Default)]
pub struct CourseMatchQuery;

#[Object]
impl CourseMatchQuery {
    /// The people the caller may see, ranked for an open course: score
    /// descending, then id. Candidates have an occupation in the course
    /// target's sub-major group (its major group for a one-digit target);
    /// people already enrolled are left out. Exact over all of them; only
    /// the strata that can reach the page are read (`docs/matching.md`).
    #[graphql(
        visible = "crate::graphql::visibility::matches_courses",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + cost::MATCHING"
    )]
    async fn course_matches(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<CourseMatchConnection> {
        if !policy::may_match_courses(caller(ctx)?.identity.role) {
            return Err(
                AppError::Forbidden("your role may not match people and courses".into()).into(),
            );
        }
        let course_id = checked_id(course_id.0, "courseId")?;
        let (edges, page_info, total_count) =
            ranked_page(ctx, first, after, move |c, rows, wanted| {
                let course = open_course(c, &course_id)?;
                candidates::for_course(c, rows, &course, wanted)
            })
            .await?;
        let edges = edges
            .into_iter()
            .map(|e| CourseMatchEdge {
                cursor: e.cursor,
                node: e.node,
            })
            .collect();
        Ok(CourseMatchConnection {
            edges,
            page_info,
            total_count,
        })
    }
}
