//! Which parts of the schema `export-schema --role` shows, decided from the
//! policy in one place.
//!
//! Gated fields carry `#[graphql(visible = "…")]` naming a function from
//! here (or the slice functions of [`super::access`], which call [`sees`]).
//! An export run puts an [`ExportView`] into the request data; any other
//! request is judged for its caller, so a role's live introspection and its
//! export are the same schema.

use async_graphql::Context;

use super::caller;
use crate::domain::institution::Role;
use crate::policy::{self, Access, RowScope, Slice};

/// Request data of an export run: whose schema to print (`None`: the full
/// contract). Set only by [`super::sdl::export`], never from a request.
#[derive(Clone, Copy, Debug)]
pub struct ExportView(pub Option<Role>);

fn export_view(ctx: &Context<'_>) -> Option<ExportView> {
    ctx.data_opt::<ExportView>().copied()
}

/// Whether a field of `slice` shows: in an export, for the exported role;
/// otherwise, for the caller (the documented per-caller introspection of
/// `Migrant`).
pub fn sees(ctx: &Context<'_>, slice: Slice) -> bool {
    match export_view(ctx) {
        Some(ExportView(role)) => role.is_none_or(|r| policy::can_read(r, slice)),
        None => caller(ctx).is_ok_and(|rc| policy::can_read(rc.identity.role, slice)),
    }
}

/// Whether an operation shows: in an export, for the exported role (all
/// of them for the full contract); otherwise, for the caller — so what a
/// role introspects is exactly its `export-schema --role`. Hidden is not
/// refused: asked for anyway, an operation answers `FORBIDDEN` as before.
fn shown(ctx: &Context<'_>, may: fn(Role) -> bool) -> bool {
    match export_view(ctx) {
        Some(ExportView(Some(role))) => may(role),
        Some(ExportView(None)) => true,
        None => caller(ctx).map_or(true, |rc| may(rc.identity.role)),
    }
}

/// The slices `MigrantSections` can write (`MigrantSections::slices`).
pub const SECTION_SLICES: [Slice; 7] = [
    Slice::Identity,
    Slice::Documents,
    Slice::Contact,
    Slice::Origin,
    Slice::Skills,
    Slice::Health,
    Slice::Protection,
];

/// The slices `importManifest` writes (checked in `manifest.rs`).
pub const MANIFEST_SLICES: [Slice; 4] = [
    Slice::Identity,
    Slice::Documents,
    Slice::Origin,
    Slice::Return,
];

/// The gates of the role-dependent operations, each the same policy
/// question its resolver asks before doing anything.
pub mod gate {
    use super::*;

    fn writes(role: Role, slices: &[Slice]) -> bool {
        slices.iter().all(|s| policy::can_write(role, *s))
    }

    fn sees_every_row(role: Role) -> bool {
        policy::all_rows(role).is_ok()
    }

    /// `registerMigrant`: IDENTITY is required, and a replay needs every row.
    pub fn register_migrant(role: Role) -> bool {
        writes(role, &[Slice::Identity]) && sees_every_row(role)
    }

    /// `updateMigrant`: at least one writable section.
    pub fn update_migrant(role: Role) -> bool {
        SECTION_SLICES.iter().any(|s| policy::can_write(role, *s))
    }

    /// `recordEducation`, `updateEducation`, `removeEducation`.
    pub fn write_skills(role: Role) -> bool {
        writes(role, &[Slice::Skills])
    }

    /// `recordArrival`.
    pub fn record_arrival(role: Role) -> bool {
        writes(role, &[Slice::Return])
    }

    /// `recordConsent`, `revokeConsent`.
    pub fn write_consents(role: Role) -> bool {
        writes(role, &[Slice::Consent])
    }

    /// `recordAssistance`: ASSISTANCE, and at least one kind of it.
    pub fn record_assistance(role: Role) -> bool {
        writes(role, &[Slice::Assistance]) && !policy::assistance_kinds_writable(role).is_empty()
    }

