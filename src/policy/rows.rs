//! Which records (rows) a caller sees, and the conditions attached to the
//! CONSENT slice. Part of the one access policy: nothing outside
//! `policy` decides row visibility.

use chrono::NaiveDateTime;

use crate::domain::institution::Role;
use crate::error::AppError;

/// Which records (rows) a role sees at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowScope {
    /// Every record.
    All,
    /// Records whose latest arrival is inside the MINEX assistance window,
    /// and not flagged do-not-share.
    RecentArrivals,
    /// Records with an active `EMPLOYMENT` consent to the caller's
    /// institution, and not flagged do-not-share.
    EmploymentConsent,
    /// Records with an active `EDUCATION` consent to the caller's own
    /// university, and not flagged do-not-share.
    EducationConsent,
    /// No records.
    Nothing,
}

impl RowScope {
    /// The consent purpose a consent scope requires, if it is one.
    pub fn consent_purpose(self) -> Option<&'static str> {
        match self {
            RowScope::EmploymentConsent => Some("EMPLOYMENT"),
            RowScope::EducationConsent => Some("EDUCATION"),
            RowScope::All | RowScope::RecentArrivals | RowScope::Nothing => None,
        }
    }
}

/// The row scope of a role.
pub fn row_scope(role: Role) -> RowScope {
    match role {
        Role::IomAdmin | Role::IomCaseworker | Role::IomReception => RowScope::All,
        Role::ForeignAffairsOfficer => RowScope::RecentArrivals,
        Role::LabourOfficer => RowScope::EmploymentConsent,
        Role::UniversityOfficer => RowScope::EducationConsent,
        Role::Auditor => RowScope::Nothing,
    }
}

/// A caller's row scope with everything needed to apply it.
#[derive(Clone, Debug)]
pub struct RowFilter {
    /// Which rule applies.
    pub scope: RowScope,
    /// The caller's institution (for consent scopes).
    pub institution_code: String,
    /// The request's notion of "now" (consents expire against it).
    pub now: NaiveDateTime,
    /// Earliest arrival MINEX may still see.
    pub minex_cutoff: NaiveDateTime,
}

impl RowFilter {
    /// The filter for a caller at `now`.
    pub fn for_caller(
        role: Role,
        institution_code: &str,
        now: NaiveDateTime,
        minex_window_days: i64,
    ) -> Self {
        RowFilter {
            scope: row_scope(role),
            institution_code: institution_code.to_string(),
            now,
            minex_cutoff: now - chrono::Duration::days(minex_window_days),
        }
    }
}

/// Proof that the caller sees every row: the only way to call the unscoped
/// lookups that reception and manifest import need (finding a returning
/// person among all records). Only [`all_rows`] builds one.
#[derive(Clone, Copy, Debug)]
pub struct AllRows(());

/// The capability to look across every record, for roles whose row scope
/// is [`RowScope::All`]; any other role is refused.
pub fn all_rows(role: Role) -> Result<AllRows, AppError> {
    match row_scope(role) {
        RowScope::All => Ok(AllRows(())),
        _ => Err(AppError::Forbidden(
            "your role may not look across every record".into(),
        )),
    }
}

/// Which consents of a visible record a caller may read (the CONSENT cell's
/// condition: partners read only their own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsentView {
    /// Every institution's consents.
    All,
    /// Only consents given to this institution.
    Own(String),
}

/// The consents `role` of `institution_code` may read.
pub fn consent_view(role: Role, institution_code: &str) -> ConsentView {
    match row_scope(role) {
        RowScope::All => ConsentView::All,
        _ => ConsentView::Own(institution_code.to_string()),
    }
}

/// The one definition of an active consent: not revoked, and not expired
/// at `now`. The SQL form (`db::consents::active_at`) translates exactly this.
pub fn consent_is_active(
    revoked_at: Option<NaiveDateTime>,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    revoked_at.is_none() && expires_at.is_none_or(|e| e > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_roles_that_see_every_row_get_the_capability() {
        for role in Role::all() {
            assert_eq!(
                all_rows(role).is_ok(),
                row_scope(role) == RowScope::All,
                "{role:?}"
            );
        }
    }

    #[test]
    fn partners_see_only_their_own_consents() {
        assert_eq!(consent_view(Role::IomReception, "IOM"), ConsentView::All);
        assert_eq!(
            consent_view(Role::UniversityOfficer, "USAC"),
            ConsentView::Own("USAC".into())
        );
    }

    #[test]
    fn a_consent_is_active_until_revoked_or_expired() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let hour = chrono::Duration::hours(1);
        assert!(consent_is_active(None, None, now));
        assert!(consent_is_active(None, Some(now + hour), now));
        assert!(!consent_is_active(None, Some(now), now));
        assert!(!consent_is_active(Some(now - hour), None, now));
    }
}
