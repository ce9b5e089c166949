//! Structured SKILLS of synthetic people: ISCO-08 occupations by sector,
//! often with US experience; Spanish, often a Mayan language, English for
//! those who learnt it; a few certifications.

use rand::Rng;

use super::data::{self, pick, pick_weighted};
use super::people::Generator;
use crate::db::migrants::MigrantRow;
use crate::db::skills::{CertificationRow, LanguageRow, OccupationRow, SkillRows};
use crate::domain::person::{fold, EducationLevel, EnglishLevel, StoredEnum, WorkCountry};

impl Generator {
    /// Fills the record's SKILLS columns and appends its child rows to `out`.
    pub(super) fn skills(
        &mut self,
        row: &mut MigrantRow,
        age: u32,
        months_in_us: i32,
        department: &str,
        out: &mut SkillRows,
    ) {
        let mut education = pick_weighted(&mut self.rng, data::EDUCATION_WEIGHTS);
        if age < 18 {
            education = education.min(EducationLevel::LowerSecondary);
        }
        row.education_level = Some(education.stored().to_string());
        self.education_history(row, education, months_in_us, out);
        let years = self.rng.random_range(0..=age.saturating_sub(14).min(25)) as i32;
        row.years_experience = Some(years);
        let english = self.english_level(months_in_us);
        row.english_level = Some(english.stored().to_string());
        self.occupations(row, years, months_in_us, english, out);
        self.languages(&row.id, department, english, out);
        if self.rng.random_bool(0.15) {
            let name = pick(&mut self.rng, data::CERTIFICATIONS).to_string();
            out.certifications.push(CertificationRow {
                migrant_id: row.id.clone(),
                position: 0,
                search_name: fold(&name),
                name,
            });
        }
    }

    /// Up to three distinct unit groups (a few people list none); work in
    /// the US is likelier the longer the person stayed there.
    fn occupations(
        &mut self,
        person: &MigrantRow,
        years: i32,
        months_in_us: i32,
        english: EnglishLevel,
        out: &mut SkillRows,
    ) {
        let count = match self.rng.random_range(0..100) {
            0..5 => 0,
            5..55 => 1,
            55..85 => 2,
            _ => 3,
        };
        let us_share = if months_in_us >= 24 { 0.7 } else { 0.35 };
        let mut chosen: Vec<&str> = Vec::with_capacity(count);
        for _ in 0..count {
            let mut sector = pick_weighted(&mut self.rng, data::SECTORS);
            if sector == data::CALL_CENTRE && english < EnglishLevel::Intermediate {
                sector = data::SECTORS[0].0;
            }
            let code = pick(&mut self.rng, sector);
            if chosen.contains(&code) {
                continue;
            }
            chosen.push(code);
            let country = if self.rng.random_bool(us_share) {
                WorkCountry::Us
            } else {
                WorkCountry::Gt
            };
            out.occupations.push(OccupationRow {
                migrant_id: person.id.clone(),
                position: chosen.len() as i32 - 1,
                isco_code: code.to_string(),
                years: Some(self.rng.random_range(0..=years.max(1))),
                country: Some(country.stored().to_string()),
                department_code: person.origin_department_code.clone(),
                municipality_code: person.origin_municipality_code.clone(),
            });
        }
    }

    /// Spanish; in the highlands more than half also speak a Mayan
    /// language; English from Basic up.
    fn languages(
        &mut self,
        id: &str,
        department: &str,
        english: EnglishLevel,
        out: &mut SkillRows,
    ) {
        let maya = data::maya_languages(department);
        let maya =
            (!maya.is_empty() && self.rng.random_bool(0.55)).then(|| pick(&mut self.rng, maya));
        let english = (english != EnglishLevel::None).then_some("eng");
        let codes = std::iter::once("spa").chain(maya).chain(english);
        out.languages
            .extend(codes.enumerate().map(|(i, code)| LanguageRow {
                migrant_id: id.to_string(),
                position: i as i32,
                code: code.to_string(),
            }));
    }

    /// English level; ten years or more in the US raise it one step.
    fn english_level(&mut self, months_in_us: i32) -> EnglishLevel {
        let drawn = pick_weighted(&mut self.rng, data::ENGLISH_WEIGHTS);
        if months_in_us <= 120 {
            return drawn;
        }
        (data::ENGLISH_WEIGHTS.iter().map(|&(l, _)| l))
            .find(|&l| l > drawn)
            .unwrap_or(drawn)
    }
}
