//! `reintegra stats --csv`: the statistics tables as a caller would read
//! them, for publication or a spreadsheet.

use crate::config::Settings;
use crate::error::StartupError;

use super::ops::{app_err, connect};

/// `reintegra stats --csv`: the `stats` tables of a caller (institution
/// and role, as a token would name them) as CSV on standard output.
pub fn csv(
    settings: &Settings,
    institution: &str,
    role: crate::domain::institution::Role,
    from: &str,
    to: &str,
    by: Option<&str>,
) -> Result<(), StartupError> {
    use crate::stats::{self, dimension::Period, Request};
    let day = |raw: &str| {
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| StartupError::Config(format!("{raw:?} is not a date (YYYY-MM-DD)")))
    };
    let period = Period::parse(day(from)?, day(to)?).map_err(app_err)?;
    let by = crate::http::stats_csv::dimension(by).map_err(app_err)?;
    let req = Request::for_caller(role, institution, period, by, settings.minex_window_days);
    let mut conn = connect(settings)?;
    let tables = stats::compute_all(&mut conn, &req).map_err(app_err)?;
    print!("{}", stats::csv::render(&tables).map_err(app_err)?);
    Ok(())
}
