//! `programMatches` and `migrantProgramMatches`: explainable placement in
//! university programmes. The people come from the caller's scoped rows
//! only (`db::study_matching`); scoring is `service::study_matching`; the
//! points are in docs/universities.md.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use super::programs::{complete, view_of, UniversityProgram};
use super::{checked_id, score_cursor};
use crate::db::matching::{self, CandidateRow};
use crate::db::migrant_columns::Columns;
use crate::db::programs::{self, ProgramRow};
use crate::db::skills::SkillRows;
use crate::db::{self, applications, study_matching, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::studies::{Modality, ProgramLevel};
use crate::error::{AppError, AppResult};
use crate::graphql::access::row_filter;
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::{caller, cost, pool, prefetch};
use crate::policy::{self, Placement as Right, RowFilter};
use crate::service::study_matching::{
    self as scoring, MissingKind, Offer, Placement, PlacementReasonKind, Student, Study,
};

/// One reason a placement earned points.
#[derive(SimpleObject, Clone)]
pub struct PlacementReason {
    /// What it is.
    pub kind: PlacementReasonKind,
    /// Points it adds to the score.
    pub points: i32,
    /// Human-readable explanation.
    pub detail: String,
}

/// Something a person still lacks for a programme.
#[derive(SimpleObject, Clone)]
pub struct MissingRequirement {
    /// What it is.
    pub kind: MissingKind,
    /// Human-readable explanation ("needs diversificado completed").
    pub detail: String,
}

/// The explained score of a placement.
#[derive(SimpleObject, Clone)]
pub struct PlacementScore {
    /// Sum of the reasons' points.
    pub score: i32,
    /// Nothing is missing: the person may apply now.
    pub eligible: bool,
    /// Why, point by point.
    pub reasons: Vec<PlacementReason>,
    /// What is still missing (a bridge: e.g. completing diversificado).
    pub missing: Vec<MissingRequirement>,
}

impl From<Placement> for PlacementScore {
    fn from(p: Placement) -> Self {
        PlacementScore {
            score: p.score,
            eligible: p.eligible,
            reasons: (p.reasons.into_iter())
                .map(|r| PlacementReason {
                    kind: r.kind,
                    points: r.points,
                    detail: r.detail,
                })
                .collect(),
            missing: (p.missing.into_iter())
                .map(|m| MissingRequirement {
                    kind: m.kind,
                    detail: m.detail,
                })
                .collect(),
        }
    }
}

/// A person ranked for a programme.
#[derive(SimpleObject)]
pub struct ProgramCandidate {
    /// The person (only ever one the caller may see).
    pub migrant: Migrant,
    /// Score, reasons and what is missing.
    pub placement: PlacementScore,
}

/// An edge of `programMatches`.
#[derive(SimpleObject)]
pub struct ProgramMatchEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The ranked person.
    pub node: ProgramCandidate,
}

/// People ranked for a programme: eligible first, then by score.
#[derive(SimpleObject)]
pub struct ProgramMatchConnection {
    /// The matches of this page.
    pub edges: Vec<ProgramMatchEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// People ranked, across pages (applicants to the programme excluded).
    pub total_count: i64,
    /// Of them, those with nothing missing.
    pub eligible_count: i64,
}

/// A programme ranked for one person.
#[derive(SimpleObject)]
pub struct ProgramMatch {
    /// The programme.
    pub program: UniversityProgram,
    /// Score, reasons and what is missing.
    pub placement: PlacementScore,
}

fn offer(p: &ProgramRow) -> Offer {
    Offer {
        level: ProgramLevel::from_stored(&p.level).unwrap_or(ProgramLevel::Licenciatura),
        min_education: StoredEnum::from_stored(&p.min_education)
            .unwrap_or(crate::domain::person::EducationLevel::UpperSecondary),
        field_code: p.field_code.clone(),
        languages: serde_json::from_str(&p.languages).unwrap_or_default(),
        modality: Modality::from_stored(&p.modality).unwrap_or(Modality::InPerson),
        municipality_code: p.campus_municipality_code.clone(),
        department_code: p.campus_department_code.clone(),
    }
}

