//! Employers: MINTRAB's register, read by IOM staff and universities.

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::inputs::{CreateEmployerInput, UpdateEmployerInput};
use super::{actor, municipality, require};
use crate::db::employers::{self, EmployerRow};
use crate::db::{self};
use crate::domain::labour::EmployerSector;
use crate::domain::person::{NameQuery, StoredEnum};
use crate::error::{AppError, AppResult};
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::reference::Municipality;
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::graphql::{caller, pool};
use crate::policy::{self, Access};
use crate::service;

/// Fails unless the caller's role has at least `need` on employers.
pub fn require_employers(ctx: &Context<'_>, need: Access) -> AppResult<()> {
    let role = caller(ctx)?.identity.role;
    require(policy::employer_access(role), need, "employers")
}

/// An employer on MINTRAB's register.
#[derive(SimpleObject, Clone)]
pub struct Employer {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Registered or trade name.
    pub name: String,
    /// Public or private sector.
    pub sector: EmployerSector,
    /// Tax id, `BODY-C`.
    pub nit: String,
    /// Where the employer is.
    pub municipality: Option<Municipality>,
    /// Contact person.
    pub contact_name: Option<String>,
    /// Contact phone (E.164).
    pub contact_phone: Option<String>,
    /// Contact email.
    pub contact_email: Option<String>,
    /// Registered at (UTC).
    pub created_at: DateTime<Utc>,
}

impl From<EmployerRow> for Employer {
    fn from(r: EmployerRow) -> Self {
        Employer {
            id: ID(r.id),
            version: r.version,
            name: r.name,
            sector: EmployerSector::from_stored(&r.sector).unwrap_or(EmployerSector::Private),
            nit: r.nit,
            municipality: municipality(&r.municipality_code),
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// An edge of the employer connection.
#[derive(SimpleObject)]
pub struct EmployerEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The employer.
    pub node: Employer,
}

/// A page of employers, in order of registration.
#[derive(SimpleObject)]
pub struct EmployerConnection {
    /// Employers of this page.
    pub edges: Vec<EmployerEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Employers matching the search.
    pub total_count: i64,
}

fn after_position(after: Option<String>) -> AppResult<Option<(chrono::NaiveDateTime, String)>> {
    match after.as_deref().map(pagination::decode).transpose()? {
        Some(Position::TimeId(t, id)) => Ok(Some((t, id))),
        Some(_) => Err(AppError::bad_input("after", "not an employer cursor")),
        None => Ok(None),
    }
}

fn connection(rows: Vec<EmployerRow>, total_count: i64, limit: i64) -> EmployerConnection {
    let (rows, has_next_page) = pagination::cut(rows, limit);
    let edges: Vec<EmployerEdge> = rows
        .into_iter()
        .map(|r| EmployerEdge {
            cursor: pagination::encode(&Position::TimeId(r.created_at, r.id.clone())),
            node: r.into(),
        })
        .collect();
    let page_info = pagination::page_info(
        edges.first().map(|e| &e.cursor),
        edges.last().map(|e| &e.cursor),
        has_next_page,
    );
    EmployerConnection {
        edges,
        page_info,
        total_count,
    }
}

/// Employer queries.
#[derive(Default)]
pub struct EmployerQuery;

#[Object]
impl EmployerQuery {
    /// Employers in order of registration; `search` matches words of the name.
    #[graphql(
        visible = "crate::graphql::visibility::reads_employers",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn employers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<EmployerConnection> {
        require_employers(ctx, Access::Read)?;
        let limit = pagination::limit(ctx, first)?;
        let after = after_position(after)?;
        let words: Vec<String> = match search.as_deref().map(NameQuery::parse).transpose() {
            Ok(q) => q
                .flatten()
                .map(|q| q.as_str().split(' ').map(str::to_string).collect())
                .unwrap_or_default(),
            Err(m) => return Err(AppError::bad_input("search", m).into()),
        };
        let (rows, total) = db::run(pool(ctx)?, move |c| {
            Ok(employers::page(c, &words, after, limit + 1)?)
        })
        .await?;
        Ok(connection(rows, total, limit))
    }

    /// One employer.
    #[graphql(visible = "crate::graphql::visibility::reads_employers")]
    async fn employer(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Employer>> {
        require_employers(ctx, Access::Read)?;
        let row = db::run(pool(ctx)?, move |c| Ok(employers::by_id(c, &id)?)).await?;
        Ok(Some(row.ok_or(AppError::NotFound("employer"))?.into()))
    }
}

/// Employer mutations (MINTRAB).
#[derive(Default)]
pub struct EmployerMutation;

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "Employer",
        slices: vec![],
    }
}

#[Object]
impl EmployerMutation {
    /// Registers an employer. A NIT already registered answers `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_employers")]
    async fn create_employer(
        &self,
        ctx: &Context<'_>,
        input: CreateEmployerInput,
        idempotency_key: Option<String>,
    ) -> Result<Employer> {
        require_employers(ctx, Access::ReadWrite)?;
        let fields = input.validate()?;
        let key = idem_key(ctx, idempotency_key, "createEmployer")?;
        let actor = actor(ctx)?;
        let row = audited(ctx, draft("CREATE"), move |c| {
            service::employers::create(c, &actor, &key, fields)
        })
        .await?;
        Ok(row.into())
    }

    /// Changes an employer's given fields. A stale `expectedVersion`
    /// answers `CONFLICT` and changes nothing.
    #[graphql(visible = "crate::graphql::visibility::writes_employers")]
    async fn update_employer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateEmployerInput,
    ) -> Result<Employer> {
        require_employers(ctx, Access::ReadWrite)?;
        let patch = input.validate()?;
        let row = audited(ctx, draft("UPDATE"), move |c| {
            service::employers::update(c, &id, expected_version, patch)
        })
        .await?;
        Ok(row.into())
    }
}
