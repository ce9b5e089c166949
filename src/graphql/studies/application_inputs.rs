//! Inputs of the study application operations, validated into the
//! service's terms. Every error names its field.

use async_graphql::{InputObject, ID};

use super::checked_id;
use crate::db::applications::ApplicationQuery;
use crate::domain::money::Centavos;
use crate::domain::person::StoredEnum;
use crate::domain::studies::ApplicationStatus;
use crate::error::{AppError, AppResult};
use crate::service::applications::{Recognition, Scholarship, Terms};

/// A scholarship: give exactly one of `percent` and `amount`.
#[derive(InputObject, Clone)]
pub struct ScholarshipInput {
    /// Share of tuition, 1 to 100.
    pub percent: Option<i32>,
    /// A yearly amount in GTQ, a decimal string (`"2500.00"`).
    pub amount: Option<String>,
}

/// Prior studies the university recognises.
#[derive(InputObject, Clone)]
pub struct RecognitionInput {
    /// The person's education record they come from.
    pub education_record_id: ID,
    /// Years recognised (0 to 12).
    pub years: Option<i32>,
    /// Credits recognised (0 to 400).
    pub credits: Option<i32>,
}

/// Scholarship and recognised studies; what is left out stays as it was.
#[derive(InputObject, Clone, Default)]
pub struct ApplicationTermsInput {
    /// The scholarship granted.
    pub scholarship: Option<ScholarshipInput>,
    /// Prior studies recognised.
    pub recognition: Option<RecognitionInput>,
}

/// Input of `submitStudyApplication`.
#[derive(InputObject)]
pub struct SubmitApplicationInput {
    /// The person (with an active EDUCATION consent to the university).
    pub migrant_id: ID,
    /// The intake of one of the caller's programmes.
    pub intake_id: ID,
    /// Scholarship and recognised studies, if already decided.
    pub terms: Option<ApplicationTermsInput>,
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_input(format!("terms.{field}"), message)
}

fn scholarship(s: ScholarshipInput) -> AppResult<Scholarship> {
    match (s.percent, s.amount) {
        (Some(p), None) if (1..=100).contains(&p) => Ok(Scholarship::Percent(p)),
        (Some(_), None) => Err(bad("scholarship.percent", "must be 1 to 100")),
        (None, Some(a)) => Centavos::parse(&a)
            .map(|c| Scholarship::Amount(c.get()))
            .map_err(|m| bad("scholarship.amount", m)),
        _ => Err(bad("scholarship", "give exactly one of percent and amount")),
    }
}

fn recognition(r: RecognitionInput) -> AppResult<Recognition> {
    if r.years.is_some_and(|y| !(0..=12).contains(&y)) {
        return Err(bad("recognition.years", "must be 0 to 12"));
    }
    if r.credits.is_some_and(|c| !(0..=400).contains(&c)) {
        return Err(bad("recognition.credits", "must be 0 to 400"));
    }
    Ok(Recognition {
        record_id: checked_id(
            r.education_record_id.0,
            "terms.recognition.educationRecordId",
        )?,
        years: r.years,
        credits: r.credits,
    })
}

impl ApplicationTermsInput {
    /// Validates the given terms.
    pub fn validate(self) -> AppResult<Terms> {
        Ok(Terms {
            scholarship: self.scholarship.map(scholarship).transpose()?,
            recognition: self.recognition.map(recognition).transpose()?,
        })
    }
}

/// Filters of `studyApplications`; all given filters apply.
#[derive(InputObject, Default)]
pub struct StudyApplicationFilter {
    /// To this programme (another university's: `NOT_FOUND`).
    pub program_id: Option<ID>,
    /// In this status.
    pub status: Option<ApplicationStatus>,
    /// Of this person.
    pub migrant_id: Option<ID>,
}

impl StudyApplicationFilter {
    /// Validates the filter into the query's terms.
    pub fn validate(self) -> AppResult<ApplicationQuery> {
        Ok(ApplicationQuery {
            program_id: self
                .program_id
                .map(|p| checked_id(p.0, "filter.programId"))
                .transpose()?,
            status: self.status.map(|s| s.stored().to_string()),
            migrant_id: self
                .migrant_id
                .map(|m| checked_id(m.0, "filter.migrantId"))
                .transpose()?,
        })
    }
}
