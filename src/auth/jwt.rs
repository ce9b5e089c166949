//! Token verification: HS256 with the shared secret, RS256/ES256 from a JWKS
//! file chosen by `kid`. Every other algorithm is refused.

use std::collections::HashMap;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::config::JwtSettings;
use crate::error::{AppError, AppResult, StartupError};

/// The claims Reintegra reads; `iss`, `aud`, `exp`, `nbf` are checked by the
/// validation itself.
#[derive(Debug, Deserialize)]
pub struct Claims {
    /// The user or API client.
    pub sub: String,
    /// Institution code.
    pub inst: String,
    /// Role name.
    pub role: String,
    /// Issued at (required by the contract).
    pub iat: i64,
    /// Expiry.
    pub exp: i64,
}

/// Holds the keys and validation rules; built once at start-up.
pub struct Verifier {
    hs_key: DecodingKey,
    jwks: HashMap<String, (Algorithm, DecodingKey)>,
    settings: JwtSettings,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("jwks_kids", &self.jwks.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Longest `sub`, `inst` or `role` accepted.
const MAX_CLAIM_BYTES: usize = 256;

fn unauth(reason: &str) -> AppError {
    AppError::Unauthenticated(reason.to_string())
}

/// Loads the RS256/ES256 keys of a JWKS file; keys of other types are refused.
fn load_jwks(path: &str) -> Result<HashMap<String, (Algorithm, DecodingKey)>, StartupError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| StartupError::Config(format!("cannot read JWKS file {path}: {e}")))?;
    let set: JwkSet = serde_json::from_str(&text)
        .map_err(|e| StartupError::Config(format!("JWKS file {path} is not a JWK set: {e}")))?;
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        let kid = jwk
            .common
            .key_id
            .clone()
            .ok_or_else(|| StartupError::Config(format!("every key in {path} needs a kid")))?;
        let alg = match &jwk.algorithm {
            jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Algorithm::RS256,
            jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
            _ => {
                return Err(StartupError::Config(format!(
                    "key {kid}: only RSA and EC keys are accepted"
                )))
            }
        };
        let key = DecodingKey::from_jwk(jwk)
            .map_err(|e| StartupError::Config(format!("key {kid} in {path} is invalid: {e}")))?;
        keys.insert(kid, (alg, key));
    }
    Ok(keys)
}

impl Verifier {
    /// Builds the verifier from configuration.
    pub fn new(settings: &JwtSettings) -> Result<Self, StartupError> {
        let hs_key = DecodingKey::from_secret(settings.secret.as_bytes())
            .map_err(|e| StartupError::Config(format!("JWT secret unusable: {e}")))?;
        let jwks = match &settings.jwks_file {
            Some(path) => load_jwks(path)?,
            None => HashMap::new(),
        };
        Ok(Verifier {
            hs_key,
            jwks,
            settings: settings.clone(),
        })
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        // The leeway covers issuers whose clocks run ahead (`nbf`); expiry
        // is checked to the second in `verify`, so a session ends exactly
        // when its token does, on every transport.
        v.leeway = self.settings.leeway_secs;
        v.validate_exp = false;
        v.validate_nbf = true;
        v.set_issuer(&[&self.settings.issuer]);
        v.set_audience(&[&self.settings.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v
    }

    /// The key for a token header: the algorithm selects the key family,
    /// so an HS256 token can never be checked against a public key.
    fn key_for(&self, alg: Algorithm, kid: Option<&str>) -> AppResult<&DecodingKey> {
        match alg {
            Algorithm::HS256 => Ok(&self.hs_key),
            Algorithm::RS256 | Algorithm::ES256 => {
                let kid =
                    kid.ok_or_else(|| unauth("token has no kid for its public-key algorithm"))?;
                let (key_alg, key) = self
                    .jwks
                    .get(kid)
                    .ok_or_else(|| unauth("unknown key id (kid)"))?;
                if *key_alg != alg {
                    return Err(unauth("token algorithm does not match its key"));
                }
                Ok(key)
            }
            _ => Err(unauth(
                "unsupported token algorithm: use HS256, RS256 or ES256",
            )),
        }
    }

    /// Verifies signature and registered claims; returns the claims.
    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        let header =
            decode_header(token).map_err(|_| unauth("malformed token or unsupported algorithm"))?;
        let key = self.key_for(header.alg, header.kid.as_deref())?;
        let claims = decode::<Claims>(token, key, &self.validation(header.alg))
            .map(|data| data.claims)
            .map_err(|e| unauth(reason(e.kind())))?;
        if claims.exp <= chrono::Utc::now().timestamp() {
            return Err(unauth("token expired"));
        }
        if [&claims.sub, &claims.inst, &claims.role]
            .iter()
            .any(|c| c.contains('\0') || c.len() > MAX_CLAIM_BYTES)
        {
            return Err(unauth("token claims hold an unacceptable value"));
        }
        Ok(claims)
    }
}

fn reason(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ExpiredSignature => "token expired",
        ErrorKind::ImmatureSignature => "token not yet valid (nbf)",
        ErrorKind::InvalidIssuer => "wrong token issuer",
        ErrorKind::InvalidAudience => "wrong token audience",
        ErrorKind::InvalidSignature => "invalid token signature",
        ErrorKind::MissingRequiredClaim(_) => {
            "token is missing a required claim (sub, inst, role, iat, exp, iss, aud)"
        }
        ErrorKind::Json(_) => {
            "token claims are missing or malformed (sub, inst, role, iat, exp, iss, aud)"
        }
        ErrorKind::InvalidAlgorithm => "token algorithm does not match its key",
        _ => "invalid token",
    }
}
