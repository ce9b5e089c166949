//! Erasure by pseudonymisation: what identifies the person goes, what the
//! programme's statistics need stays in coarse form (department, sex, birth
//! year, dates of arrivals and services), consents are revoked and the
//! record is hidden from every partner. The audit chain is untouched: it
//! holds ids and slice names, never personal data.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::consents::ConsentRow;
use crate::db::schema::{
    arrivals, assistance, consents, emergency_accesses, enterprise_project_notes,
    enterprise_projects, erasures, migrant_certifications, migrant_languages, migrant_occupations,
    migrants,
};
use crate::db::{scope_counts, DbConnection};
use crate::error::{AppError, AppResult};

/// What replaces names and free text.
pub const ERASED: &str = "[erased]";

/// Who erases, and why.
pub struct Erasure<'a> {
    /// The record.
    pub migrant_id: &'a str,
    /// The IOM officer's `sub`.
    pub by: &'a str,
    /// Why (the person's request, retention, …).
    pub reason: &'a str,
    /// When.
    pub at: NaiveDateTime,
}

/// Pseudonymises one record; call inside a write transaction. `CONFLICT`
/// when it was already erased, `NOT_FOUND` when there is no such record.
pub fn erase(conn: &mut DbConnection, e: &Erasure<'_>) -> AppResult<()> {
    let done: i64 = erasures::table
        .find(e.migrant_id)
        .count()
        .get_result(conn)?;
    if done > 0 {
        return Err(AppError::Conflict("the record is already erased".into()));
    }
    let birth: NaiveDate = migrants::table
        .find(e.migrant_id)
        .select(migrants::birth_date)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("migrant"))?;
    revoke_consents(conn, e)?;
    // Job referrals, study applications and training enrolments stay as
    // they are: they hold only ids, a status, amounts and dates (placement,
    // admission and training statistics), and with every consent revoked
    // no partner can open the person behind them any more.
    pseudonymise_person(conn, e.migrant_id, birth)?;
    coarsen_events(conn, e.migrant_id)?;
    diesel::insert_into(erasures::table)
        .values((
            erasures::migrant_id.eq(e.migrant_id),
            erasures::erased_at.eq(e.at),
            erasures::erased_by.eq(e.by),
            erasures::reason.eq(e.reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes every consent still open, keeping the maintained counts exact.
fn revoke_consents(conn: &mut DbConnection, e: &Erasure<'_>) -> AppResult<()> {
    let open: Vec<ConsentRow> = consents::table
        .filter(consents::migrant_id.eq(e.migrant_id))
        .filter(consents::revoked_at.is_null())
        .select(ConsentRow::as_select())
        .load(conn)?;
    diesel::update(
        consents::table
            .filter(consents::migrant_id.eq(e.migrant_id))
            .filter(consents::revoked_at.is_null()),
    )
    .set((
        consents::revoked_at.eq(e.at),
        consents::revoked_by.eq(e.by),
        consents::version.eq(consents::version + 1),
    ))
    .execute(conn)?;
    scope_counts::record(conn, &open, -1)?;
    Ok(())
}

/// Names, documents, contact, municipality, notes and free text go; sex,
/// department and the birth year stay. Do-not-share hides the remainder
/// from every partner, whatever consents come later.
fn pseudonymise_person(conn: &mut DbConnection, id: &str, birth: NaiveDate) -> AppResult<()> {
    let year_only = NaiveDate::from_ymd_opt(birth.year(), 1, 1).unwrap_or(birth);
    diesel::update(migrants::table.find(id))
        .set((
            migrants::given_names.eq(ERASED),
            migrants::family_names.eq(ERASED),
            migrants::search_name.eq(""),
            migrants::birth_date.eq(year_only),
            migrants::document_number.eq(None::<String>),
            migrants::passport_number.eq(None::<String>),
            migrants::phone.eq(None::<String>),
            migrants::address.eq(None::<String>),
            migrants::relative_name.eq(None::<String>),
            migrants::relative_phone.eq(None::<String>),
            migrants::origin_municipality_code.eq(None::<String>),
            migrants::medical_conditions.eq(None::<String>),
            migrants::health_notes.eq(None::<String>),
            migrants::protection_notes.eq(None::<String>),
            migrants::do_not_share.eq(true),
            migrants::version.eq(migrants::version + 1),
        ))
        .execute(conn)?;
    crate::db::name_words::replace(conn, id, "")?;
    erase_skills(conn, id)
}

/// Skills are qualifications, not statistics: all of them go, except the
/// education history, which study applications cite: its level, field,
/// country and years stay (education statistics), its free text goes.
fn erase_skills(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    crate::db::education::erase_free_text(conn, id)?;
    diesel::update(migrants::table.find(id))
        .set((
            migrants::education_level.eq(None::<String>),
            migrants::years_experience.eq(None::<i32>),
            migrants::english_level.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::delete(migrant_occupations::table.filter(migrant_occupations::migrant_id.eq(id)))
        .execute(conn)?;
    diesel::delete(migrant_languages::table.filter(migrant_languages::migrant_id.eq(id)))
        .execute(conn)?;
    diesel::delete(migrant_certifications::table.filter(migrant_certifications::migrant_id.eq(id)))
        .execute(conn)?;
    Ok(())
}

/// Arrivals and services keep their dates and kinds; details go.
fn coarsen_events(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    diesel::update(arrivals::table.filter(arrivals::migrant_id.eq(id)))
        .set((
            arrivals::us_state.eq(None::<String>),
            arrivals::months_in_us.eq(None::<i32>),
            arrivals::manifest_line.eq(None::<i32>),
        ))
        .execute(conn)?;
    diesel::update(assistance::table.filter(assistance::migrant_id.eq(id)))
        .set((
            assistance::notes.eq(None::<String>),
            assistance::destination_municipality_code.eq(None::<String>),
        ))
        .execute(conn)?;
    // A reason given to open the record may describe the person.
    diesel::update(emergency_accesses::table.filter(emergency_accesses::migrant_id.eq(id)))
        .set(emergency_accesses::reason.eq(ERASED))
        .execute(conn)?;
    coarsen_projects(conn, id)
}

/// Enterprise projects keep status, dates, grant and department (the
/// programme's statistics); the free-text activity, the municipality and
/// the text of every follow-up note go (the notes' dates stay).
fn coarsen_projects(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    diesel::update(enterprise_projects::table.filter(enterprise_projects::migrant_id.eq(id)))
        .set((
            enterprise_projects::activity.eq(ERASED),
            enterprise_projects::municipality_code.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(
        enterprise_project_notes::table.filter(enterprise_project_notes::migrant_id.eq(id)),
    )
    .set(enterprise_project_notes::text.eq(ERASED))
    .execute(conn)?;
    Ok(())
}
