//! Study applications (STUDIES slice): a university submits a person's
//! application to an intake of its own programme and moves it forward.
//! ADMITTED takes one of the intake's seats in the same transaction (a
//! conditional UPDATE, so concurrent admissions never exceed the seats);
//! WITHDRAWN after admission frees it; ENROLLED keeps it.

use crate::db::applications::{self, ApplicationQuery, ApplicationRow};
use crate::db::idempotency::IdemKey;
use crate::db::programs::{self, ProgramRow};
use crate::db::referrals::person_visible;
use crate::db::{self, education, DbConnection};
use crate::domain::person::StoredEnum;
use crate::domain::studies::ApplicationStatus;
use crate::error::{AppError, AppResult};
use crate::graphql::write::{remember, replayed};
use crate::policy::{self, ApplicationView, RowFilter};

use super::{stale, Actor};

/// A scholarship: a share of tuition or a fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scholarship {
    /// 1 to 100 percent of tuition.
    Percent(i32),
    /// An amount in centavos (GTQ).
    Amount(i64),
}

/// Prior studies the university recognises, and the record they come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recognition {
    /// The person's education record.
    pub record_id: String,
    /// Years recognised.
    pub years: Option<i32>,
    /// Credits recognised.
    pub credits: Option<i32>,
}

/// Terms set with a submission or a move; `None` keeps what is stored.
#[derive(Clone, Debug, Default)]
pub struct Terms {
    /// The scholarship granted.
    pub scholarship: Option<Scholarship>,
    /// Prior studies recognised.
    pub recognition: Option<Recognition>,
}

impl Terms {
    /// Checks the recognised record is the applicant's, then writes the
    /// terms into `row`.
    fn apply(self, conn: &mut DbConnection, row: &mut ApplicationRow) -> AppResult<()> {
        if let Some(r) = self.recognition {
            let record = education::by_id(conn, &r.record_id)?;
            if record.is_none_or(|e| e.migrant_id != row.migrant_id) {
                return Err(AppError::bad_input(
                    "terms.recognition.educationRecordId",
                    "not an education record of this person",
                ));
            }
            row.recognised_record_id = Some(r.record_id);
            row.recognised_years = r.years;
            row.recognised_credits = r.credits;
        }
        match self.scholarship {
            Some(Scholarship::Percent(p)) => {
                row.scholarship_percent = Some(p);
                row.scholarship_centavos = None;
            }
            Some(Scholarship::Amount(c)) => {
                row.scholarship_percent = None;
                row.scholarship_centavos = Some(c);
            }
            None => {}
        }
        Ok(())
    }
}

/// The programme of an intake, refused unless the actor's university
/// owns it.
fn own_program(conn: &mut DbConnection, actor: &Actor, intake_id: &str) -> AppResult<ProgramRow> {
    let intake = programs::intake(conn, intake_id)?.ok_or(AppError::NotFound("program intake"))?;
    let program = programs::by_id(conn, &intake.program_id)?
        .ok_or(AppError::NotFound("university program"))?;
    if !policy::may_write_applications(actor.role, &actor.institution, &program.university_code) {
        return Err(AppError::Forbidden(format!(
            "only {} takes applications to this programme",
            program.university_code
        )));
    }
    Ok(program)
}

/// Submits the application of `migrant_id` to intake `intake_id`, as
/// `SUBMITTED`. The person must be among the actor's rows now (an active
/// EDUCATION consent to the university), else `NOT_FOUND`.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    key: &Option<IdemKey>,
    (migrant_id, intake_id): (&str, &str),
    terms: Terms,
) -> AppResult<(ApplicationRow, Vec<String>)> {
    if let Some(id) = replayed(conn, key)? {
        let view = ApplicationView::Own(actor.institution.clone());
        let first = applications::by_id(conn, &view, &id)?
            .ok_or(AppError::NotFound("study application"))?;
        return Ok((first, vec![]));
    }
    let program = own_program(conn, actor, intake_id)?;
    if !program.active {
        return Err(AppError::Conflict(
            "the programme is not taking applications".into(),
        ));
    }
    if !person_visible(conn, rows, migrant_id)? {
        return Err(AppError::NotFound("migrant"));
    }
    if applications::exists_for(conn, migrant_id, intake_id)? {
        return Err(AppError::Conflict(
            "this person already applied to this intake".into(),
        ));
    }
    let now = db::now();
    let mut row = ApplicationRow {
        id: db::new_id(),
        migrant_id: migrant_id.to_string(),
        program_id: program.id,
        intake_id: intake_id.to_string(),
        university_code: program.university_code,
        status: ApplicationStatus::Submitted.stored().to_string(),
        scholarship_percent: None,
        scholarship_centavos: None,
        recognised_record_id: None,
        recognised_years: None,
        recognised_credits: None,
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    terms.apply(conn, &mut row)?;
    applications::insert(conn, &row)?;
    remember(conn, key, &row.id)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Takes or frees the seat a move needs; `CONFLICT` when the intake is full.
fn seat_for_move(conn: &mut DbConnection, intake_id: &str, to: ApplicationStatus) -> AppResult<()> {
    match to {
        ApplicationStatus::Admitted if !programs::take_seat(conn, intake_id)? => {
            Err(AppError::Conflict("the intake has no seat left".into()))
        }
        ApplicationStatus::Withdrawn => {
            programs::free_seat(conn, intake_id)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Moves application `id` forward to `to`, with new terms if given.
/// Another university's application does not exist (`NOT_FOUND`); nor
/// does one whose person left the actor's rows. Backward moves answer
/// `BAD_USER_INPUT`, a stale version or a full intake `CONFLICT`.
pub fn advance(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    (id, to, expected): (&str, ApplicationStatus, i32),
    terms: Terms,
) -> AppResult<(ApplicationRow, Vec<String>)> {
    let view = ApplicationView::Own(actor.institution.clone());
    let mut row =
        applications::by_id(conn, &view, id)?.ok_or(AppError::NotFound("study application"))?;
    if !person_visible(conn, rows, &row.migrant_id)? {
        return Err(AppError::NotFound("study application"));
    }
    if row.version != expected {
        return Err(stale("application", row.version));
    }
    let from = ApplicationStatus::from_stored(&row.status)
        .ok_or_else(|| AppError::Internal("unknown application status".into()))?;
    if !from.may_move_to(to) {
        return Err(AppError::bad_input(
            "to",
            format!(
                "an application moves forward only: {} → {} is not allowed",
                from.stored(),
                to.stored()
            ),
        ));
    }
    seat_for_move(conn, &row.intake_id, to)?;
    terms.apply(conn, &mut row)?;
    let now = db::now();
    row.status = to.stored().to_string();
    row.version = expected + 1;
    row.updated_at = now;
    if !applications::save_if(conn, &row, expected, from.stored())? {
        return Err(stale("application", expected + 1));
    }
    applications::log(conn, id, to.stored(), &actor.subject, now)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// A programme filter of another university's programme does not exist
/// for the caller: `NOT_FOUND`, as for a programme that does not exist.
pub fn check_program_filter(
    c: &mut DbConnection,
    view: &ApplicationView,
    q: &ApplicationQuery,
) -> AppResult<()> {
    if let Some(id) = &q.program_id {
        let p = programs::by_id(c, id)?.ok_or(AppError::NotFound("university program"))?;
        if !view.covers(&p.university_code) {
            return Err(AppError::NotFound("university program"));
        }
    }
    Ok(())
}
