//! SKILLS: the `Skills` type of a record and the `migrants` filters on it.
//! Lists come from the child tables through the request's loader (a page
//! of people loads them in one batch, see `prefetch`).

use async_graphql::SimpleObject;

use super::occupations::Occupation;
use super::studies::education::EducationRecord;
use crate::db::migrants::MigrantRow;
use crate::db::schema::migrants;
use crate::db::scope::{self, ScopedMigrants};
use crate::db::skills::SkillRows;
use crate::domain::isco::IscoGroup;
use crate::domain::language::LanguageCode;
use crate::domain::person::{EducationLevel, EnglishLevel, NameQuery, StoredEnum, WorkCountry};
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// Work done in one occupation.
#[derive(SimpleObject)]
pub struct WorkExperience {
    /// The ISCO-08 unit group.
    pub occupation: Occupation,
    /// Years worked in it, when known.
    pub years: Option<i32>,
    /// Where (`GT` or `US`); unknown for records migrated from free text.
    pub country: Option<WorkCountry>,
}

/// Qualifications (SKILLS).
#[derive(SimpleObject)]
pub struct Skills {
    /// Highest education completed.
    pub education_level: Option<EducationLevel>,
    /// Occupations the person has worked in (ISCO-08 unit groups).
    pub occupations: Vec<WorkExperience>,
    /// Years of work experience in all.
    pub years_experience: Option<i32>,
    /// Languages spoken, as ISO 639-3 codes (`spa`, `quc`, `eng`).
    pub languages: Vec<String>,
    /// English proficiency.
    pub english_level: Option<EnglishLevel>,
    /// Certifications held.
    pub certifications: Vec<String>,
    /// Studies begun or completed, in Guatemala or the US, oldest record
    /// first (see `recordEducation`).
    pub education_history: Vec<EducationRecord>,
}

impl Skills {
    /// The slice from the record's columns and its child rows.
    pub fn new(r: &MigrantRow, lists: SkillRows) -> Self {
        Skills {
            education_level: r
                .education_level
                .as_deref()
                .and_then(EducationLevel::from_stored),
            occupations: lists
                .occupations
                .into_iter()
                .filter_map(|o| {
                    Some(WorkExperience {
                        occupation: Occupation::lookup(&o.isco_code)?,
                        years: o.years,
                        country: o.country.as_deref().and_then(WorkCountry::from_stored),
                    })
                })
                .collect(),
            years_experience: r.years_experience,
            languages: lists.languages.into_iter().map(|l| l.code).collect(),
            english_level: r
                .english_level
                .as_deref()
                .and_then(EnglishLevel::from_stored),
            certifications: lists.certifications.into_iter().map(|c| c.name).collect(),
            education_history: lists.education.into_iter().map(Into::into).collect(),
        }
    }
}

/// The SKILLS fields of `MigrantFilter`, taken out of it for checking.
#[derive(Default, Clone)]
pub struct SkillsFilterInput {
    /// An ISCO-08 code at any level (`7`, `71`, `711`, `7112`): people with
    /// an occupation in that group.
    pub occupation: Option<String>,
    /// Education at this level or above.
    pub education_at_least: Option<EducationLevel>,
    /// Speaks this language (ISO 639-3 code, e.g. `quc`).
    pub language: Option<String>,
    /// English at this level or above.
    pub english_at_least: Option<EnglishLevel>,
    /// Holds a certification whose name contains these words, in order
    /// (accent- and case-insensitive).
    pub certification: Option<String>,
}

/// SKILLS filters after validation.
#[derive(Clone, Default, Debug)]
pub struct SkillsFilter {
    occupation: Option<String>,
    education: Option<Vec<&'static str>>,
    language: Option<&'static str>,
    english: Option<Vec<&'static str>>,
    certification: Option<String>,
}

/// The stored values of `level` and every level above it.
fn at_least<T: StoredEnum + Ord>(level: T) -> Vec<&'static str> {
    T::items()
        .iter()
        .filter(|i| i.value >= level)
        .map(|i| i.name)
        .collect()
}

impl SkillsFilterInput {
    /// True when any SKILLS filter is given.
    pub fn any(&self) -> bool {
        self.occupation.is_some()
            || self.education_at_least.is_some()
            || self.language.is_some()
            || self.english_at_least.is_some()
            || self.certification.is_some()
    }
}

impl SkillsFilter {
    /// Validates the filters (the caller has checked SKILLS read access).
    pub fn check(f: SkillsFilterInput) -> AppResult<Self> {
        let occupation = f
            .occupation
            .map(|c| IscoGroup::parse(&c).map(|g| g.as_str().to_string()))
            .transpose()
            .map_err(|e| AppError::bad_input("filter.occupation", e))?;
        let language = f
            .language
            .map(|l| LanguageCode::parse(&l).map(|c| c.as_str()))
            .transpose()
            .map_err(|e| AppError::bad_input("filter.language", e))?;
        let certification = match f.certification {
            Some(c) => NameQuery::parse(&c)
                .map_err(|e| AppError::bad_input("filter.certification", e))?
                .map(|q| format!("%{}%", q.as_str().replace(' ', "%"))),
            None => None,
        };
        Ok(SkillsFilter {
            occupation,
            education: f.education_at_least.map(at_least),
            language,
            english: f.english_at_least.map(at_least),
            certification,
        })
    }

    /// True when no SKILLS filter is set.
    pub fn is_empty(&self) -> bool {
        self.occupation.is_none()
            && self.education.is_none()
            && self.language.is_none()
            && self.english.is_none()
            && self.certification.is_none()
    }

    /// Adds the filters to the scoped query.
    pub fn apply(&self, mut q: ScopedMigrants<'static>) -> ScopedMigrants<'static> {
        if let Some(group) = &self.occupation {
            q = scope::with_occupation(q, group);
        }
        if let Some(levels) = &self.education {
            q = q.filter(migrants::education_level.eq_any(levels.clone()));
        }
        if let Some(code) = self.language {
            q = scope::speaking(q, code);
        }
        if let Some(levels) = &self.english {
            q = q.filter(migrants::english_level.eq_any(levels.clone()));
        }
        if let Some(pattern) = &self.certification {
            q = scope::certified(q, pattern.clone());
        }
        q
    }
}
