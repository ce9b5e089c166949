//! The `TrainingCourse` type and the inputs that create and change one.

use async_graphql::{InputObject, SimpleObject, ID};
use chrono::{DateTime, Utc};

use crate::db::courses::CourseRow;
use crate::domain::geography::MunicipalityCode;
use crate::domain::isco;
use crate::domain::person::StoredEnum;
use crate::domain::training::CourseStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::labour::inputs::{text, with_field};
use crate::graphql::labour::municipality;
use crate::graphql::occupations::Occupation;
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;
use crate::service::courses::CoursePatch;

/// Most seats a course may offer.
pub const MAX_CAPACITY: i32 = 10_000;

/// A labour training course run by MINTRAB with a provider such as
/// INTECAP. It holds no personal data.
#[derive(SimpleObject, Clone)]
pub struct TrainingCourse {
    /// Opaque id.
    pub id: ID,
    /// Optimistic-concurrency version; pass it as `expectedVersion`.
    pub version: i32,
    /// Course name.
    pub name: String,
    /// Who teaches it (`INTECAP`, …).
    pub provider: String,
    /// The ISCO-08 group it trains for (major, sub-major or unit group).
    pub occupation: Occupation,
    /// Where it is taught.
    pub municipality: Option<Municipality>,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Seats offered.
    pub capacity: i32,
    /// Seats held by enrolments not dropped.
    pub seats_taken: i32,
    /// Seats still free.
    pub seats_left: i32,
    /// Open or cancelled.
    pub status: CourseStatus,
    /// Subject of the officer who created it.
    pub created_by: String,
    /// Created at (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed at (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<CourseRow> for TrainingCourse {
    fn from(r: CourseRow) -> Self {
        // Stored codes were validated against the same embedded classification.
        let occupation =
            Occupation::lookup(&r.isco_code).unwrap_or_else(|| Occupation::unknown(&r.isco_code));
        TrainingCourse {
            id: ID(r.id),
            version: r.version,
            name: r.name,
            provider: r.provider,
            occupation,
            municipality: municipality(&r.municipality_code),
            starts_on: Date(r.starts_on),
            ends_on: Date(r.ends_on),
            capacity: r.capacity,
            seats_taken: r.seats_taken,
            seats_left: (r.capacity - r.seats_taken).max(0),
            status: CourseStatus::from_stored(&r.status).unwrap_or(CourseStatus::Cancelled),
            created_by: r.created_by,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// Input of `createTrainingCourse`.
#[derive(InputObject)]
pub struct CreateTrainingCourseInput {
    /// Course name, 3–150 characters.
    pub name: String,
    /// Provider, 2–100 characters (`INTECAP`, …).
    pub provider: String,
    /// Target ISCO-08 group: a major (`7`), sub-major (`71`) or unit
    /// group (`7112`).
    pub isco_code: String,
    /// Four-digit municipality code where it is taught.
    pub municipality_code: String,
    /// First day.
    pub starts_on: Date,
    /// Last day, not before `startsOn`.
    pub ends_on: Date,
    /// Seats, 1–10 000.
    pub capacity: i32,
}

/// Input of `updateTrainingCourse`: given fields change.
#[derive(InputObject, Default)]
pub struct UpdateTrainingCourseInput {
    /// New name.
    pub name: Option<String>,
    /// New provider.
    pub provider: Option<String>,
    /// New target ISCO-08 group.
    pub isco_code: Option<String>,
    /// New municipality code.
    pub municipality_code: Option<String>,
    /// New first day.
    pub starts_on: Option<Date>,
    /// New last day.
    pub ends_on: Option<Date>,
    /// New number of seats: not below the seats already taken.
    pub capacity: Option<i32>,
}

/// A course target: a group the classification lists (1, 2 or 4 digits),
/// so that `occupation { code title }` always names it. Minor groups
/// (3 digits) have no title in the source data, so they are refused.
fn target(raw: &str) -> AppResult<String> {
    match isco::lookup(raw.trim()) {
        Some(o) => Ok(o.code.clone()),
        _ => Err(AppError::bad_input(
            "input.iscoCode",
            format!("{raw:?} is not an ISCO-08 major, sub-major or unit group (7, 71 or 7112)"),
        )),
    }
}

impl UpdateTrainingCourseInput {
    /// Validates the given fields; the date order and capacity against the
    /// seats taken are checked on the whole row by the service.
    pub fn validate(self) -> AppResult<CoursePatch> {
        if self
            .capacity
            .is_some_and(|n| !(1..=MAX_CAPACITY).contains(&n))
        {
            return Err(AppError::bad_input(
                "input.capacity",
                format!("must be 1 to {MAX_CAPACITY}"),
            ));
        }
        Ok(CoursePatch {
            name: (self.name.as_deref())
                .map(|s| text("input.name", s, 3, 150))
                .transpose()?,
            provider: (self.provider.as_deref())
                .map(|s| text("input.provider", s, 2, 100))
                .transpose()?,
            isco_code: self.isco_code.as_deref().map(target).transpose()?,
            municipality: (self.municipality_code.as_deref())
                .map(|m| with_field("input.municipalityCode", MunicipalityCode::parse(m)))
                .transpose()?,
            starts_on: self.starts_on.map(|d| d.0),
            ends_on: self.ends_on.map(|d| d.0),
            capacity: self.capacity,
        })
    }
}

impl CreateTrainingCourseInput {
    /// Validates every field; the required ones come back present.
    pub fn validate(self) -> AppResult<CoursePatch> {
        UpdateTrainingCourseInput {
            name: Some(self.name),
            provider: Some(self.provider),
            isco_code: Some(self.isco_code),
            municipality_code: Some(self.municipality_code),
            starts_on: Some(self.starts_on),
            ends_on: Some(self.ends_on),
            capacity: Some(self.capacity),
        }
        .validate()
    }
}
