//! People for placement in a programme: those the caller may see (the
//! scoped base query) with something known of their education, and their
//! skill rows (education history and languages). Scoring is in Rust
//! (`service::study_matching`).

use diesel::dsl::exists;
use diesel::prelude::*;

use super::matching::{CandidateRow, COLUMNS};
use super::schema::{education_records as e, migrants};
use super::scope;
use super::skills::{self, SkillRows};
use super::DbConnection;
use crate::policy::RowFilter;

/// Up to `limit` people the caller may see whose education is known (a
/// declared level or a history record), lowest id first, and their skill
/// rows (five statements whatever the number of people).
pub fn candidates(
    conn: &mut DbConnection,
    rows: &RowFilter,
    limit: i64,
) -> QueryResult<(Vec<CandidateRow>, SkillRows)> {
    let has_history = exists(e::table.filter(e::migrant_id.eq(migrants::id)));
    let found: Vec<CandidateRow> = scope::visible(rows)
        .filter(migrants::education_level.is_not_null().or(has_history))
        .order(migrants::id)
        .limit(limit)
        .select(COLUMNS)
        .load(conn)?;
    let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    Ok((found, skills::for_migrants(conn, &ids)?))
}
