//! University programmes: `universityPrograms`, `universityProgram` and
//! the mutations a university uses for its own. Programmes hold no
//! personal data; how full an intake is shows only to its university and
//! IOM (it counts that university's admissions).

use std::collections::HashMap;

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::education::FieldOfEducation;
use super::program_inputs::{CreateProgramInput, UniversityProgramFilter, UpdateProgramInput};
use super::{checked_id, require_programs};
use crate::db::programs::{self, IntakeRow, ProgramRow};
use crate::db::{self, DbConnection};
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{Modality, ProgramLevel};
use crate::error::{AppError, AppResult};
use crate::graphql::institutions::Institution;
use crate::graphql::labour::{actor, municipality};
use crate::graphql::money::Money;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::graphql::{caller, loaders, pool};
use crate::policy::{self, Access, ApplicationView};
use crate::service;

/// One intake of a programme.
#[derive(SimpleObject, Clone)]
pub struct ProgramIntake {
    /// Opaque id (applications name it).
    pub id: ID,
    /// First day of classes.
    pub starts_on: Date,
    /// Seats offered.
    pub seats: i32,
    /// Seats held by admitted or enrolled applicants; `null` for callers
    /// other than the programme's university and IOM.
    pub seats_taken: Option<i32>,
    /// Seats still free; `null` like `seatsTaken`.
    pub seats_left: Option<i32>,
}

/// A university programme.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct UniversityProgram {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Code of the university offering it.
    pub university_code: String,
    /// Name.
    pub name: String,
    /// Faculty or school.
    pub faculty: String,
    /// Level.
    pub level: ProgramLevel,
    /// Field of education.
    pub field: FieldOfEducation,
    /// How it is taught.
    pub modality: Modality,
    /// Where the campus is.
    pub campus_municipality: Option<Municipality>,
    /// Seats of a new intake.
    pub seats_per_intake: i32,
    /// Minimum education completed to be admitted.
    pub min_education: EducationLevel,
    /// Languages of instruction (ISO 639-3).
    pub languages: Vec<String>,
    /// Yearly tuition.
    pub tuition: Option<Money>,
    /// Whether scholarships are offered.
    pub scholarships_offered: bool,
    /// Taking applications.
    pub active: bool,
    /// Intakes, earliest first.
    pub intakes: Vec<ProgramIntake>,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

#[ComplexObject]
impl UniversityProgram {
    /// The university offering it.
    async fn university(&self, ctx: &Context<'_>) -> Result<Option<Institution>> {
        let row = loaders::of(ctx)?
            .institutions
            .load_one(self.university_code.clone())
            .await?;
        Ok(row.map(Institution::try_from).transpose()?)
    }
}

fn intake(r: IntakeRow, sees_seats: bool) -> ProgramIntake {
    ProgramIntake {
        id: ID(r.id),
        starts_on: Date(r.starts_on),
        seats: r.seats,
        seats_taken: sees_seats.then_some(r.seats_taken),
        seats_left: sees_seats.then_some(r.seats - r.seats_taken),
    }
}

impl UniversityProgram {
    /// The programme of `row` with its intakes, as `view` may see them.
    pub fn new(row: ProgramRow, intakes: Vec<IntakeRow>, view: &ApplicationView) -> Self {
        let sees_seats = view.covers(&row.university_code);
        UniversityProgram {
            level: ProgramLevel::from_stored(&row.level).unwrap_or(ProgramLevel::Licenciatura),
            field: FieldOfEducation::of(&row.field_code),
            modality: Modality::from_stored(&row.modality).unwrap_or(Modality::InPerson),
            campus_municipality: municipality(&row.campus_municipality_code),
            min_education: EducationLevel::from_stored(&row.min_education)
                .unwrap_or(EducationLevel::UpperSecondary),
            languages: serde_json::from_str(&row.languages).unwrap_or_default(),
            tuition: row.tuition_centavos.map(Money::gtq),
            intakes: intakes.into_iter().map(|i| intake(i, sees_seats)).collect(),
            id: ID(row.id),
            version: row.version,
            university_code: row.university_code,
            name: row.name,
            faculty: row.faculty,
            seats_per_intake: row.seats_per_intake,
            scholarships_offered: row.scholarships_offered,
            active: row.active,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

/// The caller's view of applications (decides who sees seats taken).
pub fn view_of(ctx: &Context<'_>) -> AppResult<ApplicationView> {
    let id = &caller(ctx)?.identity;
    Ok(policy::application_view(id.role, &id.institution.code))
}

/// Programmes with their intakes (one further statement).
pub fn complete(
    c: &mut DbConnection,
    rows: Vec<ProgramRow>,
    view: &ApplicationView,
) -> AppResult<Vec<UniversityProgram>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut intakes = if ids.is_empty() {
        HashMap::new()
    } else {
        programs::intakes_of(c, &ids)?
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let list = intakes.remove(&r.id).unwrap_or_default();
            UniversityProgram::new(r, list, view)
        })
        .collect())
}

