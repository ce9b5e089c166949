//! Job vacancy queries and mutations.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use super::inputs::{PostVacancyInput, UpdateVacancyInput};
use super::vacancy::JobVacancy;
use super::{actor, require};
use crate::db::vacancies::{self, VacancyQuery, VacancyRow};
use crate::db::{self, DbConnection};
use crate::domain::institution::InstitutionCode;
use crate::domain::isco::IscoGroup;
use crate::domain::labour::VacancyStatus;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::graphql::{caller, pool};
use crate::policy::{self, Access};
use crate::service;

/// Fails unless the caller's role has at least `need` on vacancies.
pub fn require_vacancies(ctx: &Context<'_>, need: Access) -> AppResult<()> {
    let role = caller(ctx)?.identity.role;
    require(policy::vacancy_access(role), need, "job vacancies")
}

/// Filters of `jobVacancies`; all given filters apply.
#[derive(InputObject, Default)]
pub struct JobVacancyFilter {
    /// With this status.
    pub status: Option<VacancyStatus>,
    /// In this ISCO-08 group or under it (1 to 4 digits: `7` or `7112`).
    pub isco_code: Option<String>,
    /// In this municipality (four digits).
    pub municipality_code: Option<String>,
    /// In this department (two digits).
    pub department_code: Option<String>,
    /// Offered by this employer.
    pub employer_id: Option<ID>,
    /// Posted by this institution (`MINTRAB`, `USAC`, …).
    pub posted_by: Option<String>,
}

impl JobVacancyFilter {
    fn validate(self) -> AppResult<VacancyQuery> {
        let bad = |f: &str, m: String| AppError::bad_input(format!("filter.{f}"), m);
        let code = |raw: &str, len: usize, f: &str| {
            let ok = raw.len() == len && raw.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| raw.to_string())
                .ok_or_else(|| bad(f, format!("{len} digits")))
        };
        Ok(VacancyQuery {
            status: self.status.map(|s| s.stored().to_string()),
            isco_prefix: (self.isco_code.as_deref())
                .map(|c| IscoGroup::parse(c).map(|g| g.as_str().to_string()))
                .transpose()
                .map_err(|m| bad("iscoCode", m))?,
            municipality_code: (self.municipality_code.as_deref())
                .map(|m| code(m, 4, "municipalityCode"))
                .transpose()?,
            department_code: (self.department_code.as_deref())
                .map(|d| code(d, 2, "departmentCode"))
                .transpose()?,
            employer_id: self.employer_id.map(|id| id.0.chars().take(64).collect()),
            posted_by: (self.posted_by.as_deref())
                .map(|p| InstitutionCode::parse(p).map(|c| c.as_str().to_string()))
                .transpose()
                .map_err(|m| bad("postedBy", m))?,
        })
    }
}

/// An edge of the vacancy connection.
#[derive(SimpleObject)]
pub struct JobVacancyEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The vacancy.
    pub node: JobVacancy,
}

/// A page of vacancies, newest first.
#[derive(SimpleObject)]
pub struct JobVacancyConnection {
    /// Vacancies of this page.
    pub edges: Vec<JobVacancyEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Vacancies matching the filter.
    pub total_count: i64,
}

fn connection(
    rows: Vec<VacancyWithEmployer>,
    total_count: i64,
    limit: i64,
) -> JobVacancyConnection {
    let (rows, has_next_page) = pagination::cut(rows, limit);
    let edges: Vec<JobVacancyEdge> = rows
        .into_iter()
        .map(|(r, e)| JobVacancyEdge {
            cursor: pagination::encode(&Position::TimeId(r.created_at, r.id.clone())),
            node: JobVacancy::new(r, e),
        })
        .collect();
    let page_info = pagination::page_info(
        edges.first().map(|e| &e.cursor),
        edges.last().map(|e| &e.cursor),
        has_next_page,
    );
    JobVacancyConnection {
        edges,
        page_info,
        total_count,
    }
}

type VacancyWithEmployer = (VacancyRow, Option<crate::db::employers::EmployerRow>);

/// Job vacancy queries.
#[derive(Default)]
pub struct VacancyQueryRoot;

