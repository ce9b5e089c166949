//! The CSV export of study applications for admissions systems (API field
//! `studyApplicationsCsv` and CLI `reintegra applications-csv`). Rows come
//! from the caller's application view; names only for people still among
//! the caller's rows. Cells are escaped by the `csv` crate, and a cell a
//! spreadsheet would run as a formula is defused with a leading quote.

use std::collections::HashMap;

use crate::db::applications::{self, ApplicationQuery, ApplicationRow};
use crate::db::migrant_columns::Columns;
use crate::db::programs::{self, IntakeRow, ProgramRow};
use crate::db::{matching, DbConnection};
use crate::domain::money::Centavos;
use crate::error::{AppError, AppResult};
use crate::policy::{ApplicationView, RowFilter, Slice};

/// Most rows one export holds; a larger one must be filtered.
pub const MAX_ROWS: i64 = 10_000;

/// The header row.
pub const HEADER: [&str; 15] = [
    "application_id",
    "university",
    "program_id",
    "program_name",
    "intake_starts_on",
    "status",
    "migrant_id",
    "given_names",
    "family_names",
    "scholarship_percent",
    "scholarship_gtq",
    "recognised_years",
    "recognised_credits",
    "submitted_at",
    "updated_at",
];

/// A cell safe to open in a spreadsheet: text starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be run as a formula, so it
/// gets a leading apostrophe (OWASP's advice on CSV injection).
pub fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// What the export read: the CSV text and the people whose names it holds.
pub struct Export {
    /// The CSV, header first.
    pub csv: String,
    /// Ids of the people named in it (for the audit of the read).
    pub named: Vec<String>,
}

type Lookup = (HashMap<String, ProgramRow>, HashMap<String, IntakeRow>);

fn programs_of(conn: &mut DbConnection, apps: &[ApplicationRow]) -> AppResult<Lookup> {
    let mut ids: Vec<String> = apps.iter().map(|a| a.program_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let intakes = programs::intakes_of(conn, &ids)?
        .into_values()
        .flatten()
        .map(|i| (i.id.clone(), i))
        .collect();
    let progs = programs::by_ids(conn, &ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    Ok((progs, intakes))
}

fn line(a: &ApplicationRow, l: &Lookup, names: Option<(&str, &str)>) -> Vec<String> {
    let opt = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    let (given, family) = names.unwrap_or(("", ""));
    vec![
        a.id.clone(),
        a.university_code.clone(),
        a.program_id.clone(),
        l.0.get(&a.program_id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        (l.1.get(&a.intake_id))
            .map(|i| i.starts_on.to_string())
            .unwrap_or_default(),
        a.status.clone(),
        a.migrant_id.clone(),
        given.to_string(),
        family.to_string(),
        opt(a.scholarship_percent),
        (a.scholarship_centavos)
            .map(|c| Centavos::from_stored(c).to_string())
            .unwrap_or_default(),
        opt(a.recognised_years),
        opt(a.recognised_credits),
        a.created_at.and_utc().to_rfc3339(),
        a.updated_at.and_utc().to_rfc3339(),
    ]
}

/// The applications `view` reaches that match `q`, oldest first, as CSV.
/// More than [`MAX_ROWS`] answers `BAD_USER_INPUT`: filter by programme
/// or status, or page through `studyApplications`.
pub fn export(
    conn: &mut DbConnection,
    view: &ApplicationView,
    rows: &RowFilter,
    q: &ApplicationQuery,
) -> AppResult<Export> {
    super::applications::check_program_filter(conn, view, q)?;
    let apps = applications::page(conn, view, q, None, MAX_ROWS + 1)?;
    if apps.len() as i64 > MAX_ROWS {
        return Err(AppError::bad_input(
            "programId",
            format!("more than {MAX_ROWS} applications: filter by programme or status"),
        ));
    }
    let lookup = programs_of(conn, &apps)?;
    let ids: Vec<String> = apps.iter().map(|a| a.migrant_id.clone()).collect();
    let people: HashMap<String, (String, String)> =
        (matching::rows_of(conn, rows, &ids, Columns::of([Slice::Identity]))?)
            .into_iter()
            .map(|m| (m.id, (m.given_names, m.family_names)))
            .collect();
    let mut out = csv::Writer::from_writer(vec![]);
    let bad = |_| AppError::Internal("the CSV could not be written".into());
    out.write_record(HEADER).map_err(bad)?;
    for a in &apps {
        let names = people
            .get(&a.migrant_id)
            .map(|(g, f)| (g.as_str(), f.as_str()));
        let cells: Vec<String> = line(a, &lookup, names).iter().map(|c| defuse(c)).collect();
        out.write_record(&cells).map_err(bad)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|_| AppError::Internal("the CSV could not be written".into()))?;
    let mut named: Vec<String> = people.into_keys().collect();
    named.sort();
    Ok(Export {
        csv: String::from_utf8(bytes).map_err(|_| AppError::Internal("CSV not UTF-8".into()))?,
        named,
    })
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+502"), "'+502");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Ana"), "Ana");
        assert_eq!(defuse(""), "");
    }
}
