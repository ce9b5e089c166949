//! Finds the person already on record before anyone new is created.
//! Looks across every record, so each entry point takes the policy's
//! [`AllRows`] capability: a caller without it cannot even call these.

use diesel::prelude::*;

use crate::db::migrants::{self, MigrantRow};
use crate::db::schema::{migrant_name_words as w, migrants as m};
use crate::db::DbConnection;
use crate::domain::matching::{score, Arriving, MatchScore, OnRecord, CANDIDATE_THRESHOLD};
use crate::domain::person::fold;
use crate::error::AppResult;
use crate::policy::AllRows;

/// How an arriving person relates to the records on file.
#[derive(Debug)]
pub enum Finding {
    /// The same CUI is on record.
    SameDocument(MigrantRow),
    /// One record matches closely on names, birth date and origin.
    CloseMatch(MigrantRow, MatchScore),
    /// Possible matches, best first, for staff to choose from.
    Candidates(Vec<(MigrantRow, MatchScore)>),
    /// Nobody like this is on record.
    New,
}

/// At most this many candidates are offered.
const MAX_CANDIDATES: usize = 5;

/// Records sharing the birth date, or the first given name and surname
/// (both read from the name word index).
fn nearby(conn: &mut DbConnection, _all: AllRows, p: &MigrantRow) -> AppResult<Vec<MigrantRow>> {
    let mut rows: Vec<MigrantRow> = m::table
        .filter(m::birth_date.eq(p.birth_date))
        .limit(200)
        .select(MigrantRow::as_select())
        .load(conn)?;
    let given = fold(&p.given_names);
    let family = fold(&p.family_names);
    let named = |word: &str| {
        w::table
            .filter(w::word.eq(word.to_string()))
            .select(w::migrant_id)
    };
    if let (Some(g), Some(f)) = (given.split(' ').next(), family.split(' ').next()) {
        let same_names: Vec<MigrantRow> = m::table
            .filter(m::id.eq_any(named(g)))
            .filter(m::id.eq_any(named(f)))
            .filter(m::birth_date.ne(p.birth_date))
            .limit(50)
            .select(MigrantRow::as_select())
            .load(conn)?;
        rows.extend(same_names);
    }
    Ok(rows)
}

/// Looks for `p` (a validated, not yet stored row) among the records.
pub fn find_person(conn: &mut DbConnection, all: AllRows, p: &MigrantRow) -> AppResult<Finding> {
    if let Some(cui) = &p.document_number {
        if let Some(id) = migrants::id_by_document(conn, cui)? {
            if let Some(row) = migrants::by_id_across(conn, all, &id)? {
                return Ok(Finding::SameDocument(row));
            }
        }
    }
    let arriving = Arriving {
        given_names: &p.given_names,
        family_names: &p.family_names,
        birth_date: p.birth_date,
        municipality: p.origin_municipality_code.as_deref(),
    };
    let mut scored: Vec<(MigrantRow, MatchScore)> = nearby(conn, all, p)?
        .into_iter()
        // Two different CUIs are two different people, however alike.
        .filter(|r| r.document_number.is_none() || p.document_number.is_none())
        .map(|r| {
            let s = score(&arriving, &on_record(&r));
            (r, s)
        })
        .filter(|(_, s)| s.score >= CANDIDATE_THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.1.score.cmp(&a.1.score).then_with(|| a.0.id.cmp(&b.0.id)));
    let close = scored.iter().filter(|(_, s)| s.is_close).count();
    if close == 1 && scored[0].1.is_close {
        let (row, s) = scored.swap_remove(0);
        return Ok(Finding::CloseMatch(row, s));
    }
    if scored.is_empty() {
        return Ok(Finding::New);
    }
    scored.truncate(MAX_CANDIDATES);
    Ok(Finding::Candidates(scored))
}

fn on_record(r: &MigrantRow) -> OnRecord<'_> {
    OnRecord {
        given_names: &r.given_names,
        family_names: &r.family_names,
        birth_date: r.birth_date,
        municipality: r.origin_municipality_code.as_deref(),
    }
}
