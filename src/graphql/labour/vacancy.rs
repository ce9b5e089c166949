//! The `JobVacancy` type, built from a row and its employer.

use async_graphql::{SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::employers::Employer;
use super::municipality;
use crate::db::employers::EmployerRow;
use crate::db::vacancies::VacancyRow;
use crate::domain::isco;
use crate::domain::labour::VacancyStatus;
use crate::domain::person::{EducationLevel, EnglishLevel, StoredEnum};
use crate::graphql::money::Money;
use crate::graphql::occupations::Occupation;
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;

/// A job vacancy, posted by MINTRAB for an employer or by a university
/// for its own positions.
#[derive(SimpleObject, Clone)]
pub struct JobVacancy {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Code of the institution that posted it (`MINTRAB`, `USAC`, …).
    pub posted_by: String,
    /// The employer; null when the posting university itself hires.
    pub employer: Option<Employer>,
    /// Job title.
    pub title: String,
    /// The occupation (ISCO-08 unit group).
    pub occupation: Occupation,
    /// Certifications a candidate must hold.
    pub required_certifications: Vec<String>,
    /// Certifications that count in a candidate's favour.
    pub preferred_certifications: Vec<String>,
    /// Minimum education.
    pub min_education: Option<EducationLevel>,
    /// Languages the job needs (ISO 639-3).
    pub languages: Vec<String>,
    /// Minimum English.
    pub min_english_level: Option<EnglishLevel>,
    /// Where the job is.
    pub municipality: Option<Municipality>,
    /// Positions to fill.
    pub openings: i32,
    /// Monthly salary floor.
    pub salary_min: Option<Money>,
    /// Monthly salary ceiling.
    pub salary_max: Option<Money>,
    /// Open, filled or closed.
    pub status: VacancyStatus,
    /// Last day to apply.
    pub closes_on: Option<Date>,
    /// Subject of the officer who posted it.
    pub created_by: String,
    /// Posted at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

impl JobVacancy {
    /// The vacancy of `row`, with its employer row when it has one.
    pub fn new(row: VacancyRow, employer: Option<EmployerRow>) -> JobVacancy {
        // Stored codes were validated against the same embedded classification.
        let occupation = isco::lookup(&row.isco_code).map(Occupation::from);
        JobVacancy {
            id: ID(row.id),
            version: row.version,
            posted_by: row.posted_by,
            employer: employer.map(Employer::from),
            title: row.title,
            occupation: occupation.unwrap_or_else(|| Occupation::unknown(&row.isco_code)),
            required_certifications: list(&row.required_certifications),
            preferred_certifications: list(&row.preferred_certifications),
            min_education: row
                .min_education
                .as_deref()
                .and_then(StoredEnum::from_stored),
            languages: list(&row.languages),
            min_english_level: row.min_english.as_deref().and_then(StoredEnum::from_stored),
            municipality: municipality(&row.municipality_code),
            openings: row.openings,
            salary_min: row.salary_min_centavos.map(Money::gtq),
            salary_max: row.salary_max_centavos.map(Money::gtq),
            status: VacancyStatus::from_stored(&row.status).unwrap_or(VacancyStatus::Closed),
            closes_on: row.closes_on.map(Date::from),
            created_by: row.created_by,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}
