//! Institutions: listed for every caller, managed by `iom_admin`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use super::events::{DomainEvent, EventBus};
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use super::{caller, pool};
use crate::db::{self, institutions as rows};
use crate::domain::institution::{InstitutionCode, InstitutionKind};
use crate::error::{AppError, AppResult};
use crate::policy;

/// A partner institution.
#[derive(SimpleObject, Clone)]
pub struct Institution {
    /// Opaque id.
    pub id: ID,
    /// Unique code (`IOM`, `MINTRAB`, `USAC`, …).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind; decides the roles its users may hold.
    pub kind: InstitutionKind,
    /// Inactive institutions cannot authenticate.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
}

impl TryFrom<rows::InstitutionRow> for Institution {
    type Error = AppError;
    fn try_from(r: rows::InstitutionRow) -> AppResult<Self> {
        let kind = InstitutionKind::parse(&r.kind)
            .ok_or_else(|| AppError::Internal(format!("institution {} has bad kind", r.code)))?;
        Ok(Institution {
            id: ID(r.id),
            code: r.code,
            name: r.name,
            kind,
            active: r.active,
            version: r.version,
        })
    }
}

/// Input of `createInstitution`.
#[derive(InputObject)]
pub struct CreateInstitutionInput {
    /// 2–16 letters or digits; stored upper-case.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: InstitutionKind,
}

/// Institution queries.
#[derive(Default)]
pub struct InstitutionQuery;

#[Object]
impl InstitutionQuery {
    /// Every institution, active or not.
    #[graphql(complexity = "super::cost::INSTITUTIONS * child_complexity + 1")]
    async fn institutions(&self, ctx: &Context<'_>) -> Result<Vec<Institution>> {
        caller(ctx)?;
        let list = db::run(pool(ctx)?, |c| Ok(rows::all(c)?)).await?;
        Ok(list
            .into_iter()
            .map(Institution::try_from)
            .collect::<AppResult<_>>()?)
    }
}

/// Institution mutations (`iom_admin` only).
#[derive(Default)]
pub struct InstitutionMutation;

fn require_admin(ctx: &Context<'_>) -> AppResult<()> {
    if policy::can_manage_institutions(caller(ctx)?.identity.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only iom_admin may manage institutions".into(),
        ))
    }
}

#[Object]
impl InstitutionMutation {
    /// Adds a partner institution. A repeated code answers `CONFLICT`.
    #[graphql(visible = "super::visibility::manages_institutions")]
    async fn create_institution(
        &self,
        ctx: &Context<'_>,
        input: CreateInstitutionInput,
        idempotency_key: Option<String>,
    ) -> Result<Institution> {
        require_admin(ctx)?;
        let code =
            InstitutionCode::parse(&input.code).map_err(|m| AppError::bad_input("code", m))?;
        let name = input.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::bad_input("name", "must be 1 to 200 characters").into());
        }
        let now = db::now();
        let row = rows::InstitutionRow {
            id: db::new_id(),
            code: code.as_str().to_string(),
            name,
            kind: input.kind.as_str().to_string(),
            active: true,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let key = idem_key(ctx, idempotency_key, "createInstitution")?;
        let draft = AuditDraft {
            action: "CREATE",
            entity: "Institution",
            slices: vec![],
        };
        let row = audited(ctx, draft, move |c| {
            if let Some(id) = replayed(c, &key)? {
                let first = rows::by_id(c, &id)?.ok_or(AppError::NotFound("institution"))?;
                return Ok((first, vec![]));
            }
            if rows::by_code(c, &row.code)?.is_some() {
                return Err(AppError::Conflict(format!(
                    "institution {} already exists",
                    row.code
                )));
            }
            rows::insert(c, &row)?;
            remember(c, &key, &row.id)?;
            let id = row.id.clone();
            Ok((row, vec![id]))
        })
        .await?;
        Ok(Institution::try_from(row)?)
    }

    /// Activates or deactivates an institution; its users' tokens stop
    /// working on the very next request.
    #[graphql(visible = "super::visibility::manages_institutions")]
    async fn set_institution_active(
        &self,
        ctx: &Context<'_>,
        code: String,
        active: bool,
        expected_version: i32,
    ) -> Result<Institution> {
        require_admin(ctx)?;
        let code = InstitutionCode::parse(&code).map_err(|m| AppError::bad_input("code", m))?;
        let code = code.as_str().to_string();
        if !active && code == caller(ctx)?.identity.institution.code {
            return Err(
                AppError::bad_input("code", "cannot deactivate your own institution").into(),
            );
        }
        let draft = AuditDraft {
            action: "UPDATE",
            entity: "Institution",
            slices: vec![],
        };
        let row = audited(ctx, draft, move |c| {
            let changed = rows::set_active(c, &code, active, expected_version, db::now())?;
            let row = rows::by_code(c, &code)?.ok_or(AppError::NotFound("institution"))?;
            if changed == 0 {
                return Err(AppError::Conflict(format!(
                    "stale expectedVersion: institution is at version {}",
                    row.version
                )));
            }
            let id = row.id.clone();
            Ok((row, vec![id]))
        })
        .await?;
        // Open WebSocket sessions of this institution re-check at once.
        if let Ok(bus) = ctx.data::<EventBus>() {
            bus.publish(DomainEvent::InstitutionChanged {
                code: row.code.clone(),
            });
        }
        Ok(Institution::try_from(row)?)
    }
}
