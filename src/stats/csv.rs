//! The statistics tables as CSV, one line per published entry (long
//! form): `figure,row_dimension,row_key,row_label,column_key,value`, with
//! `TOTAL` as the key of totals and an empty value where a count is hidden.

use super::table::Table;
use crate::error::{AppError, AppResult};

/// The key of a total row or column.
pub const TOTAL: &str = "TOTAL";

/// Renders `tables` as CSV text.
pub fn render(tables: &[Table]) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("cannot write CSV: {e}"));
    w.write_record([
        "figure",
        "row_dimension",
        "row_key",
        "row_label",
        "column_key",
        "value",
    ])
    .map_err(fail)?;
    for t in tables {
        for (key, label, column, value) in entries(t) {
            let value = value.map(|v| v.to_string()).unwrap_or_default();
            w.write_record([t.figure, t.row_dimension.name(), key, label, column, &value])
                .map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal("CSV is not UTF-8".into()))
}

type Entry<'a> = (&'a str, &'a str, &'a str, Option<i64>);

/// Every published entry of `t`: cells and row totals row by row, then
/// the column totals and the grand total.
fn entries(t: &Table) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for r in &t.rows {
        for ((column, _), v) in t.columns.iter().zip(&r.values) {
            out.push((r.key.as_str(), r.label.as_str(), column.as_str(), *v));
        }
        out.push((r.key.as_str(), r.label.as_str(), TOTAL, r.total));
    }
    for ((column, _), v) in t.columns.iter().zip(&t.column_totals) {
        out.push((TOTAL, "Total", column.as_str(), *v));
    }
    out.push((TOTAL, "Total", TOTAL, t.grand_total));
    out
}
