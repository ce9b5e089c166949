//! `registerMigrant`, `updateMigrant`, `recordArrival`.

use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Datelike, Utc};
use diesel::prelude::*;

use super::access::{require_write, row_filter};
use super::migrant::Migrant;
use super::migrant_input::MigrantSections;
use super::records::Arrival;
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::migrants::{self, MigrantRow};
use crate::db::schema::migrants as m;
use crate::db::{self, scope, DbConnection};
use crate::domain::person::Sex;
use crate::error::{AppError, AppResult};
use crate::intake::manifest::{blank, is_us_state};
use crate::policy::{self, RowFilter, Slice};

fn check_writable(ctx: &Context<'_>, slices: &[Slice]) -> AppResult<()> {
    for slice in slices {
        require_write(ctx, *slice)?;
    }
    Ok(())
}

/// A visible record for a write, or `NOT_FOUND`.
pub fn visible_row(conn: &mut DbConnection, rows: &RowFilter, id: &str) -> AppResult<MigrantRow> {
    scope::visible(rows)
        .filter(m::id.eq(id.to_string()))
        .select(MigrantRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound("migrant"))
}

fn cui_taken(conn: &mut DbConnection, row: &MigrantRow) -> AppResult<()> {
    if let Some(cui) = &row.document_number {
        if migrants::id_by_document(conn, cui)?.is_some_and(|other| other != row.id) {
            return Err(AppError::Conflict(
                "another record already holds this documentNumber".into(),
            ));
        }
    }
    Ok(())
}

/// Input of `recordArrival`.
#[derive(InputObject)]
pub struct ArrivalInput {
    /// When the person arrived (not in the future).
    pub arrived_at: DateTime<Utc>,
    /// Charter flight code.
    pub flight_code: Option<String>,
    /// Two-letter US state deported from.
    pub us_state: Option<String>,
    /// Months spent in the United States.
    pub months_in_us: Option<i32>,
}

fn arrival_row(input: ArrivalInput, migrant_id: String, by: &str) -> AppResult<ArrivalRow> {
    let now = db::now();
    let at = input.arrived_at.naive_utc();
    if at > now + chrono::Duration::minutes(5) || at.year() < 1990 {
        return Err(AppError::bad_input(
            "input.arrivedAt",
            "must be a past date after 1990",
        ));
    }
    let us_state = input.us_state.map(|s| s.trim().to_ascii_uppercase());
    if us_state.as_deref().is_some_and(|s| !is_us_state(s)) {
        return Err(AppError::bad_input(
            "input.usState",
            "must be a two-letter US state code",
        ));
    }
    if input.months_in_us.is_some_and(|n| !(0..=1200).contains(&n)) {
        return Err(AppError::bad_input("input.monthsInUs", "must be 0 to 1200"));
    }
    let flight_code = input
        .flight_code
        .map(|f| f.trim().to_ascii_uppercase())
        .filter(|f| !f.is_empty());
    if flight_code.as_ref().is_some_and(|f| f.len() > 20) {
        return Err(AppError::bad_input(
            "input.flightCode",
            "at most 20 characters",
        ));
    }
    Ok(ArrivalRow {
        id: db::new_id(),
        migrant_id,
        arrived_at: chrono::SubsecRound::trunc_subsecs(at, 6),
        flight_code,
        us_state,
        months_in_us: input.months_in_us,
        recorded_by: by.to_string(),
        created_at: now,
        flight_id: None,
        status: "ARRIVED".into(),
        manifest_line: None,
    })
}

/// Migrant mutations.
#[derive(Default)]
pub struct MigrantMutation;

