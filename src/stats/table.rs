//! The common table engine: grouped counts in, a published table out,
//! with rows for every key of the dimension, totals, small cells hidden
//! (when the caller's role requires it) and rates.

use super::dimension::{Dimension, Period, UNKNOWN};
use super::figures::Figure;
use super::suppression::{publish, suppress_line, suppress_table, with_margins, Mask};
use crate::db::stats::Count;

/// A published table: `None` wherever a count is hidden.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The family (`arrivals`, …).
    pub figure: &'static str,
    /// Human title.
    pub title: &'static str,
    /// What the rows are.
    pub row_dimension: Dimension,
    /// What the columns are.
    pub column_dimension: &'static str,
    /// Columns as (key, label).
    pub columns: Vec<(String, String)>,
    /// One per key of the row dimension.
    pub rows: Vec<Row>,
    /// Per column, over every row.
    pub column_totals: Vec<Option<i64>>,
    /// Everything counted.
    pub grand_total: Option<i64>,
    /// The rate column's share of the grand total, when both are published.
    pub rate: Option<f64>,
}

/// One row of a [`Table`].
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Stable key (`2026-03`, `13`, `FEMALE`, `25-34`, `UNKNOWN`).
    pub key: String,
    /// Human label.
    pub label: String,
    /// One per column.
    pub values: Vec<Option<i64>>,
    /// The row's total.
    pub total: Option<i64>,
    /// The rate column's share of the row total, when both are published.
    pub rate: Option<f64>,
}

impl Table {
    /// The table as published, margins included (the form the checker
    /// `suppression::derivable` reads).
    pub fn with_margins(&self) -> Vec<Vec<Option<i64>>> {
        let mut out: Vec<Vec<Option<i64>>> = self
            .rows
            .iter()
            .map(|r| r.values.iter().copied().chain([r.total]).collect())
            .collect();
        out.push(
            self.column_totals
                .iter()
                .copied()
                .chain([self.grand_total])
                .collect(),
        );
        out
    }
}

/// The counts of `figure` by `by` as a table, suppressed when `suppressed`.
pub fn build(
    figure: &Figure,
    by: Dimension,
    period: &Period,
    counts: &[Count],
    suppressed: bool,
) -> Table {
    let mut keys = by.rows(period);
    let columns: Vec<(String, String)> = figure
        .columns
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect();
    let mut cells = vec![vec![0i64; columns.len()]; keys.len()];
    for (raw, column, n) in counts {
        let Some(j) = columns.iter().position(|(k, _)| k == column) else {
            continue;
        };
        let key = by.row_of(raw, &keys);
        let i = match keys.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                keys.push((UNKNOWN.to_string(), "Unknown".to_string()));
                cells.push(vec![0; columns.len()]);
                keys.len() - 1
            }
        };
        cells[i][j] += n;
    }
    let values = with_margins(&cells, columns.len());
    let mask = mask_for(&values, suppressed);
    assemble(figure, by, columns, keys, publish(&values, &mask))
}

fn mask_for(values: &[Vec<i64>], suppressed: bool) -> Mask {
    if !suppressed {
        return values.iter().map(|r| vec![false; r.len()]).collect();
    }
    // The totals row is the same in every table of the family, so it is
    // decided on its own and then held fixed (docs/statistics.md).
    let totals = suppress_line(&values[values.len() - 1]);
    suppress_table(values, &totals)
}

fn assemble(
    figure: &Figure,
    by: Dimension,
    columns: Vec<(String, String)>,
    keys: Vec<(String, String)>,
    mut published: Vec<Vec<Option<i64>>>,
) -> Table {
    let rate_at = figure
        .rate_column
        .and_then(|c| columns.iter().position(|(k, _)| k == c));
    let rate = |line: &[Option<i64>]| -> Option<f64> {
        let (part, total) = (line.get(rate_at?).copied()??, line.last().copied()??);
        (total > 0).then(|| part as f64 / total as f64)
    };
    let mut totals = published.pop().unwrap_or_default();
    let table_rate = rate(&totals);
    let grand_total = totals.pop().flatten();
    let rows = keys
        .into_iter()
        .zip(published)
        .map(|((key, label), mut line)| {
            let rate = rate(&line);
            let total = line.pop().flatten();
            Row {
                key,
                label,
                values: line,
                total,
                rate,
            }
        })
        .collect();
    Table {
        figure: figure.name,
        title: figure.title,
        row_dimension: by,
        column_dimension: figure.column_dimension,
        columns,
        rows,
        column_totals: totals,
        grand_total,
        rate: table_rate,
    }
}
