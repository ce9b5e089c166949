//! Phone numbers in E.164.

/// A validated E.164 number: Guatemala (`+502` and 8 digits) or, for
/// relatives in the United States, NANP (`+1` and 10 digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses `+502 5555 1234`, `+1 (213) 555-0100` and the like; spaces,
    /// dashes, dots and parentheses are removed.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let digits = compact
            .strip_prefix('+')
            .ok_or("use E.164 with the country code, e.g. +50255551234")?;
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("only digits may follow +".into());
        }
        if let Some(local) = digits.strip_prefix("502") {
            if local.len() == 8 && matches!(local.as_bytes()[0], b'2'..=b'7') {
                return Ok(Phone(compact));
            }
            return Err("a Guatemalan number is +502 and 8 digits starting 2-7".into());
        }
        if let Some(local) = digits.strip_prefix('1') {
            let b = local.as_bytes();
            if b.len() == 10 && b[0] >= b'2' && b[3] >= b'2' {
                return Ok(Phone(compact));
            }
            return Err("a US number is +1 and 10 digits (area code and exchange 2-9)".into());
        }
        Err("only Guatemalan (+502) and US (+1) numbers are accepted".into())
    }

    /// Like [`Phone::parse`], but only Guatemalan numbers.
    pub fn parse_guatemalan(raw: &str) -> Result<Self, String> {
        let phone = Self::parse(raw)?;
        if phone.0.starts_with("+502") {
            Ok(phone)
        } else {
            Err("a Guatemalan number is +502 and 8 digits".into())
        }
    }

    /// The E.164 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    #[test]
    fn e164() {
        assert_eq!(
            Phone::parse("+502 5555-1234").unwrap().as_str(),
            "+50255551234"
        );
        assert_eq!(
            Phone::parse("+1 (213) 555-0100").unwrap().as_str(),
            "+12135550100"
        );
        assert!(Phone::parse("55551234").is_err());
        assert!(Phone::parse("+502 1555 1234").is_err());
        assert!(Phone::parse("+502 5555 123").is_err());
        assert!(Phone::parse("+52 55 5555 1234").is_err());
        assert!(Phone::parse("+1 013 555 0100").is_err());
        assert!(Phone::parse_guatemalan("+12135550100").is_err());
    }
}