    /// `registerArrival`: the person's IDENTITY, RETURN, ASSISTANCE, every row.
    pub fn register_arrival(role: Role) -> bool {
        writes(role, &[Slice::Identity, Slice::Return, Slice::Assistance]) && sees_every_row(role)
    }

    /// `markArrived`.
    pub fn mark_arrived(role: Role) -> bool {
        writes(role, &[Slice::Return, Slice::Assistance])
    }

    /// `importManifest`.
    pub fn import_manifest(role: Role) -> bool {
        writes(role, &MANIFEST_SLICES) && sees_every_row(role)
    }

    /// `flights`, `flight`, `flightUpdates`.
    pub fn read_flights(role: Role) -> bool {
        policy::flight_access(role) != Access::None
    }

    /// `scheduleFlight`, `updateFlight`.
    pub fn write_flights(role: Role) -> bool {
        policy::flight_access(role) == Access::ReadWrite
    }

    /// `employers`, `employer`.
    pub fn read_employers(role: Role) -> bool {
        policy::employer_access(role) != Access::None
    }

    /// `createEmployer`, `updateEmployer`.
    pub fn write_employers(role: Role) -> bool {
        policy::employer_access(role) == Access::ReadWrite
    }

    /// `jobVacancies`, `jobVacancy`.
    pub fn read_vacancies(role: Role) -> bool {
        policy::vacancy_access(role) != Access::None
    }

    /// `postVacancy`, `updateVacancy`, `closeVacancy`.
    pub fn post_vacancies(role: Role) -> bool {
        policy::vacancy_access(role) == Access::ReadWrite
    }

    /// `vacancyMatches`, `migrantMatches`.
    pub fn match_vacancies(role: Role) -> bool {
        policy::matching(role) != policy::Matching::Never
    }

    /// `referToVacancy`, `moveReferral`.
    pub fn write_referrals(role: Role) -> bool {
        writes(role, &[Slice::Employment])
    }

    /// `jobReferrals`.
    pub fn read_referrals(role: Role) -> bool {
        policy::can_read(role, Slice::Employment)
    }

    /// `universityPrograms`, `universityProgram`.
    pub fn read_programs(role: Role) -> bool {
        policy::program_access(role) != Access::None
    }

    /// `createUniversityProgram`, `updateUniversityProgram`, `addProgramIntake`.
    pub fn write_programs(role: Role) -> bool {
        policy::program_access(role) == Access::ReadWrite
    }

    /// `studyApplications`, `studyApplication`, `studyApplicationsCsv`,
    /// `studiesUpdates`.
    pub fn read_studies(role: Role) -> bool {
        policy::can_read(role, Slice::Studies)
    }

    /// `submitStudyApplication`, `moveStudyApplication`.
    pub fn write_studies(role: Role) -> bool {
        writes(role, &[Slice::Studies])
    }

    /// `programMatches`, `migrantProgramMatches`.
    pub fn place_people(role: Role) -> bool {
        policy::placement(role) != policy::Placement::Never
    }

    /// `trainingCourses`, `trainingCourse`.
    pub fn read_courses(role: Role) -> bool {
        policy::course_access(role) != Access::None
    }

    /// `createTrainingCourse`, `updateTrainingCourse`, `cancelTrainingCourse`.
    pub fn write_courses(role: Role) -> bool {
        policy::course_access(role) == Access::ReadWrite
    }

    /// `enrolInCourse`, `moveEnrolment`: EMPLOYMENT writers, who must also
    /// see the courses they enrol people in.
    pub fn write_enrolments(role: Role) -> bool {
        writes(role, &[Slice::Employment]) && read_courses(role)
    }

    /// `courseEnrolments`.
    pub fn read_enrolments(role: Role) -> bool {
        policy::can_read(role, Slice::Employment) && read_courses(role)
    }

    /// `courseMatches`.
    pub fn match_courses(role: Role) -> bool {
        policy::may_match_courses(role)
    }

