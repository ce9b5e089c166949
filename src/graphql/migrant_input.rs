//! Inputs of migrant mutations, validated into a row section by section.
//! Each section is one slice; a provided section replaces that slice.

use async_graphql::InputObject;
use chrono::NaiveDate;

use super::scalars::Date;

use crate::db::migrants::MigrantRow;
use crate::domain::cui::Cui;
use crate::domain::geography::MunicipalityCode;
use crate::domain::person::{
    fold, BirthDate, EducationLevel, EnglishLevel, PersonName, Sex, StoredEnum,
};
use crate::domain::phone::Phone;
use crate::error::{AppError, AppResult};
use crate::policy::Slice;

/// IDENTITY: all fields required.
#[derive(InputObject, Clone)]
pub struct IdentityInput {
    pub given_names: String,
    pub family_names: String,
    pub birth_date: Date,
    pub sex: Sex,
}

/// DOCUMENTS.
#[derive(InputObject, Clone, Default)]
pub struct DocumentsInput {
    /// 13-digit CUI of the DPI.
    pub document_number: Option<String>,
    pub passport_number: Option<String>,
}

/// CONTACT.
#[derive(InputObject, Clone, Default)]
pub struct ContactInput {
    /// Guatemalan number in E.164 (+502 and 8 digits).
    pub phone: Option<String>,
    pub address: Option<String>,
    pub relative_name: Option<String>,
    /// E.164, Guatemalan (+502) or US (+1).
    pub relative_phone: Option<String>,
}

/// ORIGIN.
#[derive(InputObject, Clone)]
pub struct OriginInput {
    /// Four-digit INE municipality code.
    pub municipality_code: String,
}

/// SKILLS.
#[derive(InputObject, Clone, Default)]
pub struct SkillsInput {
    pub education_level: Option<EducationLevel>,
    #[graphql(default)]
    pub occupations: Vec<String>,
    pub years_experience: Option<i32>,
    #[graphql(default)]
    pub languages: Vec<String>,
    pub english_level: Option<EnglishLevel>,
    #[graphql(default)]
    pub certifications: Vec<String>,
}

/// HEALTH.
#[derive(InputObject, Clone, Default)]
pub struct HealthInput {
    pub needs_medical_attention: bool,
    pub medical_conditions: Option<String>,
    pub notes: Option<String>,
}

/// PROTECTION.
#[derive(InputObject, Clone, Default)]
pub struct ProtectionInput {
    pub unaccompanied_minor: bool,
    pub family_separation: bool,
    pub protection_needs: bool,
    /// Hides the record from every partner.
    pub do_not_share: bool,
    pub notes: Option<String>,
}

/// The sections of a record a mutation may set.
#[derive(InputObject, Clone, Default)]
pub struct MigrantSections {
    pub identity: Option<IdentityInput>,
    pub documents: Option<DocumentsInput>,
    pub contact: Option<ContactInput>,
    pub origin: Option<OriginInput>,
    pub skills: Option<SkillsInput>,
    pub health: Option<HealthInput>,
    pub protection: Option<ProtectionInput>,
}

impl MigrantSections {
    /// The slices this input writes.
    pub fn slices(&self) -> Vec<Slice> {
        let present = [
            (self.identity.is_some(), Slice::Identity),
            (self.documents.is_some(), Slice::Documents),
            (self.contact.is_some(), Slice::Contact),
            (self.origin.is_some(), Slice::Origin),
            (self.skills.is_some(), Slice::Skills),
            (self.health.is_some(), Slice::Health),
            (self.protection.is_some(), Slice::Protection),
        ];
        present
            .into_iter()
            .filter(|(p, _)| *p)
            .map(|(_, s)| s)
            .collect()
    }

