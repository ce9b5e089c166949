//! Creating and changing university programmes and their intakes. Only
//! the programme's own university writes it (`policy::may_edit_program`).

use chrono::NaiveDate;

use crate::db::idempotency::IdemKey;
use crate::db::programs::{self, IntakeRow, ProgramRow};
use crate::db::{self, DbConnection};
use crate::domain::geography::MunicipalityCode;
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{FieldOfStudy, Modality, ProgramLevel};
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::{self, Access};

use super::{stale, Actor};

/// Intakes to create: each start date and its seats (default: the
/// programme's seats per intake).
pub type Intakes = Vec<(NaiveDate, Option<i32>)>;

/// Validated programme fields; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ProgramPatch {
    /// Programme name.
    pub name: Option<String>,
    /// Faculty or school.
    pub faculty: Option<String>,
    /// Level.
    pub level: Option<ProgramLevel>,
    /// ISCED-F broad field.
    pub field: Option<FieldOfStudy>,
    /// How it is taught.
    pub modality: Option<Modality>,
    /// Campus.
    pub campus: Option<MunicipalityCode>,
    /// Default seats of a new intake.
    pub seats_per_intake: Option<i32>,
    /// Minimum education to be admitted.
    pub min_education: Option<EducationLevel>,
    /// Languages of instruction (ISO 639-3).
    pub languages: Option<Vec<String>>,
    /// Yearly tuition, centavos.
    pub tuition: Option<i64>,
    /// Scholarships offered.
    pub scholarships_offered: Option<bool>,
    /// Taking applications.
    pub active: Option<bool>,
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

impl ProgramPatch {
    fn apply(self, r: &mut ProgramRow) {
        set(&mut r.name, self.name);
        set(&mut r.faculty, self.faculty);
        set(&mut r.level, self.level.map(|l| l.stored().to_string()));
        set(
            &mut r.field_code,
            self.field.map(|f| f.as_str().to_string()),
        );
        set(
            &mut r.modality,
            self.modality.map(|m| m.stored().to_string()),
        );
        if let Some(m) = self.campus {
            r.campus_department_code = m.department().to_string();
            r.campus_municipality_code = m.as_str().to_string();
        }
        set(&mut r.seats_per_intake, self.seats_per_intake);
        set(
            &mut r.min_education,
            self.min_education.map(|e| e.stored().to_string()),
        );
        set(
            &mut r.languages,
            self.languages
                .map(|l| serde_json::Value::from(l).to_string()),
        );
        r.tuition_centavos = self.tuition.or(r.tuition_centavos);
        set(&mut r.scholarships_offered, self.scholarships_offered);
        set(&mut r.active, self.active);
    }
}

fn require_university(actor: &Actor) -> AppResult<()> {
    if policy::program_access(actor.role) != Access::ReadWrite {
        return Err(AppError::Forbidden(
            "only a university manages its programmes".into(),
        ));
    }
    Ok(())
}

/// The intake rows of `program_id` for `(start, seats)` pairs; seats
/// default to the programme's seats per intake.
fn intake_rows(row: &ProgramRow, intakes: &[(NaiveDate, Option<i32>)]) -> Vec<IntakeRow> {
    intakes
        .iter()
        .map(|(starts_on, seats)| IntakeRow {
            id: db::new_id(),
            program_id: row.id.clone(),
            starts_on: *starts_on,
            seats: seats.unwrap_or(row.seats_per_intake),
            seats_taken: 0,
        })
        .collect()
}

/// Creates a programme of the actor's university with its intakes. The
/// resolver guarantees every required field is present.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &Option<IdemKey>,
    fields: ProgramPatch,
    intakes: &[(NaiveDate, Option<i32>)],
) -> AppResult<(ProgramRow, Vec<String>)> {
    require_university(actor)?;
    if let Some(id) = replayed(conn, key)? {
        let row = programs::by_id(conn, &id)?.ok_or(AppError::NotFound("university program"))?;
        return Ok((row, vec![]));
    }
    let now = db::now();
    let mut row = ProgramRow {
        id: db::new_id(),
        university_code: actor.institution.clone(),
        name: String::new(),
        faculty: String::new(),
        level: String::new(),
        field_code: String::new(),
        modality: String::new(),
        campus_municipality_code: String::new(),
        campus_department_code: String::new(),
        seats_per_intake: 1,
        min_education: EducationLevel::UpperSecondary.stored().to_string(),
        languages: "[\"spa\"]".into(),
        tuition_centavos: None,
        scholarships_offered: false,
        active: true,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut row);
    programs::insert(
        conn,
        std::slice::from_ref(&row),
        &intake_rows(&row, intakes),
    )?;
    remember(conn, key, &row.id)?;
    let id = row.id.clone();
    Ok((row, vec![id]))
}

/// A programme the actor may edit: `NOT_FOUND` when there is none,
/// `FORBIDDEN` when it belongs to another university.
fn editable(conn: &mut DbConnection, actor: &Actor, id: &str) -> AppResult<ProgramRow> {
    require_university(actor)?;
    let row = programs::by_id(conn, id)?.ok_or(AppError::NotFound("university program"))?;
    if !policy::may_edit_program(actor.role, &actor.institution, &row.university_code) {
        return Err(AppError::Forbidden(format!(
            "only {} edits this programme",
            row.university_code
        )));
    }
    Ok(row)
}

/// Changes the given fields of a programme of the actor's university.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected: i32,
    patch: ProgramPatch,
) -> AppResult<(ProgramRow, Vec<String>)> {
    let mut row = editable(conn, actor, id)?;
    if row.version != expected {
        return Err(stale("programme", row.version));
    }
    patch.apply(&mut row);
    row.version = expected + 1;
    row.updated_at = db::now();
    if !programs::update_if_version(conn, &row, expected)? {
        return Err(stale("programme", expected + 1));
    }
    Ok((row, vec![id.to_string()]))
}

/// Most intakes one programme keeps: the `intakes` list of a programme
/// stays bounded (its complexity is counted per programme).
pub const MAX_INTAKES: usize = 24;

/// Adds an intake to a programme of the actor's university; a second
/// intake starting the same day, or one past [`MAX_INTAKES`], answers
/// `CONFLICT`.
pub fn add_intake(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    starts_on: NaiveDate,
    seats: Option<i32>,
) -> AppResult<(ProgramRow, Vec<String>)> {
    let row = editable(conn, actor, id)?;
    let existing = programs::intakes_of(conn, std::slice::from_ref(&row.id))?;
    let list = existing.get(&row.id).map(Vec::as_slice).unwrap_or_default();
    if list.iter().any(|i| i.starts_on == starts_on) {
        return Err(AppError::Conflict(
            "the programme already has an intake starting that day".into(),
        ));
    }
    if list.len() >= MAX_INTAKES {
        return Err(AppError::Conflict(format!(
            "a programme keeps at most {MAX_INTAKES} intakes"
        )));
    }
    programs::insert(conn, &[], &intake_rows(&row, &[(starts_on, seats)]))?;
    Ok((row, vec![id.to_string()]))
}
