//! The labour market vocabulary: employers' sectors, vacancy status,
//! language codes.

use async_graphql::Enum;

use super::person::StoredEnum;

/// Which sector an employer belongs to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmployerSector {
    /// State bodies, municipalities, public universities.
    Public,
    /// Companies, cooperatives, private universities.
    Private,
}

/// Where a vacancy stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VacancyStatus {
    /// Taking candidates.
    Open,
    /// Every opening filled.
    Filled,
    /// Withdrawn or expired without filling.
    Closed,
}

/// Where a job referral stands. Moves go forward only: `PROPOSED →
/// REFERRED → INTERVIEWED → HIRED`, and `REJECTED` or `WITHDRAWN` from any
/// state that is not final.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferralStatus {
    /// Suggested by MINTRAB, not yet sent to the employer.
    Proposed,
    /// Sent to the employer.
    Referred,
    /// Interviewed by the employer.
    Interviewed,
    /// Hired: took one of the vacancy's openings (final).
    Hired,
    /// Turned down (final).
    Rejected,
    /// Withdrawn by the person or MINTRAB (final).
    Withdrawn,
}

impl ReferralStatus {
    /// Whether no move leaves this state.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ReferralStatus::Hired | ReferralStatus::Rejected | ReferralStatus::Withdrawn
        )
    }

    /// Whether `self → to` is an allowed (forward) move.
    pub fn may_move_to(self, to: ReferralStatus) -> bool {
        use ReferralStatus::*;
        if self.is_final() {
            return false;
        }
        matches!(
            (self, to),
            (Proposed, Referred) | (Referred, Interviewed) | (Interviewed, Hired)
        ) || matches!(to, Rejected | Withdrawn)
    }
}

impl StoredEnum for ReferralStatus {}
impl StoredEnum for EmployerSector {}
impl StoredEnum for VacancyStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referrals_move_forward_only() {
        use ReferralStatus::*;
        assert!(Proposed.may_move_to(Referred));
        assert!(Interviewed.may_move_to(Hired));
        assert!(Proposed.may_move_to(Withdrawn));
        assert!(!Referred.may_move_to(Proposed));
        assert!(!Proposed.may_move_to(Hired));
        assert!(!Hired.may_move_to(Rejected));
        assert!(!Rejected.may_move_to(Withdrawn));
    }

    #[test]
    fn stored_enums() {
        assert_eq!(VacancyStatus::Open.stored(), "OPEN");
        assert_eq!(
            EmployerSector::from_stored("PRIVATE"),
            Some(EmployerSector::Private)
        );
    }
}
