//! ISCO-08 occupations as reference data (loaded by the
//! `structured_skills` migration from `data/isco08_occupations.csv`).

use diesel::prelude::*;

use super::schema::occupations;
use super::{DbConnection, MultiBackend};

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends (titles are ASCII).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// An occupation row.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = occupations)]
pub struct OccupationRow {
    /// 1, 2 or 4 digits.
    pub code: String,
    /// `MAJOR`, `SUB_MAJOR` or `UNIT`.
    pub level: String,
    /// English title.
    pub title: String,
    /// The group above.
    pub parent_code: Option<String>,
}

/// A validated search of the classification.
#[derive(Clone, Debug, Default)]
pub struct OccupationSearch {
    /// Stored level.
    pub level: Option<&'static str>,
    /// Digits the code starts with.
    pub code_prefix: Option<String>,
    /// Folded words the title must all contain (alphanumeric only).
    pub words: Vec<String>,
}

fn filtered(s: &OccupationSearch) -> occupations::BoxedQuery<'static, MultiBackend> {
    let mut q = occupations::table.into_boxed();
    if let Some(level) = s.level {
        q = q.filter(occupations::level.eq(level));
    }
    if let Some(prefix) = &s.code_prefix {
        // Digits only (validated), so no LIKE wildcard can sneak in.
        q = q.filter(occupations::code.like(format!("{prefix}%")));
    }
    for word in &s.words {
        q = q.filter(lower(occupations::title).like(format!("%{word}%")));
    }
    q
}

/// One page ordered by code, after the code `after` (keyset).
pub fn page(
    conn: &mut DbConnection,
    s: &OccupationSearch,
    after: Option<String>,
    limit: i64,
) -> QueryResult<Vec<OccupationRow>> {
    let mut q = filtered(s);
    if let Some(code) = after {
        q = q.filter(occupations::code.gt(code));
    }
    q.order(occupations::code)
        .limit(limit)
        .select(OccupationRow::as_select())
        .load(conn)
}

/// How many groups match.
pub fn count(conn: &mut DbConnection, s: &OccupationSearch) -> QueryResult<i64> {
    filtered(s).count().get_result(conn)
}
