//! The vocabulary of micro-enterprise projects: where a project stands.

use async_graphql::Enum;

use super::person::StoredEnum;

/// Where a micro-enterprise project stands: `PROPOSED → APPROVED → FUNDED
/// → OPERATING`, one step at a time, and `CLOSED` from any other state.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectStatus {
    /// Proposed by IOM staff with the person.
    Proposed,
    /// Approved for a grant.
    Approved,
    /// The grant was paid out (records the funded date).
    Funded,
    /// The business is trading; follow-up continues.
    Operating,
    /// Closed or abandoned (final).
    Closed,
}

impl ProjectStatus {
    /// Whether `self → to` is an allowed (forward) move. An operating
    /// business may still close, so only `CLOSED` is final.
    pub fn may_move_to(self, to: ProjectStatus) -> bool {
        use ProjectStatus::*;
        match (self, to) {
            (Closed, _) => false,
            (_, Closed) => true,
            (Proposed, Approved) | (Approved, Funded) | (Funded, Operating) => true,
            _ => false,
        }
    }
}

impl StoredEnum for ProjectStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_move_forward_only() {
        use ProjectStatus::*;
        assert!(Proposed.may_move_to(Approved));
        assert!(Funded.may_move_to(Operating));
        assert!(Operating.may_move_to(Closed));
        assert!(Proposed.may_move_to(Closed));
        assert!(!Proposed.may_move_to(Funded));
        assert!(!Approved.may_move_to(Proposed));
        assert!(!Closed.may_move_to(Operating));
        assert!(!Closed.may_move_to(Closed));
    }
}
