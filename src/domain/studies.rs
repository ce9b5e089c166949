//! The vocabulary of studies: fields of education (ISCED-F 2013 broad
//! fields, embedded from `data/`), where studies were done, programme
//! levels and modalities, and the states of a study application.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use async_graphql::Enum;

use super::person::{EducationLevel, StoredEnum};

const FIELDS_CSV: &str = include_str!("../../data/isced_f_2013_broad_fields.csv");

fn fields() -> &'static BTreeMap<String, String> {
    static TABLE: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(FIELDS_CSV.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| Some((r.get(0)?.to_string(), r.get(1)?.to_string())))
            .collect()
    })
}

/// Every broad field, by code: `(code, title)`.
pub fn all_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    fields().iter().map(|(c, t)| (c.as_str(), t.as_str()))
}

/// The English title of a broad field.
pub fn field_title(code: &str) -> Option<&'static str> {
    fields().get(code).map(String::as_str)
}

/// A validated ISCED-F 2013 broad field (two digits, in the classification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldOfStudy(String);

impl FieldOfStudy {
    /// Accepts a two-digit broad-field code (`06`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        if field_title(code).is_none() {
            return Err("not an ISCED-F 2013 broad field (two digits, 00 to 10 or 99)".into());
        }
        Ok(FieldOfStudy(code.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Pairs of broad fields whose studies prepare for each other (this
/// project's judgement, listed in docs/universities.md). Generic
/// programmes (00) and an unknown field (99) relate to nothing.
const RELATED: [(&str, &str); 11] = [
    ("01", "02"),
    ("01", "03"),
    ("02", "03"),
    ("03", "04"),
    ("04", "10"),
    ("05", "06"),
    ("05", "07"),
    ("05", "08"),
    ("05", "09"),
    ("06", "07"),
    ("09", "10"),
];

/// Whether two different broad fields are related.
pub fn related(a: &str, b: &str) -> bool {
    RELATED
        .iter()
        .any(|(x, y)| (*x == a && *y == b) || (*x == b && *y == a))
}

/// Where studies were done: Guatemala, or the United States (a GED,
/// high-school diploma or community-college credits).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StudyCountry {
    /// Guatemala.
    #[graphql(name = "GT")]
    Gt,
    /// United States.
    #[graphql(name = "US")]
    Us,
}

/// The level of a university programme.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProgramLevel {
    /// Técnico universitario / diplomado (two to three years).
    TechnicalDiploma,
    /// Licenciatura (four to six years).
    Licenciatura,
    /// Maestría.
    Masters,
    /// Doctorado.
    Doctorate,
}

impl ProgramLevel {
    /// The education level a graduate of the programme holds; studies
    /// begun at that level count as years already completed.
    pub fn grants(self) -> EducationLevel {
        match self {
            ProgramLevel::TechnicalDiploma => EducationLevel::Technical,
            ProgramLevel::Licenciatura => EducationLevel::University,
            ProgramLevel::Masters | ProgramLevel::Doctorate => EducationLevel::Postgraduate,
        }
    }
}

/// How a programme is taught.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    /// On campus, weekdays.
    InPerson,
    /// On campus, weekends only (plan de fin de semana).
    Weekend,
    /// Online: the campus's distance does not matter.
    Online,
}

/// Where a study application stands. Moves go forward only:
/// `SUBMITTED → ADMITTED | REJECTED`, `ADMITTED → ENROLLED | WITHDRAWN`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Received by the university.
    Submitted,
    /// Admitted: holds one seat of the intake.
    Admitted,
    /// Not admitted (final).
    Rejected,
    /// Enrolled: keeps the seat (final).
    Enrolled,
    /// Gave up the admission: the seat is freed (final).
    Withdrawn,
}

impl ApplicationStatus {
    /// Whether `self → to` is an allowed (forward) move.
    pub fn may_move_to(self, to: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, to),
            (Submitted, Admitted)
                | (Submitted, Rejected)
                | (Admitted, Enrolled)
                | (Admitted, Withdrawn)
        )
    }

    /// Whether an application in this state holds a seat of its intake.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Admitted | ApplicationStatus::Enrolled
        )
    }
}

impl StoredEnum for StudyCountry {}
impl StoredEnum for ProgramLevel {}
impl StoredEnum for Modality {}
impl StoredEnum for ApplicationStatus {}

/// The Guatemalan name of an education level, as admissions offices say
/// it ("needs diversificado completed").
pub fn level_name(level: EducationLevel) -> &'static str {
    match level {
        EducationLevel::None => "sin escolaridad",
        EducationLevel::Primary => "primaria",
        EducationLevel::LowerSecondary => "básicos",
        EducationLevel::UpperSecondary => "diversificado",
        EducationLevel::Technical => "técnico",
        EducationLevel::University => "licenciatura",
        EducationLevel::Postgraduate => "maestría o doctorado",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_relations() {
        assert_eq!(all_fields().count(), 12);
        assert_eq!(
            field_title("06"),
            Some("Information and Communication Technologies (ICTs)")
        );
        assert!(FieldOfStudy::parse("07").is_ok());
        assert!(FieldOfStudy::parse("11").is_err());
        assert!(FieldOfStudy::parse("7").is_err());
        assert!(related("07", "06") && related("06", "07"));
        assert!(!related("00", "01"));
    }

    #[test]
    fn applications_move_forward_only() {
        use ApplicationStatus::*;
        assert!(Submitted.may_move_to(Admitted));
        assert!(Admitted.may_move_to(Enrolled));
        assert!(!Submitted.may_move_to(Enrolled));
        assert!(!Admitted.may_move_to(Submitted));
        assert!(!Enrolled.may_move_to(Withdrawn));
        assert!(!Rejected.may_move_to(Admitted));
        assert!(Enrolled.holds_seat() && !Withdrawn.holds_seat());
    }
}
