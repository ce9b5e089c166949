//! ISCO-08, the ILO's occupation classification (CIUO-08 in Guatemala's
//! labour statistics), embedded from `data/` so a code is validated with no
//! database round trip. Skills, vacancies and courses refer to unit groups.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const ISCO_CSV: &str = include_str!("../../data/isco08_occupations.csv");

/// A level of the classification. Minor groups (three digits) are not
/// listed in the source; a unit group's minor group is its first three digits.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IscoLevel {
    /// One digit, e.g. 7 Craft and related trades workers.
    Major,
    /// Two digits, e.g. 71 Building and related trades workers.
    SubMajor,
    /// Four digits, e.g. 7112 Bricklayers and related workers.
    Unit,
}

impl crate::domain::person::StoredEnum for IscoLevel {}

/// One group of the classification.
#[derive(Clone, Debug)]
pub struct Occupation {
    /// 1, 2 or 4 digits.
    pub code: String,
    /// Its level.
    pub level: IscoLevel,
    /// English title (sentence case).
    pub title: String,
    /// The group above (none for a major group).
    pub parent_code: Option<String>,
}

fn table() -> &'static BTreeMap<String, Occupation> {
    static TABLE: OnceLock<BTreeMap<String, Occupation>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(ISCO_CSV.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                let level = match r.get(1)? {
                    "MAJOR" => IscoLevel::Major,
                    "SUB_MAJOR" => IscoLevel::SubMajor,
                    "UNIT" => IscoLevel::Unit,
                    _ => return None,
                };
                let parent = r.get(3).filter(|p| !p.is_empty()).map(str::to_string);
                Some(Occupation {
                    code: r.get(0)?.to_string(),
                    level,
                    title: r.get(2)?.to_string(),
                    parent_code: parent,
                })
            })
            .map(|o| (o.code.clone(), o))
            .collect()
    })
}

/// Every group, ordered by code (1 before 11 before 1111).
pub fn all() -> impl Iterator<Item = &'static Occupation> {
    table().values()
}

/// The group with this code, at any level.
pub fn lookup(code: &str) -> Option<&'static Occupation> {
    table().get(code)
}

/// A validated ISCO-08 unit-group code (four digits, in the classification).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IscoUnit(String);

impl IscoUnit {
    /// Accepts a four-digit unit-group code of ISCO-08.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        match lookup(code) {
            Some(o) if o.level == IscoLevel::Unit => Ok(IscoUnit(o.code.clone())),
            _ => Err(format!(
                "{code:?} is not an ISCO-08 unit group (4 digits, e.g. 7112)"
            )),
        }
    }

    /// The four digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The minor group: first three digits.
    pub fn minor(&self) -> &str {
        &self.0[..3]
    }

    /// The sub-major group: first two digits.
    pub fn sub_major(&self) -> &str {
        &self.0[..2]
    }

    /// The major group: first digit.
    pub fn major(&self) -> &str {
        &self.0[..1]
    }
}

/// A validated code at any level (1, 2, 3 or 4 digits): a filter on "this
/// group and everything under it". Three digits name a minor group, which
/// exists when some unit group starts with them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IscoGroup(String);

impl IscoGroup {
    /// Accepts a code of ISCO-08 at any level.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        let known = lookup(code).is_some()
            || (code.len() == 3
                && code.bytes().all(|b| b.is_ascii_digit())
                && all().any(|o| o.level == IscoLevel::Unit && o.code.starts_with(code)));
        if known {
            Ok(IscoGroup(code.to_string()))
        } else {
            Err(format!(
                "{code:?} is not an ISCO-08 group code (1 to 4 digits)"
            ))
        }
    }

    /// The code; unit codes under it start with it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_is_complete() {
        let count = |l| all().filter(|o| o.level == l).count();
        assert_eq!(count(IscoLevel::Major), 10);
        assert_eq!(count(IscoLevel::SubMajor), 43);
        assert_eq!(count(IscoLevel::Unit), 436);
        let u = IscoUnit::parse(" 7112 ").unwrap();
        assert_eq!((u.minor(), u.sub_major(), u.major()), ("711", "71", "7"));
        assert_eq!(lookup("7112").unwrap().parent_code.as_deref(), Some("71"));
        assert!(IscoUnit::parse("71").is_err());
        assert!(IscoUnit::parse("9999").is_err());
        assert!(IscoGroup::parse("711").is_ok());
        assert!(IscoGroup::parse("7").is_ok());
        assert!(IscoGroup::parse("999").is_err());
        assert!(all().all(|o| o.title.len() > 3));
    }
}
