//! Flight manifests: every row validated, per-row errors with line and
//! field, good rows stored in one transaction, and nothing stored twice.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::find::{find_person, Finding};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::flights::FlightRow;
use crate::db::migrants::{self, MigrantRow};
use crate::db::{self, DbConnection};
use crate::domain::cui::Cui;
use crate::domain::geography::MunicipalityCode;
use crate::domain::matching::MatchScore;
use crate::domain::person::{fold, BirthDate, PersonName, Sex, StoredEnum};
use crate::error::AppResult;
use crate::policy::AllRows;

/// One manifest line as received (CSV or GraphQL); all text, so every
/// problem can be reported against its field.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ManifestLine {
    /// 1-based line number in the source (data lines, header excluded).
    pub line: i32,
    pub given_names: String,
    pub family_names: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// `F`/`M`/`X` or `FEMALE`/`MALE`/`OTHER`.
    pub sex: String,
    pub document_number: Option<String>,
    pub municipality_code: Option<String>,
    pub us_state: Option<String>,
    pub months_in_us: Option<String>,
}

/// A problem with one field of one line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LineError {
    pub line: i32,
    pub field: String,
    pub message: String,
}

/// What happened to a good line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum LineOutcome {
    /// A new record was created.
    Created,
    /// Linked to the person already on record (same CUI or close match).
    Linked,
    /// This person was already on this flight: nothing new.
    AlreadyOnFlight,
}

/// A stored line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Accepted {
    pub line: i32,
    pub migrant_id: String,
    pub arrival_id: Option<String>,
    pub outcome: LineOutcome,
}

/// A line held back because it resembles people on record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Review {
    pub line: i32,
    /// Candidate ids with score and reasons, best first.
    pub candidates: Vec<(String, u32, Vec<String>)>,
}

/// The import result.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub accepted: Vec<Accepted>,
    pub review: Vec<Review>,
    pub errors: Vec<LineError>,
}

const US_STATES: &str = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI";

/// Whether `s` is a two-letter US state or territory code.
pub fn is_us_state(s: &str) -> bool {
    s.len() == 2 && US_STATES.split(' ').any(|x| x == s)
}

fn parse_sex(raw: &str) -> Option<Sex> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "F" | "FEMALE" => Some(Sex::Female),
        "M" | "MALE" => Some(Sex::Male),
        "X" | "OTHER" => Some(Sex::Other),
        _ => None,
    }
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A line validated into a new record (not stored) plus its arrival facts.
struct Valid {
    row: MigrantRow,
    us_state: Option<String>,
    months_in_us: Option<i32>,
}

fn validate(l: &ManifestLine, today: NaiveDate) -> Result<Valid, Vec<LineError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(LineError {
            line: l.line,
            field: field.into(),
            message,
        })
    };
    let given = PersonName::parse(&l.given_names)
        .map_err(|e| err("givenNames", e))
        .ok();
    let family = PersonName::parse(&l.family_names)
        .map_err(|e| err("familyNames", e))
        .ok();
    let birth = BirthDate::parse_str(&l.birth_date, today)
        .map_err(|e| err("birthDate", e))
        .ok();
    let sex = parse_sex(&l.sex);
    if sex.is_none() {
        err("sex", "must be F, M or X".into());
    }
    let cui = nonempty(&l.document_number)
        .map(Cui::parse)
        .transpose()
        .map_err(|e| err("documentNumber", e))
        .ok()
        .flatten();
    let muni = nonempty(&l.municipality_code)
        .map(MunicipalityCode::parse)
        .transpose()
        .map_err(|e| err("municipalityCode", e))
        .ok()
        .flatten();
    let us_state = nonempty(&l.us_state).map(|s| s.to_ascii_uppercase());
    if us_state.as_deref().is_some_and(|s| !is_us_state(s)) {
        err("usState", "must be a two-letter US state code".into());
    }
    let months =
        nonempty(&l.months_in_us).map(|m| m.parse::<i32>().ok().filter(|n| (0..=1200).contains(n)));
    if months.is_some_and(|m| m.is_none()) {
        err(
            "monthsInUs",
            "must be a whole number of months, 0 to 1200".into(),
        );
    }
    match (given, family, birth, sex) {
        (Some(g), Some(f), Some(b), Some(sex)) if errors.is_empty() => {
            let mut row = blank(g.as_str(), f.as_str(), b.date(), sex);
            row.document_number = cui.map(|c| c.as_str().to_string());
            row.origin_department_code = muni.as_ref().map(|m| m.department().to_string());
            row.origin_municipality_code = muni.map(|m| m.as_str().to_string());
            Ok(Valid {
                row,
                us_state,
                months_in_us: months.flatten(),
            })
        }
        _ => Err(errors),
    }
}

