//! Candidates for job matching, from indexes: the people with an
//! occupation in a vacancy's sub-major group (the `(isco_code, migrant_id)`
//! index) inside the caller's rows (the scoped base query), and the open
//! vacancies in a person's sub-major groups. Scoring is in Rust
//! (`service::matching`).

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::migrants::MigrantRow;
use super::schema::{job_vacancies as v, migrant_occupations as o, migrants};
use super::scope::{self, after_prefix};
use super::skills::{self, SkillRows};
use super::vacancies::VacancyRow;
use super::{DbConnection, MultiBackend};
use crate::policy::RowFilter;

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

/// Up to `limit` people the caller may see with an occupation in group
/// `widest` (a prefix of `target`), and their skill rows. Closer groups
/// come first: the people of `target`'s own group, then of each wider one
/// down to `widest` (7112, then 711, then 71), lowest id first within a
/// tier. When the limit cuts the candidates, those cut are the ones with
/// the least related occupations, not arbitrary ones. One statement per
/// tier reached, then three for the skills.
pub fn candidates(
    conn: &mut DbConnection,
    rows: &RowFilter,
    target: &str,
    widest: &str,
    limit: i64,
) -> QueryResult<(Vec<CandidateRow>, SkillRows)> {
    let mut found: Vec<CandidateRow> = Vec::new();
    let mut narrower: Option<&str> = None;
    for len in (widest.len()..=target.len()).rev() {
        let left = limit - found.len() as i64;
        if left <= 0 {
            break;
        }
        let tier = &target[..len];
        let mut q = scope::visible(rows).filter(migrants::id.eq_any(in_group!(tier)));
        // The narrower tier was read whole (the limit did not cut it).
        if let Some(n) = narrower {
            q = q.filter(diesel::dsl::not(migrants::id.eq_any(in_group!(n))));
        }
        let tier_rows: Vec<CandidateRow> = q
            .order(migrants::id)
            .limit(left)
            .select(COLUMNS)
            .load(conn)?;
        found.extend(tier_rows);
        narrower = Some(tier);
    }
    let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    let skills = if ids.is_empty() {
        SkillRows::default()
    } else {
        skills::for_migrants(conn, &ids)?
    };
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

/// The full rows of `ids`, through the scoped query again (one statement).
pub fn rows_of(
    conn: &mut DbConnection,
    rows: &RowFilter,
    ids: &[String],
) -> QueryResult<Vec<MigrantRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    scope::visible(rows)
        .filter(migrants::id.eq_any(ids.to_vec()))
        .select(MigrantRow::as_select())
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
