//! Who may read and manage employers, job vacancies and training courses.
//! None of them holds personal data about migrants, so these are per-role
//! grants with no row scope; the conditions (who may edit which vacancy,
//! who may rank people for a course) are here too.

use super::Access;
use crate::domain::institution::Role;

/// Employers: MINTRAB manages them; IOM staff and universities read them
/// (to see who is hiring). MINEX and the auditor have no use for them.
pub fn employer_access(role: Role) -> Access {
    match role {
        Role::LabourOfficer => Access::ReadWrite,
        Role::IomAdmin | Role::IomCaseworker | Role::IomReception | Role::UniversityOfficer => {
            Access::Read
        }
        Role::ForeignAffairsOfficer | Role::Auditor => Access::None,
    }
}

/// How a role posts vacancies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VacancyPosting {
    /// Posts nothing.
    Never,
    /// Posts for an employer on the register (MINTRAB).
    ForEmployers,
    /// Posts its own institution's positions only, with no employer: the
    /// institution itself is the employer (universities).
    OwnPositions,
}

/// Vacancies: MINTRAB and universities post them (see [`vacancy_posting`]),
/// IOM staff read them; MINEX and the auditor do not see them.
pub fn vacancy_access(role: Role) -> Access {
    match vacancy_posting(role) {
        VacancyPosting::ForEmployers | VacancyPosting::OwnPositions => Access::ReadWrite,
        VacancyPosting::Never if role.is_iom_staff() => Access::Read,
        VacancyPosting::Never => Access::None,
    }
}

/// The posting right of each role.
pub fn vacancy_posting(role: Role) -> VacancyPosting {
    match role {
        Role::LabourOfficer => VacancyPosting::ForEmployers,
        Role::UniversityOfficer => VacancyPosting::OwnPositions,
        _ => VacancyPosting::Never,
    }
}

/// Whether a caller of `role` at institution `caller` may edit or close a
/// vacancy posted by institution `posted_by`: only the posting institution
/// edits its vacancies (MINTRAB any of MINTRAB's, a university its own).
pub fn may_edit_vacancy(role: Role, caller: &str, posted_by: &str) -> bool {
    vacancy_posting(role) != VacancyPosting::Never && caller == posted_by
}

/// Which vacancies a role may match people against (`vacancyMatches`,
/// `migrantMatches`). Matching reads SKILLS and vacancies, so it needs
/// both: MINTRAB and IOM staff match any open vacancy; a university only
/// the vacancies it posted; MINEX and the auditor never. The people
/// matched are always the caller's own rows (`db::scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    /// No matching.
    Never,
    /// Any open vacancy.
    AnyVacancy,
    /// Only vacancies posted by the caller's institution.
    OwnVacancies,
}

/// The matching right of each role.
pub fn matching(role: Role) -> Matching {
    if !super::can_read(role, super::Slice::Skills) || vacancy_access(role) == Access::None {
        return Matching::Never;
    }
    match vacancy_posting(role) {
        VacancyPosting::OwnPositions => Matching::OwnVacancies,
        VacancyPosting::ForEmployers | VacancyPosting::Never => Matching::AnyVacancy,
    }
}

/// Training courses: MINTRAB runs them (with providers such as INTECAP).
/// A course holds no personal data, so IOM staff (who advise returnees)
/// and universities (who support returnees' studies and can point people
/// to a course) read them, like employers. MINEX and the auditor do not.
pub fn course_access(role: Role) -> Access {
    match role {
        Role::LabourOfficer => Access::ReadWrite,
        Role::IomAdmin | Role::IomCaseworker | Role::IomReception | Role::UniversityOfficer => {
            Access::Read
        }
        Role::ForeignAffairsOfficer | Role::Auditor => Access::None,
    }
}

/// Who may rank people for a course (`courseMatches`): a score reads
/// SKILLS, and leaving out the people already enrolled discloses
/// EMPLOYMENT, so the role must read both, and read courses: MINTRAB and
/// IOM administrators and caseworkers. The people are always the caller's
/// own rows (`db::scope`).
pub fn may_match_courses(role: Role) -> bool {
    super::can_read(role, super::Slice::Skills)
        && super::can_read(role, super::Slice::Employment)
        && course_access(role) != Access::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_follow_the_policy() {
        assert_eq!(employer_access(Role::LabourOfficer), Access::ReadWrite);
        assert_eq!(employer_access(Role::UniversityOfficer), Access::Read);
        assert_eq!(employer_access(Role::ForeignAffairsOfficer), Access::None);
        assert_eq!(vacancy_access(Role::IomCaseworker), Access::Read);
        assert_eq!(vacancy_access(Role::Auditor), Access::None);
        assert_eq!(vacancy_access(Role::UniversityOfficer), Access::ReadWrite);
        assert!(may_edit_vacancy(Role::LabourOfficer, "MINTRAB", "MINTRAB"));
        assert!(!may_edit_vacancy(
            Role::UniversityOfficer,
            "USAC",
            "MINTRAB"
        ));
        assert!(!may_edit_vacancy(Role::UniversityOfficer, "USAC", "URL"));
        assert!(!may_edit_vacancy(Role::IomAdmin, "IOM", "IOM"));
        assert_eq!(matching(Role::LabourOfficer), Matching::AnyVacancy);
        assert_eq!(matching(Role::IomCaseworker), Matching::AnyVacancy);
        assert_eq!(matching(Role::UniversityOfficer), Matching::OwnVacancies);
        assert_eq!(matching(Role::ForeignAffairsOfficer), Matching::Never);
        assert_eq!(matching(Role::Auditor), Matching::Never);
        assert_eq!(course_access(Role::LabourOfficer), Access::ReadWrite);
        assert_eq!(course_access(Role::UniversityOfficer), Access::Read);
        assert_eq!(course_access(Role::ForeignAffairsOfficer), Access::None);
        assert!(may_match_courses(Role::LabourOfficer));
        assert!(may_match_courses(Role::IomCaseworker));
        assert!(!may_match_courses(Role::IomReception));
        assert!(!may_match_courses(Role::UniversityOfficer));
    }
}
