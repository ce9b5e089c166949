//! Who is calling: JWT verification and the resolved caller identity.

pub mod jwt;
pub mod token;

use diesel::prelude::*;

use crate::db::{self, schema::institutions, DbPool};
use crate::domain::institution::{InstitutionKind, Role};
use crate::error::{AppError, AppResult};
pub use jwt::Verifier;

/// The institution a caller belongs to, as loaded for the request.
#[derive(Clone, Debug)]
pub struct CallerInstitution {
    /// Opaque id.
    pub id: String,
    /// Institution code (`IOM`, `MINTRAB`, `USAC`, …).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind of institution.
    pub kind: InstitutionKind,
}

/// A verified caller: valid token, active institution, role of its kind.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The `sub` claim.
    pub subject: String,
    /// The caller's institution.
    pub institution: CallerInstitution,
    /// The caller's role.
    pub role: Role,
    /// Token expiry (Unix seconds): long-lived subscriptions end with it.
    pub expires_at: i64,
}

/// Extracts the bearer token from an `Authorization` header value.
pub fn bearer(header: Option<&str>) -> AppResult<&str> {
    let value = header.ok_or_else(|| {
        AppError::Unauthenticated("missing Authorization header: send 'Bearer <token>'".into())
    })?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::Unauthenticated("Authorization header must be 'Bearer <token>'".into())
        })?;
    Ok(token)
}

/// Verifies a token and resolves the caller against the institutions table.
pub async fn authenticate(pool: &DbPool, verifier: &Verifier, token: &str) -> AppResult<Identity> {
    let claims = verifier.verify(token)?;
    let role = Role::parse(&claims.role)
        .ok_or_else(|| AppError::Unauthenticated("unknown role".into()))?;
    let code = claims.inst.clone();
    let row = db::run(pool, move |conn| {
        institutions::table
            .filter(institutions::code.eq(code))
            .select((
                institutions::id,
                institutions::code,
                institutions::name,
                institutions::kind,
                institutions::active,
            ))
            .first::<(String, String, String, String, bool)>(conn)
            .optional()
            .map_err(AppError::from)
    })
    .await?;
    let (id, code, name, kind, _active) = row
        .filter(|r| r.4)
        .ok_or_else(|| AppError::Unauthenticated("unknown or inactive institution".into()))?;
    let kind = InstitutionKind::parse(&kind)
        .ok_or_else(|| AppError::Internal(format!("institution {code} has unknown kind")))?;
    if role.kind() != kind {
        return Err(AppError::Unauthenticated(
            "role does not belong to the institution's kind".into(),
        ));
    }
    Ok(Identity {
        subject: claims.sub,
        expires_at: claims.exp,
        institution: CallerInstitution {
            id,
            code,
            name,
            kind,
        },
        role,
    })
}
