//! The labour market vocabulary: employers' sectors, vacancy status,
//! language codes.

use async_graphql::Enum;

use super::person::StoredEnum;

/// Which sector an employer belongs to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmployerSector {
    /// State bodies, municipalities, public universities.
    Public,
    /// Companies, cooperatives, private universities.
    Private,
}

/// Where a vacancy stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VacancyStatus {
    /// Taking candidates.
    Open,
    /// Every opening filled.
    Filled,
    /// Withdrawn or expired without filling.
    Closed,
}

impl StoredEnum for EmployerSector {}
impl StoredEnum for VacancyStatus {}

/// An ISO 639-3 language code (`spa`, `eng`, `quc`, `mam`, …). Only the
/// shape is checked here: the list of languages spoken in Guatemala is
/// reference data kept with the skills vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Three lower-case ASCII letters (input is trimmed and lower-cased).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_ascii_lowercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(LanguageCode(code))
        } else {
            Err(format!(
                "{raw:?} is not an ISO 639-3 code (3 letters, e.g. spa)"
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_and_stored_enums() {
        assert_eq!(LanguageCode::parse(" QUC ").unwrap().as_str(), "quc");
        assert!(LanguageCode::parse("es").is_err());
        assert!(LanguageCode::parse("spa1").is_err());
        assert!(LanguageCode::parse("ñam").is_err());
        assert_eq!(VacancyStatus::Open.stored(), "OPEN");
        assert_eq!(
            EmployerSector::from_stored("PRIVATE"),
            Some(EmployerSector::Private)
        );
    }
}
