//! Training enrolments (EMPLOYMENT slice): enrolling a person in a course
//! takes one of its seats in the same transaction; moves go forward only.

use crate::db::enrolments::{self, EnrolmentRow};
use crate::db::idempotency::IdemKey;
use crate::db::{self, courses, referrals, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::training::{CourseStatus, EnrolmentStatus};
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::RowFilter;

use super::{stale, Actor};

/// Why a course refuses an enrolment, checked before taking a seat so the
/// answer names the reason.
fn check_course(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    let c = courses::by_id(conn, id)?.ok_or(AppError::NotFound("training course"))?;
    if c.status != CourseStatus::Open.stored() {
        return Err(AppError::Conflict("the course is cancelled".into()));
    }
    if c.ends_on < db::now().date() {
        return Err(AppError::Conflict("the course has ended".into()));
    }
    Ok(())
}

/// Enrols the person `migrant_id` in the course `course_id`, as
/// `ENROLLED`. The person must be in the caller's rows at this moment
/// (for MINTRAB: an active EMPLOYMENT consent), else `NOT_FOUND`; a full
/// course answers `CONFLICT` and changes nothing.
pub fn enrol(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    key: &Option<IdemKey>,
    course_id: &str,
    migrant_id: &str,
) -> AppResult<(EnrolmentRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let row = enrolments::by_id(conn, &id)?.ok_or(AppError::NotFound("enrolment"))?;
        return Ok((row, vec![]));
    }
    if !referrals::person_visible(conn, rows, migrant_id)? {
        return Err(AppError::NotFound("migrant"));
    }
    check_course(conn, course_id)?;
    if enrolments::exists_pair(conn, migrant_id, course_id)? {
        return Err(AppError::Conflict(
            "this person is already enrolled in this course".into(),
        ));
    }
    if !courses::take_seat(conn, course_id, db::now().date())? {
        return Err(AppError::Conflict("the course has no seat left".into()));
    }
    let now = db::now();
    let row = EnrolmentRow {
        id: db::new_id(),
        migrant_id: migrant_id.to_string(),
        course_id: course_id.to_string(),
        status: EnrolmentStatus::Enrolled.stored().to_string(),
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    enrolments::insert(conn, &row)?;
    remember(conn, key, &row.id)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Moves enrolment `id` forward to `to` (`COMPLETED` or `DROPPED`); a
/// dropped enrolment gives its seat back. With no `expected` version the
/// move applies to the version read, so a concurrent move still answers
/// `CONFLICT` rather than being overwritten.
pub fn advance(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    id: &str,
    to: EnrolmentStatus,
    expected: Option<i32>,
) -> AppResult<(EnrolmentRow, Vec<String>)> {
    let row = enrolments::by_id(conn, id)?.ok_or(AppError::NotFound("enrolment"))?;
    if !referrals::person_visible(conn, rows, &row.migrant_id)? {
        return Err(AppError::NotFound("enrolment"));
    }
    let expected = expected.unwrap_or(row.version);
    if row.version != expected {
        return Err(stale("enrolment", row.version));
    }
    let from = super::forward("enrolment", &row.status, to, EnrolmentStatus::may_move_to)?;
    let now = db::now();
    if !enrolments::move_if(conn, id, expected, from.stored(), to.stored(), now)? {
        return Err(stale("enrolment", row.version + 1));
    }
    if to == EnrolmentStatus::Dropped {
        courses::free_seat(conn, &row.course_id)?;
    }
    enrolments::log(conn, id, to.stored(), &actor.subject, now)?;
    let moved = EnrolmentRow {
        status: to.stored().to_string(),
        version: expected + 1,
        updated_at: now,
        ..row
    };
    let ids = vec![moved.migrant_id.clone()];
    Ok((moved, ids))
}