    /// `proposeEnterpriseProject`, `moveEnterpriseProject`, `addProjectNote`.
    pub fn write_enterprise(role: Role) -> bool {
        writes(role, &[Slice::Enterprise])
    }

    /// `enterpriseProjects`.
    pub fn read_enterprise(role: Role) -> bool {
        policy::can_read(role, Slice::Enterprise)
    }

    /// `arrivals`, `assistanceRecorded`: events about records the role sees.
    pub fn follow_records(role: Role) -> bool {
        policy::row_scope(role) != RowScope::Nothing
    }
}

macro_rules! operation_visibility {
    ($($fn_name:ident => $gate:path),* $(,)?) => {
        $(
            /// Shows the operation, except in the export of a role it refuses.
            pub fn $fn_name(ctx: &Context<'_>) -> bool {
                shown(ctx, $gate)
            }
        )*
    };
}

operation_visibility!(
    manages_institutions => policy::can_manage_institutions,
    reads_audit => policy::can_read_audit,
    registers_migrants => gate::register_migrant,
    updates_migrants => gate::update_migrant,
    updates_skills => gate::write_skills,
    records_arrivals => gate::record_arrival,
    writes_consents => gate::write_consents,
    records_assistance => gate::record_assistance,
    registers_arrivals => gate::register_arrival,
    marks_arrived => gate::mark_arrived,
    imports_manifests => gate::import_manifest,
    reads_flights => gate::read_flights,
    writes_flights => gate::write_flights,
    follows_records => gate::follow_records,
    opens_emergency_access => policy::can_open_emergency_access,
    reviews_emergency_access => policy::can_review_emergency_access,
    acts_for_data_subjects => policy::can_act_for_data_subject,
    reads_employers => gate::read_employers,
    writes_employers => gate::write_employers,
    reads_vacancies => gate::read_vacancies,
    posts_vacancies => gate::post_vacancies,
    matches_vacancies => gate::match_vacancies,
    writes_referrals => gate::write_referrals,
    reads_referrals => gate::read_referrals,
    reads_stats => policy::can_read_stats,
    reads_programs => gate::read_programs,
    writes_programs => gate::write_programs,
    reads_studies => gate::read_studies,
    writes_studies => gate::write_studies,
    places_people => gate::place_people,
    reads_courses => gate::read_courses,
    writes_courses => gate::write_courses,
    writes_enrolments => gate::write_enrolments,
    reads_enrolments => gate::read_enrolments,
    matches_courses => gate::match_courses,
    writes_enterprise => gate::write_enterprise,
    reads_enterprise => gate::read_enterprise,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::person::Sex;
    use crate::graphql::migrant_input::{IdentityInput, MigrantSections, OriginInput};

    #[test]
    fn section_slices_are_the_slices_migrant_sections_writes() {
        let all = MigrantSections {
            identity: Some(IdentityInput {
                given_names: "Ana".into(),
                family_names: "López".into(),
                birth_date: crate::graphql::scalars::Date(chrono::NaiveDate::MIN),
                sex: Sex::Other,
            }),
            documents: Some(Default::default()),
            contact: Some(Default::default()),
            origin: Some(OriginInput {
                municipality_code: "0101".into(),
            }),
            skills: Some(Default::default()),
            health: Some(Default::default()),
            protection: Some(Default::default()),
        };
        assert_eq!(all.slices(), SECTION_SLICES.to_vec());
    }

    #[test]
    fn gates_follow_the_matrix() {
        assert!(gate::register_arrival(Role::IomReception));
        assert!(!gate::register_arrival(Role::ForeignAffairsOfficer));
        assert!(gate::update_migrant(Role::LabourOfficer));
        assert!(!gate::update_migrant(Role::UniversityOfficer));
        assert!(gate::record_assistance(Role::ForeignAffairsOfficer));
        assert!(!gate::follow_records(Role::Auditor));
    }
}
