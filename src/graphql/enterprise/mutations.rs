//! Enterprise project mutations (IOM administrators and caseworkers).

use async_graphql::{Context, Object, Result, ID};

use super::project::{
    note_date, note_text, project, EnterpriseProject, ProjectNote, ProposeEnterpriseProjectInput,
};
use crate::db::enterprise::ProjectRow;
use crate::db::{self, DbConnection};
use crate::domain::enterprise::ProjectStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::access::{require_write, row_filter};
use crate::graphql::labour::{actor, checked_id, with_people};
use crate::graphql::migrant::Migrant;
use crate::graphql::scalars::Date;
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::policy::{RowFilter, Slice};
use crate::service;

fn draft(action: &'static str, entity: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity,
        slices: vec![Slice::Enterprise],
    }
}

/// A project with its person, after a write.
fn complete(
    c: &mut DbConnection,
    rows: &RowFilter,
    r: ProjectRow,
) -> AppResult<(ProjectRow, Option<Migrant>)> {
    with_people(c, rows, vec![r], |p| &p.migrant_id)?
        .pop()
        .ok_or(AppError::NotFound("enterprise project"))
}

/// Enterprise project mutations.
#[derive(Default)]
pub struct ProjectMutation;

#[Object]
impl ProjectMutation {
    /// Proposes a micro-enterprise project for a person, as `PROPOSED`.
    #[graphql(visible = "crate::graphql::visibility::writes_enterprise")]
    async fn propose_enterprise_project(
        &self,
        ctx: &Context<'_>,
        input: ProposeEnterpriseProjectInput,
        idempotency_key: Option<String>,
    ) -> Result<EnterpriseProject> {
        require_write(ctx, Slice::Enterprise)?;
        let proposal = input.validate()?;
        let key = idem_key(ctx, idempotency_key, "proposeEnterpriseProject")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("CREATE", "EnterpriseProject"), move |c| {
            let (row, ids) = service::enterprise::propose(c, &actor, &rows, &key, proposal)?;
            Ok((complete(c, &rows, row)?, ids))
        })
        .await?;
        Ok(project(ctx, r, m)?)
    }

    /// Moves a project forward: `PROPOSED → APPROVED → FUNDED →
    /// OPERATING`, or to `CLOSED` from any other state. `FUNDED` records
    /// today as `fundedOn`. A backward or skipping move answers
    /// `BAD_USER_INPUT`; a stale `expectedVersion` `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::writes_enterprise")]
    async fn move_enterprise_project(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: ProjectStatus,
        expected_version: i32,
    ) -> Result<EnterpriseProject> {
        require_write(ctx, Slice::Enterprise)?;
        let id = checked_id(id.0, "id")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let (r, m) = audited(ctx, draft("UPDATE", "EnterpriseProject"), move |c| {
            let (row, ids) =
                service::enterprise::advance(c, &actor, &rows, &id, to, expected_version)?;
            Ok((complete(c, &rows, row)?, ids))
        })
        .await?;
        Ok(project(ctx, r, m)?)
    }

    /// Adds a dated follow-up note (up to 2,000 characters) to a project;
    /// the date may not be in the future.
    #[graphql(visible = "crate::graphql::visibility::writes_enterprise")]
    async fn add_project_note(
        &self,
        ctx: &Context<'_>,
        project_id: ID,
        date: Date,
        text: String,
    ) -> Result<ProjectNote> {
        require_write(ctx, Slice::Enterprise)?;
        let project_id = checked_id(project_id.0, "projectId")?;
        let date = note_date(date, db::now().date())?;
        let text = note_text(&text)?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let note = audited(ctx, draft("CREATE", "ProjectNote"), move |c| {
            service::enterprise::add_note(c, &actor, &rows, &project_id, date, text)
        })
        .await?;
        Ok(note.into())
    }
}
