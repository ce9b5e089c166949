//! `studyApplicationsCsv`: the caller's applications as CSV for an
//! admissions system (see `service::applications_csv`). Names in it are
//! personal data: each person named is audited as an IDENTITY and
//! STUDIES read.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, ID};

use super::checked_id;
use super::programs::view_of;
use crate::db::{self, applications::ApplicationQuery};
use crate::domain::person::StoredEnum;
use crate::domain::studies::ApplicationStatus;
use crate::error::AppError;
use crate::graphql::access::{require_read, row_filter, ReadLog};
use crate::graphql::pool;
use crate::policy::Slice;
use crate::service::applications_csv;

/// The CSV export query.
#[derive(Default)]
pub struct CsvQuery;

#[Object]
impl CsvQuery {
    /// The caller's study applications as CSV (RFC 4180, header row,
    /// oldest first), optionally of one programme and one status; at most
    /// 10,000 rows. Names only for people still among the caller's rows;
    /// cells that a spreadsheet would run as formulas start with `'`.
    #[graphql(
        visible = "crate::graphql::visibility::reads_studies",
        complexity = 100
    )]
    async fn study_applications_csv(
        &self,
        ctx: &Context<'_>,
        program_id: Option<ID>,
        status: Option<ApplicationStatus>,
    ) -> Result<String> {
        require_read(ctx, Slice::Studies)?;
        let q = ApplicationQuery {
            program_id: program_id
                .map(|p| checked_id(p.0, "programId"))
                .transpose()?,
            status: status.map(|s| s.stored().to_string()),
            migrant_id: None,
        };
        let (rows, view) = (row_filter(ctx)?, view_of(ctx)?);
        let export = db::run_heavy(pool(ctx)?, move |c| {
            applications_csv::export(c, &view, &rows, &q)
        })
        .await?;
        let log = ctx
            .data::<Arc<ReadLog>>()
            .map_err(|_| AppError::Internal("read log unavailable".into()))?;
        for id in &export.named {
            log.record(id, Slice::Identity)?;
            log.record(id, Slice::Studies)?;
        }
        Ok(export.csv)
    }
}
