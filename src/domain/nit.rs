//! Guatemalan tax identification numbers (NIT, issued by the SAT).
//!
//! A NIT is a body of digits followed by one check character, often
//! written with a hyphen before it (`576937-K`). The check is a mod-11
//! sum: with `n` body digits, the first digit is weighted `n + 1`, the
//! next `n`, … and the last `2`; the check value is
//! `(11 - sum % 11) % 11`, written `K` when it is 10. Worked example for
//! `1234567-9`: 1·8 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 112,
//! 112 mod 11 = 2, 11 − 2 = 9.

/// Fewest and most body digits accepted: SAT numbers in use run from a
/// handful of digits (old registrations) to 12 (those derived from a CUI).
const BODY_DIGITS: std::ops::RangeInclusive<usize> = 2..=12;

/// A NIT whose check character is right, stored as `BODY-C`
/// (upper-case `K`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Nit(String);

impl Nit {
    /// Validates a NIT written with or without the hyphen, spaces ignored;
    /// a lower-case `k` is accepted.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.len() > 32 {
            return Err("a NIT has at most 13 characters".into());
        }
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let Some(check) = compact.chars().last() else {
            return Err("must not be empty".into());
        };
        let body = &compact[..compact.len() - check.len_utf8()];
        if !BODY_DIGITS.contains(&body.len()) || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err("digits followed by a check digit or K, e.g. 576937-K".into());
        }
        let expected = check_char(body);
        if check != expected {
            return Err(format!("check character should be {expected}"));
        }
        Ok(Nit(format!("{body}-{check}")))
    }

    /// The NIT as `BODY-C`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check character of a body of ASCII digits.
pub fn check_char(body: &str) -> char {
    let n = body.len();
    let sum: usize = body
        .bytes()
        .enumerate()
        .map(|(i, b)| usize::from(b - b'0') * (n + 1 - i))
        .sum();
    match (11 - sum % 11) % 11 {
        10 => 'K',
        d => char::from(b'0' + d as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_nits() {
        assert_eq!(Nit::parse("576937-K").unwrap().as_str(), "576937-K");
        assert_eq!(Nit::parse("576937k").unwrap().as_str(), "576937-K");
        assert_eq!(Nit::parse("1234567-9").unwrap().as_str(), "1234567-9");
        assert_eq!(Nit::parse(" 12345679 ").unwrap().as_str(), "1234567-9");
        // Sum 0 → check 0.
        assert_eq!(check_char("00"), '0');
    }

    #[test]
    fn wrong_check_and_shapes_are_refused() {
        assert!(Nit::parse("576937-1").is_err());
        assert!(Nit::parse("1234567-8").is_err());
        assert!(Nit::parse("1234567-K").is_err());
        assert!(Nit::parse("").is_err());
        assert!(Nit::parse("K").is_err());
        assert!(Nit::parse("12A4567-9").is_err());
        assert!(Nit::parse("1234567890123-4").is_err());
        assert!(Nit::parse(&"1".repeat(40)).is_err());
        assert!(Nit::parse("١٢٣٤-5").is_err());
    }

    #[test]
    fn every_body_has_exactly_one_check() {
        for body in ["576937", "1234567", "4412", "98765432101"] {
            let ok: Vec<char> = "0123456789K"
                .chars()
                .filter(|c| Nit::parse(&format!("{body}-{c}")).is_ok())
                .collect();
            assert_eq!(ok, vec![check_char(body)], "{body}");
        }
    }
}
