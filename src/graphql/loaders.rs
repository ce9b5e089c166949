//! Per-request DataLoaders with a request-scoped cache: nested fields batch
//! into one statement per level, and list resolvers prefetch a whole page
//! through them (see `prefetch`), so a page costs the same statements
//! whatever its size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

use crate::db::applications::{self, ApplicationEventRow, ApplicationRow};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::assistance::{self, AssistanceRow};
use crate::db::consents::{self, ConsentRow};
use crate::db::courses::CourseRow;
use crate::db::enrolments::{self, EnrolmentRow};
use crate::db::enterprise::{self, NoteRow, ProjectEventRow, ProjectRow};
use crate::db::institutions::{self, InstitutionRow};
use crate::db::programs::{self, IntakeRow, ProgramRow};
use crate::db::reference::{self, DepartmentRow, MunicipalityRow};
use crate::db::referrals::{self, ReferralRow};
use crate::db::skills::{self, SkillRows};
use crate::db::{self, DbPool};
use crate::error::AppError;
use crate::policy::{ApplicationView, ConsentView};

/// Loads departments by code.
pub struct DepartmentLoader(pub DbPool);
/// Loads municipalities by code.
pub struct MunicipalityLoader(pub DbPool);
/// Loads the municipalities of departments, by department code.
pub struct DepartmentMunicipalitiesLoader(pub DbPool);
/// Loads the arrivals of migrants, by migrant id.
pub struct ArrivalsLoader(pub DbPool);
/// Loads institutions by code.
pub struct InstitutionLoader(pub DbPool);
/// Loads the assistance given to migrants, by migrant id.
pub struct AssistanceLoader(pub DbPool);
/// Loads the skill lists of migrants, by migrant id.
pub struct SkillsLoader(pub DbPool);
/// Loads the job referrals of migrants, by migrant id.
pub struct ReferralsLoader(pub DbPool);
/// Loads programmes with their intakes, by programme id.
pub struct ProgramsLoader(pub DbPool);
/// Loads the moves of study applications, by application id.
pub struct ApplicationEventsLoader(pub DbPool);
/// Loads the study applications of migrants, by migrant id, as far as
/// the caller's view reaches (a university: its own programmes' only).
pub struct StudyApplicationsLoader {
    pool: DbPool,
    view: ApplicationView,
}
/// Loads the training enrolments of migrants with their courses, by migrant id.
pub struct EnrolmentsLoader(pub DbPool);
/// Loads the enterprise projects of migrants, by migrant id.
pub struct ProjectsLoader(pub DbPool);
/// Loads the follow-up notes of enterprise projects, by project id.
pub struct ProjectNotesLoader(pub DbPool);
/// Loads the moves of enterprise projects, by project id.
pub struct ProjectEventsLoader(pub DbPool);
/// Loads the consents of migrants, by migrant id; partners' loaders are
/// built with their institution so they only ever see their own consents.
pub struct ConsentsLoader {
    pool: DbPool,
    view: ConsentView,
}

pub(super) fn by_key<T>(rows: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, T> {
    rows.into_iter().map(|r| (key(&r), r)).collect()
}

/// Groups rows by key, with an empty list for every requested key that has
/// none, so the cache also remembers "nothing here".
pub(super) fn grouped<T>(
    keys: &[String],
    rows: Vec<T>,
    key: impl Fn(&T) -> String,
) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = keys.iter().map(|k| (k.clone(), Vec::new())).collect();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

impl Loader<String> for DepartmentLoader {
    type Value = DepartmentRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, DepartmentRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::departments_by_code(c, &keys)?)
        })
        .await?;
        Ok(by_key(rows, |r| r.code.clone()))
    }
}

impl Loader<String> for MunicipalityLoader {
    type Value = MunicipalityRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, MunicipalityRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::municipalities_by_code(c, &keys)?)
        })
        .await?;
        Ok(by_key(rows, |r| r.code.clone()))
    }
}

