//! The access policy (docs/access-policy.md), as data in one place.
//!
//! Every resolver, list, count and mutation asks this module what the caller
//! may read or write; nothing else in the code decides access.

use crate::domain::institution::Role;
use async_graphql::Enum;

mod labour;
mod rows;
mod stats;
mod studies;
pub use labour::{
    course_access, employer_access, matching, may_edit_vacancy, may_match_courses, vacancy_access,
    vacancy_posting, Matching, VacancyPosting,
};
pub use rows::{
    all_rows, consent_is_active, consent_view, row_scope, AllRows, ConsentView, RowFilter, RowScope,
};
pub use stats::{can_read_stats, stats_filter, stats_rows, stats_suppressed};
pub use studies::{
    application_view, may_edit_program, may_write_applications, placement, program_access,
    ApplicationView, Placement,
};

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

impl Slice {
    /// The slice's column in the matrix. An exhaustive match: a new slice
    /// does not compile until it has a column, and no lookup can fall back
    /// to some other slice's cell.
    const fn column(self) -> usize {
        match self {
            Slice::Identity => 0,
            Slice::Documents => 1,
            Slice::Contact => 2,
            Slice::Origin => 3,
            Slice::Return => 4,
            Slice::Health => 5,
            Slice::Assistance => 6,
            Slice::Skills => 7,
            Slice::Employment => 8,
            Slice::Enterprise => 9,
            Slice::Studies => 10,
            Slice::Protection => 11,
            Slice::Consent => 12,
        }
    }
}

/// The matrix of docs/access-policy.md: one row per role (an exhaustive match, so a new
/// role does not compile without its row), columns in the order of
/// [`Slice::ALL`]. Some cells carry a further condition, applied where the
/// data is: reception and MINEX write only their own assistance kinds
/// ([`assistance_kinds_writable`]), partners read only their own consents
/// ([`consent_view`]), universities write only their own applications.
#[rustfmt::skip]
const fn matrix_row(role: Role) -> [Access; 13] {
    match role {
        //                               IDN DOC CON ORI RET HEA ASS SKI EMP ENT STU PRO CNS
        Role::IomAdmin              => [RW, RW, RW, RW, RW, RW, RW, RW, R,  RW, R,  RW, RW],
        Role::IomCaseworker         => [RW, RW, RW, RW, RW, RW, RW, RW, R,  RW, R,  RW, RW],
        Role::IomReception          => [RW, RW, RW, RW, RW, N,  RW, RW, N,  N,  N,  N,  RW],
        Role::ForeignAffairsOfficer => [R,  R,  R,  R,  R,  RW, RW, N,  N,  N,  N,  N,  R ],
        Role::LabourOfficer         => [R,  N,  R,  R,  N,  N,  N,  RW, RW, R,  N,  N,  R ],
        Role::UniversityOfficer     => [R,  N,  R,  R,  N,  N,  N,  R,  N,  N,  RW, N,  R ],
        Role::Auditor               => [N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N ],
    }
}

/// What `role` may do with `slice`.
pub const fn access(role: Role, slice: Slice) -> Access {
    matrix_row(role)[slice.column()]
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

/// Services recorded at arrival, each by whom and when.
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

/// Who may open one record outside their rows in an emergency (break the
/// glass): the people who meet returnees in person. The grant changes rows,
/// never slices, and never opens a do-not-share record to a non-IOM role.
pub fn can_open_emergency_access(role: Role) -> bool {
    matches!(role, Role::ForeignAffairsOfficer | Role::IomReception)
}

/// Who answers data-subject requests (export, erasure): IOM administrators.
pub fn can_act_for_data_subject(role: Role) -> bool {
    role == Role::IomAdmin
}

/// Who reviews emergency accesses (`emergencyAccesses`).
pub fn can_review_emergency_access(role: Role) -> bool {
    can_read_audit(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_contract_order() {
        for (i, slice) in Slice::ALL.iter().enumerate() {
            assert_eq!(slice.column(), i, "{slice:?}");
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
