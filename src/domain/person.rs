//! Validated values of a person's record.

use async_graphql::resolver_utils::EnumType;
use async_graphql::Enum;
use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// A trimmed, non-empty personal name (inner whitespace collapsed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Validates a name: 1–100 characters after trimming, letters, spaces,
    /// apostrophes, dots and hyphens.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err("must not be empty".into());
        }
        if name.chars().count() > 100 {
            return Err("must be at most 100 characters".into());
        }
        if !name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.'))
        {
            return Err("may contain only letters, spaces, apostrophes, dots and hyphens".into());
        }
        Ok(PersonName(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A birth date in the past and plausible for a living person (0–110 years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    /// Validates against `today`.
    pub fn parse(date: NaiveDate, today: NaiveDate) -> Result<Self, String> {
        if date > today {
            return Err("must not be in the future".into());
        }
        if today.year() - date.year() > 110 {
            return Err("is implausibly old (more than 110 years ago)".into());
        }
        Ok(BirthDate(date))
    }

    /// Parses `YYYY-MM-DD` text (as in manifests), then validates.
    pub fn parse_str(raw: &str, today: NaiveDate) -> Result<Self, String> {
        let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{:?} is not a real date (YYYY-MM-DD)", raw.trim()))?;
        Self::parse(date, today)
    }

    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// Sex as recorded on the identity document.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not stated.
    Other,
}

/// Education levels, lowest first.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EducationLevel {
    /// No formal schooling.
    None,
    /// Primaria.
    Primary,
    /// Básicos.
    LowerSecondary,
    /// Diversificado.
    UpperSecondary,
    /// Technical or vocational diploma.
    Technical,
    /// University degree.
    University,
    /// Postgraduate degree.
    Postgraduate,
}

/// English proficiency.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnglishLevel {
    /// None.
    None,
    /// Basic.
    Basic,
    /// Intermediate.
    Intermediate,
    /// Advanced.
    Advanced,
    /// Fluent.
    Fluent,
}

/// Why a person consents to share their record.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentPurpose {
    /// Job matching with MINTRAB.
    Employment,
    /// Studies and placements with a university.
    Education,
}

/// Where a person's arrival stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArrivalStatus {
    /// Announced on a manifest, not yet received.
    Expected,
    /// Received by reception.
    Arrived,
}

/// Where a person did the work: experience in the United States counts as
/// a qualification of its own.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkCountry {
    /// Guatemala.
    #[graphql(name = "GT")]
    Gt,
    /// United States.
    #[graphql(name = "US")]
    Us,
}

/// Stored (SCREAMING_SNAKE_CASE) form of the simple enums, shared by rows
/// and GraphQL so both spell values the same.
pub trait StoredEnum: Sized + Copy + PartialEq + EnumType + 'static {
    /// The stored text.
    fn stored(self) -> &'static str {
        Self::items()
            .iter()
            .find(|i| i.value == self)
            .map(|i| i.name)
            .unwrap_or("")
    }
    /// Parses the stored text.
    fn from_stored(s: &str) -> Option<Self> {
        Self::items().iter().find(|i| i.name == s).map(|i| i.value)
    }
}

impl StoredEnum for Sex {}
impl StoredEnum for EducationLevel {}
impl StoredEnum for EnglishLevel {}
impl StoredEnum for ConsentPurpose {}
impl StoredEnum for ArrivalStatus {}
impl StoredEnum for WorkCountry {}

/// Folds text for search: accents removed, lower case, single spaces.
/// "López  GARCÍA" → "lopez garcia".
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    stripped
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longest name search accepted, in characters (before folding).
pub const MAX_SEARCH_CHARS: usize = 100;
/// Most words a name search may hold: each becomes one indexed condition,
/// so the bound keeps every search's SQL small.
pub const MAX_SEARCH_WORDS: usize = 6;

/// A validated name search: folded, at most [`MAX_SEARCH_WORDS`] words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameQuery(String);

impl NameQuery {
    /// Checks the size before any folding work, then folds.
    /// `Ok(None)` for a search with no words in it.
    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        if raw.chars().count() > MAX_SEARCH_CHARS {
            return Err(format!("at most {MAX_SEARCH_CHARS} characters"));
        }
        let folded = fold(raw);
        if folded.split(' ').count() > MAX_SEARCH_WORDS {
            return Err(format!("at most {MAX_SEARCH_WORDS} words"));
        }
        Ok(Some(NameQuery(folded)).filter(|q| !q.0.is_empty()))
    }

    /// The folded words, space-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_dates_and_folding() {
        assert_eq!(
            PersonName::parse("  Ana   María ").unwrap().as_str(),
            "Ana María"
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("Robert'); DROP").is_err());
        assert_eq!(
            NameQuery::parse("  López  GARCÍA ")
                .unwrap()
                .unwrap()
                .as_str(),
            "lopez garcia"
        );
        assert_eq!(NameQuery::parse(" -- ").unwrap(), None);
        assert!(NameQuery::parse(&"ab ".repeat(7)).is_err());
        assert!(NameQuery::parse(&"a".repeat(101)).is_err());
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(BirthDate::parse_str("2027-01-01", today).is_err());
        assert!(BirthDate::parse_str("1900-01-01", today).is_err());
        assert!(BirthDate::parse_str("1990-02-30", today).is_err());
        assert!(BirthDate::parse_str("1990-02-28", today).is_ok());
        assert_eq!(fold("López  GARCÍA, Ñoño"), "lopez garcia nono");
        assert_eq!(EducationLevel::UpperSecondary.stored(), "UPPER_SECONDARY");
        assert_eq!(Sex::from_stored("FEMALE"), Some(Sex::Female));
    }
}
