//! Inputs of the labour operations and their validation into the
//! service's patches. Every error names its field (`input.salaryMax`).

use async_graphql::{InputObject, ID};
use chrono::NaiveDate;

use crate::domain::geography::MunicipalityCode;
use crate::domain::isco::IscoUnit;
use crate::domain::labour::EmployerSector;
use crate::domain::language::LanguageCode;
use crate::domain::money::Centavos;
use crate::domain::nit::Nit;
use crate::domain::person::{EducationLevel, EnglishLevel};
use crate::domain::phone::Phone;
use crate::error::{AppError, AppResult};
use crate::graphql::scalars::Date;
use crate::service::employers::EmployerPatch;
use crate::service::vacancies::VacancyPatch;

/// Most certifications in either list of a vacancy.
pub const MAX_CERTIFICATIONS: usize = 20;
/// Most languages a vacancy lists.
pub const MAX_LANGUAGES: usize = 10;

/// Input of `createEmployer`.
#[derive(InputObject)]
pub struct CreateEmployerInput {
    /// Registered or trade name, 2–200 characters.
    pub name: String,
    /// Public or private sector.
    pub sector: EmployerSector,
    /// Tax id (NIT) with its check character, e.g. `576937-K`.
    pub nit: String,
    /// Four-digit municipality code of the workplace or head office.
    pub municipality_code: String,
    /// Contact person, up to 100 characters.
    pub contact_name: Option<String>,
    /// Contact phone in E.164 (`+502…`).
    pub contact_phone: Option<String>,
    /// Contact email.
    pub contact_email: Option<String>,
}

/// Input of `updateEmployer`: given fields change.
#[derive(InputObject, Default)]
pub struct UpdateEmployerInput {
    /// New name.
    pub name: Option<String>,
    /// New sector.
    pub sector: Option<EmployerSector>,
    /// New NIT.
    pub nit: Option<String>,
    /// New municipality code.
    pub municipality_code: Option<String>,
    /// New contact person.
    pub contact_name: Option<String>,
    /// New contact phone.
    pub contact_phone: Option<String>,
    /// New contact email.
    pub contact_email: Option<String>,
}

/// Free text of `min` to `max` characters, inner whitespace collapsed,
/// no control characters (shared with the studies inputs).
pub fn text(field: &str, raw: &str, min: usize, max: usize) -> AppResult<String> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = value.chars().count();
    if n < min || n > max || raw.len() > max * 4 {
        return Err(AppError::bad_input(
            field,
            format!("must be {min} to {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::bad_input(
            field,
            "must not hold control characters",
        ));
    }
    Ok(value)
}

fn email(raw: &str) -> AppResult<String> {
    let e = raw.trim().to_ascii_lowercase();
    let ok = e.len() <= 254
        && !e.chars().any(char::is_whitespace)
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if ok {
        Ok(e)
    } else {
        Err(AppError::bad_input(
            "input.contactEmail",
            "not an email address",
        ))
    }
}

/// The place filters of a list (`filter.municipalityCode`,
/// `filter.departmentCode`), validated.
pub fn place_filter(
    municipality: Option<String>,
    department: Option<String>,
) -> AppResult<(Option<String>, Option<String>)> {
    let municipality = (municipality.as_deref())
        .map(|m| with_field("filter.municipalityCode", MunicipalityCode::parse(m)))
        .transpose()?
        .map(|m| m.as_str().to_string());
    let department = match department {
        Some(d) if d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) => Some(d),
        Some(_) => return Err(AppError::bad_input("filter.departmentCode", "2 digits")),
        None => None,
    };
    Ok((municipality, department))
}

/// A domain parse error as `BAD_USER_INPUT` on `field`.
pub fn with_field<T>(field: &str, r: Result<T, String>) -> AppResult<T> {
    r.map_err(|m| AppError::bad_input(field, m))
}

impl UpdateEmployerInput {
    /// Validates the given fields.
    pub fn validate(self) -> AppResult<EmployerPatch> {
        let opt = |v: Option<String>, f: &dyn Fn(&str) -> AppResult<String>| {
            v.as_deref().map(f).transpose()
        };
        Ok(EmployerPatch {
            name: opt(self.name, &|s| text("input.name", s, 2, 200))?,
            sector: self.sector,
            nit: opt(self.nit, &|s| {
                Ok(with_field("input.nit", Nit::parse(s))?.as_str().into())
            })?,
            municipality_code: opt(self.municipality_code, &|s| {
                Ok(
                    with_field("input.municipalityCode", MunicipalityCode::parse(s))?
                        .as_str()
                        .into(),
                )
            })?,
            contact_name: opt(self.contact_name, &|s| text("input.contactName", s, 1, 100))?,
            contact_phone: opt(self.contact_phone, &|s| {
                Ok(with_field("input.contactPhone", Phone::parse(s))?
                    .as_str()
                    .into())
            })?,
            contact_email: opt(self.contact_email, &email)?,
        })
    }
}

impl CreateEmployerInput {
    /// Validates every field; the required ones come back present.
    pub fn validate(self) -> AppResult<EmployerPatch> {
        UpdateEmployerInput {
            name: Some(self.name),
            sector: Some(self.sector),
            nit: Some(self.nit),
            municipality_code: Some(self.municipality_code),
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            contact_email: self.contact_email,
        }
        .validate()
    }
}

