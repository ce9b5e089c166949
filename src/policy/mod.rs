//! The access policy of DESIGN §2, as data in one place.
//!
//! Every resolver, list, count and mutation asks this module what the caller
//! may read or write; nothing else in the code decides access.

use async_graphql::Enum;
use chrono::NaiveDateTime;

use crate::domain::institution::Role;

/// A slice of a migrant record.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Slice {
    /// Names, birth date, sex.
    Identity,
    /// CUI / passport number.
    Documents,
    /// Phone, address, a relative's contact.
    Contact,
    /// Home municipality (and so department).
    Origin,
    /// Arrivals: flight, date, US state, time in the US.
    Return,
    /// Medical needs and notes.
    Health,
    /// Services given at arrival.
    Assistance,
    /// Education, occupations, experience, languages, certifications.
    Skills,
    /// Job referrals, placements, training enrolments.
    Employment,
    /// Micro-enterprise projects.
    Enterprise,
    /// University applications and admissions.
    Studies,
    /// Vulnerability flags, do-not-share.
    Protection,
    /// Consents to share.
    Consent,
}

impl Slice {
    /// Every slice, in contract order.
    pub const ALL: [Slice; 13] = [
        Slice::Identity,
        Slice::Documents,
        Slice::Contact,
        Slice::Origin,
        Slice::Return,
        Slice::Health,
        Slice::Assistance,
        Slice::Skills,
        Slice::Employment,
        Slice::Enterprise,
        Slice::Studies,
        Slice::Protection,
        Slice::Consent,
    ];
}

/// What a role may do with a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Nothing: the slice does not exist for the role.
    None,
    /// Read only.
    Read,
    /// Read and write.
    ReadWrite,
}

use Access::{None as N, Read as R, ReadWrite as RW};

/// The matrix of DESIGN §2, columns in the order of [`Slice::ALL`].
/// Some cells carry a further condition, applied where the data is:
/// reception and MINEX write only their own assistance kinds
///, partners read only their own consents,
/// universities write only their own applications.
#[rustfmt::skip]
const MATRIX: [(Role, [Access; 13]); 7] = [
    //                                IDN DOC CON ORI RET HEA ASS SKI EMP ENT STU PRO CNS
    (Role::IomAdmin,              [RW, RW, RW, RW, RW, RW, RW, RW, R,  RW, R,  RW, RW]),
    (Role::IomCaseworker,         [RW, RW, RW, RW, RW, RW, RW, RW, R,  RW, R,  RW, RW]),
    (Role::IomReception,          [RW, RW, RW, RW, RW, N,  RW, RW, N,  N,  N,  N,  RW]),
    (Role::ForeignAffairsOfficer, [R,  R,  R,  R,  R,  RW, RW, N,  N,  N,  N,  N,  R ]),
    (Role::LabourOfficer,         [R,  N,  R,  R,  N,  N,  N,  RW, RW, R,  N,  N,  R ]),
    (Role::UniversityOfficer,     [R,  N,  R,  R,  N,  N,  N,  R,  N,  N,  RW, N,  R ]),
    (Role::Auditor,               [N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N ]),
];

/// What `role` may do with `slice`.
pub fn access(role: Role, slice: Slice) -> Access {
    let column = Slice::ALL.iter().position(|s| *s == slice).unwrap_or(0);
    MATRIX
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, row)| row[column])
        .unwrap_or(Access::None)
}

/// True when `role` may read `slice`.
pub fn can_read(role: Role, slice: Slice) -> bool {
    access(role, slice) != Access::None
}

/// True when `role` may write `slice`.
pub fn can_write(role: Role, slice: Slice) -> bool {
    access(role, slice) == Access::ReadWrite
}

/// The slices `role` may read, in contract order.
pub fn readable_slices(role: Role) -> Vec<Slice> {
    Slice::ALL
        .into_iter()
        .filter(|s| can_read(role, *s))
        .collect()
}

/// The slices `role` may write, in contract order.
pub fn writable_slices(role: Role) -> Vec<Slice> {
    Slice::ALL
        .into_iter()
        .filter(|s| can_write(role, *s))
        .collect()
}

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

/// Services recorded at arrival (DESIGN §3, Assistance).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AssistanceKind {
    /// Met and registered at the reception centre (IOM).
    Reception,
    /// Food ration (MINEX).
    FoodRation,
    /// Medical aid (MINEX).
    MedicalAid,
    /// Free phone call to relatives (MINEX).
    PhoneCall,
    /// Transport home, to a destination municipality (IOM).
    Transport,
}

/// Which assistance kinds a role records: the ASSISTANCE cell's condition.
pub fn assistance_kinds_writable(role: Role) -> &'static [AssistanceKind] {
    use AssistanceKind::*;
    match role {
        Role::IomAdmin | Role::IomCaseworker => {
            &[Reception, FoodRation, MedicalAid, PhoneCall, Transport]
        }
        Role::IomReception => &[Reception, Transport],
        Role::ForeignAffairsOfficer => &[FoodRation, MedicalAid, PhoneCall],
        _ => &[],
    }
}

/// Flights are planning data: IOM staff manage them, MINEX reads them.
pub fn flight_access(role: Role) -> Access {
    match role {
        Role::IomAdmin | Role::IomCaseworker | Role::IomReception => Access::ReadWrite,
        Role::ForeignAffairsOfficer => Access::Read,
        _ => Access::None,
    }
}

/// Who may manage institutions, read the audit log, and read unsuppressed statistics.
pub fn can_manage_institutions(role: Role) -> bool {
    role == Role::IomAdmin
}

/// Who may read the audit log.
pub fn can_read_audit(role: Role) -> bool {
    matches!(role, Role::IomAdmin | Role::Auditor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_row_in_the_matrix() {
        for role in Role::all() {
            assert!(MATRIX.iter().any(|(r, _)| *r == role), "{role:?}");
        }
    }

    #[test]
    fn spot_checks_against_design() {
        assert_eq!(access(Role::LabourOfficer, Slice::Documents), Access::None);
        assert_eq!(
            access(Role::ForeignAffairsOfficer, Slice::Health),
            Access::ReadWrite
        );
        assert_eq!(access(Role::IomAdmin, Slice::Employment), Access::Read);
        assert_eq!(
            access(Role::UniversityOfficer, Slice::Studies),
            Access::ReadWrite
        );
        assert!(readable_slices(Role::Auditor).is_empty());
    }
}
