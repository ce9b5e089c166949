//! Retention: people with no activity for `REINTEGRA_RETENTION_YEARS` are
//! pseudonymised like an erasure, in batches, never while a case is open.

use chrono::NaiveDateTime;
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::erase::{erase, Erasure};
use crate::db::schema::{
    arrivals, assistance, consents, enterprise_projects, erasures, job_referrals, migrants,
    study_applications, training_enrolments,
};
use crate::db::{self, DbConnection, MultiBackend};
use crate::domain::enterprise::ProjectStatus;
use crate::domain::labour::ReferralStatus;
use crate::domain::person::StoredEnum;
use crate::domain::studies::ApplicationStatus;
use crate::domain::training::EnrolmentStatus;
use crate::error::AppResult;

/// People erased per transaction: a long run commits as it goes and holds
/// the write lock only briefly each time.
const BATCH: i64 = 500;

/// The reason recorded on each erasure.
pub const REASON: &str = "retention period elapsed with no activity";

type Condition = Box<dyn BoxableExpression<migrants::table, MultiBackend, SqlType = Bool>>;

/// Referral statuses still open: the person may yet be placed.
const OPEN_REFERRALS: [ReferralStatus; 3] = [
    ReferralStatus::Proposed,
    ReferralStatus::Referred,
    ReferralStatus::Interviewed,
];

/// Study applications still open: awaiting a decision, or admitted and
/// not yet enrolled or withdrawn.
const OPEN_APPLICATIONS: [ApplicationStatus; 2] =
    [ApplicationStatus::Submitted, ApplicationStatus::Admitted];

/// The person has a row in `$table` (keyed by `migrant_id`) meeting `$cond`.
macro_rules! has {
    ($table:ident, $cond:expr) => {
        Box::new(exists(
            $table::table
                .filter($table::migrant_id.eq(migrants::id))
                .filter($cond),
        )) as Condition
    };
}

/// Any of `conditions` (false when there is none).
fn any(conditions: Vec<Condition>) -> Condition {
    conditions
        .into_iter()
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(|| Box::new(diesel::dsl::sql::<Bool>("1 = 0")))
}

/// Every kind of open case, each a condition on the person: retention
/// never touches anyone with one. An enterprise project is open until it
/// is closed (an operating business is followed up); an enrolment while
/// the person is in training.
fn open_cases() -> Vec<Condition> {
    let referrals: Vec<&'static str> = OPEN_REFERRALS.iter().map(|s| s.stored()).collect();
    let applications: Vec<&'static str> = OPEN_APPLICATIONS.iter().map(|s| s.stored()).collect();
    let closed = ProjectStatus::Closed.stored();
    let enrolled = EnrolmentStatus::Enrolled.stored();
    vec![
        has!(job_referrals, job_referrals::status.eq_any(referrals)),
        has!(
            study_applications,
            study_applications::status.eq_any(applications)
        ),
        has!(enterprise_projects, enterprise_projects::status.ne(closed)),
        has!(
            training_enrolments,
            training_enrolments::status.eq(enrolled)
        ),
    ]
}

/// The person has some open case ([`open_cases`]).
fn has_open_case() -> Condition {
    any(open_cases())
}

/// A referral, application, project or enrolment of the person changed
/// since `cutoff`: recent work on a case is activity even once it closed.
fn case_activity(cutoff: NaiveDateTime) -> Condition {
    any(vec![
        has!(job_referrals, job_referrals::updated_at.ge(cutoff)),
        has!(
            study_applications,
            study_applications::updated_at.ge(cutoff)
        ),
        has!(
            enterprise_projects,
            enterprise_projects::updated_at.ge(cutoff)
        ),
        has!(
            training_enrolments,
            training_enrolments::updated_at.ge(cutoff)
        ),
    ])
}

/// Records with no activity since `cutoff`: not changed, no arrival, no
/// service, no consent given or revoked and no case worked on since, not
/// yet erased, no open consent (the person is followed). Open cases are
/// not considered here ([`has_open_case`]).
fn idle(cutoff: NaiveDateTime) -> migrants::BoxedQuery<'static, MultiBackend> {
    let recent_arrival = arrivals::table
        .filter(arrivals::migrant_id.eq(migrants::id))
        .filter(arrivals::arrived_at.ge(cutoff));
    let recent_service = assistance::table
        .filter(assistance::migrant_id.eq(migrants::id))
        .filter(assistance::given_at.ge(cutoff));
    let consent_activity = consents::table
        .filter(consents::migrant_id.eq(migrants::id))
        .filter(
            consents::granted_at
                .ge(cutoff)
                .or(consents::revoked_at.ge(cutoff))
                .or(consents::revoked_at.is_null()),
        );
    let erased = erasures::table.filter(erasures::migrant_id.eq(migrants::id));
    migrants::table
        .into_boxed()
        .filter(migrants::updated_at.lt(cutoff))
        .filter(not(exists(recent_arrival)))
        .filter(not(exists(recent_service)))
        .filter(not(exists(consent_activity)))
        .filter(not(case_activity(cutoff)))
        .filter(not(exists(erased)))
}

/// Ids of the records due at `cutoff`: idle and with no open case.
pub fn due(conn: &mut DbConnection, cutoff: NaiveDateTime, limit: i64) -> AppResult<Vec<String>> {
    Ok(idle(cutoff)
        .filter(not(has_open_case()))
        .order(migrants::id)
        .limit(limit)
        .select(migrants::id)
        .load(conn)?)
}

/// How many records are due at `cutoff` (for `--dry-run`).
pub fn count_due(conn: &mut DbConnection, cutoff: NaiveDateTime) -> AppResult<i64> {
    Ok(idle(cutoff)
        .filter(not(has_open_case()))
        .count()
        .get_result(conn)?)
}

/// How many idle records are left alone at `cutoff` because of an open case.
pub fn count_spared(conn: &mut DbConnection, cutoff: NaiveDateTime) -> AppResult<i64> {
    Ok(idle(cutoff)
        .filter(has_open_case())
        .count()
        .get_result(conn)?)
}

/// Pseudonymises every record due at `cutoff`, `BATCH` per transaction,
/// each with its audit event; returns how many.
pub fn apply(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    audit: impl Fn(&mut DbConnection, &[String]) -> AppResult<()>,
) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let n = db::write_tx(conn, |c| {
            let ids = due(c, cutoff, BATCH)?;
            let at = db::now();
            // One erasure script for the API and for retention, so the two
            // can never pseudonymise differently; a batch job, not a request.
            for id in &ids {
                let e = Erasure {
                    migrant_id: id,
                    by: "retention",
                    reason: REASON,
                    at,
                };
                erase(c, &e)?;
            }
            if !ids.is_empty() {
                audit(c, &ids)?;
            }
            Ok(ids.len())
        })?;
        done += n;
        if n < BATCH as usize {
            return Ok(done);
        }
    }
}
