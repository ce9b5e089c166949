//! `export-schema --role`: each role's SDL holds exactly what the policy
//! lets it use; the full export is the contract, and a role introspects live exactly its export.

use std::collections::BTreeSet;

use reintegra::domain::institution::Role;
use reintegra::graphql::access::slice_name;
use reintegra::graphql::sdl::export;
use reintegra::graphql::visibility::gate;
use reintegra::graphql::{build_schema, sdl, AppSchema};
use reintegra::policy::{self, Slice};
use serde_json::json;

use crate::matrix::{DESIGN, FIELDS};
use crate::support::{test_settings, TestApp};

fn schema() -> AppSchema {
    let settings = test_settings("unused.db");
    let counter = reintegra::db::StatementCounter::default();
    let pool =
        reintegra::db::build_pool(&settings.database_url, 1, settings.pool_timeout, &counter)
            .unwrap();
    build_schema(pool, settings, Default::default())
}

/// Field names of `type <name> {…}` in an SDL (empty when the type is absent).
fn fields_of(sdl: &str, name: &str) -> BTreeSet<String> {
    // `type Name {` or `type Name implements I {`.
    let head = format!("type {name} ");
    let Some(start) = sdl.find(&head) else {
        return BTreeSet::new();
    };
    let body = &sdl[start..];
    let body = &body[body.find("{\n").unwrap() + 2..];
    let body = &body[..body.find("\n}").unwrap()];
    let mut in_description = false;
    let mut names = BTreeSet::new();
    for line in body
        .lines()
        .filter(|l| !l.starts_with("\t\t") && !l.starts_with("\t)"))
    {
        let line = line.trim_start();
        if line == "\"\"\"" {
            in_description = !in_description;
        } else if !in_description {
            let end = line.find(['(', ':']).unwrap();
            names.insert(line[..end].to_string());
        }
    }
    names
}

fn slice_by_name(name: &str) -> Slice {
    Slice::ALL
        .into_iter()
        .find(|s| slice_name(*s) == name)
        .unwrap()
}

/// The mutations the design lets each role call, written out from the
/// matrix of docs/access-policy.md (which slices each one writes).
fn expected_mutations(role: Role) -> BTreeSet<String> {
    let w = |s| policy::can_write(role, s);
    let all_rows = policy::all_rows(role).is_ok();
    let writes_section = [
        Slice::Identity,
        Slice::Documents,
        Slice::Contact,
        Slice::Origin,
        Slice::Skills,
        Slice::Health,
        Slice::Protection,
    ]
    .into_iter()
    .any(w);
    let flights = policy::flight_access(role) == policy::Access::ReadWrite;
    // Employers are MINTRAB's register; vacancies are posted by MINTRAB
    // and by universities (their own positions).
    let mintrab = role == Role::LabourOfficer;
    let posts = mintrab || role == Role::UniversityOfficer;
    let university = role == Role::UniversityOfficer;
    let table: [(&str, bool); 38] = [
        ("referToVacancy", w(Slice::Employment)),
        ("recordEducation", w(Slice::Skills)),
        ("updateEducation", w(Slice::Skills)),
        ("removeEducation", w(Slice::Skills)),
        ("createUniversityProgram", university),
        ("updateUniversityProgram", university),
        ("addProgramIntake", university),
        ("submitStudyApplication", w(Slice::Studies)),
        ("moveStudyApplication", w(Slice::Studies)),
        ("moveReferral", w(Slice::Employment)),
        // Courses are MINTRAB's; enrolments are EMPLOYMENT writes.
        ("createTrainingCourse", mintrab),
        ("updateTrainingCourse", mintrab),
        ("cancelTrainingCourse", mintrab),
        ("enrolInCourse", w(Slice::Employment)),
        ("moveEnrolment", w(Slice::Employment)),
        ("proposeEnterpriseProject", w(Slice::Enterprise)),
        ("moveEnterpriseProject", w(Slice::Enterprise)),
        ("addProjectNote", w(Slice::Enterprise)),
        ("createInstitution", role == Role::IomAdmin),
        ("setInstitutionActive", role == Role::IomAdmin),
        ("registerMigrant", w(Slice::Identity) && all_rows),
        ("updateMigrant", writes_section),
        ("recordArrival", w(Slice::Return)),
        ("recordConsent", w(Slice::Consent)),
        ("revokeConsent", w(Slice::Consent)),
        ("scheduleFlight", flights),
        ("updateFlight", flights),
        ("recordAssistance", w(Slice::Assistance)),
        (
            "registerArrival",
            w(Slice::Identity) && w(Slice::Return) && w(Slice::Assistance) && all_rows,
        ),
        ("markArrived", w(Slice::Return) && w(Slice::Assistance)),
        ("eraseMigrant", role == Role::IomAdmin),
        ("createEmployer", mintrab),
        ("updateEmployer", mintrab),
        ("postVacancy", posts),
        ("updateVacancy", posts),
        ("closeVacancy", posts),
        (
            "openEmergencyAccess",
            matches!(role, Role::ForeignAffairsOfficer | Role::IomReception),
        ),
        (
            "importManifest",
            [
                Slice::Identity,
                Slice::Documents,
                Slice::Origin,
                Slice::Return,
            ]
            .into_iter()
            .all(w)
                && all_rows,
        ),
    ];
    table
        .into_iter()
        .filter(|(_, ok)| *ok)
        .map(|(n, _)| n.to_string())
        .collect()
}

