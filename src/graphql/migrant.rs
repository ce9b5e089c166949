//! The `Migrant` type: every slice field checks the policy and logs the read.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::scalars::Date;

use super::access::*;
use super::assistance::Assistance;
use super::records::{Arrival, Consent, Health, Protection};
use super::reference::Municipality;
use super::skills::Skills;
use crate::db::migrant_columns::Columns;
use crate::db::migrants::MigrantRow;
use crate::domain::person::{Sex, StoredEnum};
use crate::error::AppError;
use crate::policy::Slice;

/// A person's record. Fields outside the caller's slices are hidden from
/// its introspection and resolve to `null` with `FORBIDDEN`.
#[derive(Clone)]
pub struct Migrant {
    row: Arc<MigrantRow>,
    /// The row slices whose columns were read; the others hold placeholders.
    loaded: Columns,
}

impl Migrant {
    /// A record read with every column.
    pub fn full(row: MigrantRow) -> Self {
        Self::partial(row, Columns::ALL)
    }

    /// A record read with only the `loaded` slices' columns
    /// (`db::migrant_columns`).
    pub fn partial(row: MigrantRow, loaded: Columns) -> Self {
        Self {
            row: Arc::new(row),
            loaded,
        }
    }

    /// The stored row (only the loaded slices' columns hold data).
    pub fn row(&self) -> &MigrantRow {
        &self.row
    }

    /// The policy first (a slice the role may not read is `FORBIDDEN`, and
    /// was never loaded); then a slice the read left out fails rather than
    /// show a placeholder; only then is the read logged.
    fn read(&self, ctx: &Context<'_>, slice: Slice) -> Result<()> {
        require_read(ctx, slice)?;
        if !self.loaded.covers(slice) {
            return Err(AppError::Internal(format!("{slice:?} columns were not loaded")).into());
        }
        read_slice(ctx, &self.row.id, slice)?;
        Ok(())
    }
}

/// When a record was created and last changed.
#[derive(SimpleObject)]
pub struct RecordTimes {
    /// Creation (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
}

