//! What a statistics table's rows break the figure down by, and the
//! period it covers, in Guatemala's calendar.

use async_graphql::Enum;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::geography;
use crate::error::{AppError, AppResult};

/// Guatemala is UTC-6 all year (America/Guatemala has kept no daylight
/// saving time since 2006): months, days and ages are counted in its
/// calendar, the same offset in the period's bounds and in the SQL.
pub const GUATEMALA_UTC_OFFSET_HOURS: i64 = -6;

/// The longest period one request may cover.
pub const MAX_YEARS: i32 = 10;

/// The row key of records whose value is unknown (e.g. no origin given).
pub const UNKNOWN: &str = "UNKNOWN";

/// What the rows of a statistics table are.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[graphql(name = "StatsDimension", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum Dimension {
    /// Calendar month of the event in Guatemala, `YYYY-MM`.
    Month,
    /// Department of origin (INE code).
    Department,
    /// Municipality of origin (INE code); an erased record keeps only its
    /// department, so it counts under `UNKNOWN` here.
    Municipality,
    /// Sex.
    Sex,
    /// Age in the year of the event: 0–17, 18–24, 25–34, 35–44, 45–54, 55+.
    AgeBand,
}

impl Dimension {
    /// Every dimension, in contract order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Month,
        Dimension::Department,
        Dimension::Municipality,
        Dimension::Sex,
        Dimension::AgeBand,
    ];

    /// The contract name (`MONTH`, …).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Month => "MONTH",
            Dimension::Department => "DEPARTMENT",
            Dimension::Municipality => "MUNICIPALITY",
            Dimension::Sex => "SEX",
            Dimension::AgeBand => "AGE_BAND",
        }
    }

    /// Every row of the dimension over `period`, as (key, label), each
    /// present even when its count is zero, so that tables have a fixed shape.
    pub fn rows(self, period: &Period) -> Vec<(String, String)> {
        let unknown = (UNKNOWN.to_string(), "Unknown".to_string());
        match self {
            Dimension::Month => period
                .months()
                .into_iter()
                .map(|m| (m.clone(), m))
                .collect(),
            Dimension::Department => geography::departments()
                .into_iter()
                .chain([unknown])
                .collect(),
            Dimension::Municipality => geography::all_municipalities()
                .into_iter()
                .map(|m| (m.code.clone(), m.name.clone()))
                .chain([unknown])
                .collect(),
            Dimension::Sex => ["FEMALE", "MALE", "OTHER"]
                .into_iter()
                .map(|s| (s.to_string(), title(s)))
                .collect(),
            Dimension::AgeBand => AGE_BANDS
                .iter()
                .map(|(_, k)| (k.to_string(), k.to_string()))
                .collect(),
        }
    }

    /// The row a raw grouped value (as the SQL gives it) belongs to: ages
    /// fold into bands, anything unexpected into [`UNKNOWN`], so every
    /// counted event lands in exactly one row of every dimension.
    pub fn row_of(self, raw: &str, rows: &[(String, String)]) -> String {
        let key = match self {
            Dimension::AgeBand => raw.parse::<i32>().map(age_band).unwrap_or(UNKNOWN),
            _ => raw,
        };
        if rows.iter().any(|(k, _)| k == key) {
            key.to_string()
        } else {
            UNKNOWN.to_string()
        }
    }
}

/// Lower bound of each age band and its key.
const AGE_BANDS: [(i32, &str); 6] = [
    (0, "0-17"),
    (18, "18-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55+"),
];

fn age_band(age: i32) -> &'static str {
    AGE_BANDS
        .iter()
        .rev()
        .find(|(low, _)| age >= *low)
        .map_or(AGE_BANDS[0].1, |(_, k)| k)
}

fn title(upper: &str) -> String {
    let lower = upper.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A validated period: whole days `from..=to` in Guatemala.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

impl Period {
    /// `BAD_USER_INPUT` when `from` is after `to` or the span exceeds
    /// [`MAX_YEARS`].
    pub fn parse(from: NaiveDate, to: NaiveDate) -> AppResult<Period> {
        if from > to {
            return Err(AppError::bad_input("from", "must not be after `to`"));
        }
        let limit = from.checked_add_months(Months::new(12 * MAX_YEARS as u32));
        if limit.is_none_or(|l| to >= l) {
            return Err(AppError::bad_input(
                "to",
                format!("the period may span at most {MAX_YEARS} years"),
            ));
        }
        Ok(Period { from, to })
    }

    /// The first instant of the period, as stored (UTC).
    pub fn start(&self) -> NaiveDateTime {
        local_midnight(self.from)
    }

    /// The first instant after the period, as stored (UTC).
    pub fn end(&self) -> NaiveDateTime {
        local_midnight(self.to.succ_opt().unwrap_or(self.to))
    }

    /// The months the period touches, `YYYY-MM`, in order.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = self.from.with_day(1).unwrap_or(self.from);
        while m <= self.to {
            out.push(m.format("%Y-%m").to_string());
            match m.checked_add_months(Months::new(1)) {
                Some(next) => m = next,
                None => break,
            }
        }
        out
    }
}

/// Midnight in Guatemala on `day`, in UTC.
fn local_midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) - chrono::Duration::hours(GUATEMALA_UTC_OFFSET_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_checked_and_local() {
        assert!(Period::parse(day("2026-02-01"), day("2026-01-31")).is_err());
        assert!(Period::parse(day("2016-01-01"), day("2026-01-01")).is_err());
        let p = Period::parse(day("2016-01-02"), day("2026-01-01")).unwrap();
        assert_eq!(p.months().len(), 121);
        let p = Period::parse(day("2026-01-31"), day("2026-03-01")).unwrap();
        assert_eq!(p.months(), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(p.start().to_string(), "2026-01-31 06:00:00");
        assert_eq!(p.end().to_string(), "2026-03-02 06:00:00");
    }

    #[test]
    fn every_raw_value_has_one_row() {
        let p = Period::parse(day("2026-01-01"), day("2026-01-31")).unwrap();
        let rows = Dimension::AgeBand.rows(&p);
        assert_eq!(Dimension::AgeBand.row_of("17", &rows), "0-17");
        assert_eq!(Dimension::AgeBand.row_of("18", &rows), "18-24");
        assert_eq!(Dimension::AgeBand.row_of("70", &rows), "55+");
        assert_eq!(Dimension::AgeBand.row_of("x", &rows), UNKNOWN);
        let rows = Dimension::Department.rows(&p);
        assert_eq!(rows.len(), 23);
        assert_eq!(Dimension::Department.row_of("", &rows), UNKNOWN);
        assert_eq!(
            Dimension::Sex.rows(&p)[0],
            ("FEMALE".into(), "Female".into())
        );
    }
}
