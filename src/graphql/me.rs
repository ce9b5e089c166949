//! `me`: who the caller is and which slices the policy gives them.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::caller;
use crate::domain::institution::{InstitutionKind, Role};
use crate::policy::{self, Slice};

/// The caller's institution as `me` shows it.
#[derive(SimpleObject, Clone)]
pub struct MeInstitution {
    /// Institution code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: InstitutionKind,
}

/// The verified caller and what the policy lets them do.
#[derive(SimpleObject, Clone)]
pub struct Me {
    /// The token's `sub`.
    pub subject: String,
    /// The caller's institution.
    pub institution: MeInstitution,
    /// The caller's role.
    pub role: Role,
    /// Slices of a migrant record this role may read.
    pub readable_slices: Vec<Slice>,
    /// Slices of a migrant record this role may write.
    pub writable_slices: Vec<Slice>,
}

/// Queries about the caller.
#[derive(Default)]
pub struct MeQuery;

#[Object]
impl MeQuery {
    /// The verified caller, their institution, role and slices.
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        let rc = caller(ctx)?;
        let id = &rc.identity;
        Ok(Me {
            subject: id.subject.clone(),
            institution: MeInstitution {
                code: id.institution.code.clone(),
                name: id.institution.name.clone(),
                kind: id.institution.kind,
            },
            role: id.role,
            readable_slices: policy::readable_slices(id.role),
            writable_slices: policy::writable_slices(id.role),
        })
    }
}