/// A new record with identity set and every other section empty.
pub fn blank(given: &str, family: &str, birth: NaiveDate, sex: Sex) -> MigrantRow {
    let now = db::now();
    MigrantRow {
        id: db::new_id(),
        given_names: given.into(),
        family_names: family.into(),
        search_name: fold(&format!("{given} {family}")),
        birth_date: birth,
        sex: sex.stored().into(),
        document_number: None,
        passport_number: None,
        phone: None,
        address: None,
        relative_name: None,
        relative_phone: None,
        origin_municipality_code: None,
        origin_department_code: None,
        education_level: None,
        years_experience: None,
        english_level: None,
        needs_medical_attention: false,
        medical_conditions: None,
        health_notes: None,
        unaccompanied_minor: false,
        family_separation: false,
        protection_needs: false,
        do_not_share: false,
        protection_notes: None,
        version: 1,
        created_at: now,
        updated_at: now,
        latest_arrival_at: None,
    }
}

/// The key that makes two lines of one manifest the same person.
fn identity_key(r: &MigrantRow) -> String {
    match &r.document_number {
        Some(cui) => format!("cui:{cui}"),
        None => format!("name:{}|{}", r.search_name, r.birth_date),
    }
}

fn expected_arrival(
    flight: &FlightRow,
    migrant_id: &str,
    v: &Valid,
    line: i32,
    by: &str,
) -> ArrivalRow {
    ArrivalRow {
        id: db::new_id(),
        migrant_id: migrant_id.to_string(),
        arrived_at: flight.landed_at.unwrap_or(flight.scheduled_at),
        flight_code: Some(flight.code.clone()),
        us_state: v.us_state.clone(),
        months_in_us: v.months_in_us,
        recorded_by: by.to_string(),
        created_at: db::now(),
        flight_id: Some(flight.id.clone()),
        status: "EXPECTED".into(),
        manifest_line: Some(line),
    }
}

fn review(line: i32, candidates: Vec<(MigrantRow, MatchScore)>) -> Review {
    let candidates = candidates
        .into_iter()
        .map(|(r, s)| (r.id, s.score, s.reasons))
        .collect();
    Review { line, candidates }
}

/// Imports `lines` for `flight`. Run it inside a write transaction: good
/// lines are stored together, bad lines only reported.
pub fn import(
    conn: &mut DbConnection,
    all: AllRows,
    flight: &FlightRow,
    lines: &[ManifestLine],
    by: &str,
) -> AppResult<ImportReport> {
    let today = db::now().date();
    let mut report = ImportReport::default();
    let mut seen: HashMap<String, i32> = HashMap::new();
    let mut placed: HashMap<String, i32> = HashMap::new();
    let on_flight = arrivals::migrants_on_flight(conn, &flight.id)?;
    for l in lines {
        let v = match validate(l, today) {
            Ok(v) => v,
            Err(errs) => {
                report.errors.extend(errs);
                continue;
            }
        };
        if let Some(first) = seen.insert(identity_key(&v.row), l.line) {
            report.errors.push(LineError {
                line: l.line,
                field: "line".into(),
                message: format!("duplicate of line {first}"),
            });
            continue;
        }
        let (migrant_id, outcome) = match find_person(conn, all, &v.row)? {
            Finding::SameDocument(r) | Finding::CloseMatch(r, _) => (r.id, LineOutcome::Linked),
            Finding::Candidates(c) => {
                report.review.push(review(l.line, c));
                continue;
            }
            Finding::New => {
                migrants::insert(conn, &v.row)?;
                (v.row.id.clone(), LineOutcome::Created)
            }
        };
        // Two lines can lead to one person on record (one with the CUI, one
        // matched by name): one person takes one seat, the second line is
        // for staff to look at.
        if let Some(first) = placed.insert(migrant_id.clone(), l.line) {
            report.errors.push(LineError {
                line: l.line,
                field: "line".into(),
                message: format!("is the same person on record as line {first}"),
            });
            continue;
        }
        if on_flight.contains(&migrant_id) {
            report.accepted.push(Accepted {
                line: l.line,
                migrant_id,
                arrival_id: None,
                outcome: LineOutcome::AlreadyOnFlight,
            });
            continue;
        }
        let arrival = expected_arrival(flight, &migrant_id, &v, l.line, by);
        arrivals::insert(conn, std::slice::from_ref(&arrival))?;
        report.accepted.push(Accepted {
            line: l.line,
            migrant_id,
            arrival_id: Some(arrival.id),
            outcome,
        });
    }
    Ok(report)
}
