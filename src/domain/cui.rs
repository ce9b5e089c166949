//! The CUI (Código Único de Identificación) printed on the DPI.

use super::geography;

/// A validated 13-digit CUI: 8-digit number, mod-11 check digit, and the
/// department and municipality of registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cui(String);

impl Cui {
    /// Validates digits, check digit and the municipality code. Spaces and
    /// dashes as printed on the card are accepted and removed.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() != 13 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("a CUI has 13 digits".into());
        }
        let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
        let total: u32 = d[..8]
            .iter()
            .enumerate()
            .map(|(i, n)| n * (i as u32 + 2))
            .sum();
        if total % 11 != d[8] {
            return Err("the CUI check digit does not match".into());
        }
        if geography::municipality(&digits[9..13]).is_none() {
            return Err("the CUI's department and municipality codes do not exist".into());
        }
        Ok(Cui(digits))
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Builds a valid CUI from an 8-digit serial and a municipality code,
    /// or `None` when the serial's check digit would be 10 (for seeding).
    pub fn from_parts(serial: u32, municipality: &str) -> Option<Self> {
        let serial = format!("{:08}", serial % 100_000_000);
        let total: u32 = serial
            .chars()
            .filter_map(|c| c.to_digit(10))
            .enumerate()
            .map(|(i, n)| n * (i as u32 + 2))
            .sum();
        let check = total % 11;
        (check < 10).then(|| Cui(format!("{serial}{check}{municipality}")))
    }
}

#[cfg(test)]
mod tests {
    use super::Cui;

    #[test]
    fn accepts_valid_and_rejects_invalid() {
        let valid = Cui::from_parts(12345678, "0101").unwrap();
        assert_eq!(Cui::parse(valid.as_str()), Ok(valid.clone()));
        let spaced = format!(
            "{} {} {}",
            &valid.as_str()[..4],
            &valid.as_str()[4..9],
            &valid.as_str()[9..]
        );
        assert_eq!(Cui::parse(&spaced), Ok(valid.clone()));
        let mut wrong_check = valid.as_str().to_string();
        let c = wrong_check.as_bytes()[8];
        wrong_check.replace_range(8..9, if c == b'0' { "1" } else { "0" });
        assert!(Cui::parse(&wrong_check).is_err());
        let bad_muni = format!("{}2301", &valid.as_str()[..9]);
        assert!(Cui::parse(&bad_muni).is_err());
        let bad_muni = format!("{}1334", &valid.as_str()[..9]);
        assert!(Cui::parse(&bad_muni).is_err());
        assert!(Cui::parse("123").is_err());
        assert!(Cui::parse("abcdefghijklm").is_err());
    }
}
