//! Inputs of the programme operations and their validation into the
//! service's patch. Every error names its field (`input.tuition`).

use async_graphql::InputObject;

use crate::db::programs::ProgramQuery;
use crate::domain::geography::MunicipalityCode;
use crate::domain::institution::InstitutionCode;
use crate::domain::language::LanguageCode;
use crate::domain::money::Centavos;
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{FieldOfStudy, Modality, ProgramLevel};
use crate::error::{AppError, AppResult};
use crate::graphql::labour::inputs::text;
use crate::graphql::scalars::Date;
use crate::service::programs::{Intakes, ProgramPatch};

/// Most intakes given at once, and most languages of instruction.
const MAX_INTAKES: usize = 12;
const MAX_LANGUAGES: usize = 5;
/// Most seats one intake may offer.
const MAX_SEATS: i32 = 5_000;

/// One intake: its first day of classes and, optionally, its own seats.
#[derive(InputObject, Clone)]
pub struct IntakeInput {
    /// First day of classes.
    pub starts_on: Date,
    /// Seats of this intake (default: the programme's `seatsPerIntake`).
    pub seats: Option<i32>,
}

/// Input of `createUniversityProgram`.
#[derive(InputObject)]
pub struct CreateProgramInput {
    /// Name, 2–200 characters (`Licenciatura en Ingeniería en Sistemas`).
    pub name: String,
    /// Faculty or school, 2–200 characters.
    pub faculty: String,
    /// Level.
    pub level: ProgramLevel,
    /// ISCED-F 2013 broad field (see `fieldsOfStudy`).
    pub field_code: String,
    /// How it is taught.
    pub modality: Modality,
    /// Four-digit municipality code of the campus.
    pub campus_municipality_code: String,
    /// Seats of each intake (1 to 5,000).
    pub seats_per_intake: i32,
    /// Minimum education completed to be admitted.
    pub min_education: EducationLevel,
    /// Languages of instruction, ISO 639-3 (default `spa`); at most 5.
    pub languages: Option<Vec<String>>,
    /// Yearly tuition in GTQ, a decimal string (`"3500.00"`).
    pub tuition: Option<String>,
    /// Whether scholarships are offered.
    pub scholarships_offered: bool,
    /// Intakes, at most 12.
    #[graphql(default)]
    pub intakes: Vec<IntakeInput>,
}

/// Input of `updateUniversityProgram`: given fields change.
#[derive(InputObject, Default)]
pub struct UpdateProgramInput {
    /// New name.
    pub name: Option<String>,
    /// New faculty.
    pub faculty: Option<String>,
    /// New level.
    pub level: Option<ProgramLevel>,
    /// New field.
    pub field_code: Option<String>,
    /// New modality.
    pub modality: Option<Modality>,
    /// New campus municipality.
    pub campus_municipality_code: Option<String>,
    /// New default seats of an intake.
    pub seats_per_intake: Option<i32>,
    /// New minimum education.
    pub min_education: Option<EducationLevel>,
    /// New languages of instruction.
    pub languages: Option<Vec<String>>,
    /// New yearly tuition (GTQ).
    pub tuition: Option<String>,
    /// Scholarships offered.
    pub scholarships_offered: Option<bool>,
    /// Taking applications (false: hidden from placement).
    pub active: Option<bool>,
}

fn field<T>(name: &str, r: Result<T, String>) -> AppResult<T> {
    r.map_err(|m| AppError::bad_input(format!("input.{name}"), m))
}

fn seats(name: &str, n: i32) -> AppResult<i32> {
    if !(1..=MAX_SEATS).contains(&n) {
        return Err(AppError::bad_input(
            format!("input.{name}"),
            format!("must be 1 to {MAX_SEATS}"),
        ));
    }
    Ok(n)
}