#[Object]
impl MigrantMutation {
    /// Registers a person. `identity` is required; every section given must
    /// be writable by the caller. A CUI already on record answers `CONFLICT`.
    #[graphql(visible = "super::visibility::registers_migrants")]
    async fn register_migrant(
        &self,
        ctx: &Context<'_>,
        input: MigrantSections,
        idempotency_key: Option<String>,
    ) -> Result<Migrant> {
        if input.identity.is_none() {
            return Err(AppError::bad_input("input.identity", "is required").into());
        }
        let slices = input.slices();
        check_writable(ctx, &slices)?;
        // A replay returns the first record, so only roles that see every
        // row may register (they are the only ones writing IDENTITY anyway).
        let all = policy::all_rows(super::caller(ctx)?.identity.role)?;
        let mut row = blank("", "", db::now().date(), Sex::Other);
        input.apply(&mut row, db::now().date())?;
        let skills = input.skill_rows(&row.id)?;
        let key = idem_key(ctx, idempotency_key, "registerMigrant")?;
        let draft = AuditDraft {
            action: "CREATE",
            entity: "Migrant",
            slices,
        };
        let row = audited(ctx, draft, move |c| {
            if let Some(id) = replayed(c, &key)? {
                let first =
                    migrants::by_id_across(c, all, &id)?.ok_or(AppError::NotFound("migrant"))?;
                return Ok((first, vec![]));
            }
            cui_taken(c, &row)?;
            migrants::insert(c, &row)?;
            if let Some(rows) = &skills {
                db::skills::insert_many(c, rows)?;
            }
            remember(c, &key, &row.id)?;
            let id = row.id.clone();
            Ok((row, vec![id]))
        })
        .await?;
        Ok(Migrant::full(row))
    }

    /// Replaces the given sections of a record. A stale `expectedVersion`
    /// answers `CONFLICT` and changes nothing.
    #[graphql(visible = "super::visibility::updates_migrants")]
    async fn update_migrant(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: MigrantSections,
    ) -> Result<Migrant> {
        let slices = input.slices();
        if slices.is_empty() {
            return Err(AppError::bad_input("input", "give at least one section").into());
        }
        check_writable(ctx, &slices)?;
        let skills = input.skill_rows(&id)?;
        let rows = row_filter(ctx)?;
        let draft = AuditDraft {
            action: "UPDATE",
            entity: "Migrant",
            slices,
        };
        let row = audited(ctx, draft, move |c| {
            let mut row = visible_row(c, &rows, &id)?;
            if row.version != expected_version {
                return Err(AppError::Conflict(format!(
                    "stale expectedVersion: the record is at version {}",
                    row.version
                )));
            }
            input.apply(&mut row, rows.now.date())?;
            row.updated_at = db::now();
            cui_taken(c, &row)?;
            if !migrants::update_if_version(c, &row, expected_version)? {
                return Err(AppError::Conflict(
                    "the record changed meanwhile; reload it".into(),
                ));
            }
            if let Some(lists) = &skills {
                db::skills::replace(c, &row.id, lists)?;
            }
            row.version = expected_version + 1;
            Ok((row, vec![id.0]))
        })
        .await?;
        Ok(Migrant::full(row))
    }

    /// Records one return of a person (RETURN).
    #[graphql(visible = "super::visibility::records_arrivals")]
    async fn record_arrival(
        &self,
        ctx: &Context<'_>,
        migrant_id: ID,
        input: ArrivalInput,
        idempotency_key: Option<String>,
    ) -> Result<Arrival> {
        let rc = require_write(ctx, Slice::Return)?;
        let row = arrival_row(input, migrant_id.0.clone(), &rc.identity.subject)?;
        let rows = row_filter(ctx)?;
        let key = idem_key(ctx, idempotency_key, "recordArrival")?;
        let draft = AuditDraft {
            action: "CREATE",
            entity: "Arrival",
            slices: vec![Slice::Return],
        };
        let row = audited(ctx, draft, move |c| {
            visible_row(c, &rows, &migrant_id)?;
            if let Some(id) = replayed(c, &key)? {
                let first = arrivals::by_id(c, &id)?.ok_or(AppError::NotFound("arrival"))?;
                return Ok((first, vec![]));
            }
            arrivals::insert_arrived(c, &row)?;
            remember(c, &key, &row.id)?;
            Ok((row, vec![migrant_id.0]))
        })
        .await?;
        Ok(Arrival(row))
    }
}