impl Loader<String> for DepartmentMunicipalitiesLoader {
    type Value = Vec<MunicipalityRow>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, Vec<MunicipalityRow>>, AppError> {
        let owned = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::municipalities_of(c, &owned)?)
        })
        .await?;
        Ok(grouped(keys, rows, |r| r.department_code.clone()))
    }
}

impl Loader<String> for ArrivalsLoader {
    type Value = Vec<ArrivalRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ArrivalRow>>, AppError> {
        let owned = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(arrivals::for_migrants(c, &owned)?)).await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for ConsentsLoader {
    type Value = Vec<ConsentRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ConsentRow>>, AppError> {
        let (owned, view) = (keys.to_vec(), self.view.clone());
        let rows = db::run(&self.pool, move |c| {
            Ok(consents::for_migrants(c, &owned, &view)?)
        })
        .await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for InstitutionLoader {
    type Value = InstitutionRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, InstitutionRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(institutions::by_codes(c, &keys)?)).await?;
        Ok(by_key(rows, |r| r.code.clone()))
    }
}

impl Loader<String> for AssistanceLoader {
    type Value = Vec<AssistanceRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<AssistanceRow>>, AppError> {
        let owned = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(assistance::for_migrants(c, &owned)?)).await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for SkillsLoader {
    type Value = SkillRows;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, SkillRows>, AppError> {
        let owned = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(skills::for_migrants(c, &owned)?)).await?;
        Ok(rows.by_migrant(keys))
    }
}

impl Loader<String> for ReferralsLoader {
    type Value = Vec<ReferralRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ReferralRow>>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(referrals::for_migrants(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for ProgramsLoader {
    type Value = (ProgramRow, Vec<IntakeRow>);
    type Error = AppError;

    async fn load(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, (ProgramRow, Vec<IntakeRow>)>, AppError> {
        let ids = keys.to_vec();
        db::run(&self.0, move |c| {
            let rows = programs::by_ids(c, &ids)?;
            let mut intakes = programs::intakes_of(c, &ids)?;
            Ok(rows
                .into_iter()
                .map(|r| {
                    let list = intakes.remove(&r.id).unwrap_or_default();
                    (r.id.clone(), (r, list))
                })
                .collect())
        })
        .await
    }
}

impl Loader<String> for ApplicationEventsLoader {
    type Value = Vec<ApplicationEventRow>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, Vec<ApplicationEventRow>>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(applications::events_of(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |r| r.application_id.clone()))
    }
}

impl Loader<String> for StudyApplicationsLoader {
    type Value = Vec<ApplicationRow>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, Vec<ApplicationRow>>, AppError> {
        let (ids, view) = (keys.to_vec(), self.view.clone());
        let rows = db::run(&self.pool, move |c| {
            Ok(applications::for_migrants(c, &view, &ids)?)
        })
        .await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for EnrolmentsLoader {
    type Value = Vec<(EnrolmentRow, CourseRow)>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(enrolments::for_migrants(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |(e, _)| e.migrant_id.clone()))
    }
}

impl Loader<String> for ProjectsLoader {
    type Value = Vec<ProjectRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ProjectRow>>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(enterprise::for_migrants(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |r| r.migrant_id.clone()))
    }
}

impl Loader<String> for ProjectNotesLoader {
    type Value = Vec<NoteRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<NoteRow>>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(enterprise::notes_of(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |r| r.project_id.clone()))
    }
}

impl Loader<String> for ProjectEventsLoader {
    type Value = Vec<ProjectEventRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, AppError> {
        let ids = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(enterprise::events_of(c, &ids)?)).await?;
        Ok(grouped(keys, rows, |r| r.project_id.clone()))
    }
}

/// A loader whose results are cached for the rest of the request.
pub type Cached<T> = DataLoader<T, HashMapCache>;

/// The loaders of one request, created fresh so no cache outlives it.
pub struct Loaders {
    /// Departments by code.
    pub departments: Cached<DepartmentLoader>,
    /// Municipalities by code.
    pub municipalities: Cached<MunicipalityLoader>,
    /// Municipalities of a department.
    pub department_municipalities: Cached<DepartmentMunicipalitiesLoader>,
    /// Arrivals of a migrant.
    pub arrivals: Cached<ArrivalsLoader>,
    /// Consents of a migrant (restricted to one institution for partners).
    pub consents: Cached<ConsentsLoader>,
    /// Institutions by code.
    pub institutions: Cached<InstitutionLoader>,
    /// Assistance given to a migrant.
    pub assistance: Cached<AssistanceLoader>,
    /// Skill lists of a migrant.
    pub skills: Cached<SkillsLoader>,
    /// Job referrals of a migrant.
    pub referrals: Cached<ReferralsLoader>,
    /// Study applications of a migrant (restricted to one university for
    /// universities).
    pub study_applications: Cached<StudyApplicationsLoader>,
    /// Programmes with their intakes.
    pub programs: Cached<ProgramsLoader>,
    /// Moves of a study application.
    pub application_events: Cached<ApplicationEventsLoader>,
    /// Training enrolments of a migrant, with their courses.
    pub enrolments: Cached<EnrolmentsLoader>,
    /// Enterprise projects of a migrant.
    pub projects: Cached<ProjectsLoader>,
    /// Follow-up notes of a project.
    pub project_notes: Cached<ProjectNotesLoader>,
    /// Moves of a project.
    pub project_events: Cached<ProjectEventsLoader>,
}

fn cached<T: Loader<String>>(loader: T) -> Cached<T> {
    DataLoader::with_cache(loader, actix_web::rt::spawn, HashMapCache::default())
}

impl Loaders {
    /// New loaders over the pool; `consents` and `applications` are the
    /// caller's views of consents and study applications, decided by the
    /// policy.
    pub fn new(pool: &DbPool, consents: ConsentView, applications: ApplicationView) -> Self {
        Loaders {
            departments: cached(DepartmentLoader(pool.clone())),
            municipalities: cached(MunicipalityLoader(pool.clone())),
            department_municipalities: cached(DepartmentMunicipalitiesLoader(pool.clone())),
            arrivals: cached(ArrivalsLoader(pool.clone())),
            consents: cached(ConsentsLoader {
                pool: pool.clone(),
                view: consents,
            }),
            institutions: cached(InstitutionLoader(pool.clone())),
            assistance: cached(AssistanceLoader(pool.clone())),
            skills: cached(SkillsLoader(pool.clone())),
            referrals: cached(ReferralsLoader(pool.clone())),
            study_applications: cached(StudyApplicationsLoader {
                pool: pool.clone(),
                view: applications,
            }),
            programs: cached(ProgramsLoader(pool.clone())),
            application_events: cached(ApplicationEventsLoader(pool.clone())),
            enrolments: cached(EnrolmentsLoader(pool.clone())),
            projects: cached(ProjectsLoader(pool.clone())),
            project_notes: cached(ProjectNotesLoader(pool.clone())),
            project_events: cached(ProjectEventsLoader(pool.clone())),
        }
    }
}

/// The request's loaders (stored as `Arc<Loaders>` so a subscription can
/// keep them and clear their caches between events).
pub fn of<'a>(ctx: &'a async_graphql::Context<'_>) -> async_graphql::Result<&'a Loaders> {
    Ok(ctx.data::<std::sync::Arc<Loaders>>()?.as_ref())
}

impl Loaders {
    /// Forgets cached per-person data (between subscription events).
    pub fn clear_people(&self) {
        self.arrivals.clear::<String>();
        self.consents.clear::<String>();
        self.assistance.clear::<String>();
        self.skills.clear::<String>();
        self.referrals.clear::<String>();
        self.study_applications.clear::<String>();
        self.programs.clear::<String>();
        self.application_events.clear::<String>();
        self.enrolments.clear::<String>();
        self.projects.clear::<String>();
        self.project_notes.clear::<String>();
        self.project_events.clear::<String>();
    }
}
