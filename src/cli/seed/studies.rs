//! Education histories of synthetic people, and the demo programmes of
//! the three seeded universities. The history follows the declared level:
//! the highest level finished, about a quarter with the next level begun
//! and left, and a few who studied in the US (a GED, community-college
//! credits) during a long stay.

use rand::Rng;

use super::data::pick;
use super::people::Generator;
use crate::db::education::EducationRow;
use crate::db::migrants::MigrantRow;
use crate::db::skills::SkillRows;
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{Modality, ProgramLevel, StudyCountry};

/// Years a level usually takes in Guatemala.
fn usual_years(level: EducationLevel) -> i32 {
    match level {
        EducationLevel::None => 0,
        EducationLevel::Primary => 6,
        EducationLevel::LowerSecondary | EducationLevel::Technical => 3,
        EducationLevel::UpperSecondary | EducationLevel::Postgraduate => 2,
        EducationLevel::University => 5,
    }
}

fn next(level: EducationLevel) -> Option<EducationLevel> {
    use EducationLevel::*;
    match level {
        None => Some(Primary),
        Primary => Some(LowerSecondary),
        LowerSecondary => Some(UpperSecondary),
        UpperSecondary => Some(University),
        Technical => Some(University),
        University => Some(Postgraduate),
        Postgraduate => Option::None,
    }
}

/// Diversificado careers: bachillerato (general), perito contador,
/// magisterio, técnico industrial.
const DIVERSIFICADO_FIELDS: &[&str] = &["00", "00", "04", "01", "07"];
/// Fields of tertiary studies.
const TERTIARY_FIELDS: &[&str] = &[
    "01", "02", "03", "04", "04", "05", "06", "07", "08", "09", "10",
];

impl Generator {
    fn field_for(&mut self, level: EducationLevel) -> &'static str {
        match level {
            EducationLevel::None | EducationLevel::Primary | EducationLevel::LowerSecondary => "00",
            EducationLevel::UpperSecondary => pick(&mut self.rng, DIVERSIFICADO_FIELDS),
            _ => pick(&mut self.rng, TERTIARY_FIELDS),
        }
    }

    fn study(
        &mut self,
        row: &MigrantRow,
        at: (EducationLevel, &str, StudyCountry),
    ) -> EducationRow {
        let (level, field, country) = at;
        EducationRow {
            id: self.uuid(),
            migrant_id: row.id.clone(),
            level: level.stored().to_string(),
            field_code: field.to_string(),
            institution: (country == StudyCountry::Us).then(|| "Community college (US)".into()),
            country: country.stored().to_string(),
            years_completed: usual_years(level),
            credits: None,
            completed: true,
            last_year: None,
            version: 1,
            created_by: "seed".into(),
            created_at: row.created_at,
            updated_at: row.created_at,
        }
    }

    /// Appends the education history of a person who finished `level`.
    pub(super) fn education_history(
        &mut self,
        row: &MigrantRow,
        level: EducationLevel,
        months_in_us: i32,
        out: &mut SkillRows,
    ) {
        let gt = StudyCountry::Gt;
        if level >= EducationLevel::LowerSecondary {
            let field = self.field_for(level);
            let done = self.study(row, (level, field, gt));
            out.education.push(done);
        }
        if let Some(up) = next(level).filter(|_| self.rng.random_bool(0.25)) {
            let field = self.field_for(up);
            let mut begun = self.study(row, (up, field, gt));
            begun.completed = false;
            begun.years_completed = self.rng.random_range(1..=usual_years(up).max(2) - 1);
            out.education.push(begun);
        }
        if months_in_us < 48 {
            return;
        }
        if level < EducationLevel::UpperSecondary && self.rng.random_bool(0.08) {
            let ged = (EducationLevel::UpperSecondary, "00", StudyCountry::Us);
            let mut r = self.study(row, ged);
            r.institution = Some("GED (US)".into());
            r.years_completed = 0;
            out.education.push(r);
        } else if self.rng.random_bool(0.04) {
            let field = self.field_for(EducationLevel::Technical);
            let mut r = self.study(row, (EducationLevel::Technical, field, StudyCountry::Us));
            (r.completed, r.years_completed) = (false, 1);
            r.credits = Some(self.rng.random_range(6..=45));
            out.education.push(r);
        }
    }
}

/// One demo programme: university, name, faculty, level, field, modality,
/// campus, seats per intake, minimum education, yearly tuition (GTQ),
/// scholarships offered, languages of instruction.
pub type ProgramSpec = (
    &'static str,
    &'static str,
    &'static str,
    ProgramLevel,
    &'static str,
    Modality,
    &'static str,
    i32,
    EducationLevel,
    i64,
    bool,
    &'static [&'static str],
);

use EducationLevel::{University as Lic, UpperSecondary as Div};
use Modality::{InPerson, Online, Weekend};
use ProgramLevel::{Licenciatura, Masters, TechnicalDiploma};

const SPA: &[&str] = &["spa"];

/// Programmes of USAC (public: a nominal fee), URL and UVG (private), on
/// their main campuses and regional centres.
#[rustfmt::skip]
pub const PROGRAMS: &[ProgramSpec] = &[
    ("USAC", "Licenciatura en Ingeniería en Ciencias y Sistemas", "Facultad de Ingeniería", Licenciatura, "06", InPerson, "0101", 120, Div, 91, false, SPA),
    ("USAC", "Técnico Universitario en Agrimensura", "Facultad de Ingeniería", TechnicalDiploma, "07", InPerson, "0101", 40, Div, 91, false, SPA),
    ("USAC", "Licenciatura en Pedagogía", "Centro Universitario de Occidente", Licenciatura, "01", Weekend, "0901", 60, Div, 91, false, SPA),
    ("USAC", "Ingeniería Agronómica", "Centro Universitario del Norte", Licenciatura, "08", InPerson, "1601", 50, Div, 91, false, SPA),
    ("USAC", "Técnico Universitario en Trabajo Social", "Centro Universitario de Nor-Occidente", TechnicalDiploma, "09", Weekend, "1301", 45, Div, 91, false, SPA),
    ("URL", "Licenciatura en Administración de Empresas", "Facultad de Ciencias Económicas", Licenciatura, "04", Weekend, "0101", 60, Div, 28_000, true, SPA),
    ("URL", "Licenciatura en Ciencias Jurídicas y Sociales", "Campus de Quetzaltenango", Licenciatura, "04", InPerson, "0901", 50, Div, 26_000, true, SPA),
    ("URL", "Técnico en Educación Bilingüe Intercultural", "Campus de Quiché", TechnicalDiploma, "01", Weekend, "1401", 40, Div, 9_500, true, &["spa", "quc"]),
    ("URL", "Licenciatura en Ingeniería Industrial", "Facultad de Ingeniería", Licenciatura, "07", InPerson, "0101", 45, Div, 32_000, true, SPA),
    ("UVG", "Licenciatura en Ingeniería en Ciencia de la Computación", "Facultad de Ingeniería", Licenciatura, "06", InPerson, "0101", 60, Div, 46_000, true, &["spa", "eng"]),
    ("UVG", "Técnico Universitario en Administración Turística", "Campus Altiplano", TechnicalDiploma, "10", InPerson, "0701", 35, Div, 14_000, true, SPA),
    ("UVG", "Maestría en Salud Pública", "Facultad de Ciencias y Humanidades", Masters, "09", Online, "0101", 30, Lic, 38_000, true, SPA),
];
