//! `vacancyMatches` and `migrantMatches`: explainable job matching. The
//! people come from the caller's scoped rows only (`db::matching`), the
//! scoring is `service::matching`, the points are in `docs/matching.md`.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::checked_id;
use super::vacancy::JobVacancy;
use crate::db::matching::{self, CandidateRow};
use crate::db::skills::SkillRows;
use crate::db::vacancies::{self, VacancyRow};
use crate::db::{self, DbConnection};
use crate::domain::isco::IscoUnit;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::{caller, cost, pool, prefetch};
use crate::policy::{self, Matching, RowFilter};
use crate::service::matching::{self as scoring, MatchReasonKind, Needs, Profile, Scored};

/// Longest cursor accepted.
const MAX_CURSOR: usize = 200;

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

fn reasons(s: Scored) -> (i32, Vec<MatchReason>) {
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
    /// People the caller may see who match (not excluded), across pages.
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

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// What a vacancy row asks for.
fn needs(v: &VacancyRow) -> Needs {
    Needs {
        isco_code: v.isco_code.clone(),
        min_education: v.min_education.as_deref().and_then(StoredEnum::from_stored),
        languages: json_list(&v.languages),
        min_english: v.min_english.as_deref().and_then(StoredEnum::from_stored),
        required_certifications: json_list(&v.required_certifications),
        preferred_certifications: json_list(&v.preferred_certifications),
        municipality_code: v.municipality_code.clone(),
        department_code: v.department_code.clone(),
    }
}

/// What is known of a person, from their row and skill rows.
pub(crate) fn profile(c: &CandidateRow, s: &SkillRows) -> Profile {
    Profile {
        occupations: (s.occupations.iter())
            .map(|o| (o.isco_code.clone(), o.years))
            .collect(),
        languages: s.languages.iter().map(|l| l.code.clone()).collect(),
        certifications: (s.certifications.iter())
            .map(|x| x.search_name.clone())
            .collect(),
        education: c
            .education_level
            .as_deref()
            .and_then(StoredEnum::from_stored),
        english: c.english_level.as_deref().and_then(StoredEnum::from_stored),
        municipality_code: c.origin_municipality_code.clone(),
        department_code: c.origin_department_code.clone(),
    }
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
fn log_reads(ctx: &Context<'_>, id: &str, reasons: &[MatchReason]) -> AppResult<()> {
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

/// Scored people: score, person id, nothing else.
pub(crate) type Ranked = Vec<(Scored, String, ())>;

/// Scores the vacancy's candidates among `rows`, best first.
fn rank_candidates(c: &mut DbConnection, rows: &RowFilter, v: &VacancyRow) -> AppResult<Ranked> {
    let unit = IscoUnit::parse(&v.isco_code).map_err(AppError::Internal)?;
    let (found, skills) = matching::candidates(
        c,
        rows,
        unit.as_str(),
        unit.sub_major(),
        scoring::MAX_CANDIDATES,
    )?;
    let ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
    let by_person = skills.by_migrant(&ids);
    // People already referred to the vacancy are not offered again.
    let referred: std::collections::HashSet<String> = crate::db::referrals::referred_to(c, &v.id)?
        .into_iter()
        .collect();
    let needs = needs(v);
    let mut ranked: Ranked = found
        .iter()
        .filter(|r| !referred.contains(&r.id))
        .filter_map(|r| {
            let skills = by_person.get(&r.id).cloned().unwrap_or_default();
            scoring::score(&needs, &profile(r, &skills)).map(|s| (s, r.id.clone(), ()))
        })
        .collect();
    scoring::rank(&mut ranked);
    Ok(ranked)
}

/// The part of `after` a ranked page starts behind: (score, id).
fn match_after(after: Option<String>) -> AppResult<Option<(i64, String)>> {
    if after.as_ref().is_some_and(|a| a.len() > MAX_CURSOR) {
        return Err(AppError::bad_input(
            "after",
            "not a cursor returned by this API",
        ));
    }
    match after.as_deref().map(pagination::decode).transpose()? {
        Some(Position::ScoreId(s, id)) => Ok(Some((s, id))),
        Some(_) => Err(AppError::bad_input("after", "not a match cursor")),
        None => Ok(None),
    }
}

/// The page of `ranked` after `after`, and whether more follow.
fn cut_after(
    ranked: Ranked,
    after: Option<(i64, String)>,
    limit: i64,
) -> (Vec<(Scored, String)>, bool) {
    let rest: Vec<(Scored, String)> = ranked
        .into_iter()
        .filter(|(s, id, _)| match &after {
            Some((as_, aid)) => {
                i64::from(s.score) < *as_ || (i64::from(s.score) == *as_ && id > aid)
            }
            None => true,
        })
        .take(usize::try_from(limit + 1).unwrap_or(0))
        .map(|(s, id, _)| (s, id))
        .collect();
    pagination::cut(rest, limit)
}

/// One page of the people `rank` scores among the caller's rows (best
/// first, then by id), shared by `vacancyMatches` and `courseMatches`:
/// the page's full rows come through the scoped query again, their nested
/// fields are prefetched, and every score is logged as a read.
pub(crate) async fn ranked_page<F>(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    rank: F,
) -> Result<(Vec<VacancyMatchEdge>, PageInfo, i64)>
where
    F: FnOnce(&mut DbConnection, &RowFilter) -> AppResult<Ranked> + Send + 'static,
{
    let limit = pagination::limit(ctx, first)?;
    let after = match_after(after)?;
    let rows = row_filter_of(ctx)?;
    let plan = prefetch::plan(
        ctx,
        ctx.look_ahead()
            .field("edges")
            .field("node")
            .field("migrant"),
    )?;
    let (page, more, total, nested) = db::run(pool(ctx)?, move |c| {
        let ranked = rank(c, &rows)?;
        let total = ranked.len() as i64;
        let (page, more) = cut_after(ranked, after, limit);
        let ids: Vec<String> = page.iter().map(|(_, id)| id.clone()).collect();
        let full = matching::rows_of(c, &rows, &ids)?;
        let nested = plan.load(c, &full)?;
        let mut by_id: HashMap<String, _> = full.into_iter().map(|r| (r.id.clone(), r)).collect();
        let page: Vec<_> = page
            .into_iter()
            .filter_map(|(s, id)| by_id.remove(&id).map(|r| (s, r)))
            .collect();
        Ok((page, more, total, nested))
    })
    .await?;
    let loaders = crate::graphql::loaders::of(ctx)
        .map_err(|_| AppError::Internal("loaders missing".into()))?;
    nested.feed(loaders).await;
    let mut edges = Vec::with_capacity(page.len());
    for (s, row) in page {
        let (score, reasons) = reasons(s);
        log_reads(ctx, &row.id, &reasons)?;
        edges.push(VacancyMatchEdge {
            cursor: pagination::encode(&Position::ScoreId(i64::from(score), row.id.clone())),
            node: CandidateMatch {
                migrant: Migrant(Arc::new(row)),
                score,
                reasons,
            },
        });
    }
    let page_info = pagination::page_info(
        edges.first().map(|e| &e.cursor),
        edges.last().map(|e| &e.cursor),
        more,
    );
    Ok((edges, page_info, total))
}

/// Job matching queries.
#[derive(Default)]
pub struct MatchQuery;

#[Object]
impl MatchQuery {
    /// The people the caller may see, ranked for an open vacancy: score
    /// descending, then id. Candidates have an occupation in the vacancy's
    /// ISCO-08 sub-major group; at most 5,000 of them are scored.
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
        let (edges, page_info, total_count) = ranked_page(ctx, first, after, move |c, rows| {
            let v = matchable(c, &vacancy_id, right, &institution)?;
            rank_candidates(c, rows, &v)
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
        let (person, found) = db::run(pool(ctx)?, move |c| {
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
                .filter_map(|v| scoring::score(&needs(&v), &me).map(|s| (s, v.id.clone(), v)))
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
