//! Posting, changing and closing job vacancies.

use chrono::NaiveDate;

use crate::db::idempotency::IdemKey;
use crate::db::vacancies::{self, VacancyRow};
use crate::db::{self, employers, DbConnection};
use crate::domain::geography::MunicipalityCode;
use crate::domain::labour::VacancyStatus;
use crate::domain::person::{EducationLevel, EnglishLevel, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::{self, VacancyPosting};

use super::{stale, Actor};

/// Validated vacancy fields; `None` leaves a field as it is (and, when
/// posting, leaves an optional field empty).
#[derive(Clone, Debug, Default)]
pub struct VacancyPatch {
    /// Trimmed title.
    pub title: Option<String>,
    /// ISCO-08 unit group.
    pub isco_code: Option<String>,
    /// Certifications a candidate must hold.
    pub required_certifications: Option<Vec<String>>,
    /// Certifications that count in a candidate's favour.
    pub preferred_certifications: Option<Vec<String>>,
    /// Minimum education.
    pub min_education: Option<EducationLevel>,
    /// ISO 639-3 codes.
    pub languages: Option<Vec<String>>,
    /// Minimum English.
    pub min_english: Option<EnglishLevel>,
    /// Where the job is.
    pub municipality: Option<MunicipalityCode>,
    /// Positions to fill (≥ 1).
    pub openings: Option<i32>,
    /// Monthly salary floor, centavos.
    pub salary_min: Option<i64>,
    /// Monthly salary ceiling, centavos.
    pub salary_max: Option<i64>,
    /// Last day to apply.
    pub closes_on: Option<NaiveDate>,
}

fn json(list: Vec<String>) -> String {
    serde_json::Value::from(list).to_string()
}

impl VacancyPatch {
    fn apply(self, r: &mut VacancyRow) {
        set(&mut r.title, self.title);
        set(&mut r.isco_code, self.isco_code);
        set(
            &mut r.required_certifications,
            self.required_certifications.map(json),
        );
        set(
            &mut r.preferred_certifications,
            self.preferred_certifications.map(json),
        );
        set(&mut r.languages, self.languages.map(json));
        if let Some(m) = self.municipality {
            r.department_code = m.department().to_string();
            r.municipality_code = m.as_str().to_string();
        }
        set(&mut r.openings, self.openings);
        let stored = |e: &'static str| Some(e.to_string());
        r.min_education = self
            .min_education
            .and_then(|e| stored(e.stored()))
            .or(r.min_education.take());
        r.min_english = self
            .min_english
            .and_then(|e| stored(e.stored()))
            .or(r.min_english.take());
        r.salary_min_centavos = self.salary_min.or(r.salary_min_centavos);
        r.salary_max_centavos = self.salary_max.or(r.salary_max_centavos);
        r.closes_on = self.closes_on.or(r.closes_on);
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// The range check runs on the row after a patch: an update may move
/// either end, and the pair must still make sense.
fn check_salary_range(r: &VacancyRow) -> AppResult<()> {
    match (r.salary_min_centavos, r.salary_max_centavos) {
        (Some(min), Some(max)) if min > max => Err(AppError::bad_input(
            "input.salaryMax",
            "must not be below salaryMin",
        )),
        _ => Ok(()),
    }
}

/// Checks the employer against the poster's right: MINTRAB names an
/// employer on the register, a university names none (it hires itself).
fn check_employer(
    conn: &mut DbConnection,
    actor: &Actor,
    employer_id: &Option<String>,
) -> AppResult<()> {
    match (policy::vacancy_posting(actor.role), employer_id) {
        (VacancyPosting::Never, _) => Err(AppError::Forbidden(
            "your role may not post vacancies".into(),
        )),
        (VacancyPosting::ForEmployers, None) => Err(AppError::bad_input(
            "input.employerId",
            "required: the employer offering the job",
        )),
        (VacancyPosting::ForEmployers, Some(id)) => match employers::by_id(conn, id)? {
            Some(_) => Ok(()),
            None => Err(AppError::bad_input("input.employerId", "no such employer")),
        },
        (VacancyPosting::OwnPositions, None) => Ok(()),
        (VacancyPosting::OwnPositions, Some(_)) => Err(AppError::bad_input(
            "input.employerId",
            "a university posts its own positions: leave employerId out",
        )),
    }
}

/// Posts a vacancy as the actor's institution. The resolver guarantees
/// title, occupation, municipality and openings are present.
pub fn post(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &Option<IdemKey>,
    employer_id: Option<String>,
    fields: VacancyPatch,
) -> AppResult<(VacancyRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let row = vacancies::by_id(conn, &id)?.ok_or(AppError::NotFound("job vacancy"))?;
        return Ok((row, vec![]));
    }
    check_employer(conn, actor, &employer_id)?;
    let now = db::now();
    let mut row = VacancyRow {
        id: db::new_id(),
        posted_by: actor.institution.clone(),
        employer_id,
        title: String::new(),
        isco_code: String::new(),
        required_certifications: "[]".into(),
        preferred_certifications: "[]".into(),
        min_education: None,
        languages: "[]".into(),
        min_english: None,
        municipality_code: String::new(),
        department_code: String::new(),
        openings: 1,
        salary_min_centavos: None,
        salary_max_centavos: None,
        status: VacancyStatus::Open.stored().into(),
        closes_on: None,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut row);
    check_salary_range(&row)?;
    vacancies::insert(conn, std::slice::from_ref(&row))?;
    remember(conn, key, &row.id)?;
    let id = row.id.clone();
    Ok((row, vec![id]))
}

/// Loads a vacancy the actor may edit, at `expected_version`.
fn editable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: i32,
) -> AppResult<VacancyRow> {
    let row = vacancies::by_id(conn, id)?.ok_or(AppError::NotFound("job vacancy"))?;
    if !policy::may_edit_vacancy(actor.role, &actor.institution, &row.posted_by) {
        return Err(AppError::Forbidden(format!(
            "only {} edits this vacancy",
            row.posted_by
        )));
    }
    if row.version != expected_version {
        return Err(stale("vacancy", row.version));
    }
    Ok(row)
}

fn save(conn: &mut DbConnection, mut row: VacancyRow, expected: i32) -> AppResult<VacancyRow> {
    row.updated_at = db::now();
    if !vacancies::update_if_version(conn, &row, expected)? {
        return Err(AppError::Conflict(
            "the vacancy changed meanwhile; reload it".into(),
        ));
    }
    row.version = expected + 1;
    Ok(row)
}

/// Changes the given fields of an open vacancy of the actor's institution.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: i32,
    patch: VacancyPatch,
) -> AppResult<(VacancyRow, Vec<String>)> {
    let mut row = editable(conn, actor, id, expected_version)?;
    if row.status != VacancyStatus::Open.stored() {
        return Err(AppError::Conflict("the vacancy is no longer open".into()));
    }
    patch.apply(&mut row);
    check_salary_range(&row)?;
    let row = save(conn, row, expected_version)?;
    Ok((row, vec![id.to_string()]))
}

/// Closes an open vacancy as `FILLED` or `CLOSED`.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: i32,
    outcome: VacancyStatus,
) -> AppResult<(VacancyRow, Vec<String>)> {
    let mut row = editable(conn, actor, id, expected_version)?;
    if row.status != VacancyStatus::Open.stored() {
        return Err(AppError::Conflict("the vacancy is already closed".into()));
    }
    if outcome == VacancyStatus::Open {
        return Err(AppError::bad_input("status", "FILLED or CLOSED"));
    }
    row.status = outcome.stored().into();
    let row = save(conn, row, expected_version)?;
    Ok((row, vec![id.to_string()]))
}
