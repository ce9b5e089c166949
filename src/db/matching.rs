//! Candidates for job and course matching, from indexes: one stratum at a
//! time (`service::ranking`), the people inside the caller's rows (the
//! scoped base query) whose closest occupation is at one depth of the
//! target's group (the `(isco_code, migrant_id)` index) and who live at
//! one distance from it (the origin index); and the open vacancies in a
//! person's sub-major groups. Scoring is in Rust (`service::matching`).

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::migrant_columns::{select, Columns};
use super::migrants::MigrantRow;
use super::schema::{
    job_vacancies as v, migrant_certifications as c, migrant_languages as l,
    migrant_occupations as o, migrants,
};
use super::scope::{self, after_prefix, ScopedMigrants, Shape};
use super::skills::{self, CertificationRow, LanguageRow, OccupationRow, SkillRows};
use super::vacancies::VacancyRow;
use super::{DbConnection, MultiBackend};
use crate::policy::RowFilter;
use crate::service::matching::Scored;
use crate::service::ranking::{Chunk, Nearness, Stratum, Target, TopK};

/// The columns of a person that scoring reads.
#[derive(Queryable, Clone, Debug)]
pub struct CandidateRow {
    pub id: String,
    pub education_level: Option<String>,
    pub english_level: Option<String>,
    pub origin_municipality_code: Option<String>,
    pub origin_department_code: Option<String>,
}

/// The SQL columns of a candidate.
pub type CandidateColumns = (
    migrants::id,
    migrants::education_level,
    migrants::english_level,
    migrants::origin_municipality_code,
    migrants::origin_department_code,
);

/// The columns of [`CandidateRow`], for the other matchers (placement).
pub const COLUMNS: CandidateColumns = (
    migrants::id,
    migrants::education_level,
    migrants::english_level,
    migrants::origin_municipality_code,
    migrants::origin_department_code,
);

/// The people with an occupation in ISCO-08 group `prefix` (a range on
/// the `(isco_code, migrant_id)` index), as a subquery of ids.
macro_rules! in_group {
    ($prefix:expr) => {{
        let prefix: &str = $prefix;
        o::table
            .filter(o::isco_code.ge(prefix.to_string()))
            .filter(o::isco_code.lt(after_prefix(prefix).unwrap_or_else(|| ":".into())))
            .select(o::migrant_id)
    }};
}

/// What the scorer excludes, pushed into SQL so that a stratum reads and
/// a count counts only people who can score: education and English at or
/// above the minimums (as the stored names of those levels), every
/// required language, and not already referred or enrolled.
#[derive(Clone, Debug, Default)]
pub struct Eligible {
    /// Stored education levels at or above the minimum, if one is set.
    pub education_in: Option<Vec<String>>,
    /// Stored English levels at or above the minimum, if one is set.
    pub english_in: Option<Vec<String>>,
    /// ISO 639-3 codes a candidate must all speak.
    pub languages: Vec<String>,
    /// People left out (already referred to the vacancy, enrolled in the
    /// course): a few rows, loaded first.
    pub excluded: Vec<String>,
}

/// Applies `e` to a boxed query whose FROM clause holds `migrants`.
macro_rules! meeting {
    ($query:expr, $e:expr) => {{
        let (mut q, e): (_, &Eligible) = ($query, $e);
        if let Some(levels) = &e.education_in {
            q = q.filter(migrants::education_level.eq_any(levels.clone()));
        }
        if let Some(levels) = &e.english_in {
            q = q.filter(migrants::english_level.eq_any(levels.clone()));
        }
        // Correlated, so the planner probes the language index per
        // candidate: as `IN (every speaker)` SQLite drove the whole query
        // from the list of Spanish speakers (everyone).
        for code in &e.languages {
            let speaks = l::table
                .filter(l::code.eq(code.clone()))
                .filter(l::migrant_id.eq(migrants::id));
            q = q.filter(diesel::dsl::exists(speaks));
        }
        if !e.excluded.is_empty() {
            q = q.filter(diesel::dsl::not(migrants::id.eq_any(e.excluded.clone())));
        }
        q
    }};
}

