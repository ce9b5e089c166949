//! Who may read and manage university programmes, whose study
//! applications a caller sees, and who may place people in programmes.
//! Programmes hold no personal data; applications are the STUDIES slice,
//! and a university sees only its own, never even that another's exist.

use super::{can_read, can_write, row_scope, Access, RowScope, Slice};
use crate::domain::institution::Role;

/// Programmes: every role that works with records reads them (partners
/// point people to studies); universities write their own
/// ([`may_edit_program`]). The auditor reads audit and statistics only.
pub fn program_access(role: Role) -> Access {
    match role {
        Role::UniversityOfficer => Access::ReadWrite,
        Role::Auditor => Access::None,
        _ => Access::Read,
    }
}

/// Whether a caller of `role` at `caller` may change a programme of the
/// university `owner`: only that university itself.
pub fn may_edit_program(role: Role, caller: &str, owner: &str) -> bool {
    program_access(role) == Access::ReadWrite && caller == owner
}

/// Which study applications a caller sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplicationView {
    /// None at all: the STUDIES slice does not exist for the role.
    Nothing,
    /// Every university's (IOM reads STUDIES over every record).
    All,
    /// Only those to programmes of this university.
    Own(String),
}

impl ApplicationView {
    /// Whether an application to a programme of `university` is visible.
    pub fn covers(&self, university: &str) -> bool {
        match self {
            ApplicationView::Nothing => false,
            ApplicationView::All => true,
            ApplicationView::Own(code) => code == university,
        }
    }

    /// The university the view is restricted to, if it is.
    pub fn only(&self) -> Option<&str> {
        match self {
            ApplicationView::Own(code) => Some(code),
            ApplicationView::All | ApplicationView::Nothing => None,
        }
    }
}

/// The applications `role` of `institution` may read: STUDIES readers
/// whose rows are every record read all; a STUDIES writer (a university)
/// reads its own programmes' applications only.
pub fn application_view(role: Role, institution: &str) -> ApplicationView {
    if !can_read(role, Slice::Studies) {
        return ApplicationView::Nothing;
    }
    match row_scope(role) {
        RowScope::All => ApplicationView::All,
        _ => ApplicationView::Own(institution.to_string()),
    }
}

/// Whether `role` of `institution` may submit and move applications to a
/// programme of `university`: STUDIES writers, for their own programmes.
pub fn may_write_applications(role: Role, institution: &str, university: &str) -> bool {
    can_write(role, Slice::Studies) && institution == university
}

/// Which programmes a role may rank people for (`programMatches`,
/// `migrantProgramMatches`). Placement reads SKILLS and concerns STUDIES,
/// so it needs both: IOM staff place people in any programme, a
/// university in its own; everyone else never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// No placement.
    Never,
    /// Any active programme.
    AnyProgram,
    /// Only the caller's university's programmes.
    OwnPrograms,
}

/// The placement right of each role.
pub fn placement(role: Role) -> Placement {
    if !can_read(role, Slice::Skills) || !can_read(role, Slice::Studies) {
        return Placement::Never;
    }
    if can_write(role, Slice::Studies) {
        Placement::OwnPrograms
    } else {
        Placement::AnyProgram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_follow_the_policy() {
        assert_eq!(program_access(Role::ForeignAffairsOfficer), Access::Read);
        assert_eq!(program_access(Role::Auditor), Access::None);
        assert!(may_edit_program(Role::UniversityOfficer, "USAC", "USAC"));
        assert!(!may_edit_program(Role::UniversityOfficer, "USAC", "URL"));
        assert!(!may_edit_program(Role::IomAdmin, "IOM", "IOM"));
        assert_eq!(
            application_view(Role::IomCaseworker, "IOM"),
            ApplicationView::All
        );
        assert_eq!(
            application_view(Role::UniversityOfficer, "UVG"),
            ApplicationView::Own("UVG".into())
        );
        assert_eq!(
            application_view(Role::LabourOfficer, "MINTRAB"),
            ApplicationView::Nothing
        );
        assert_eq!(
            application_view(Role::IomReception, "IOM"),
            ApplicationView::Nothing
        );
        assert!(may_write_applications(
            Role::UniversityOfficer,
            "URL",
            "URL"
        ));
        assert!(!may_write_applications(
            Role::UniversityOfficer,
            "URL",
            "UVG"
        ));
        assert!(!may_write_applications(Role::IomAdmin, "IOM", "URL"));
        assert_eq!(placement(Role::IomAdmin), Placement::AnyProgram);
        assert_eq!(placement(Role::UniversityOfficer), Placement::OwnPrograms);
        assert_eq!(placement(Role::LabourOfficer), Placement::Never);
        assert_eq!(placement(Role::IomReception), Placement::Never);
    }
}