#[Object]
impl Migrant {
    /// Opaque id.
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }

    /// Optimistic-concurrency version; pass it as `expectedVersion` to update.
    async fn version(&self) -> i32 {
        self.row.version
    }

    /// Given names (IDENTITY).
    #[graphql(visible = "sees_identity")]
    async fn given_names(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Identity)?;
        Ok(Some(self.row.given_names.clone()))
    }

    /// Family names (IDENTITY).
    #[graphql(visible = "sees_identity")]
    async fn family_names(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Identity)?;
        Ok(Some(self.row.family_names.clone()))
    }

    /// Birth date (IDENTITY).
    #[graphql(visible = "sees_identity")]
    async fn birth_date(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        self.read(ctx, Slice::Identity)?;
        Ok(Some(Date(self.row.birth_date)))
    }

    /// Sex (IDENTITY).
    #[graphql(visible = "sees_identity")]
    async fn sex(&self, ctx: &Context<'_>) -> Result<Option<Sex>> {
        self.read(ctx, Slice::Identity)?;
        Ok(Sex::from_stored(&self.row.sex))
    }

    /// CUI of the DPI (DOCUMENTS).
    #[graphql(visible = "sees_documents")]
    async fn document_number(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Documents)?;
        Ok(self.row.document_number.clone())
    }

    /// Passport number (DOCUMENTS).
    #[graphql(visible = "sees_documents")]
    async fn passport_number(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Documents)?;
        Ok(self.row.passport_number.clone())
    }

    /// Phone in E.164 (CONTACT).
    #[graphql(visible = "sees_contact")]
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Contact)?;
        Ok(self.row.phone.clone())
    }

    /// Address (CONTACT).
    #[graphql(visible = "sees_contact")]
    async fn address(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Contact)?;
        Ok(self.row.address.clone())
    }

    /// A relative's name (CONTACT).
    #[graphql(visible = "sees_contact")]
    async fn relative_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Contact)?;
        Ok(self.row.relative_name.clone())
    }

    /// A relative's phone in E.164 (CONTACT).
    #[graphql(visible = "sees_contact")]
    async fn relative_phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.read(ctx, Slice::Contact)?;
        Ok(self.row.relative_phone.clone())
    }

    /// Home municipality, and through it the department (ORIGIN).
    #[graphql(visible = "sees_origin")]
    async fn origin_municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        self.read(ctx, Slice::Origin)?;
        let Some(code) = self.row.origin_municipality_code.clone() else {
            return Ok(None);
        };
        let row = super::loaders::of(ctx)?
            .municipalities
            .load_one(code)
            .await?;
        Ok(row.map(Municipality::from))
    }

    /// Every return to Guatemala, oldest first (RETURN).
    #[graphql(
        visible = "sees_return",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn arrivals(&self, ctx: &Context<'_>) -> Result<Option<Vec<Arrival>>> {
        self.read(ctx, Slice::Return)?;
        let rows = super::loaders::of(ctx)?
            .arrivals
            .load_one(self.row.id.clone())
            .await?;
        Ok(Some(
            rows.unwrap_or_default().into_iter().map(Arrival).collect(),
        ))
    }

    /// How many earlier returns precede the latest one (RETURN).
    #[graphql(visible = "sees_return")]
    async fn previous_returns(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        self.read(ctx, Slice::Return)?;
        let rows = super::loaders::of(ctx)?
            .arrivals
            .load_one(self.row.id.clone())
            .await?;
        let n = rows.map_or(0, |r| r.iter().filter(|a| a.status == "ARRIVED").count());
        Ok(Some(i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX)))
    }

    /// Services given on arrival, oldest first (ASSISTANCE).
    #[graphql(
        visible = "sees_assistance",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn assistance(&self, ctx: &Context<'_>) -> Result<Option<Vec<Assistance>>> {
        self.read(ctx, Slice::Assistance)?;
        let rows = super::loaders::of(ctx)?
            .assistance
            .load_one(self.row.id.clone())
            .await?;
        Ok(Some(
            rows.unwrap_or_default()
                .into_iter()
                .map(Assistance)
                .collect(),
        ))
    }

    /// Medical needs and notes (HEALTH).
    #[graphql(visible = "sees_health")]
    async fn health(&self, ctx: &Context<'_>) -> Result<Option<Health>> {
        self.read(ctx, Slice::Health)?;
        Ok(Some(Health::from(self.row())))
    }

    /// Education, occupations, languages, certifications (SKILLS).
    #[graphql(visible = "sees_skills")]
    async fn skills(&self, ctx: &Context<'_>) -> Result<Option<Skills>> {
        self.read(ctx, Slice::Skills)?;
        let lists = super::loaders::of(ctx)?
            .skills
            .load_one(self.row.id.clone())
            .await?;
        Ok(Some(Skills::new(self.row(), lists.unwrap_or_default())))
    }

    /// Job referrals of this person (EMPLOYMENT).
    #[graphql(visible = "sees_employment")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<super::labour::referrals::JobReferral>>> {
        self.read(ctx, Slice::Employment)?;
        let rows = super::loaders::of(ctx)?
            .referrals
            .load_one(self.row.id.clone())
            .await?
            .unwrap_or_default();
        let out = rows
            .into_iter()
            .map(|r| super::labour::referrals::referral(ctx, r, Some(self.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(out))
    }

    /// Study applications of this person (STUDIES): a university sees
    /// only those to its own programmes.
    #[graphql(
        visible = "sees_studies",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn study_applications(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<super::studies::applications::StudyApplication>>> {
        self.read(ctx, Slice::Studies)?;
        let rows = super::loaders::of(ctx)?
            .study_applications
            .load_one(self.row.id.clone())
            .await?
            .unwrap_or_default();
        let out = rows
            .into_iter()
            .map(|r| super::studies::applications::application(ctx, r, Some(self.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(out))
    }

    /// Training enrolments of this person, with their courses (EMPLOYMENT).
    #[graphql(
        visible = "sees_employment",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn training_enrolments(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<super::training::enrolments::TrainingEnrolment>>> {
        self.read(ctx, Slice::Employment)?;
        let rows = super::loaders::of(ctx)?
            .enrolments
            .load_one(self.row.id.clone())
            .await?
            .unwrap_or_default();
        let out = rows
            .into_iter()
            .map(|(e, c)| super::training::enrolments::enrolment(ctx, e, c, Some(self.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(out))
    }

    /// Micro-enterprise projects of this person (ENTERPRISE).
    #[graphql(
        visible = "sees_enterprise",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn enterprise_projects(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<super::enterprise::project::EnterpriseProject>>> {
        self.read(ctx, Slice::Enterprise)?;
        let rows = super::loaders::of(ctx)?
            .projects
            .load_one(self.row.id.clone())
            .await?
            .unwrap_or_default();
        let out = rows
            .into_iter()
            .map(|p| super::enterprise::project::project(ctx, p, Some(self.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(out))
    }

    /// Vulnerability flags (PROTECTION).
    #[graphql(visible = "sees_protection")]
    async fn protection(&self, ctx: &Context<'_>) -> Result<Option<Protection>> {
        self.read(ctx, Slice::Protection)?;
        Ok(Some(Protection::from(self.row())))
    }

    /// Consents to share (CONSENT); partners see only their own.
    #[graphql(
        visible = "sees_consent",
        complexity = "super::cost::PER_PERSON * child_complexity + 1"
    )]
    async fn consents(&self, ctx: &Context<'_>) -> Result<Option<Vec<Consent>>> {
        self.read(ctx, Slice::Consent)?;
        let rows = super::loaders::of(ctx)?
            .consents
            .load_one(self.row.id.clone())
            .await?;
        Ok(Some(
            rows.unwrap_or_default().into_iter().map(Consent).collect(),
        ))
    }

    /// Creation and last change (IDENTITY).
    #[graphql(visible = "sees_identity")]
    async fn record_times(&self, ctx: &Context<'_>) -> Result<Option<RecordTimes>> {
        self.read(ctx, Slice::Identity)?;
        Ok(Some(RecordTimes {
            created_at: self.row.created_at.and_utc(),
            updated_at: self.row.updated_at.and_utc(),
        }))
    }
}
