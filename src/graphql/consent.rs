//! `recordConsent` and `revokeConsent`. Consents open a partner's row
//! scope; revocation and expiry close it on the very next request.

use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::access::{require_write, row_filter};
use super::migrant_mutation::visible_row;
use super::records::Consent;
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use crate::db::consents::{self, ConsentRow};
use crate::db::{self, institutions, DbConnection};
use crate::domain::institution::InstitutionKind;
use crate::domain::person::{ConsentPurpose, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::policy::{ConsentView, Slice};

/// Input of `recordConsent`.
#[derive(InputObject)]
pub struct ConsentInput {
    /// The person consenting.
    pub migrant_id: ID,
    /// Institution to share with (`MINTRAB`, `USAC`, …).
    pub institution_code: String,
    /// `EMPLOYMENT` (a labour institution) or `EDUCATION` (a university).
    pub purpose: ConsentPurpose,
    /// Optional end of the consent (in the future).
    pub expires_at: Option<DateTime<Utc>>,
}

fn required_kind(purpose: ConsentPurpose) -> InstitutionKind {
    match purpose {
        ConsentPurpose::Employment => InstitutionKind::Labour,
        ConsentPurpose::Education => InstitutionKind::University,
    }
}

fn check_institution(
    conn: &mut DbConnection,
    code: &str,
    purpose: ConsentPurpose,
) -> AppResult<()> {
    let inst = institutions::by_code(conn, code)?
        .filter(|i| i.active)
        .ok_or_else(|| {
            AppError::bad_input(
                "input.institutionCode",
                "no active institution with this code",
            )
        })?;
    if inst.kind != required_kind(purpose).as_str() {
        return Err(AppError::bad_input(
            "input.institutionCode",
            "EMPLOYMENT consents go to a labour institution, EDUCATION consents to a university",
        ));
    }
    Ok(())
}

fn no_active_duplicate(conn: &mut DbConnection, row: &ConsentRow) -> AppResult<()> {
    let existing = consents::for_migrants(
        conn,
        std::slice::from_ref(&row.migrant_id),
        &ConsentView::Own(row.institution_code.clone()),
    )?;
    if existing
        .iter()
        .any(|c| c.purpose == row.purpose && c.is_active(row.granted_at))
    {
        return Err(AppError::Conflict(
            "an active consent for this institution and purpose exists".into(),
        ));
    }
    Ok(())
}

/// Tells the university's subscribers (`studiesUpdates`) that a person
/// newly consents to it; sent after the commit, carrying ids only.
fn publish_education(ctx: &Context<'_>, row: &ConsentRow) {
    if let Ok(bus) = ctx.data::<super::events::EventBus>() {
        bus.publish(super::events::DomainEvent::EducationConsent {
            migrant_id: row.migrant_id.clone(),
            institution_code: row.institution_code.clone(),
        });
    }
}

/// Consent mutations (IOM roles that may write CONSENT).
#[derive(Default)]
pub struct ConsentMutation;

#[Object]
impl ConsentMutation {
    /// Records a person's consent to share with an institution.
    #[graphql(visible = "super::visibility::writes_consents")]
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        input: ConsentInput,
        idempotency_key: Option<String>,
    ) -> Result<Consent> {
        let rc = require_write(ctx, Slice::Consent)?;
        let now = db::now();
        let expires_at = input.expires_at.map(|t| t.naive_utc());
        if expires_at.is_some_and(|t| t <= now) {
            return Err(AppError::bad_input("input.expiresAt", "must be in the future").into());
        }
        let row = ConsentRow {
            id: db::new_id(),
            migrant_id: input.migrant_id.0.clone(),
            institution_code: input.institution_code.trim().to_ascii_uppercase(),
            purpose: input.purpose.stored().to_string(),
            granted_at: now,
            expires_at: expires_at.map(|t| chrono::SubsecRound::trunc_subsecs(t, 6)),
            revoked_at: None,
            recorded_by: rc.identity.subject.clone(),
            revoked_by: None,
            version: 1,
        };
        let (rows, purpose) = (row_filter(ctx)?, input.purpose);
        let key = idem_key(ctx, idempotency_key, "recordConsent")?;
        let draft = AuditDraft {
            action: "CONSENT_RECORD",
            entity: "Consent",
            slices: vec![Slice::Consent],
        };
        let row = audited(ctx, draft, move |c| {
            visible_row(c, &rows, &row.migrant_id)?;
            if let Some(id) = replayed(c, &key)? {
                return Ok((
                    consents::by_id(c, &id)?.ok_or(AppError::NotFound("consent"))?,
                    vec![],
                ));
            }
            check_institution(c, &row.institution_code, purpose)?;
            no_active_duplicate(c, &row)?;
            consents::insert(c, std::slice::from_ref(&row))?;
            remember(c, &key, &row.id)?;
            let id = row.migrant_id.clone();
            Ok((row, vec![id]))
        })
        .await?;
        if purpose == ConsentPurpose::Education {
            publish_education(ctx, &row);
        }
        Ok(Consent(row))
    }

    /// Revokes a consent; the partner loses the record on its next request.
    #[graphql(visible = "super::visibility::writes_consents")]
    async fn revoke_consent(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i32>,
    ) -> Result<Consent> {
        let rc = require_write(ctx, Slice::Consent)?;
        let by = rc.identity.subject.clone();
        let rows = row_filter(ctx)?;
        let draft = AuditDraft {
            action: "CONSENT_REVOKE",
            entity: "Consent",
            slices: vec![Slice::Consent],
        };
        let row = audited(ctx, draft, move |c| {
            let consent = consents::by_id(c, &id)?.ok_or(AppError::NotFound("consent"))?;
            visible_row(c, &rows, &consent.migrant_id)?;
            if expected_version.is_some_and(|v| v != consent.version) {
                return Err(AppError::Conflict(format!(
                    "stale expectedVersion: the consent is at version {}",
                    consent.version
                )));
            }
            if consents::revoke(c, &id, &by, db::now())? == 0 {
                return Err(AppError::Conflict("the consent is already revoked".into()));
            }
            let row = consents::by_id(c, &id)?.ok_or(AppError::NotFound("consent"))?;
            let mid = row.migrant_id.clone();
            Ok((row, vec![mid]))
        })
        .await?;
        Ok(Consent(row))
    }
}
