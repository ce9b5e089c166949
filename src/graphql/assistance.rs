//! Assistance on arrival: which services each role records is policy data
//! (`policy::assistance_kinds_writable`).

use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::access::{require_write, row_filter};
use super::events::{DomainEvent, EventBus};
use super::migrant_mutation::visible_row;
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use crate::db::arrivals;
use crate::db::assistance::{self, AssistanceRow};
use crate::db::{self};
use crate::domain::geography::MunicipalityCode;
use crate::error::{AppError, AppResult};
use crate::policy::{self, AssistanceKind, Slice};

fn kind_name(kind: AssistanceKind) -> &'static str {
    use async_graphql::resolver_utils::EnumType;
    AssistanceKind::items()
        .iter()
        .find(|i| i.value == kind)
        .map(|i| i.name)
        .unwrap_or("")
}

fn kind_of(name: &str) -> Option<AssistanceKind> {
    use async_graphql::resolver_utils::EnumType;
    AssistanceKind::items()
        .iter()
        .find(|i| i.name == name)
        .map(|i| i.value)
}

/// One service given to one person.
pub struct Assistance(pub AssistanceRow);

#[Object]
impl Assistance {
    /// Opaque id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// The service.
    async fn kind(&self) -> Option<AssistanceKind> {
        kind_of(&self.0.kind)
    }
    /// When it was given (UTC).
    async fn given_at(&self) -> DateTime<Utc> {
        self.0.given_at.and_utc()
    }
    /// Who gave it (token subject).
    async fn given_by(&self) -> &str {
        &self.0.given_by
    }
    /// The giving institution.
    async fn institution_code(&self) -> &str {
        &self.0.institution_code
    }
    /// The arrival it belongs to.
    async fn arrival_id(&self) -> Option<ID> {
        self.0.arrival_id.clone().map(ID)
    }
    /// Where `TRANSPORT` takes the person (municipality code).
    async fn destination_municipality_code(&self) -> Option<&str> {
        self.0.destination_municipality_code.as_deref()
    }
    /// Notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
}

/// Input of `recordAssistance`.
#[derive(InputObject)]
pub struct AssistanceInput {
    /// The person assisted.
    pub migrant_id: ID,
    /// The service.
    pub kind: AssistanceKind,
    /// The arrival it belongs to (default: the person's latest arrival).
    pub arrival_id: Option<ID>,
    /// Required for `TRANSPORT`: four-digit municipality code.
    pub destination_municipality_code: Option<String>,
    /// Up to 1000 characters.
    pub notes: Option<String>,
}

fn check_input(input: &AssistanceInput) -> AppResult<Option<String>> {
    let dest = input
        .destination_municipality_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let dest = dest
        .map(MunicipalityCode::parse)
        .transpose()
        .map_err(|e| AppError::bad_input("input.destinationMunicipalityCode", e))?;
    if input.kind == AssistanceKind::Transport && dest.is_none() {
        return Err(AppError::bad_input(
            "input.destinationMunicipalityCode",
            "TRANSPORT needs a destination",
        ));
    }
    if input
        .notes
        .as_ref()
        .is_some_and(|n| n.chars().count() > 1000)
    {
        return Err(AppError::bad_input(
            "input.notes",
            "at most 1000 characters",
        ));
    }
    Ok(dest.map(|d| d.as_str().to_string()))
}

/// Assistance mutations.
#[derive(Default)]
pub struct AssistanceMutation;

#[Object]
impl AssistanceMutation {
    /// Records a service. IOM reception records RECEPTION and TRANSPORT;
    /// MINEX records FOOD_RATION, MEDICAL_AID and PHONE_CALL, for people in
    /// its arrival window only.
    #[graphql(visible = "super::visibility::records_assistance")]
    async fn record_assistance(
        &self,
        ctx: &Context<'_>,
        input: AssistanceInput,
        idempotency_key: Option<String>,
    ) -> Result<Assistance> {
        let rc = require_write(ctx, Slice::Assistance)?;
        if !policy::assistance_kinds_writable(rc.identity.role).contains(&input.kind) {
            return Err(AppError::Forbidden(format!(
                "your role may not record {}",
                kind_name(input.kind)
            ))
            .into());
        }
        let dest = check_input(&input)?;
        let now = db::now();
        let mut row = AssistanceRow {
            id: db::new_id(),
            migrant_id: input.migrant_id.0.clone(),
            arrival_id: input.arrival_id.map(|a| a.0),
            kind: kind_name(input.kind).to_string(),
            given_at: now,
            given_by: rc.identity.subject.clone(),
            institution_code: rc.identity.institution.code.clone(),
            destination_municipality_code: dest,
            notes: input
                .notes
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            created_at: now,
        };
        let rows = row_filter(ctx)?;
        let key = idem_key(ctx, idempotency_key, "recordAssistance")?;
        let draft = AuditDraft {
            action: "CREATE",
            entity: "Assistance",
            slices: vec![Slice::Assistance],
        };
        let (row, fresh) = audited(ctx, draft, move |c| {
            visible_row(c, &rows, &row.migrant_id)?;
            if let Some(id) = replayed(c, &key)? {
                let first = assistance::by_id(c, &id)?.ok_or(AppError::NotFound("assistance"))?;
                return Ok(((first, false), vec![]));
            }
            row.arrival_id = arrival_for(c, &row)?;
            assistance::insert(c, std::slice::from_ref(&row))?;
            remember(c, &key, &row.id)?;
            let mid = row.migrant_id.clone();
            Ok(((row, true), vec![mid]))
        })
        .await?;
        if let (true, Ok(bus)) = (fresh, ctx.data::<EventBus>()) {
            bus.publish(DomainEvent::Assisted {
                assistance_id: row.id.clone(),
                migrant_id: row.migrant_id.clone(),
            });
        }
        Ok(Assistance(row))
    }
}

/// The given arrival (which must be the person's), or their latest one.
fn arrival_for(c: &mut db::DbConnection, row: &AssistanceRow) -> AppResult<Option<String>> {
    let mine = arrivals::for_migrants(c, std::slice::from_ref(&row.migrant_id))?;
    match &row.arrival_id {
        Some(id) if mine.iter().any(|a| &a.id == id) => Ok(Some(id.clone())),
        Some(_) => Err(AppError::bad_input(
            "input.arrivalId",
            "not an arrival of this person",
        )),
        None => Ok(mine
            .iter()
            .filter(|a| a.status == "ARRIVED")
            .max_by_key(|a| a.arrived_at)
            .map(|a| a.id.clone())),
    }
}