fn student(c: &CandidateRow, s: &SkillRows) -> Student {
    Student {
        declared: c
            .education_level
            .as_deref()
            .and_then(StoredEnum::from_stored),
        studies: (s.education.iter())
            .filter_map(|e| {
                Some(Study {
                    level: StoredEnum::from_stored(&e.level)?,
                    field_code: e.field_code.clone(),
                    years: e.years_completed,
                    completed: e.completed,
                })
            })
            .collect(),
        languages: s.languages.iter().map(|l| l.code.clone()).collect(),
        municipality_code: c.origin_municipality_code.clone(),
        department_code: c.origin_department_code.clone(),
    }
}

/// The caller's placement right, refusing roles without one.
fn right(ctx: &Context<'_>) -> AppResult<(Right, String)> {
    let id = &caller(ctx)?.identity;
    match policy::placement(id.role) {
        Right::Never => Err(AppError::Forbidden(
            "your role may not place people in programmes".into(),
        )),
        r => Ok((r, id.institution.code.clone())),
    }
}

/// Logs that SKILLS (and ORIGIN, when a place earned points) of `id`
/// were disclosed by a placement.
fn log_reads(ctx: &Context<'_>, id: &str, p: &PlacementScore) -> AppResult<()> {
    let place = p.reasons.iter().any(|r| {
        matches!(
            r.kind,
            PlacementReasonKind::SameMunicipality | PlacementReasonKind::SameDepartment
        )
    });
    crate::graphql::access::record_score_reads(ctx, id, place)
}

/// A programme the caller may place people in: it exists, is active and
/// (for a university) is its own — another's does not exist for it.
fn placeable(c: &mut DbConnection, id: &str, right: Right, inst: &str) -> AppResult<ProgramRow> {
    let p = programs::by_id(c, id)?.ok_or(AppError::NotFound("university program"))?;
    if right == Right::OwnPrograms && p.university_code != inst {
        return Err(AppError::NotFound("university program"));
    }
    if !p.active {
        return Err(AppError::bad_input(
            "programId",
            "the programme is not taking applications",
        ));
    }
    Ok(p)
}

type Ranked = Vec<(Placement, String, ())>;

/// Scores the programme's candidates among `rows`, best first; people
/// who already applied to it are left out.
fn rank_candidates(c: &mut DbConnection, rows: &RowFilter, p: &ProgramRow) -> AppResult<Ranked> {
    let (found, skills) = study_matching::candidates(c, rows, scoring::MAX_CANDIDATES)?;
    let ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
    let by_person = skills.by_migrant(&ids);
    let applied: HashSet<String> = applications::applicants_of(c, &p.id)?.into_iter().collect();
    let o = offer(p);
    let mut ranked: Ranked = (found.iter())
        .filter(|r| !applied.contains(&r.id))
        .map(|r| {
            let s = by_person.get(&r.id).cloned().unwrap_or_default();
            (scoring::place(&o, &student(r, &s)), r.id.clone(), ())
        })
        .collect();
    scoring::rank(&mut ranked);
    Ok(ranked)
}

type MatchPage = (
    Vec<(Placement, crate::db::migrants::MigrantRow)>,
    bool,
    i64,
    i64,
);

/// One page of a programme's ranked people, with their rows' `columns`.
fn match_page(
    c: &mut DbConnection,
    rows: &RowFilter,
    p: &ProgramRow,
    (after, limit): (Option<(i64, String)>, i64),
    columns: Columns,
) -> AppResult<MatchPage> {
    let ranked = rank_candidates(c, rows, p)?;
    let total = ranked.len() as i64;
    let eligible = ranked.iter().filter(|(s, _, _)| s.eligible).count() as i64;
    let rest: Vec<(Placement, String)> = (ranked.into_iter())
        .filter(|(s, id, _)| match &after {
            Some((key, aid)) => s.rank_key() < *key || (s.rank_key() == *key && id > aid),
            None => true,
        })
        .take(usize::try_from(limit + 1).unwrap_or(0))
        .map(|(s, id, _)| (s, id))
        .collect();
    let (page, more) = pagination::cut(rest, limit);
    let ids: Vec<String> = page.iter().map(|(_, id)| id.clone()).collect();
    let mut by_id: HashMap<String, _> = (matching::rows_of(c, rows, &ids, columns)?.into_iter())
        .map(|r| (r.id.clone(), r))
        .collect();
    let page = (page.into_iter())
        .filter_map(|(s, id)| by_id.remove(&id).map(|r| (s, r)))
        .collect();
    Ok((page, more, total, eligible))
}

