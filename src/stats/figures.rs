//! The figure families: each is its columns and the one statement that
//! counts it (`db::stats`). The table engine (`table`) does the rest:
//! rows, totals, suppression, rates. A new family (training completions,
//! enterprises funded, admissions and enrolments) is one more [`Figure`]
//! here, one counting function in `db::stats`, one field in
//! `graphql::stats` and one line in [`ALL`].

use diesel::QueryResult;

use crate::db::stats::{self, Count, Query};
use crate::db::DbConnection;

/// One figure family.
pub struct Figure {
    /// Field and CSV name, e.g. `arrivals`.
    pub name: &'static str,
    /// Human title.
    pub title: &'static str,
    /// What the columns are.
    pub column_dimension: &'static str,
    /// The columns as (key, label), in order; every counted unit falls in
    /// exactly one, so row totals are sums.
    pub columns: &'static [(&'static str, &'static str)],
    /// The column whose share of the row total is published as `rate`.
    pub rate_column: Option<&'static str>,
    /// Counts the figure, grouped by row value and column.
    pub count: fn(&mut DbConnection, &Query<'_>) -> QueryResult<Vec<Count>>,
}

/// Arrivals in the period: first returns and repeat returns.
pub const ARRIVALS: Figure = Figure {
    name: "arrivals",
    title: "Arrivals",
    column_dimension: "RETURN",
    columns: &[("FIRST", "First return"), ("REPEAT", "Repeat return")],
    rate_column: Some("REPEAT"),
    count: stats::arrivals,
};

/// Assistance coverage: people served, once per kind of service.
pub const ASSISTANCE_COVERAGE: Figure = Figure {
    name: "assistanceCoverage",
    title: "People served, by kind of service",
    column_dimension: "ASSISTANCE_KIND",
    columns: &[
        ("RECEPTION", "Reception"),
        ("FOOD_RATION", "Food ration"),
        ("MEDICAL_AID", "Medical aid"),
        ("PHONE_CALL", "Phone call"),
        ("TRANSPORT", "Transport"),
    ],
    rate_column: None,
    count: stats::services,
};

/// Job referrals made in the period and where they stand: the programme's
/// published figure is referred → placed (`rate`: placed per referral).
pub const PLACEMENTS: Figure = Figure {
    name: "placements",
    title: "Job referrals and placements",
    column_dimension: "REFERRAL_OUTCOME",
    columns: &[
        ("IN_PROGRESS", "In progress"),
        ("PLACED", "Placed"),
        ("NOT_PLACED", "Not placed"),
    ],
    rate_column: Some("PLACED"),
    count: stats::referrals,
};

/// University applications made in the period and where they stand:
/// admissions and enrolments (`rate`: enrolled per application).
pub const ADMISSIONS: Figure = Figure {
    name: "admissions",
    title: "University applications, admissions and enrolments",
    column_dimension: "APPLICATION_OUTCOME",
    columns: &[
        ("PENDING", "Awaiting a decision"),
        ("ADMITTED", "Admitted, not yet enrolled"),
        ("ENROLLED", "Enrolled"),
        ("NOT_ADMITTED", "Not admitted"),
        ("WITHDRAWN", "Withdrew after admission"),
    ],
    rate_column: Some("ENROLLED"),
    count: stats::applications,
};

/// Training enrolments made in the period and where they stand
/// (`rate`: completions per enrolment).
pub const TRAINING: Figure = Figure {
    name: "training",
    title: "Training enrolments and completions",
    column_dimension: "ENROLMENT_OUTCOME",
    columns: &[
        ("IN_TRAINING", "In training"),
        ("COMPLETED", "Completed"),
        ("DROPPED", "Dropped out"),
    ],
    rate_column: Some("COMPLETED"),
    count: stats::enrolments,
};

/// Micro-enterprise projects proposed in the period and whether they were
/// funded (`rate`: funded per project).
pub const ENTERPRISES: Figure = Figure {
    name: "enterprises",
    title: "Micro-enterprise projects funded",
    column_dimension: "FUNDING",
    columns: &[
        ("NOT_YET_FUNDED", "Not yet funded"),
        ("FUNDED", "Funded"),
        ("CLOSED_UNFUNDED", "Closed without funding"),
    ],
    rate_column: Some("FUNDED"),
    count: stats::projects,
};

/// Every published family, in output order (GraphQL fields and CSV).
pub const ALL: [&Figure; 6] = [
    &ARRIVALS,
    &ASSISTANCE_COVERAGE,
    &PLACEMENTS,
    &TRAINING,
    &ENTERPRISES,
    &ADMISSIONS,
];
