//! `stats(from, to, by)`: the programme's figures as tables, readable by
//! every role, small cells hidden outside IOM (docs/statistics.md).

use async_graphql::{Context, Object, Result, SimpleObject};

use super::scalars::Date;
use super::{caller, cost, pool};
use crate::config::Settings;
use crate::db;
use crate::error::AppError;
use crate::stats::dimension::{Dimension, Period};
use crate::stats::figures::{self, Figure};
use crate::stats::table::{Row, Table};
use crate::stats::{self, Request};

/// A column of a statistics table.
#[derive(SimpleObject)]
pub struct StatsColumn {
    /// Stable key (`FIRST`, `FOOD_RATION`, `PLACED`, …).
    pub key: String,
    /// Human label.
    pub label: String,
}

/// One row of a statistics table; `null` wherever a count is hidden.
pub struct StatsRow(Row);

#[Object]
impl StatsRow {
    /// Stable key: `YYYY-MM`, a department or municipality code, `FEMALE`,
    /// `25-34`, or `UNKNOWN`.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Human label.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// One count per column, in the order of `columns`; `null` when hidden.
    #[graphql(complexity = "cost::STATS_COLUMNS * child_complexity + 1")]
    async fn values(&self) -> &[Option<i64>] {
        &self.0.values
    }

    /// The row's total; `null` when hidden.
    async fn total(&self) -> Option<i64> {
        self.0.total
    }

    /// The rate column's share of the row total (e.g. placed per
    /// referral), when the table has one and both counts are published.
    async fn rate(&self) -> Option<f64> {
        self.0.rate
    }
}

/// A figure broken down by one dimension, with row and column totals.
pub struct StatsTable(Table);

#[Object]
impl StatsTable {
    /// The family: `arrivals`, `assistanceCoverage`, `placements`,
    /// `training`, `enterprises`, `admissions`.
    async fn figure(&self) -> &str {
        self.0.figure
    }

    /// Human title.
    async fn title(&self) -> &str {
        self.0.title
    }

    /// What the rows are.
    async fn row_dimension(&self) -> Dimension {
        self.0.row_dimension
    }

    /// What the columns are (`RETURN`, `ASSISTANCE_KIND`, `REFERRAL_OUTCOME`).
    async fn column_dimension(&self) -> &str {
        self.0.column_dimension
    }

    /// The columns, in order.
    #[graphql(complexity = "cost::STATS_COLUMNS * child_complexity + 1")]
    async fn columns(&self) -> Vec<StatsColumn> {
        self.0
            .columns
            .iter()
            .map(|(key, label)| StatsColumn {
                key: key.clone(),
                label: label.clone(),
            })
            .collect()
    }

    /// One row per key of the dimension, zeros included.
    #[graphql(complexity = "cost::STATS_ROWS * child_complexity + 1")]
    async fn rows(&self) -> Vec<StatsRow> {
        self.0.rows.iter().cloned().map(StatsRow).collect()
    }

    /// Per column, over every row; `null` when hidden.
    #[graphql(complexity = "cost::STATS_COLUMNS * child_complexity + 1")]
    async fn column_totals(&self) -> &[Option<i64>] {
        &self.0.column_totals
    }

    /// Everything counted; `null` when hidden.
    async fn grand_total(&self) -> Option<i64> {
        self.0.grand_total
    }

    /// The rate column's share of the grand total, when published.
    async fn rate(&self) -> Option<f64> {
        self.0.rate
    }
}

/// The figures of one period, each a table by the requested dimension.
pub struct Stats(Request);

impl Stats {
    async fn table(&self, ctx: &Context<'_>, figure: &'static Figure) -> Result<StatsTable> {
        let req = self.0.clone();
        let table = db::run_heavy(pool(ctx)?, move |c| stats::compute(c, &req, figure)).await?;
        Ok(StatsTable(table))
    }
}

#[Object]
impl Stats {
    /// First day (Guatemala).
    async fn from(&self) -> Date {
        Date(self.0.period.from)
    }

    /// Last day, inclusive (Guatemala).
    async fn to(&self) -> Date {
        Date(self.0.period.to)
    }

    /// What the rows of every table are.
    async fn by(&self) -> Dimension {
        self.0.by
    }

    /// Whether small cells are hidden for the caller (every role outside IOM).
    async fn suppressed(&self) -> bool {
        self.0.suppressed
    }

    /// Arrivals in the period: first and repeat returns (`rate`: the share
    /// of repeat returns).
    async fn arrivals(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::ARRIVALS).await
    }

    /// People served in the period, once per kind of service and row.
    async fn assistance_coverage(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::ASSISTANCE_COVERAGE).await
    }

    /// Job referrals made in the period by outcome so far (`rate`: placed
    /// per referral, the programme's published figure).
    async fn placements(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::PLACEMENTS).await
    }

    /// Training enrolments made in the period by where they stand
    /// (`rate`: completions per enrolment).
    async fn training(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::TRAINING).await
    }

    /// Micro-enterprise projects proposed in the period and whether they
    /// were funded (`rate`: funded per project).
    async fn enterprises(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::ENTERPRISES).await
    }

    /// University applications made in the period by where they stand
    /// (`rate`: enrolled per application). A university counts only
    /// applications to its own programmes.
    async fn admissions(&self, ctx: &Context<'_>) -> Result<StatsTable> {
        self.table(ctx, &figures::ADMISSIONS).await
    }
}

/// The statistics query.
#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// The programme's figures for the days `from..=to` (Guatemala; at most
    /// ten years), rows by `by`. Every role may read them; each counts the
    /// people it followed in the period (IOM and the auditor: everyone),
    /// and every role outside IOM reads them with small cells hidden.
    #[graphql(visible = "crate::graphql::visibility::reads_stats")]
    async fn stats(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        #[graphql(default_with = "Dimension::Month")] by: Dimension,
    ) -> Result<Stats> {
        let id = &caller(ctx)?.identity;
        let settings = ctx
            .data::<Settings>()
            .map_err(|_| AppError::Internal("settings missing".into()))?;
        let period = Period::parse(from.0, to.0)?;
        Ok(Stats(Request::for_caller(
            id.role,
            &id.institution.code,
            period,
            by,
            settings.minex_window_days,
        )))
    }
}