#[actix_rt::test]
async fn each_role_exports_the_migrant_fields_of_its_readable_slices() {
    let schema = schema();
    for role in Role::all() {
        let sdl = export(&schema, Some(role)).await.unwrap();
        let fields = fields_of(&sdl, "Migrant");
        for (slice, names) in FIELDS {
            let readable = policy::can_read(role, slice_by_name(slice));
            for f in names {
                assert_eq!(fields.contains(*f), readable, "{role:?}: Migrant.{f}");
            }
        }
        assert!(fields.contains("id"), "{role:?}: {fields:?}");
    }
}

#[actix_rt::test]
async fn each_role_exports_the_mutations_it_may_call() {
    let schema = schema();
    let full = fields_of(&sdl(&schema), "MutationRoot");
    for role in Role::all() {
        let exported = export(&schema, Some(role)).await.unwrap();
        let want = expected_mutations(role);
        assert!(want.is_subset(&full), "{want:?} ⊄ {full:?}");
        assert_eq!(fields_of(&exported, "MutationRoot"), want, "{role:?}");
        // A role that may call nothing gets no mutation root at all.
        assert_eq!(
            exported.contains("\tmutation: MutationRoot"),
            !want.is_empty()
        );
    }
    // Spot checks against docs/access-policy.md.
    let calls = |r| expected_mutations(r).into_iter().collect::<Vec<_>>();
    assert_eq!(
        calls(Role::LabourOfficer),
        [
            "cancelTrainingCourse",
            "closeVacancy",
            "createEmployer",
            "createTrainingCourse",
            "enrolInCourse",
            "moveEnrolment",
            "moveReferral",
            "postVacancy",
            "recordEducation",
            "referToVacancy",
            "removeEducation",
            "updateEducation",
            "updateEmployer",
            "updateMigrant",
            "updateTrainingCourse",
            "updateVacancy"
        ]
    );
    assert_eq!(
        calls(Role::UniversityOfficer),
        [
            "addProgramIntake",
            "closeVacancy",
            "createUniversityProgram",
            "moveStudyApplication",
            "postVacancy",
            "submitStudyApplication",
            "updateUniversityProgram",
            "updateVacancy"
        ]
    );
    assert!(calls(Role::Auditor).is_empty());
    assert!(calls(Role::IomReception).contains(&"importManifest".to_string()));
}

