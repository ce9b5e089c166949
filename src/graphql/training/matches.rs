//! `courseMatches`: the people the caller may see, ranked for an open
//! training course with the job-matching machinery (`ranked_page`) and
//! the course scoring of `service::course_matching`.

use std::collections::HashSet;

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use crate::db::courses::{self, CourseRow};
use crate::db::{enrolments, matching, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::training::CourseStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::caller;
use crate::graphql::cost;
use crate::graphql::labour::checked_id;
use crate::graphql::labour::matches::{profile, ranked_page, CandidateMatch, Ranked};
use crate::graphql::pagination::PageInfo;
use crate::policy::{self, RowFilter};
use crate::service::course_matching::{self as scoring, candidate_prefix, Course};
use crate::service::matching::{rank, MAX_CANDIDATES};

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
    /// People the caller may see who match (not excluded), across pages.
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

/// Scores the course's candidates among `rows`, best first; people
/// already enrolled (in any status) are left out.
fn rank_for_course(
    c: &mut DbConnection,
    rows: &RowFilter,
    course: &CourseRow,
) -> AppResult<Ranked> {
    let prefix = candidate_prefix(&course.isco_code);
    let (found, skills) = matching::candidates(c, rows, &course.isco_code, prefix, MAX_CANDIDATES)?;
    let ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
    let by_person = skills.by_migrant(&ids);
    let enrolled: HashSet<String> = enrolments::enrolled_in(c, &course.id)?
        .into_iter()
        .collect();
    let offer = Course {
        isco_code: course.isco_code.clone(),
        municipality_code: course.municipality_code.clone(),
        department_code: course.department_code.clone(),
    };
    let mut ranked: Ranked = found
        .iter()
        .filter(|r| !enrolled.contains(&r.id))
        .filter_map(|r| {
            let skills = by_person.get(&r.id).cloned().unwrap_or_default();
            scoring::score(&offer, &profile(r, &skills)).map(|s| (s, r.id.clone(), ()))
        })
        .collect();
    rank(&mut ranked);
    Ok(ranked)
}

/// Course matching queries.
#[derive(Default)]
pub struct CourseMatchQuery;

#[Object]
impl CourseMatchQuery {
    /// The people the caller may see, ranked for an open course: score
    /// descending, then id. Candidates have an occupation in the course
    /// target's sub-major group (its major group for a one-digit target);
    /// people already enrolled are left out; at most 5,000 are scored.
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
        let (edges, page_info, total_count) = ranked_page(ctx, first, after, move |c, rows| {
            let course = open_course(c, &course_id)?;
            rank_for_course(c, rows, &course)
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
