//! Nested parts of a migrant record as GraphQL types.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::institutions::Institution;
use crate::db::arrivals::ArrivalRow;
use crate::db::consents::ConsentRow;
use crate::db::migrants::MigrantRow;
use crate::db::now;
use crate::domain::person::{ArrivalStatus, ConsentPurpose, StoredEnum};
use crate::error::{AppError, AppResult};

/// One return to Guatemala.
pub struct Arrival(pub ArrivalRow);

#[Object]
impl Arrival {
    /// Opaque id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// When the person arrived (UTC).
    async fn arrived_at(&self) -> DateTime<Utc> {
        self.0.arrived_at.and_utc()
    }
    /// Charter flight code.
    async fn flight_code(&self) -> Option<&str> {
        self.0.flight_code.as_deref()
    }
    /// US state the person was deported from (two-letter code).
    async fn us_state(&self) -> Option<&str> {
        self.0.us_state.as_deref()
    }
    /// Time spent in the United States, in months.
    async fn months_in_us(&self) -> Option<i32> {
        self.0.months_in_us
    }
    /// `EXPECTED` (on a manifest) or `ARRIVED` (received).
    async fn status(&self) -> AppResult<ArrivalStatus> {
        ArrivalStatus::from_stored(&self.0.status)
            .ok_or_else(|| AppError::Internal("unknown stored arrival status".into()))
    }
    /// The charter flight, if any.
    async fn flight_id(&self) -> Option<ID> {
        self.0.flight_id.clone().map(ID)
    }
}

/// A consent to share with one institution for one purpose.
pub struct Consent(pub ConsentRow);

#[Object]
impl Consent {
    /// Opaque id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// The institution the person consents to share with.
    async fn institution(&self, ctx: &Context<'_>) -> Result<Institution> {
        let code = self.0.institution_code.clone();
        let row = super::loaders::of(ctx)?.institutions.load_one(code).await?;
        Ok(Institution::try_from(
            row.ok_or(AppError::NotFound("institution"))?,
        )?)
    }
    /// What the sharing is for.
    async fn purpose(&self) -> Option<ConsentPurpose> {
        ConsentPurpose::from_stored(&self.0.purpose)
    }
    /// When consent was given.
    async fn granted_at(&self) -> DateTime<Utc> {
        self.0.granted_at.and_utc()
    }
    /// When it lapses, if ever.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at.map(|t| t.and_utc())
    }
    /// When it was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at.map(|t| t.and_utc())
    }
    /// Neither revoked nor expired now.
    async fn active(&self) -> bool {
        self.0.is_active(now())
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Medical needs (HEALTH).
#[derive(SimpleObject)]
pub struct Health {
    /// Needs medical attention on arrival.
    pub needs_medical_attention: bool,
    /// Known conditions.
    pub medical_conditions: Option<String>,
    /// Free-text notes.
    pub notes: Option<String>,
}

impl From<&MigrantRow> for Health {
    fn from(r: &MigrantRow) -> Self {
        Health {
            needs_medical_attention: r.needs_medical_attention,
            medical_conditions: r.medical_conditions.clone(),
            notes: r.health_notes.clone(),
        }
    }
}

/// Vulnerability flags (PROTECTION).
#[derive(SimpleObject)]
pub struct Protection {
    /// Unaccompanied minor.
    pub unaccompanied_minor: bool,
    /// Separated from family by the deportation.
    pub family_separation: bool,
    /// Has international-protection needs.
    pub protection_needs: bool,
    /// Hide the record from every partner, whatever the consents.
    pub do_not_share: bool,
    /// Notes.
    pub notes: Option<String>,
}

impl From<&MigrantRow> for Protection {
    fn from(r: &MigrantRow) -> Self {
        Protection {
            unaccompanied_minor: r.unaccompanied_minor,
            family_separation: r.family_separation,
            protection_needs: r.protection_needs,
            do_not_share: r.do_not_share,
            notes: r.protection_notes.clone(),
        }
    }
}
