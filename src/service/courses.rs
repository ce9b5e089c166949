//! Creating, changing and cancelling training courses (MINTRAB).

use chrono::NaiveDate;

use crate::db::courses::{self, CourseRow};
use crate::db::idempotency::IdemKey;
use crate::db::{self, DbConnection};
use crate::domain::geography::MunicipalityCode;
use crate::domain::person::StoredEnum;
use crate::domain::training::CourseStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};

use super::{stale, Actor};

/// Validated course fields; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct CoursePatch {
    /// Trimmed name.
    pub name: Option<String>,
    /// Trimmed provider.
    pub provider: Option<String>,
    /// Target ISCO-08 group, 1 to 4 digits.
    pub isco_code: Option<String>,
    /// Where it is taught.
    pub municipality: Option<MunicipalityCode>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Seats (≥ 1).
    pub capacity: Option<i32>,
}

impl CoursePatch {
    fn apply(self, r: &mut CourseRow) {
        if let Some(v) = self.name {
            r.name = v;
        }
        if let Some(v) = self.provider {
            r.provider = v;
        }
        if let Some(v) = self.isco_code {
            r.isco_code = v;
        }
        if let Some(m) = self.municipality {
            r.department_code = m.department().to_string();
            r.municipality_code = m.as_str().to_string();
        }
        r.starts_on = self.starts_on.unwrap_or(r.starts_on);
        r.ends_on = self.ends_on.unwrap_or(r.ends_on);
        r.capacity = self.capacity.unwrap_or(r.capacity);
    }
}

/// The date check runs on the row after a patch: an update may move
/// either end, and the pair must still make sense.
fn check(r: &CourseRow) -> AppResult<()> {
    if r.ends_on < r.starts_on {
        return Err(AppError::bad_input(
            "input.endsOn",
            "must not be before startsOn",
        ));
    }
    if r.capacity < r.seats_taken {
        return Err(AppError::bad_input(
            "input.capacity",
            format!("{} seats are already taken", r.seats_taken),
        ));
    }
    Ok(())
}

/// Creates a course as `OPEN`. The resolver guarantees every field is present.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &Option<IdemKey>,
    fields: CoursePatch,
) -> AppResult<(CourseRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let row = courses::by_id(conn, &id)?.ok_or(AppError::NotFound("training course"))?;
        return Ok((row, vec![]));
    }
    let now = db::now();
    let mut row = CourseRow {
        id: db::new_id(),
        name: String::new(),
        provider: String::new(),
        isco_code: String::new(),
        municipality_code: String::new(),
        department_code: String::new(),
        starts_on: now.date(),
        ends_on: now.date(),
        capacity: 1,
        seats_taken: 0,
        status: CourseStatus::Open.stored().into(),
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut row);
    check(&row)?;
    courses::insert(conn, std::slice::from_ref(&row))?;
    remember(conn, key, &row.id)?;
    let id = row.id.clone();
    Ok((row, vec![id]))
}

/// Loads an open course at `expected_version`.
fn editable(conn: &mut DbConnection, id: &str, expected: i32) -> AppResult<CourseRow> {
    let row = courses::by_id(conn, id)?.ok_or(AppError::NotFound("training course"))?;
    if row.version != expected {
        return Err(stale("course", row.version));
    }
    if row.status != CourseStatus::Open.stored() {
        return Err(AppError::Conflict("the course is cancelled".into()));
    }
    Ok(row)
}

fn save(conn: &mut DbConnection, mut row: CourseRow, expected: i32) -> AppResult<CourseRow> {
    row.updated_at = db::now();
    if !courses::update_if(conn, &row, expected)? {
        // An enrolment took a seat meanwhile, or another edit landed.
        return Err(AppError::Conflict(
            "the course changed meanwhile; reload it".into(),
        ));
    }
    row.version = expected + 1;
    Ok(row)
}

/// Changes the given fields of an open course.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    expected: i32,
    patch: CoursePatch,
) -> AppResult<(CourseRow, Vec<String>)> {
    let mut row = editable(conn, id, expected)?;
    patch.apply(&mut row);
    check(&row)?;
    let row = save(conn, row, expected)?;
    Ok((row, vec![id.to_string()]))
}

/// Cancels an open course: it takes no more enrolments; the enrolments
/// it has stay as they are.
pub fn cancel(
    conn: &mut DbConnection,
    id: &str,
    expected: i32,
) -> AppResult<(CourseRow, Vec<String>)> {
    let mut row = editable(conn, id, expected)?;
    row.status = CourseStatus::Cancelled.stored().into();
    let row = save(conn, row, expected)?;
    Ok((row, vec![id.to_string()]))
}