/// Input of `postVacancy`.
#[derive(InputObject)]
pub struct PostVacancyInput {
    /// The employer offering the job (MINTRAB); left out by a university
    /// posting its own position.
    pub employer_id: Option<ID>,
    /// Job title, 3–150 characters.
    pub title: String,
    /// ISCO-08 unit group, four digits (e.g. `7112`, bricklayers).
    pub isco_code: String,
    /// Certifications a candidate must hold (at most 20, each ≤ 100 characters).
    pub required_certifications: Option<Vec<String>>,
    /// Certifications that count in a candidate's favour (same bounds).
    pub preferred_certifications: Option<Vec<String>>,
    /// Minimum education.
    pub min_education: Option<EducationLevel>,
    /// Languages the job needs, ISO 639-3 (`spa`, `eng`, `quc`, …; at most 10).
    pub languages: Option<Vec<String>>,
    /// Minimum English.
    pub min_english_level: Option<EnglishLevel>,
    /// Four-digit municipality code where the job is.
    pub municipality_code: String,
    /// Positions to fill, 1–10 000.
    pub openings: i32,
    /// Monthly salary floor in GTQ, a decimal string (`"3500.00"`).
    pub salary_min: Option<String>,
    /// Monthly salary ceiling in GTQ, not below `salaryMin`.
    pub salary_max: Option<String>,
    /// Last day to apply (not in the past).
    pub closes_on: Option<Date>,
}

/// Input of `updateVacancy`: given fields change.
#[derive(InputObject, Default)]
pub struct UpdateVacancyInput {
    /// New title.
    pub title: Option<String>,
    /// New ISCO-08 unit group.
    pub isco_code: Option<String>,
    /// Replaces the required certifications.
    pub required_certifications: Option<Vec<String>>,
    /// Replaces the preferred certifications.
    pub preferred_certifications: Option<Vec<String>>,
    /// New minimum education.
    pub min_education: Option<EducationLevel>,
    /// Replaces the languages.
    pub languages: Option<Vec<String>>,
    /// New minimum English.
    pub min_english_level: Option<EnglishLevel>,
    /// New municipality code.
    pub municipality_code: Option<String>,
    /// New number of openings.
    pub openings: Option<i32>,
    /// New salary floor.
    pub salary_min: Option<String>,
    /// New salary ceiling.
    pub salary_max: Option<String>,
    /// New closing date.
    pub closes_on: Option<Date>,
}

fn certifications(field: &str, list: Vec<String>) -> AppResult<Vec<String>> {
    if list.len() > MAX_CERTIFICATIONS {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_CERTIFICATIONS} items"),
        ));
    }
    list.iter().map(|c| text(field, c, 1, 100)).collect()
}

fn languages(list: Vec<String>) -> AppResult<Vec<String>> {
    if list.len() > MAX_LANGUAGES {
        return Err(AppError::bad_input(
            "input.languages",
            format!("at most {MAX_LANGUAGES} items"),
        ));
    }
    let mut codes = list
        .iter()
        .map(|l| {
            Ok(with_field("input.languages", LanguageCode::parse(l))?
                .as_str()
                .to_string())
        })
        .collect::<AppResult<Vec<_>>>()?;
    codes.sort();
    codes.dedup();
    Ok(codes)
}

fn salary(field: &str, raw: Option<String>) -> AppResult<Option<i64>> {
    raw.map(|s| with_field(field, Centavos::parse(&s)).map(Centavos::get))
        .transpose()
}

impl UpdateVacancyInput {
    /// Validates the given fields against `today` (for the closing date).
    pub fn validate(self, today: NaiveDate) -> AppResult<VacancyPatch> {
        if self.openings.is_some_and(|n| !(1..=10_000).contains(&n)) {
            return Err(AppError::bad_input("input.openings", "must be 1 to 10000"));
        }
        if self.closes_on.is_some_and(|d| d.0 < today) {
            return Err(AppError::bad_input(
                "input.closesOn",
                "must not be in the past",
            ));
        }
        let (min, max) = (
            salary("input.salaryMin", self.salary_min)?,
            salary("input.salaryMax", self.salary_max)?,
        );
        Ok(VacancyPatch {
            title: self
                .title
                .map(|t| text("input.title", &t, 3, 150))
                .transpose()?,
            isco_code: self
                .isco_code
                .map(|c| {
                    with_field("input.iscoCode", IscoUnit::parse(&c))
                        .map(|u| u.as_str().to_string())
                })
                .transpose()?,
            required_certifications: self
                .required_certifications
                .map(|l| certifications("input.requiredCertifications", l))
                .transpose()?,
            preferred_certifications: self
                .preferred_certifications
                .map(|l| certifications("input.preferredCertifications", l))
                .transpose()?,
            min_education: self.min_education,
            languages: self.languages.map(languages).transpose()?,
            min_english: self.min_english_level,
            municipality: self
                .municipality_code
                .map(|m| with_field("input.municipalityCode", MunicipalityCode::parse(&m)))
                .transpose()?,
            openings: self.openings,
            salary_min: min,
            salary_max: max,
            closes_on: self.closes_on.map(|d| d.0),
        })
    }
}

impl PostVacancyInput {
    /// Validates every field; returns the employer id apart.
    pub fn validate(self, today: NaiveDate) -> AppResult<(Option<String>, VacancyPatch)> {
        let employer = self.employer_id.map(|id| id.0);
        if employer.as_ref().is_some_and(|id| id.len() > 64) {
            return Err(AppError::bad_input(
                "input.employerId",
                "not an employer id",
            ));
        }
        let patch = UpdateVacancyInput {
            title: Some(self.title),
            isco_code: Some(self.isco_code),
            required_certifications: self.required_certifications,
            preferred_certifications: self.preferred_certifications,
            min_education: self.min_education,
            languages: self.languages,
            min_english_level: self.min_english_level,
            municipality_code: Some(self.municipality_code),
            openings: Some(self.openings),
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            closes_on: self.closes_on,
        }
        .validate(today)?;
        Ok((employer, patch))
    }
}
