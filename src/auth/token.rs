//! Minting HS256 development tokens (`reintegra token`) and parsing TTLs.

use std::time::Duration;

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::config::JwtSettings;

#[derive(Serialize)]
struct MintClaims<'a> {
    sub: &'a str,
    inst: &'a str,
    role: &'a str,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

/// What a minted token asserts.
#[derive(Clone, Debug)]
pub struct TokenRequest {
    /// `sub`.
    pub subject: String,
    /// `inst`.
    pub institution: String,
    /// `role`.
    pub role: String,
    /// Lifetime from now.
    pub ttl: Duration,
}

/// Signs a token with the configured HS256 secret.
pub fn mint(settings: &JwtSettings, req: &TokenRequest) -> Result<String, String> {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(req.ttl.as_secs()).map_err(|_| "ttl too large".to_string())?;
    let claims = MintClaims {
        sub: &req.subject,
        inst: &req.institution,
        role: &req.role,
        iss: &settings.issuer,
        aud: &settings.audience,
        iat: now,
        exp: now + ttl,
    };
    let key = EncodingKey::from_secret(settings.secret.as_bytes()).map_err(|e| e.to_string())?;
    encode(&Header::new(Algorithm::HS256), &claims, &key).map_err(|e| e.to_string())
}

/// Parses `90s`, `30m`, `8h`, `7d` (or bare seconds).
pub fn parse_ttl(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let (digits, unit) = match raw.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&raw[..i], c),
        _ => (raw, 's'),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("invalid ttl {raw:?}: use e.g. 90s, 30m, 8h, 7d"))?;
    let secs = match unit {
        's' => n,
        'm' => n * 60,
        'h' => n * 3600,
        'd' => n * 86_400,
        _ => return Err(format!("invalid ttl unit in {raw:?}: use s, m, h or d")),
    };
    if secs == 0 || secs > 366 * 86_400 {
        return Err("ttl must be between 1 second and 366 days".into());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::parse_ttl;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("8h").unwrap().as_secs(), 28_800);
        assert_eq!(parse_ttl("90").unwrap().as_secs(), 90);
        assert_eq!(parse_ttl("2d").unwrap().as_secs(), 172_800);
        assert!(parse_ttl("0s").is_err());
        assert!(parse_ttl("abc").is_err());
        assert!(parse_ttl("5w").is_err());
    }
}