#[actix_rt::test]
async fn subscriptions_queries_and_types_follow_the_role() {
    let schema = schema();
    for role in Role::all() {
        let exported = export(&schema, Some(role)).await.unwrap();
        let subs = fields_of(&exported, "SubscriptionRoot");
        assert_eq!(subs.contains("flightUpdates"), gate::read_flights(role));
        assert_eq!(subs.contains("arrivals"), role != Role::Auditor, "{role:?}");
        let queries = fields_of(&exported, "QueryRoot");
        assert_eq!(
            queries.contains("auditEvents"),
            policy::can_read_audit(role)
        );
        assert_eq!(queries.contains("flights"), gate::read_flights(role));
        // Statistics are every role's (small cells hidden outside IOM).
        assert!(queries.contains("stats"), "{role:?}");
        assert_eq!(
            queries.contains("emergencyAccesses"),
            matches!(role, Role::IomAdmin | Role::Auditor)
        );
        let labour = !matches!(role, Role::ForeignAffairsOfficer | Role::Auditor);
        assert_eq!(queries.contains("jobVacancies"), labour, "{role:?}");
        assert_eq!(queries.contains("employers"), labour, "{role:?}");
        assert_eq!(queries.contains("vacancyMatches"), labour, "{role:?}");
        assert_eq!(queries.contains("migrantMatches"), labour, "{role:?}");
        // Universities: programmes for every role but the auditor; STUDIES
        // for its readers; placement for those reading SKILLS and STUDIES.
        let studies = policy::can_read(role, Slice::Studies);
        let places = studies && policy::can_read(role, Slice::Skills);
        assert_eq!(
            queries.contains("universityPrograms"),
            role != Role::Auditor
        );
        assert_eq!(queries.contains("studyApplications"), studies, "{role:?}");
        assert_eq!(
            queries.contains("studyApplicationsCsv"),
            studies,
            "{role:?}"
        );
        assert_eq!(queries.contains("programMatches"), places, "{role:?}");
        assert_eq!(
            queries.contains("migrantProgramMatches"),
            places,
            "{role:?}"
        );
        assert_eq!(subs.contains("studiesUpdates"), studies, "{role:?}");
        assert_eq!(queries.contains("trainingCourses"), labour, "{role:?}");
        let employment = policy::can_read(role, Slice::Employment);
        assert_eq!(queries.contains("courseEnrolments"), employment, "{role:?}");
        let matches = employment && policy::can_read(role, Slice::Skills);
        assert_eq!(queries.contains("courseMatches"), matches, "{role:?}");
        let enterprise = policy::can_read(role, Slice::Enterprise);
        assert_eq!(
            queries.contains("enterpriseProjects"),
            enterprise,
            "{role:?}"
        );
        // Types only the hidden operations use are gone too.
        let manifest = exported.contains("input ManifestRowInput {");
        assert_eq!(manifest, gate::import_manifest(role), "{role:?}");
    }
}

#[actix_rt::test]
async fn the_full_export_is_the_contract_and_every_introspection_agrees() {
    let schema = schema();
    let full = sdl(&schema);
    assert_eq!(export(&schema, None).await.unwrap(), full);
    // Every operation of the contract is some role's to call.
    let mut reachable = BTreeSet::new();
    for role in Role::all() {
        let exported = export(&schema, Some(role)).await.unwrap();
        for root in ["QueryRoot", "MutationRoot", "SubscriptionRoot"] {
            reachable.extend(
                fields_of(&exported, root)
                    .into_iter()
                    .map(|f| format!("{root}.{f}")),
            );
        }
    }
    for root in ["QueryRoot", "MutationRoot", "SubscriptionRoot"] {
        for f in fields_of(&full, root) {
            assert!(
                reachable.contains(&format!("{root}.{f}")),
                "{root}.{f} is no role's"
            );
        }
    }
}

/// What each role introspects live is exactly its `export-schema --role`.
async fn live_introspection_is_the_roles_export(app: TestApp) {
    let schema = schema();
    for (inst, role, _) in DESIGN.iter() {
        let token = app.token(inst, role);
        let q = reintegra::graphql::sdl::INTROSPECTION_QUERY;
        let (_, body) = app.gql(&token, q, json!({})).await;
        let live = reintegra::graphql::sdl::print(&body["data"]).expect("printable");
        let parsed = Role::parse(role).expect("a role");
        let exported = export(&schema, Some(parsed)).await.unwrap();
        assert!(
            live == exported,
            "{role}@{inst}: live differs from its export"
        );
    }
}

crate::db_tests!(live_introspection_is_the_roles_export);
