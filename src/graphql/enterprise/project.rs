//! The `EnterpriseProject` type, its notes and history, and the inputs
//! that propose a project and add a note.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, InputObject, Result, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::enterprise::{NoteRow, ProjectEventRow, ProjectRow};
use crate::domain::enterprise::ProjectStatus;
use crate::domain::geography::MunicipalityCode;
use crate::domain::isco::IscoUnit;
use crate::domain::money::Centavos;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::graphql::access::ReadLog;
use crate::graphql::labour::inputs::{text, with_field};
use crate::graphql::labour::{checked_id, municipality};
use crate::graphql::migrant::Migrant;
use crate::graphql::money::Money;
use crate::graphql::occupations::Occupation;
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;
use crate::policy::Slice;
use crate::service::enterprise::Proposal;

/// Longest follow-up note, in characters.
pub const MAX_NOTE: usize = 2_000;

/// A micro-enterprise project of a person (ENTERPRISE).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct EnterpriseProject {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version; pass it as `expectedVersion`.
    pub version: i32,
    /// Where it stands.
    pub status: ProjectStatus,
    /// The business activity, as described.
    pub activity: String,
    /// The activity's ISCO-08 unit group, when given.
    pub occupation: Option<Occupation>,
    /// Where the business is; `null` after an erasure.
    pub municipality: Option<Municipality>,
    /// Two-digit department code of the business.
    pub department_code: String,
    /// The grant.
    pub grant: Money,
    /// When the grant was paid out (set by the move to `FUNDED`).
    pub funded_on: Option<Date>,
    /// The person.
    pub migrant: Option<Migrant>,
    /// Subject of the officer who proposed it.
    pub created_by: String,
    /// Proposed at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last moved at (UTC).
    pub updated_at: DateTime<Utc>,
}

/// A dated follow-up note on a project.
#[derive(SimpleObject, Clone)]
pub struct ProjectNote {
    /// Opaque id.
    pub id: ID,
    /// The day the note is about.
    pub date: Date,
    /// The note.
    pub text: String,
    /// Who wrote it.
    pub created_by: String,
    /// Written at (UTC).
    pub created_at: DateTime<Utc>,
}

/// One move of a project: to what, by whom, when.
#[derive(SimpleObject, Clone)]
pub struct ProjectMove {
    /// The status reached.
    pub status: ProjectStatus,
    /// Who moved it.
    pub by: String,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

impl From<NoteRow> for ProjectNote {
    fn from(n: NoteRow) -> Self {
        ProjectNote {
            id: ID(n.id),
            date: Date(n.note_date),
            text: n.text,
            created_by: n.created_by,
            created_at: n.created_at.and_utc(),
        }
    }
}

impl From<ProjectEventRow> for ProjectMove {
    fn from(e: ProjectEventRow) -> Self {
        ProjectMove {
            status: ProjectStatus::from_stored(&e.status).unwrap_or(ProjectStatus::Proposed),
            by: e.by,
            at: e.at.and_utc(),
        }
    }
}

#[ComplexObject]
impl EnterpriseProject {
    /// Follow-up notes, oldest date first.
    #[graphql(complexity = "crate::graphql::cost::PER_PERSON * child_complexity + 1")]
    async fn notes(&self, ctx: &Context<'_>) -> Result<Vec<ProjectNote>> {
        let rows = crate::graphql::loaders::of(ctx)?
            .project_notes
            .load_one(self.id.0.clone())
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Every move, oldest first (the first is `PROPOSED`).
    #[graphql(complexity = "crate::graphql::cost::PER_PERSON * child_complexity + 1")]
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ProjectMove>> {
        let rows = crate::graphql::loaders::of(ctx)?
            .project_events
            .load_one(self.id.0.clone())
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// The GraphQL project of a row and its person; logs the ENTERPRISE read
/// of that person.
pub fn project(
    ctx: &Context<'_>,
    r: ProjectRow,
    m: Option<Migrant>,
) -> AppResult<EnterpriseProject> {
    ctx.data::<Arc<ReadLog>>()
        .map_err(|_| AppError::Internal("read log unavailable".into()))?
        .record(&r.migrant_id, Slice::Enterprise)?;
    Ok(EnterpriseProject {
        id: ID(r.id),
        version: r.version,
        status: ProjectStatus::from_stored(&r.status).unwrap_or(ProjectStatus::Proposed),
        activity: r.activity,
        occupation: r.isco_code.as_deref().and_then(Occupation::lookup),
        municipality: r.municipality_code.as_deref().and_then(municipality),
        department_code: r.department_code,
        grant: Money::gtq(r.grant_centavos),
        funded_on: r.funded_on.map(Date),
        migrant: m,
        created_by: r.created_by,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

/// Input of `proposeEnterpriseProject`.
#[derive(InputObject)]
pub struct ProposeEnterpriseProjectInput {
    /// The person.
    pub migrant_id: ID,
    /// The business activity, 2–200 characters (e.g. `Tortillería`).
    pub activity: String,
    /// The activity's ISCO-08 unit group, four digits (e.g. `7512`, bakers).
    pub isco_code: Option<String>,
    /// Four-digit municipality code of the business.
    pub municipality_code: String,
    /// The grant in GTQ, a decimal string (`"15000.00"`).
    pub grant_amount: String,
}

impl ProposeEnterpriseProjectInput {
    /// Validates every field.
    pub fn validate(self) -> AppResult<Proposal> {
        Ok(Proposal {
            migrant_id: checked_id(self.migrant_id.0, "input.migrantId")?,
            activity: text("input.activity", &self.activity, 2, 200)?,
            isco_code: (self.isco_code.as_deref())
                .map(|c| with_field("input.iscoCode", IscoUnit::parse(c)))
                .transpose()?
                .map(|u| u.as_str().to_string()),
            municipality: with_field(
                "input.municipalityCode",
                MunicipalityCode::parse(&self.municipality_code),
            )?,
            grant_centavos: with_field("input.grantAmount", Centavos::parse(&self.grant_amount))?
                .get(),
        })
    }
}

/// A note's text: trimmed, 1 to [`MAX_NOTE`] characters; line breaks and
/// tabs are kept, other control characters refused.
pub fn note_text(raw: &str) -> AppResult<String> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 || n > MAX_NOTE || raw.len() > MAX_NOTE * 4 {
        return Err(AppError::bad_input(
            "text",
            format!("must be 1 to {MAX_NOTE} characters"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::bad_input(
            "text",
            "must not hold control characters",
        ));
    }
    Ok(t.to_string())
}

/// A note's date: not after `today`.
pub fn note_date(d: Date, today: NaiveDate) -> AppResult<NaiveDate> {
    if d.0 > today {
        return Err(AppError::bad_input("date", "must not be in the future"));
    }
    Ok(d.0)
}
