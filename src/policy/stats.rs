//! Statistics: whose records each role's figures count, and who reads
//! them with small cells hidden. Part of the one access policy.

use super::rows::{row_scope, RowFilter, RowScope};
use crate::domain::institution::Role;

/// The rows a role's statistics count: its own row scope (stretched over
/// the period by `db::scope::followed`), except that the auditor, who
/// opens no record, reads the programme-wide figures.
pub fn stats_rows(role: Role) -> RowScope {
    match row_scope(role) {
        RowScope::Nothing => RowScope::All,
        scope => scope,
    }
}

/// Small cells are hidden for every role outside IOM (the auditor too).
pub fn stats_suppressed(role: Role) -> bool {
    row_scope(role) != RowScope::All
}

/// Every role may read statistics (`stats`).
pub fn can_read_stats(_role: Role) -> bool {
    true
}

/// The statistics form of a caller's row filter.
pub fn stats_filter(mut rows: RowFilter, role: Role) -> RowFilter {
    rows.scope = stats_rows(role);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iom_alone_reads_unsuppressed_and_the_auditor_reads_everything_suppressed() {
        for role in Role::all() {
            let iom = matches!(
                role,
                Role::IomAdmin | Role::IomCaseworker | Role::IomReception
            );
            assert_eq!(stats_suppressed(role), !iom, "{role:?}");
        }
        assert_eq!(stats_rows(Role::Auditor), RowScope::All);
        assert_eq!(stats_rows(Role::LabourOfficer), RowScope::EmploymentConsent);
    }
}