#[Object]
impl VacancyQueryRoot {
    /// Job vacancies, newest first.
    #[graphql(
        visible = "crate::graphql::visibility::reads_vacancies",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn job_vacancies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<JobVacancyFilter>,
    ) -> Result<JobVacancyConnection> {
        require_vacancies(ctx, Access::Read)?;
        let limit = pagination::limit(ctx, first)?;
        let after = match after.as_deref().map(pagination::decode).transpose()? {
            Some(Position::TimeId(t, id)) => Some((t, id)),
            Some(_) => return Err(AppError::bad_input("after", "not a vacancy cursor").into()),
            None => None,
        };
        let q = filter.unwrap_or_default().validate()?;
        let (rows, total) = db::run(pool(ctx)?, move |c| {
            let (rows, total) = vacancies::page(c, &q, after, limit + 1)?;
            Ok((vacancies::with_employers(c, rows)?, total))
        })
        .await?;
        Ok(connection(rows, total, limit))
    }

    /// One job vacancy.
    #[graphql(visible = "crate::graphql::visibility::reads_vacancies")]
    async fn job_vacancy(&self, ctx: &Context<'_>, id: ID) -> Result<Option<JobVacancy>> {
        require_vacancies(ctx, Access::Read)?;
        let found = db::run(pool(ctx)?, move |c| {
            let row = vacancies::by_id(c, &id)?.ok_or(AppError::NotFound("job vacancy"))?;
            complete(c, row)
        })
        .await?;
        Ok(Some(found))
    }
}

fn complete(c: &mut DbConnection, row: VacancyRow) -> AppResult<JobVacancy> {
    let (row, employer) = vacancies::with_employers(c, vec![row])?
        .pop()
        .ok_or(AppError::NotFound("job vacancy"))?;
    Ok(JobVacancy::new(row, employer))
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "JobVacancy",
        slices: vec![],
    }
}

/// Job vacancy mutations (MINTRAB and universities).
#[derive(Default)]
pub struct VacancyMutation;

#[Object]
impl VacancyMutation {
    /// Posts a vacancy as the caller's institution: MINTRAB for an
    /// employer (`employerId`), a university for its own positions.
    #[graphql(visible = "crate::graphql::visibility::posts_vacancies")]
    async fn post_vacancy(
        &self,
        ctx: &Context<'_>,
        input: PostVacancyInput,
        idempotency_key: Option<String>,
    ) -> Result<JobVacancy> {
        require_vacancies(ctx, Access::ReadWrite)?;
        let (employer, fields) = input.validate(db::now().date())?;
        let key = idem_key(ctx, idempotency_key, "postVacancy")?;
        let actor = actor(ctx)?;
        let v = audited(ctx, draft("CREATE"), move |c| {
            let (row, ids) = service::vacancies::post(c, &actor, &key, employer, fields)?;
            Ok((complete(c, row)?, ids))
        })
        .await?;
        Ok(v)
    }

    /// Changes the given fields of an open vacancy of the caller's
    /// institution. Another institution's vacancy answers `FORBIDDEN`; a
    /// stale `expectedVersion` answers `CONFLICT` and changes nothing.
    #[graphql(visible = "crate::graphql::visibility::posts_vacancies")]
    async fn update_vacancy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateVacancyInput,
    ) -> Result<JobVacancy> {
        require_vacancies(ctx, Access::ReadWrite)?;
        let patch = input.validate(db::now().date())?;
        let actor = actor(ctx)?;
        let v = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) = service::vacancies::update(c, &actor, &id, expected_version, patch)?;
            Ok((complete(c, row)?, ids))
        })
        .await?;
        Ok(v)
    }

    /// Closes an open vacancy of the caller's institution, as `FILLED`
    /// when `filled` is true, else `CLOSED`.
    #[graphql(visible = "crate::graphql::visibility::posts_vacancies")]
    async fn close_vacancy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        #[graphql(default = false)] filled: bool,
    ) -> Result<JobVacancy> {
        require_vacancies(ctx, Access::ReadWrite)?;
        let outcome = if filled {
            VacancyStatus::Filled
        } else {
            VacancyStatus::Closed
        };
        let actor = actor(ctx)?;
        let v = audited(ctx, draft("UPDATE"), move |c| {
            let (row, ids) = service::vacancies::close(c, &actor, &id, expected_version, outcome)?;
            Ok((complete(c, row)?, ids))
        })
        .await?;
        Ok(v)
    }
}
