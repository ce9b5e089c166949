//! Guatemala's municipality codes, embedded from `data/` so validation
//! needs no database round trip. Migrations load the same file.

use std::collections::HashMap;
use std::sync::OnceLock;

const MUNICIPALITIES_CSV: &str = include_str!("../../data/guatemala_municipalities.csv");

/// A municipality known to the reference data.
#[derive(Clone, Debug)]
pub struct KnownMunicipality {
    /// Four-digit INE code.
    pub code: String,
    /// Two-digit department code.
    pub department_code: String,
    /// Official name.
    pub name: String,
}

fn table() -> &'static HashMap<String, KnownMunicipality> {
    static TABLE: OnceLock<HashMap<String, KnownMunicipality>> = OnceLock::new();
    TABLE.get_or_init(|| {
        MUNICIPALITIES_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let cols: Vec<&str> = line.split(',').collect();
                (cols.len() == 4).then(|| KnownMunicipality {
                    code: cols[2].to_string(),
                    department_code: cols[0].to_string(),
                    name: cols[3].to_string(),
                })
            })
            .map(|m| (m.code.clone(), m))
            .collect()
    })
}

/// Looks up a municipality by its four-digit code.
pub fn municipality(code: &str) -> Option<&'static KnownMunicipality> {
    table().get(code)
}

/// The 22 departments as (code, name), by code (statistics rows).
pub fn departments() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = MUNICIPALITIES_CSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split(',').collect();
            (cols.len() == 4).then(|| (cols[0].to_string(), cols[1].to_string()))
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

/// All municipalities (for synthetic data).
pub fn all_municipalities() -> Vec<&'static KnownMunicipality> {
    let mut all: Vec<_> = table().values().collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    all
}

/// A validated municipality code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MunicipalityCode(String);

impl MunicipalityCode {
    /// Accepts a four-digit code present in the reference data.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        match municipality(code) {
            Some(m) => Ok(MunicipalityCode(m.code.clone())),
            None => Err(format!(
                "{code:?} is not a municipality code (4 digits, e.g. 1301)"
            )),
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit department code.
    pub fn department(&self) -> &str {
        &self.0[..2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_is_complete() {
        assert_eq!(table().len(), 340);
        assert_eq!(
            municipality("1333").map(|m| m.name.as_str()),
            Some("Petatán")
        );
        assert!(MunicipalityCode::parse("1334").is_err());
        assert_eq!(
            MunicipalityCode::parse(" 0101 ").unwrap().department(),
            "01"
        );
    }
}
