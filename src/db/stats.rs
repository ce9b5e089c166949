//! Statistics counts: one GROUP BY statement per figure and row dimension,
//! over the caller's followed people (`scope::followed`). Rows come back
//! as (raw row value, column key, count); the grouping keys are computed
//! in SQL, in Guatemala's calendar, so nothing is loaded row by row.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::schema::{
    arrivals, assistance, enterprise_projects, job_referrals, migrants, study_applications,
    training_enrolments,
};
use super::scope;
use super::DbConnection;
use crate::policy::{RowFilter, RowScope};
use crate::stats::dimension::{Dimension, GUATEMALA_UTC_OFFSET_HOURS};

/// One grouped count: raw row value, column key, how many.
pub type Count = (String, String, i64);

/// What to count: whose events, when, broken down by what.
pub struct Query<'a> {
    /// The caller's rows (the statistics scope, see `policy::stats_rows`).
    pub rows: &'a RowFilter,
    /// First instant counted (UTC).
    pub start: NaiveDateTime,
    /// First instant not counted (UTC).
    pub end: NaiveDateTime,
    /// The row dimension.
    pub by: Dimension,
}

/// The SQL of the row value of `by` for an event at timestamp column
/// `at`, taken in Guatemala's local time.
fn row_sql(conn: &DbConnection, by: Dimension, at: &str) -> String {
    let h = GUATEMALA_UTC_OFFSET_HOURS;
    let pg = matches!(conn, DbConnection::Pg(_));
    let (t, year) = if pg {
        let t = format!("({at} + INTERVAL '{h} hours')");
        let year = format!("CAST(EXTRACT(YEAR FROM {t}) AS INTEGER)");
        (t, year)
    } else {
        let t = format!("{at}, '{h} hours'");
        let year = format!("CAST(strftime('%Y', {t}) AS INTEGER)");
        (t, year)
    };
    let born = if pg {
        "CAST(EXTRACT(YEAR FROM migrants.birth_date) AS INTEGER)"
    } else {
        "CAST(strftime('%Y', migrants.birth_date) AS INTEGER)"
    };
    match by {
        Dimension::Month if pg => format!("to_char({t}, 'YYYY-MM')"),
        Dimension::Month => format!("strftime('%Y-%m', {t})"),
        Dimension::Department => "COALESCE(migrants.origin_department_code, '')".into(),
        Dimension::Municipality => "COALESCE(migrants.origin_municipality_code, '')".into(),
        Dimension::Sex => "migrants.sex".into(),
        // Age reached in the event's year: the birth year is all an erased
        // record keeps, so the band never moves when someone is erased.
        Dimension::AgeBand => format!("CAST({year} - {born} AS TEXT)"),
    }
}

/// The grouped count of `$table`'s rows whose `$at` falls in the period,
/// over the caller's followed people: (row value, `$column`, count), boxed
/// so a figure can add its own filter.
macro_rules! counted {
    ($conn:expr, $q:expr, $table:ident, $at:ident, $column:expr) => {{
        let row = row_sql(
            $conn,
            $q.by,
            concat!(stringify!($table), ".", stringify!($at)),
        );
        $table::table
            .inner_join(migrants::table)
            .filter($table::$at.ge($q.start))
            .filter($table::$at.lt($q.end))
            .filter(scope::followed($q.rows, $q.start, $q.end))
            .select((
                sql::<Text>(&row),
                sql::<Text>($column),
                sql::<BigInt>("COUNT(*)"),
            ))
            .group_by(sql::<Text>("1, 2"))
            .into_boxed()
    }};
}

/// An arrival is a repeat return when the person arrived before it.
const RETURN_SQL: &str = "CASE WHEN EXISTS (SELECT 1 FROM arrivals earlier \
     WHERE earlier.migrant_id = arrivals.migrant_id AND earlier.status = 'ARRIVED' \
     AND (earlier.arrived_at < arrivals.arrived_at \
          OR (earlier.arrived_at = arrivals.arrived_at AND earlier.id < arrivals.id))) \
     THEN 'REPEAT' ELSE 'FIRST' END";

/// Arrivals (status ARRIVED) in the period, first returns and repeats.
pub fn arrivals(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    counted!(conn, q, arrivals, arrived_at, RETURN_SQL)
        .filter(arrivals::status.eq("ARRIVED"))
        .load(conn)
}

/// People served in the period, once per kind of service and row.
pub fn services(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    let row = row_sql(conn, q.by, "assistance.given_at");
    assistance::table
        .inner_join(migrants::table)
        .filter(assistance::given_at.ge(q.start))
        .filter(assistance::given_at.lt(q.end))
        .filter(scope::followed(q.rows, q.start, q.end))
        .select((
            sql::<Text>(&row),
            sql::<Text>("assistance.kind"),
            sql::<BigInt>("COUNT(DISTINCT assistance.migrant_id)"),
        ))
        .group_by(sql::<Text>("1, 2"))
        .load(conn)
}

/// Where a referral ended up (stored `ReferralStatus` values).
const OUTCOME_SQL: &str = "CASE WHEN job_referrals.status = 'HIRED' THEN 'PLACED' \
     WHEN job_referrals.status IN ('REJECTED', 'WITHDRAWN') THEN 'NOT_PLACED' \
     ELSE 'IN_PROGRESS' END";

/// Job referrals made in the period, by outcome so far.
pub fn referrals(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    counted!(conn, q, job_referrals, created_at, OUTCOME_SQL).load(conn)
}

/// Where a study application stands (stored `ApplicationStatus` values).
const APPLICATION_SQL: &str = "CASE study_applications.status \
     WHEN 'SUBMITTED' THEN 'PENDING' WHEN 'REJECTED' THEN 'NOT_ADMITTED' \
     ELSE study_applications.status END";

/// Study applications submitted in the period, by where they stand. A
/// university counts only applications to its own programmes: no other
/// university's applications exist for it, not even as a number.
pub fn applications(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    let mut query = counted!(conn, q, study_applications, created_at, APPLICATION_SQL);
    if q.rows.scope == RowScope::EducationConsent {
        let own = q.rows.institution_code.clone();
        query = query.filter(study_applications::university_code.eq(own));
    }
    query.load(conn)
}

/// Where a training enrolment stands (stored `EnrolmentStatus` values).
const ENROLMENT_SQL: &str = "CASE training_enrolments.status \
     WHEN 'ENROLLED' THEN 'IN_TRAINING' ELSE training_enrolments.status END";

/// Training enrolments made in the period, by where they stand.
pub fn enrolments(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    counted!(conn, q, training_enrolments, created_at, ENROLMENT_SQL).load(conn)
}

/// Whether a project was ever funded: a funding date stays when the
/// project later operates or closes.
const FUNDING_SQL: &str = "CASE WHEN enterprise_projects.funded_on IS NOT NULL THEN 'FUNDED' \
     WHEN enterprise_projects.status = 'CLOSED' THEN 'CLOSED_UNFUNDED' \
     ELSE 'NOT_YET_FUNDED' END";

/// Micro-enterprise projects proposed in the period, by funding.
pub fn projects(conn: &mut DbConnection, q: &Query<'_>) -> QueryResult<Vec<Count>> {
    counted!(conn, q, enterprise_projects, created_at, FUNDING_SQL).load(conn)
}
