//! Job vacancy rows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::job_vacancies as v;
use super::{DbConnection, MultiBackend};

/// A vacancy row. Lists are JSON arrays of strings.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = v)]
#[diesel(treat_none_as_null = true)]
pub struct VacancyRow {
    pub id: String,
    /// Institution code of the poster (`MINTRAB`, `USAC`, …).
    pub posted_by: String,
    /// None when the posting institution itself hires (universities).
    pub employer_id: Option<String>,
    pub title: String,
    /// ISCO-08 unit group, 4 digits.
    pub isco_code: String,
    pub required_certifications: String,
    pub preferred_certifications: String,
    /// Stored `EducationLevel`.
    pub min_education: Option<String>,
    /// ISO 639-3 codes.
    pub languages: String,
    /// Stored `EnglishLevel`.
    pub min_english: Option<String>,
    pub municipality_code: String,
    pub department_code: String,
    pub openings: i32,
    pub salary_min_centavos: Option<i64>,
    pub salary_max_centavos: Option<i64>,
    /// `OPEN`, `FILLED`, `CLOSED`.
    pub status: String,
    pub closes_on: Option<NaiveDate>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One vacancy by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<VacancyRow>> {
    v::table
        .find(id)
        .select(VacancyRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts vacancies, in batches.
pub fn insert(conn: &mut DbConnection, rows: &[VacancyRow]) -> QueryResult<()> {
    for chunk in rows.chunks(200) {
        crate::insert_batch!(conn, v::table, chunk)?;
    }
    Ok(())
}

/// Writes `row` if the stored version is `expected`; false when stale.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &VacancyRow,
    expected: i32,
) -> QueryResult<bool> {
    let mut next = row.clone();
    next.version = expected + 1;
    let n = diesel::update(
        v::table
            .filter(v::id.eq(&row.id))
            .filter(v::version.eq(expected)),
    )
    .set(&next)
    .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the vacancy list, already validated.
#[derive(Clone, Debug, Default)]
pub struct VacancyQuery {
    pub status: Option<String>,
    /// 1 to 4 digits: that ISCO group and everything under it.
    pub isco_prefix: Option<String>,
    pub municipality_code: Option<String>,
    pub department_code: Option<String>,
    pub employer_id: Option<String>,
    pub posted_by: Option<String>,
}

fn filtered(q: &VacancyQuery) -> v::BoxedQuery<'static, MultiBackend> {
    let mut b = v::table.into_boxed();
    if let Some(s) = &q.status {
        b = b.filter(v::status.eq(s.clone()));
    }
    if let Some(p) = &q.isco_prefix {
        // The prefix is validated digits, so it holds no LIKE wildcard.
        b = b.filter(v::isco_code.like(format!("{p}%")));
    }
    if let Some(m) = &q.municipality_code {
        b = b.filter(v::municipality_code.eq(m.clone()));
    }
    if let Some(d) = &q.department_code {
        b = b.filter(v::department_code.eq(d.clone()));
    }
    if let Some(e) = &q.employer_id {
        b = b.filter(v::employer_id.eq(e.clone()));
    }
    if let Some(p) = &q.posted_by {
        b = b.filter(v::posted_by.eq(p.clone()));
    }
    b
}

/// A page of vacancies, newest first, before a keyset position, and the
/// total matching the filter.
pub fn page(
    conn: &mut DbConnection,
    q: &VacancyQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<VacancyRow>, i64)> {
    let total = filtered(q).count().get_result(conn)?;
    let mut p = filtered(q);
    if let Some((t, id)) = after {
        p = p.filter(
            v::created_at
                .lt(t)
                .or(v::created_at.eq(t).and(v::id.lt(id))),
        );
    }
    let rows = p
        .order((v::created_at.desc(), v::id.desc()))
        .limit(limit)
        .select(VacancyRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Each vacancy with its employer row, in one further query.
pub fn with_employers(
    conn: &mut DbConnection,
    rows: Vec<VacancyRow>,
) -> QueryResult<Vec<(VacancyRow, Option<super::employers::EmployerRow>)>> {
    let mut ids: Vec<String> = rows.iter().filter_map(|r| r.employer_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let found = if ids.is_empty() {
        vec![]
    } else {
        super::employers::by_ids(conn, &ids)?
    };
    let by_id: std::collections::HashMap<String, _> =
        found.into_iter().map(|e| (e.id.clone(), e)).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let e = r.employer_id.as_ref().and_then(|id| by_id.get(id).cloned());
            (r, e)
        })
        .collect())
}
