//! Education history (SKILLS slice): the `EducationRecord` type shown in
//! `Skills.educationHistory`, the `fieldsOfStudy` classification, and the
//! mutations IOM staff (and any SKILLS writer) use to record studies.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Datelike, Utc};

use super::checked_id;
use crate::db::education::EducationRow;
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{self, FieldOfStudy, StudyCountry};
use crate::error::{AppError, AppResult};
use crate::graphql::access::{require_write, row_filter};
use crate::graphql::labour::{actor, inputs::text};
use crate::graphql::write::{audited, idem_key, AuditDraft};
use crate::policy::Slice;
use crate::service::{self, education::EducationFields};

/// An ISCED-F 2013 broad field of education.
#[derive(SimpleObject, Clone, Debug)]
pub struct FieldOfEducation {
    /// Two digits, `00` to `10`, or `99` (unknown).
    pub code: String,
    /// English title.
    pub title: String,
}

impl FieldOfEducation {
    /// The field with this stored code.
    pub fn of(code: &str) -> Self {
        FieldOfEducation {
            code: code.to_string(),
            title: studies::field_title(code)
                .unwrap_or("(unknown)")
                .to_string(),
        }
    }
}

/// Studies begun or completed (SKILLS).
#[derive(SimpleObject, Clone)]
pub struct EducationRecord {
    /// Opaque id (study applications cite it).
    pub id: ID,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Level of the studies (a GED or US high-school diploma is
    /// `UPPER_SECONDARY`; see docs/universities.md).
    pub level: EducationLevel,
    /// Field of education.
    pub field: FieldOfEducation,
    /// School or university.
    pub institution: Option<String>,
    /// `GT` or `US`.
    pub country: StudyCountry,
    /// Years of this level completed.
    pub years_completed: i32,
    /// Credits earned, when counted in credits.
    pub credits: Option<i32>,
    /// The level was finished (diploma, title, GED).
    pub completed: bool,
    /// Last year of study.
    pub last_year: Option<i32>,
    /// Recorded at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<EducationRow> for EducationRecord {
    fn from(r: EducationRow) -> Self {
        EducationRecord {
            level: EducationLevel::from_stored(&r.level).unwrap_or(EducationLevel::None),
            field: FieldOfEducation::of(&r.field_code),
            country: StudyCountry::from_stored(&r.country).unwrap_or(StudyCountry::Gt),
            id: ID(r.id),
            version: r.version,
            institution: r.institution,
            years_completed: r.years_completed,
            credits: r.credits,
            completed: r.completed,
            last_year: r.last_year,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// One period of studies.
#[derive(InputObject)]
pub struct EducationInput {
    /// Level of the studies (not `NONE`).
    pub level: EducationLevel,
    /// ISCED-F 2013 broad field (`00` general education, `07`
    /// engineering…; see `fieldsOfStudy`).
    pub field_code: String,
    /// School or university, up to 150 characters.
    pub institution: Option<String>,
    /// Where.
    pub country: StudyCountry,
    /// Years of this level completed (0 to 12).
    pub years_completed: i32,
    /// Credits earned (0 to 400).
    pub credits: Option<i32>,
    /// The level was finished.
    pub completed: bool,
    /// Last year of study (1950 to this year).
    pub last_year: Option<i32>,
}

fn in_range(field: &str, v: Option<i32>, lo: i32, hi: i32) -> AppResult<Option<i32>> {
    match v {
        Some(n) if !(lo..=hi).contains(&n) => Err(AppError::bad_input(
            format!("input.{field}"),
            format!("must be {lo} to {hi}"),
        )),
        other => Ok(other),
    }
}

impl EducationInput {
    fn validate(self) -> AppResult<EducationFields> {
        if self.level == EducationLevel::None {
            return Err(AppError::bad_input(
                "input.level",
                "record studies at a level; no schooling is `educationLevel: NONE`",
            ));
        }
        let field = FieldOfStudy::parse(&self.field_code)
            .map_err(|e| AppError::bad_input("input.fieldCode", e))?;
        let institution = (self.institution.as_deref())
            .filter(|s| !s.trim().is_empty())
            .map(|s| text("input.institution", s, 1, 150))
            .transpose()?;
        let year = crate::db::now().year();
        Ok(EducationFields {
            level: self.level,
            field,
            institution,
            country: self.country,
            years_completed: in_range("yearsCompleted", Some(self.years_completed), 0, 12)?
                .unwrap_or(0),
            credits: in_range("credits", self.credits, 0, 400)?,
            completed: self.completed,
            last_year: in_range("lastYear", self.last_year, 1950, year)?,
        })
    }
}

/// The classification of fields (no personal data: any caller).
#[derive(Default)]
pub struct FieldsQuery;

#[Object]
impl FieldsQuery {
    /// The ISCED-F 2013 broad fields of education, by code.
    #[graphql(complexity = "12 * child_complexity")]
    async fn fields_of_study(&self, ctx: &Context<'_>) -> Result<Vec<FieldOfEducation>> {
        crate::graphql::caller(ctx)?;
        Ok(studies::all_fields()
            .map(|(code, _)| FieldOfEducation::of(code))
            .collect())
    }
}

fn draft(action: &'static str) -> AuditDraft {
    AuditDraft {
        action,
        entity: "EducationRecord",
        slices: vec![Slice::Skills],
    }
}

/// Education history mutations (SKILLS writers).
#[derive(Default)]
pub struct EducationMutation;

#[Object]
impl EducationMutation {
    /// Adds studies to a person's education history.
    #[graphql(visible = "crate::graphql::visibility::updates_skills")]
    async fn record_education(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        input: EducationInput,
        idempotency_key: Option<String>,
    ) -> Result<EducationRecord> {
        require_write(ctx, Slice::Skills)?;
        let migrant_id = checked_id(migrant_id.0, "migrantId")?;
        let fields = input.validate()?;
        let key = idem_key(ctx, idempotency_key, "recordEducation")?;
        let (actor, rows) = (actor(ctx)?, row_filter(ctx)?);
        let row = audited(ctx, draft("CREATE"), move |c| {
            service::education::record(c, &actor, &rows, &key, &migrant_id, fields)
        })
        .await?;
        Ok(row.into())
    }

    /// Replaces the fields of one record; a stale `expectedVersion`
    /// answers `CONFLICT`.
    #[graphql(visible = "crate::graphql::visibility::updates_skills")]
    async fn update_education(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: EducationInput,
    ) -> Result<EducationRecord> {
        require_write(ctx, Slice::Skills)?;
        let id = checked_id(id.0, "id")?;
        let fields = input.validate()?;
        let rows = row_filter(ctx)?;
        let row = audited(ctx, draft("UPDATE"), move |c| {
            service::education::update(c, &rows, &id, expected_version, fields)
        })
        .await?;
        Ok(row.into())
    }

    /// Removes one record (`CONFLICT` while a study application
    /// recognises it); returns the record as it was.
    #[graphql(visible = "crate::graphql::visibility::updates_skills")]
    async fn remove_education(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<EducationRecord> {
        require_write(ctx, Slice::Skills)?;
        let id = checked_id(id.0, "id")?;
        let rows = row_filter(ctx)?;
        let row = audited(ctx, draft("DELETE"), move |c| {
            service::education::remove(c, &rows, &id, expected_version)
        })
        .await?;
        Ok(row.into())
    }
}