fn one(
    c: &mut DbConnection,
    row: ProgramRow,
    view: &ApplicationView,
) -> AppResult<UniversityProgram> {
    complete(c, vec![row], view)?
        .pop()
        .ok_or(AppError::NotFound("university program"))
}

/// An edge of `universityPrograms`.
#[derive(SimpleObject)]
pub struct UniversityProgramEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The programme.
    pub node: UniversityProgram,
}

/// A page of programmes, oldest first.
#[derive(SimpleObject)]
pub struct UniversityProgramConnection {
    /// Programmes of this page.
    pub edges: Vec<UniversityProgramEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Programmes matching the filter.
    pub total_count: i64,
}

/// Programme queries.
#[derive(Default)]
pub struct ProgramQuery;

#[Object]
impl ProgramQuery {
    /// University programmes, oldest first (every role but the auditor).
    #[graphql(
        visible = "crate::graphql::visibility::reads_programs",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn university_programs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<UniversityProgramFilter>,
    ) -> Result<UniversityProgramConnection> {
        require_programs(ctx, Access::Read)?;
        let limit = pagination::limit(ctx, first)?;
        let after = super::time_cursor(after)?;
        let q = filter.unwrap_or_default().validate()?;
        let view = view_of(ctx)?;
        let (rows, total) = db::run(pool(ctx)?, move |c| {
            let (rows, total) = programs::page(c, &q, after, limit + 1)?;
            Ok((complete(c, rows, &view)?, total))
        })
        .await?;
        let (rows, more) = pagination::cut(rows, limit);
        let edges: Vec<UniversityProgramEdge> = rows
            .into_iter()
            .map(|p| UniversityProgramEdge {
                cursor: pagination::encode(&Position::TimeId(
                    p.created_at.naive_utc(),
                    p.id.0.clone(),
                )),
                node: p,
            })
            .collect();
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        Ok(UniversityProgramConnection {
            edges,
            page_info,
            total_count: total,
        })
    }

    /// One programme.
    #[graphql(visible = "crate::graphql::visibility::reads_programs")]
    async fn university_program(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<UniversityProgram>> {
        require_programs(ctx, Access::Read)?;
        let id = checked_id(id.0, "id")?;
        let view = view_of(ctx)?;
        let found = db::run(pool(ctx)?, move |c| {
            let row = programs::by_id(c, &id)?.ok_or(AppError::NotFound("university program"))?;
            one(c, row, &view)
        })
        .await?;
        Ok(Some(found))
    }
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "UniversityProgram",
        slices: vec![],
    }
}

/// Programme mutations (universities, their own programmes).
#[derive(Default)]
pub struct ProgramMutation;

#[Object]
impl ProgramMutation {
    /// Creates a programme of the caller's university, with its intakes.
    #[graphql(visible = "crate::graphql::visibility::writes_programs")]
    async fn create_university_program(
        &self,
        ctx: &Context<'_>,
        input: CreateProgramInput,
        idempotency_key: Option<String>,
    ) -> Result<UniversityProgram> {
        require_programs(ctx, Access::ReadWrite)?;
        let (fields, intakes) = input.validate()?;
        let key = idem_key(ctx, idempotency_key, "createUniversityProgram")?;
        let (actor, view) = (actor(ctx)?, view_of(ctx)?);
        let p = audited(ctx, draft("CREATE"), move |c| {
            let (row, ids) = service::programs::create(c, &actor, &key, fields, &intakes)?;
            Ok((one(c, row, &view)?, ids))
        })
        .await?;
        Ok(p)
    }

    /// Changes the given fields of a programme of the caller's university
    /// (another university's answers `FORBIDDEN`; a stale
    /// `expectedVersion`, `CONFLICT`).
    #[graphql(visible = "crate::graphql::visibility::writes_programs")]
    async fn update_university_program(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateProgramInput,
    ) -> Result<UniversityProgram> {
        require_programs(ctx, Access::ReadWrite)?;
        let id = checked_id(id.0, "id")?;
        let patch = input.validate()?;
        let (actor, view) = (actor(ctx)?, view_of(ctx)?);
        let p = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) = service::programs::update(c, &actor, &id, expected_version, patch)?;
            Ok((one(c, row, &view)?, ids))
        })
        .await?;
        Ok(p)
    }

    /// Adds an intake to a programme of the caller's university.
    #[graphql(visible = "crate::graphql::visibility::writes_programs")]
    async fn add_program_intake(
        &self,
        ctx: &Context<'_>,
        program_id: ID,
        intake: super::program_inputs::IntakeInput,
    ) -> Result<UniversityProgram> {
        require_programs(ctx, Access::ReadWrite)?;
        let id = checked_id(program_id.0, "programId")?;
        if intake.seats.is_some_and(|n| !(1..=5_000).contains(&n)) {
            return Err(AppError::bad_input("intake.seats", "must be 1 to 5000").into());
        }
        let (actor, view) = (actor(ctx)?, view_of(ctx)?);
        let p = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) =
                service::programs::add_intake(c, &actor, &id, intake.starts_on.0, intake.seats)?;
            Ok((one(c, row, &view)?, ids))
        })
        .await?;
        Ok(p)
    }
}
