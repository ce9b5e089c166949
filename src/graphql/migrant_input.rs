//! Inputs of migrant mutations, validated into a row section by section.
//! Each section is one slice; a provided section replaces that slice.

use async_graphql::InputObject;
use chrono::NaiveDate;

use super::scalars::Date;

use crate::db::migrants::MigrantRow;
use crate::db::skills::{CertificationRow, LanguageRow, OccupationRow, SkillRows};
use crate::domain::cui::Cui;
use crate::domain::geography::MunicipalityCode;
use crate::domain::isco::IscoUnit;
use crate::domain::language::LanguageCode;
use crate::domain::person::{
    fold, BirthDate, EducationLevel, EnglishLevel, PersonName, Sex, StoredEnum, WorkCountry,
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

/// Most occupations, languages and certifications one person may list.
const MAX_OCCUPATIONS: usize = 10;
const MAX_LANGUAGES: usize = 10;
const MAX_CERTIFICATIONS: usize = 20;

/// One occupation a person has worked in.
#[derive(InputObject, Clone)]
pub struct OccupationInput {
    /// ISCO-08 unit group (four digits, e.g. `7112`); see `occupations`.
    pub isco_code: String,
    /// Years worked in it (0 to 70).
    pub years: Option<i32>,
    /// Where the work was done.
    pub country: Option<WorkCountry>,
}

/// SKILLS. The lists replace the stored ones.
#[derive(InputObject, Clone, Default)]
pub struct SkillsInput {
    pub education_level: Option<EducationLevel>,
    /// At most 10; each unit group once per country.
    #[graphql(default)]
    pub occupations: Vec<OccupationInput>,
    /// Years of work experience in all (0 to 70).
    pub years_experience: Option<i32>,
    /// ISO 639-3 codes (`spa`, `eng`, `quc`, `mam`, …; names such as
    /// `K'iche'` are accepted too); at most 10.
    #[graphql(default)]
    pub languages: Vec<String>,
    pub english_level: Option<EnglishLevel>,
    /// At most 20, each 1 to 100 characters.
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

    /// The validated skill lists of record `migrant_id`, when `skills` is
    /// given (they live in child tables, written with the record).
    pub fn skill_rows(&self, migrant_id: &str) -> AppResult<Option<SkillRows>> {
        self.skills
            .as_ref()
            .map(|s| skill_rows(s, migrant_id))
            .transpose()
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

fn too_many(field: &str, items: usize, max: usize) -> AppResult<()> {
    if items > max {
        return Err(AppError::bad_input(field, format!("at most {max} items")));
    }
    Ok(())
}

fn skill_rows(s: &SkillsInput, migrant_id: &str) -> AppResult<SkillRows> {
    Ok(SkillRows {
        occupations: occupation_rows(&s.occupations, migrant_id)?,
        languages: language_rows(&s.languages, migrant_id)?,
        certifications: certification_rows(&s.certifications, migrant_id)?,
        // The education history has its own mutations (`recordEducation`).
        education: vec![],
    })
}

fn occupation_rows(items: &[OccupationInput], migrant_id: &str) -> AppResult<Vec<OccupationRow>> {
    too_many("skills.occupations", items.len(), MAX_OCCUPATIONS)?;
    let mut out: Vec<OccupationRow> = Vec::with_capacity(items.len());
    for (i, o) in items.iter().enumerate() {
        let field = |f: &str| format!("skills.occupations[{i}].{f}");
        let code =
            IscoUnit::parse(&o.isco_code).map_err(|e| AppError::bad_input(field("iscoCode"), e))?;
        if o.years.is_some_and(|y| !(0..=70).contains(&y)) {
            return Err(AppError::bad_input(field("years"), "must be 0 to 70"));
        }
        let country = o.country.map(|c| c.stored().to_string());
        if out
            .iter()
            .any(|r| r.isco_code == code.as_str() && r.country == country)
        {
            return Err(AppError::bad_input(
                format!("skills.occupations[{i}]"),
                "lists this occupation and country twice",
            ));
        }
        out.push(OccupationRow {
            migrant_id: migrant_id.to_string(),
            position: i as i32,
            isco_code: code.as_str().to_string(),
            years: o.years,
            country,
            department_code: None,
            municipality_code: None,
        });
    }
    Ok(out)
}

/// Languages, each once (a repeat is dropped, not refused).
fn language_rows(items: &[String], migrant_id: &str) -> AppResult<Vec<LanguageRow>> {
    too_many("skills.languages", items.len(), MAX_LANGUAGES)?;
    let mut out: Vec<LanguageRow> = Vec::with_capacity(items.len());
    for (i, raw) in items.iter().enumerate() {
        let code = LanguageCode::parse(raw)
            .map_err(|e| AppError::bad_input(format!("skills.languages[{i}]"), e))?;
        if !out.iter().any(|l| l.code == code.as_str()) {
            out.push(LanguageRow {
                migrant_id: migrant_id.to_string(),
                position: out.len() as i32,
                code: code.as_str().to_string(),
            });
        }
    }
    Ok(out)
}

/// Certifications, trimmed, each once (case-insensitive).
fn certification_rows(items: &[String], migrant_id: &str) -> AppResult<Vec<CertificationRow>> {
    too_many("skills.certifications", items.len(), MAX_CERTIFICATIONS)?;
    let mut out: Vec<CertificationRow> = Vec::with_capacity(items.len());
    for (i, raw) in items.iter().enumerate() {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::bad_input(
                format!("skills.certifications[{i}]"),
                "must be 1 to 100 characters",
            ));
        }
        if !out
            .iter()
            .any(|c| c.name.to_lowercase() == name.to_lowercase())
        {
            out.push(CertificationRow {
                migrant_id: migrant_id.to_string(),
                position: out.len() as i32,
                search_name: fold(&name),
                name,
            });
        }
    }
    Ok(out)
}
