//! `vacancyMatches` and `migrantMatches`: explainable job matching. The
//! people come from the caller's scoped rows only (`db::matching`), the
//! scoring is `service::matching`, the points are in `docs/matching.md`.

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::checked_id;
pub(crate) use super::ranked::ranked_page;
use super::vacancy::JobVacancy;
use crate::db::matching;
use crate::db::vacancies::{self, VacancyRow};
use crate::db::{self, DbConnection};
use crate::error::{AppError, AppResult};
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo};
use crate::graphql::{caller, cost, pool};
use crate::policy::{self, Matching, RowFilter};
use crate::service::candidates::{self, profile};
use crate::service::matching::{self as scoring, MatchReasonKind, Scored};

/// One reason a match earned points.
#[derive(SimpleObject, Clone)]
pub struct MatchReason {
    /// What it is.
    pub kind: MatchReasonKind,
    /// Points it adds to the score.
    pub points: i32,
    /// Human-readable explanation.
    pub detail: String,
}

pub(crate) fn reasons(s: Scored) -> (i32, Vec<MatchReason>) {
    let list = s
        .reasons
        .into_iter()
        .map(|r| MatchReason {
            kind: r.kind,
            points: r.points,
            detail: r.detail,
        })
        .collect();
    (s.score, list)
}

/// A person ranked for a vacancy.
#[derive(SimpleObject)]
pub struct CandidateMatch {
    /// The person (only ever one the caller may see).
    pub migrant: Migrant,
    /// Sum of the reasons' points.
    pub score: i32,
    /// Why, point by point.
    pub reasons: Vec<MatchReason>,
}

/// An edge of `vacancyMatches`.
#[derive(SimpleObject)]
pub struct VacancyMatchEdge {
    /// Opaque cursor (score and id).
    pub cursor: String,
    /// The ranked person.
    pub node: CandidateMatch,
}

/// People ranked for a vacancy, best first.
#[derive(SimpleObject)]
pub struct VacancyMatchConnection {
    /// The matches of this page.
    pub edges: Vec<VacancyMatchEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// People the caller may see who match (not excluded), across pages:
    /// one count over the whole group, run only when selected.
    pub total_count: i64,
}

/// An open vacancy ranked for a person.
#[derive(SimpleObject)]
pub struct VacancyMatch {
    /// The vacancy.
    pub vacancy: JobVacancy,
    /// Sum of the reasons' points.
    pub score: i32,
    /// Why, point by point.
    pub reasons: Vec<MatchReason>,
}

/// The caller's matching right, refusing roles without one.
fn matching_right(ctx: &Context<'_>) -> AppResult<(Matching, String)> {
    let id = &caller(ctx)?.identity;
    match policy::matching(id.role) {
        Matching::Never => Err(AppError::Forbidden(
            "your role may not match people and vacancies".into(),
        )),
        m => Ok((m, id.institution.code.clone())),
    }
}

/// Logs that SKILLS (and ORIGIN, when a place earned points) of `id`
/// were disclosed by a score.
pub(crate) fn log_reads(ctx: &Context<'_>, id: &str, reasons: &[MatchReason]) -> AppResult<()> {
    let place = reasons.iter().any(|r| {
        matches!(
            r.kind,
            MatchReasonKind::SameMunicipality | MatchReasonKind::SameDepartment
        )
    });
    crate::graphql::access::record_score_reads(ctx, id, place)
}

/// A vacancy the caller may match against: it exists, is open, and (for a
/// university) is its own.
fn matchable(
    c: &mut DbConnection,
    id: &str,
    right: Matching,
    institution: &str,
) -> AppResult<VacancyRow> {
    let v = vacancies::by_id(c, id)?.ok_or(AppError::NotFound("job vacancy"))?;
    if right == Matching::OwnVacancies && v.posted_by != institution {
        return Err(AppError::Forbidden(
            "your institution may match people only to its own vacancies".into(),
        ));
    }
    if v.status != "OPEN" {
        return Err(AppError::bad_input("vacancyId", "the vacancy is not open"));
    }
    Ok(v)
}

/// Job matching queries.
#[derive(Default)]
pub struct MatchQuery;

#[Object]
impl MatchQuery {
    /// The people the caller may see, ranked for an open vacancy: score
    /// descending, then id. Candidates have an occupation in the vacancy's
    /// ISCO-08 sub-major group. Exact over all of them; only the strata that
    /// can reach the page are read (`docs/matching.md`).
    #[graphql(
        visible = "crate::graphql::visibility::matches_vacancies",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + cost::MATCHING"
    )]
    async fn vacancy_matches(
        &self,
        ctx: &Context<'_>,
        vacancy_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<VacancyMatchConnection> {
        let (right, institution) = matching_right(ctx)?;
        let vacancy_id = checked_id(vacancy_id.0, "vacancyId")?;
        let (edges, page_info, total_count) =
            ranked_page(ctx, first, after, move |c, rows, wanted| {
                let v = matchable(c, &vacancy_id, right, &institution)?;
                candidates::for_vacancy(c, rows, &v, wanted)
            })
            .await?;
        Ok(VacancyMatchConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// Open vacancies ranked for one person the caller may see (same
    /// scoring and reasons as `vacancyMatches`): score descending, then
    /// vacancy id. A university sees only its own vacancies.
    #[graphql(
        visible = "crate::graphql::visibility::matches_vacancies",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + cost::MATCHING"
    )]
    async fn migrant_matches(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        first: Option<i32>,
    ) -> Result<Vec<VacancyMatch>> {
        let (right, institution) = matching_right(ctx)?;
        let migrant_id = checked_id(migrant_id.0, "migrantId")?;
        let limit = usize::try_from(pagination::limit(ctx, first)?).unwrap_or(0);
        let rows = row_filter_of(ctx)?;
        let posted_by = (right == Matching::OwnVacancies).then_some(institution);
        let (person, found) = db::run_heavy(pool(ctx)?, move |c| {
            let (person, skills) =
                matching::candidate(c, &rows, &migrant_id)?.ok_or(AppError::NotFound("migrant"))?;
            let mut groups: Vec<String> = (skills.occupations.iter())
                .filter_map(|o| o.isco_code.get(..2).map(str::to_string))
                .collect();
            groups.sort();
            groups.dedup();
            let open = if groups.is_empty() {
                vec![]
            } else {
                matching::open_vacancies_in(c, &groups, posted_by, scoring::MAX_CANDIDATES)?
            };
            let me = profile(&person, &skills);
            let mut ranked: Vec<(Scored, String, VacancyRow)> = open
                .into_iter()
                .filter_map(|v| {
                    scoring::score(&candidates::needs(&v), &me).map(|s| (s, v.id.clone(), v))
                })
                .collect();
            scoring::rank(&mut ranked);
            ranked.truncate(limit);
            let (scores, rows): (Vec<Scored>, Vec<VacancyRow>) =
                ranked.into_iter().map(|(s, _, v)| (s, v)).unzip();
            let full = vacancies::with_employers(c, rows)?;
            Ok((person.id, scores.into_iter().zip(full).collect::<Vec<_>>()))
        })
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for (s, (v, e)) in found {
            let (score, reasons) = reasons(s);
            log_reads(ctx, &person, &reasons)?;
            out.push(VacancyMatch {
                vacancy: JobVacancy::new(v, e),
                score,
                reasons,
            });
        }
        Ok(out)
    }
}

fn row_filter_of(ctx: &Context<'_>) -> AppResult<RowFilter> {
    crate::graphql::access::row_filter(ctx)
}