fn languages(list: Vec<String>) -> AppResult<Vec<String>> {
    if list.is_empty() || list.len() > MAX_LANGUAGES {
        return Err(AppError::bad_input(
            "input.languages",
            format!("1 to {MAX_LANGUAGES} languages"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let code = field(&format!("languages[{i}]"), LanguageCode::parse(raw))?;
        if !out.iter().any(|c| c == code.as_str()) {
            out.push(code.as_str().to_string());
        }
    }
    Ok(out)
}

impl UpdateProgramInput {
    /// Validates the given fields.
    pub fn validate(self) -> AppResult<ProgramPatch> {
        let opt_text = |v: Option<String>, name: &str| {
            v.map(|s| text(&format!("input.{name}"), &s, 2, 200))
                .transpose()
        };
        Ok(ProgramPatch {
            name: opt_text(self.name, "name")?,
            faculty: opt_text(self.faculty, "faculty")?,
            level: self.level,
            field: (self.field_code.as_deref())
                .map(|f| field("fieldCode", FieldOfStudy::parse(f)))
                .transpose()?,
            modality: self.modality,
            campus: (self.campus_municipality_code.as_deref())
                .map(|m| field("campusMunicipalityCode", MunicipalityCode::parse(m)))
                .transpose()?,
            seats_per_intake: (self.seats_per_intake)
                .map(|n| seats("seatsPerIntake", n))
                .transpose()?,
            min_education: self.min_education,
            languages: self.languages.map(languages).transpose()?,
            tuition: (self.tuition.as_deref())
                .map(|t| field("tuition", Centavos::parse(t)).map(Centavos::get))
                .transpose()?,
            scholarships_offered: self.scholarships_offered,
            active: self.active,
        })
    }
}

impl CreateProgramInput {
    /// Validates every field; the intakes as `(start, seats)` pairs.
    pub fn validate(self) -> AppResult<(ProgramPatch, Intakes)> {
        if self.intakes.len() > MAX_INTAKES {
            return Err(AppError::bad_input(
                "input.intakes",
                format!("at most {MAX_INTAKES} items"),
            ));
        }
        let mut intakes: Intakes = vec![];
        for (i, intake) in self.intakes.iter().enumerate() {
            let s = (intake.seats)
                .map(|n| seats(&format!("intakes[{i}].seats"), n))
                .transpose()?;
            if intakes.iter().any(|(d, _)| *d == intake.starts_on.0) {
                return Err(AppError::bad_input(
                    format!("input.intakes[{i}]"),
                    "two intakes start that day",
                ));
            }
            intakes.push((intake.starts_on.0, s));
        }
        let patch = UpdateProgramInput {
            name: Some(self.name),
            faculty: Some(self.faculty),
            level: Some(self.level),
            field_code: Some(self.field_code),
            modality: Some(self.modality),
            campus_municipality_code: Some(self.campus_municipality_code),
            seats_per_intake: Some(self.seats_per_intake),
            min_education: Some(self.min_education),
            languages: Some(self.languages.unwrap_or_else(|| vec!["spa".into()])),
            tuition: self.tuition,
            scholarships_offered: Some(self.scholarships_offered),
            active: Some(true),
        }
        .validate()?;
        Ok((patch, intakes))
    }
}

/// Filters of `universityPrograms`; all given filters apply.
#[derive(InputObject, Default)]
pub struct UniversityProgramFilter {
    /// Of this university (`USAC`, `URL`, `UVG`, …).
    pub university: Option<String>,
    /// At this level.
    pub level: Option<ProgramLevel>,
    /// In this ISCED-F broad field.
    pub field_code: Option<String>,
    /// Taught this way.
    pub modality: Option<Modality>,
    /// With its campus in this department (two digits).
    pub department_code: Option<String>,
    /// Taking applications or not.
    pub active: Option<bool>,
}

impl UniversityProgramFilter {
    /// Validates the filter into the query's terms.
    pub fn validate(self) -> AppResult<ProgramQuery> {
        let bad = |f: &str, m: String| AppError::bad_input(format!("filter.{f}"), m);
        let department_code = match self.department_code {
            Some(d) if d.len() != 2 || !d.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(bad("departmentCode", "2 digits".into()))
            }
            other => other,
        };
        Ok(ProgramQuery {
            university_code: (self.university.as_deref())
                .map(|u| InstitutionCode::parse(u).map(|c| c.as_str().to_string()))
                .transpose()
                .map_err(|m| bad("university", m))?,
            level: self.level.map(|l| l.stored().to_string()),
            field_code: (self.field_code.as_deref())
                .map(|f| FieldOfStudy::parse(f).map(|c| c.as_str().to_string()))
                .transpose()
                .map_err(|m| bad("fieldCode", m))?,
            modality: self.modality.map(|m| m.stored().to_string()),
            department_code,
            active: self.active,
        })
    }
}