/// The caller's rows with an occupation in group `group` that meet `e`.
fn eligible(rows: &RowFilter, shape: Shape, group: &str, e: &Eligible) -> ScopedMigrants<'static> {
    let q = scope::visible_as(rows, shape).filter(migrants::id.eq_any(in_group!(group)));
    meeting!(q, e)
}

/// One chunk of stratum `s` of `t`: the eligible people among `rows`
/// with an occupation row in it, in id order after `after`, at most
/// `limit` rows (one statement, walking an occupation index).
pub fn stratum_chunk(
    conn: &mut DbConnection,
    rows: &RowFilter,
    (t, e): (&Target<'_>, &Eligible),
    s: Stratum,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CandidateRow>> {
    let mut q = scope::visible_occupations(rows).filter(o::isco_code.eq(s.unit));
    if let Some(years) = s.years {
        q = q.filter(o::years_counted.eq(years));
    }
    if let Some(id) = after {
        q = q.filter(o::migrant_id.gt(id.to_string()));
    }
    let (m, d) = (t.municipality.to_string(), t.department.to_string());
    let other_municipality = o::municipality_code
        .ne(m.clone())
        .or(o::municipality_code.is_null());
    q = match s.near {
        Nearness::Municipality => q
            .filter(o::department_code.eq(d))
            .filter(o::municipality_code.eq(m)),
        Nearness::Department => q
            .filter(o::department_code.eq(d))
            .filter(other_municipality),
        Nearness::Elsewhere => q
            .filter(o::department_code.ne(d).or(o::department_code.is_null()))
            .filter(other_municipality),
    };
    meeting!(q, e)
        .order(o::migrant_id)
        .limit(limit)
        .select(COLUMNS)
        .load(conn)
}

/// How many eligible people among `rows` have an occupation within the
/// target's group: the `totalCount` of a ranking (one statement).
pub fn count(
    conn: &mut DbConnection,
    rows: &RowFilter,
    t: &Target<'_>,
    e: &Eligible,
) -> QueryResult<i64> {
    eligible(rows, Shape::Count, t.group(), e)
        .count()
        .get_result(conn)
}

/// The skill rows scoring reads for `ids`: their occupations within the
/// target's group, and their certifications when the target rewards any.
/// Languages are not read: every candidate speaks every required one
/// (`Eligible::languages`), and no other language earns points.
pub fn scoring_skills(
    conn: &mut DbConnection,
    ids: &[String],
    t: &Target<'_>,
) -> QueryResult<SkillRows> {
    let group = t.group();
    let end = after_prefix(group).unwrap_or_else(|| ":".into());
    let certifications = if t.certifications.is_empty() {
        vec![]
    } else {
        c::table
            .filter(c::migrant_id.eq_any(ids))
            .select(CertificationRow::as_select())
            .load(conn)?
    };
    Ok(SkillRows {
        occupations: o::table
            .filter(o::migrant_id.eq_any(ids))
            .filter(o::isco_code.ge(group.to_string()))
            .filter(o::isco_code.lt(end))
            .select(OccupationRow::as_select())
            .load(conn)?,
        languages: (ids
            .iter()
            .flat_map(|id| t.languages.iter().map(move |code| (id, code))))
        .map(|(id, code)| LanguageRow {
            migrant_id: id.clone(),
            position: 0,
            code: code.clone(),
        })
        .collect(),
        certifications,
        education: vec![],
    })
}

/// Reads one chunk of stratum `s` and offers its new people to `top`,
/// scored by `score` (two or three statements). Returns the last id read
/// when the chunk was full.
pub fn offer_chunk<S>(
    conn: &mut DbConnection,
    rows: &RowFilter,
    (t, e): (&Target<'_>, &Eligible),
    (s, after, limit): (Stratum, Option<&str>, i64),
    top: &mut TopK,
    score: S,
) -> QueryResult<Chunk>
where
    S: Fn(&CandidateRow, &SkillRows) -> Option<Scored>,
{
    let read = stratum_chunk(conn, rows, (t, e), s, after, limit)?;
    let last = (read.len() as i64 == limit)
        .then(|| read.last().map(|r| r.id.clone()))
        .flatten();
    let mut fresh: Vec<CandidateRow> = read.into_iter().filter(|r| !top.has_seen(&r.id)).collect();
    fresh.dedup_by(|a, b| a.id == b.id);
    let ids: Vec<String> = fresh.iter().map(|r| r.id.clone()).collect();
    if !ids.is_empty() {
        let mut by_person = scoring_skills(conn, &ids, t)?.by_migrant(&ids);
        for r in fresh {
            let mine = by_person.remove(&r.id).unwrap_or_default();
            if let Some(scored) = score(&r, &mine) {
                top.offer(scored, r.id);
            }
        }
    }
    Ok(last)
}

/// The first `limit` people of group `group` among `rows`, lowest id
/// first, with their skills: the unranked candidates, for tests.
pub fn candidates(
    conn: &mut DbConnection,
    rows: &RowFilter,
    group: &str,
    limit: i64,
) -> QueryResult<(Vec<CandidateRow>, SkillRows)> {
    let found: Vec<CandidateRow> = eligible(rows, Shape::Page, group, &Eligible::default())
        .order(migrants::id)
        .limit(limit)
        .select(COLUMNS)
        .load(conn)?;
    let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    let skills = skills::for_migrants(conn, &ids)?;
    Ok((found, skills))
}

/// One person the caller may see, with their skill rows.
pub fn candidate(
    conn: &mut DbConnection,
    rows: &RowFilter,
    id: &str,
) -> QueryResult<Option<(CandidateRow, SkillRows)>> {
    let found: Option<CandidateRow> = scope::visible(rows)
        .filter(migrants::id.eq(id.to_string()))
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    match found {
        Some(c) => {
            let skills = skills::for_migrants(conn, std::slice::from_ref(&c.id))?;
            Ok(Some((c, skills)))
        }
        None => Ok(None),
    }
}

/// The rows of `ids` with `columns`, through the scoped query again (one
/// statement).
pub fn rows_of(
    conn: &mut DbConnection,
    rows: &RowFilter,
    ids: &[String],
    columns: Columns,
) -> QueryResult<Vec<MigrantRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    scope::visible(rows)
        .filter(migrants::id.eq_any(ids.to_vec()))
        .select(select(columns))
        .load(conn)
}

type VacancyCondition = Box<dyn BoxableExpression<v::table, MultiBackend, SqlType = Bool>>;

/// Up to `limit` open vacancies whose occupation lies in one of
/// `sub_majors` (two-digit codes), posted by `posted_by` when given,
/// lowest id first (one statement).
pub fn open_vacancies_in(
    conn: &mut DbConnection,
    sub_majors: &[String],
    posted_by: Option<String>,
    limit: i64,
) -> QueryResult<Vec<VacancyRow>> {
    let none: VacancyCondition = Box::new(sql::<Bool>("1 = 0"));
    let any = sub_majors.iter().fold(none, |acc, g| {
        let end = after_prefix(g).unwrap_or_else(|| ":".into());
        Box::new(acc.or(v::isco_code.ge(g.clone()).and(v::isco_code.lt(end))))
    });
    let mut q = v::table
        .into_boxed()
        .filter(v::status.eq("OPEN"))
        .filter(any);
    if let Some(p) = posted_by {
        q = q.filter(v::posted_by.eq(p));
    }
    q.order(v::id)
        .limit(limit)
        .select(VacancyRow::as_select())
        .load(conn)
}
