//! Amounts of money in quetzales (GTQ), held as integer centavos so that
//! no amount is ever rounded by binary floating point.

/// Largest amount accepted: Q 9 999 999.99, far above any monthly salary,
/// and small enough that sums over many rows stay inside `i64`.
pub const MAX_CENTAVOS: i64 = 999_999_999;

/// An amount in centavos (1 GTQ = 100 centavos), never negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Centavos(i64);

impl Centavos {
    /// Parses a plain decimal string: digits, optionally a dot and one or
    /// two more digits (`3500`, `3500.5`, `3500.50`). No sign, exponent,
    /// thousands separator or spaces: a portal that sends anything else
    /// has a bug worth hearing about.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bad = || "a decimal amount like 3500.00 (at most 2 decimals)".to_string();
        if raw.is_empty() || raw.len() > 16 {
            return Err(bad());
        }
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
            return Err(bad());
        }
        if raw.contains('.') && frac.is_empty() {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .filter(|t| *t <= MAX_CENTAVOS)
            .ok_or_else(|| format!("at most {}", Centavos(MAX_CENTAVOS)))?;
        Ok(Centavos(total))
    }

    /// From a stored value.
    pub fn from_stored(n: i64) -> Self {
        Centavos(n)
    }

    /// The stored value.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for Centavos {
    /// Always two decimals: `3500.00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly_and_prints_two_decimals() {
        assert_eq!(Centavos::parse("3500").unwrap().get(), 350_000);
        assert_eq!(Centavos::parse("3500.5").unwrap().to_string(), "3500.50");
        assert_eq!(Centavos::parse("0.07").unwrap().to_string(), "0.07");
        assert_eq!(Centavos::parse("4321.99").unwrap().get(), 432_199);
        assert_eq!(Centavos::parse("9999999.99").unwrap().get(), MAX_CENTAVOS);
    }

    #[test]
    fn refuses_anything_but_plain_decimals() {
        for bad in [
            "", "-1", "+1", "1.", ".5", "1.234", "1e3", "1,000", " 1", "NaN", "10000000", "1.2.3",
        ] {
            assert!(Centavos::parse(bad).is_err(), "{bad:?}");
        }
    }
}