    /// Validates every provided section and writes it into `row`.
    pub fn apply(&self, row: &mut MigrantRow, today: NaiveDate) -> AppResult<()> {
        if let Some(i) = &self.identity {
            apply_identity(row, i, today)?;
        }
        if let Some(d) = &self.documents {
            row.document_number = opt(&d.document_number)
                .map(|v| Cui::parse(v).map(|c| c.as_str().to_string()))
                .transpose()
                .map_err(|e| AppError::bad_input("documents.documentNumber", e))?;
            row.passport_number = limited(&d.passport_number, "documents.passportNumber", 20)?;
        }
        if let Some(c) = &self.contact {
            apply_contact(row, c)?;
        }
        if let Some(o) = &self.origin {
            let code = MunicipalityCode::parse(&o.municipality_code)
                .map_err(|e| AppError::bad_input("origin.municipalityCode", e))?;
            row.origin_department_code = Some(code.department().to_string());
            row.origin_municipality_code = Some(code.as_str().to_string());
        }
        if let Some(s) = &self.skills {
            apply_skills(row, s)?;
        }
        if let Some(h) = &self.health {
            row.needs_medical_attention = h.needs_medical_attention;
            row.medical_conditions =
                limited(&h.medical_conditions, "health.medicalConditions", 2000)?;
            row.health_notes = limited(&h.notes, "health.notes", 2000)?;
        }
        if let Some(p) = &self.protection {
            row.unaccompanied_minor = p.unaccompanied_minor;
            row.family_separation = p.family_separation;
            row.protection_needs = p.protection_needs;
            row.do_not_share = p.do_not_share;
            row.protection_notes = limited(&p.notes, "protection.notes", 2000)?;
        }
        Ok(())
    }
}

fn apply_identity(row: &mut MigrantRow, i: &IdentityInput, today: NaiveDate) -> AppResult<()> {
    let given = PersonName::parse(&i.given_names)
        .map_err(|e| AppError::bad_input("identity.givenNames", e))?;
    let family = PersonName::parse(&i.family_names)
        .map_err(|e| AppError::bad_input("identity.familyNames", e))?;
    let birth = BirthDate::parse(i.birth_date.0, today)
        .map_err(|e| AppError::bad_input("identity.birthDate", e))?;
    row.search_name = fold(&format!("{} {}", given.as_str(), family.as_str()));
    row.given_names = given.as_str().to_string();
    row.family_names = family.as_str().to_string();
    row.birth_date = birth.date();
    row.sex = i.sex.stored().to_string();
    Ok(())
}

fn apply_contact(row: &mut MigrantRow, c: &ContactInput) -> AppResult<()> {
    row.phone = opt(&c.phone)
        .map(Phone::parse_guatemalan)
        .transpose()
        .map_err(|e| AppError::bad_input("contact.phone", e))?
        .map(|p| p.as_str().to_string());
    row.relative_phone = opt(&c.relative_phone)
        .map(Phone::parse)
        .transpose()
        .map_err(|e| AppError::bad_input("contact.relativePhone", e))?
        .map(|p| p.as_str().to_string());
    row.address = limited(&c.address, "contact.address", 300)?;
    row.relative_name = opt(&c.relative_name)
        .map(|n| PersonName::parse(n).map(|n| n.as_str().to_string()))
        .transpose()
        .map_err(|e| AppError::bad_input("contact.relativeName", e))?;
    Ok(())
}

fn apply_skills(row: &mut MigrantRow, s: &SkillsInput) -> AppResult<()> {
    if s.years_experience.is_some_and(|y| !(0..=70).contains(&y)) {
        return Err(AppError::bad_input(
            "skills.yearsExperience",
            "must be 0 to 70",
        ));
    }
    row.education_level = s.education_level.map(|e| e.stored().to_string());
    row.english_level = s.english_level.map(|e| e.stored().to_string());
    row.years_experience = s.years_experience;
    row.occupations = text_list(&s.occupations, "skills.occupations")?;
    row.languages = text_list(&s.languages, "skills.languages")?;
    row.certifications = text_list(&s.certifications, "skills.certifications")?;
    Ok(())
}

/// A trimmed value, with empty treated as absent.
fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn limited(v: &Option<String>, field: &str, max: usize) -> AppResult<Option<String>> {
    match opt(v) {
        Some(s) if s.chars().count() > max => Err(AppError::bad_input(
            field,
            format!("at most {max} characters"),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

fn text_list(items: &[String], field: &str) -> AppResult<String> {
    if items.len() > 20 {
        return Err(AppError::bad_input(field, "at most 20 items"));
    }
    let mut clean = Vec::with_capacity(items.len());
    for item in items {
        let t = item.trim();
        if t.is_empty() || t.chars().count() > 100 {
            return Err(AppError::bad_input(
                field,
                "items must be 1 to 100 characters",
            ));
        }
        if !clean.iter().any(|c: &String| c.eq_ignore_ascii_case(t)) {
            clean.push(t.to_string());
        }
    }
    Ok(serde_json::to_string(&clean).unwrap_or_else(|_| "[]".into()))
}