/// Placement queries.
#[derive(Default)]
pub struct PlacementQuery;

#[Object]
impl PlacementQuery {
    /// The people the caller may see, ranked for a programme: eligible
    /// first, then score descending, then id; each with the reasons and
    /// what is still missing. At most 5,000 people are scored.
    #[graphql(
        visible = "crate::graphql::visibility::places_people",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + cost::MATCHING"
    )]
    async fn program_matches(
        &self,
        ctx: &Context<'_>,
        program_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ProgramMatchConnection> {
        let (right, inst) = right(ctx)?;
        let program_id = checked_id(program_id.0, "programId")?;
        let limit = pagination::limit(ctx, first)?;
        let after = score_cursor(after)?;
        let rows = row_filter(ctx)?;
        let person = ctx
            .look_ahead()
            .field("edges")
            .field("node")
            .field("migrant");
        let columns = prefetch::columns(ctx, &person)?;
        let (page, more, total, eligible_count) = db::run_heavy(pool(ctx)?, move |c| {
            let p = placeable(c, &program_id, right, &inst)?;
            match_page(c, &rows, &p, (after, limit), columns)
        })
        .await?;
        let mut edges = Vec::with_capacity(page.len());
        for (s, row) in page {
            let cursor = pagination::encode(&Position::ScoreId(s.rank_key(), row.id.clone()));
            let placement = PlacementScore::from(s);
            log_reads(ctx, &row.id, &placement)?;
            edges.push(ProgramMatchEdge {
                cursor,
                node: ProgramCandidate {
                    migrant: Migrant::partial(row, columns),
                    placement,
                },
            });
        }
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        Ok(ProgramMatchConnection {
            edges,
            page_info,
            total_count: total,
            eligible_count,
        })
    }

    /// Active programmes ranked for one person the caller may see (same
    /// scoring as `programMatches`): IOM across every university, a
    /// university among its own programmes.
    #[graphql(
        visible = "crate::graphql::visibility::places_people",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + cost::MATCHING"
    )]
    async fn migrant_program_matches(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        first: Option<i32>,
    ) -> Result<Vec<ProgramMatch>> {
        let (right, inst) = right(ctx)?;
        let migrant_id = checked_id(migrant_id.0, "migrantId")?;
        let limit = usize::try_from(pagination::limit(ctx, first)?).unwrap_or(0);
        let (rows, view) = (row_filter(ctx)?, view_of(ctx)?);
        let only = (right == Right::OwnPrograms).then_some(inst);
        let (person, found) = db::run_heavy(pool(ctx)?, move |c| {
            let (person, skills) =
                matching::candidate(c, &rows, &migrant_id)?.ok_or(AppError::NotFound("migrant"))?;
            let me = student(&person, &skills);
            let mut ranked: Vec<(Placement, String, ProgramRow)> =
                (programs::active(c, only, scoring::MAX_CANDIDATES)?.into_iter())
                    .map(|p| (scoring::place(&offer(&p), &me), p.id.clone(), p))
                    .collect();
            scoring::rank(&mut ranked);
            ranked.truncate(limit);
            let (scores, progs): (Vec<Placement>, Vec<ProgramRow>) =
                ranked.into_iter().map(|(s, _, p)| (s, p)).unzip();
            let full = complete(c, progs, &view)?;
            Ok((person.id, scores.into_iter().zip(full).collect::<Vec<_>>()))
        })
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for (s, program) in found {
            let placement = PlacementScore::from(s);
            log_reads(ctx, &person, &placement)?;
            out.push(ProgramMatch { program, placement });
        }
        Ok(out)
    }
}
