//! Reception at the airport: register an arrival (recognising people who
//! return again) and mark expected people as arrived.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};

use super::access::{require_write, row_filter};
use super::events::{DomainEvent, EventBus};
use super::migrant::Migrant;
use super::migrant_input::MigrantSections;
use super::migrant_mutation::visible_row;
use super::records::Arrival;
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::assistance::{self, AssistanceRow};
use crate::db::migrants::{self, MigrantRow};
use crate::db::{self, flights, DbConnection};
use crate::domain::matching::MatchScore;
use crate::domain::person::Sex;
use crate::error::{AppError, AppResult};
use crate::intake::find::{find_person, Finding};
use crate::intake::manifest::{blank, is_us_state};
use crate::policy::{self, AllRows, Slice};

/// What registering an arrival did.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationOutcome {
    /// A new record was created.
    Created,
    /// The arrival was linked to the person already on record.
    Linked,
    /// Possible matches exist: nothing was stored; choose one
    /// (`linkToMigrantId`) or confirm a new person (`forceNew`).
    Candidates,
}

/// A possible earlier record of the arriving person.
#[derive(SimpleObject)]
pub struct MatchCandidate {
    /// The record.
    pub migrant: Migrant,
    /// 0–100.
    pub score: i32,
    /// Why it may be the same person.
    pub reasons: Vec<String>,
}

/// The answer of `registerArrival`.
#[derive(SimpleObject)]
pub struct ArrivalRegistration {
    /// What happened.
    pub outcome: RegistrationOutcome,
    /// The person (unless `CANDIDATES`).
    pub migrant: Option<Migrant>,
    /// The arrival (unless `CANDIDATES`).
    pub arrival: Option<Arrival>,
    /// Ranked candidates (only with `CANDIDATES`).
    #[graphql(complexity = "super::cost::CANDIDATES * child_complexity + 1")]
    pub candidates: Vec<MatchCandidate>,
}

/// Input of `registerArrival`.
#[derive(InputObject)]
pub struct RegisterArrivalInput {
    /// The charter flight, if the person came on one.
    pub flight_id: Option<ID>,
    /// What reception captured; `identity` is required.
    pub person: MigrantSections,
    /// Staff chose this earlier record among the candidates.
    pub link_to_migrant_id: Option<ID>,
    /// Staff confirmed that none of the candidates is this person.
    #[graphql(default)]
    pub force_new: bool,
    /// Two-letter US state deported from.
    pub us_state: Option<String>,
    /// Months spent in the United States.
    pub months_in_us: Option<i32>,
}

enum Plan {
    Link(MigrantRow),
    Create(MigrantRow),
    Ask(Vec<(MigrantRow, MatchScore)>),
}

fn plan(
    c: &mut DbConnection,
    all: AllRows,
    input: &RegisterArrivalInput,
    person: MigrantRow,
) -> AppResult<Plan> {
    if let Some(id) = &input.link_to_migrant_id {
        let row = migrants::by_id_across(c, all, id)?.ok_or(AppError::NotFound("migrant"))?;
        return Ok(Plan::Link(row));
    }
    if input.force_new {
        if let Some(cui) = &person.document_number {
            if migrants::id_by_document(c, cui)?.is_some() {
                return Err(AppError::Conflict(
                    "this documentNumber is on record: link instead".into(),
                ));
            }
        }
        return Ok(Plan::Create(person));
    }
    Ok(match find_person(c, all, &person)? {
        Finding::SameDocument(r) | Finding::CloseMatch(r, _) => Plan::Link(r),
        Finding::Candidates(list) => Plan::Ask(list),
        Finding::New => Plan::Create(person),
    })
}

/// Receives a person on a flight: marks their expected arrival arrived (or
/// creates it) and records RECEPTION. Returns the arrival.
pub fn receive(
    c: &mut DbConnection,
    migrant_id: &str,
    flight: Option<&flights::FlightRow>,
    known: Option<ArrivalRow>,
    facts: (Option<String>, Option<i32>),
    by: (&str, &str),
) -> AppResult<ArrivalRow> {
    let now = db::now();
    // The expected arrival is the one given, or the person's on this flight.
    let existing = match (known, flight) {
        (Some(a), _) => Some(a),
        (None, Some(f)) => arrivals::on_flight(c, &f.id, migrant_id)?,
        (None, None) => None,
    };
    let arrival = match existing {
        Some(a) if a.status == "ARRIVED" => return Ok(a),
        Some(a) => {
            arrivals::mark_arrived(c, &a.id, now)?;
            ArrivalRow {
                status: "ARRIVED".into(),
                arrived_at: now,
                ..a
            }
        }
        None => {
            let row = ArrivalRow {
                id: db::new_id(),
                migrant_id: migrant_id.to_string(),
                arrived_at: now,
                flight_code: flight.map(|f| f.code.clone()),
                us_state: facts.0,
                months_in_us: facts.1,
                recorded_by: by.0.to_string(),
                created_at: now,
                flight_id: flight.map(|f| f.id.clone()),
                status: "ARRIVED".into(),
                manifest_line: None,
            };
            arrivals::insert_arrived(c, &row)?;
            row
        }
    };
    let reception = AssistanceRow {
        id: reception_id(&arrival.id),
        migrant_id: migrant_id.to_string(),
        arrival_id: Some(arrival.id.clone()),
        kind: "RECEPTION".into(),
        given_at: now,
        given_by: by.0.to_string(),
        institution_code: by.1.to_string(),
        destination_municipality_code: None,
        notes: None,
        created_at: now,
    };
    assistance::insert(c, std::slice::from_ref(&reception))?;
    Ok(arrival)
}

/// The id of the `RECEPTION` service recorded with an arrival: derived from
/// the arrival's (random) id, so the event for it can be sent after commit.
fn reception_id(arrival_id: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("reception:{arrival_id}").as_bytes(),
    )
    .to_string()
}

/// Tells subscribers about a person received: the arrival, the reception
/// service it recorded, and the change to its flight's board.
fn announce(ctx: &Context<'_>, arrival: &ArrivalRow) {
    let Ok(bus) = ctx.data::<EventBus>() else {
        return;
    };
    bus.publish(DomainEvent::Arrived {
        arrival_id: arrival.id.clone(),
        migrant_id: arrival.migrant_id.clone(),
    });
    bus.publish(DomainEvent::Assisted {
        assistance_id: reception_id(&arrival.id),
        migrant_id: arrival.migrant_id.clone(),
    });
    if let Some(flight_id) = &arrival.flight_id {
        bus.publish(DomainEvent::Flight {
            flight_id: flight_id.clone(),
        });
    }
}

fn check_facts(input: &RegisterArrivalInput) -> AppResult<(Option<String>, Option<i32>)> {
    let state = input
        .us_state
        .as_deref()
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty());
    if state.as_deref().is_some_and(|s| !is_us_state(s)) {
        return Err(AppError::bad_input(
            "input.usState",
            "must be a two-letter US state code",
        ));
    }
    if input.months_in_us.is_some_and(|n| !(0..=1200).contains(&n)) {
        return Err(AppError::bad_input("input.monthsInUs", "must be 0 to 1200"));
    }
    Ok((state, input.months_in_us))
}

fn person_row(input: &RegisterArrivalInput) -> AppResult<MigrantRow> {
    if input.person.identity.is_none() {
        return Err(AppError::bad_input("input.person.identity", "is required"));
    }
    let mut row = blank("", "", db::now().date(), Sex::Other);
    input.person.apply(&mut row, db::now().date())?;
    Ok(row)
}

type Registered = (
    RegistrationOutcome,
    Option<(MigrantRow, ArrivalRow)>,
    Vec<(MigrantRow, MatchScore)>,
);

/// Reception mutations (IOM roles that write RETURN and ASSISTANCE).
#[derive(Default)]
pub struct ReceptionMutation;

#[Object]
impl ReceptionMutation {
    /// Registers a person arriving. Looks for the person on record first
    /// (same CUI, or a close match on names, birth date and origin) and
    /// links the arrival to them; when only candidates exist, stores
    /// nothing and returns them ranked.
    #[graphql(visible = "super::visibility::registers_arrivals")]
    async fn register_arrival(
        &self,
        ctx: &Context<'_>,
        input: RegisterArrivalInput,
        idempotency_key: Option<String>,
    ) -> Result<ArrivalRegistration> {
        let mut slices = input.person.slices();
        slices.extend([Slice::Return, Slice::Assistance]);
        for s in &slices {
            require_write(ctx, *s)?;
        }
        let rc = super::caller(ctx)?;
        let all = policy::all_rows(rc.identity.role)?;
        let by = (
            rc.identity.subject.clone(),
            rc.identity.institution.code.clone(),
        );
        let person = person_row(&input)?;
        let skills = input.person.skill_rows(&person.id)?;
        let facts = check_facts(&input)?;
        let key = idem_key(ctx, idempotency_key, "registerArrival")?;
        let draft = AuditDraft {
            action: "ARRIVAL",
            entity: "Migrant",
            slices,
        };
        let (outcome, done, candidates): Registered = audited(ctx, draft, move |c| {
            if let Some(id) = replayed(c, &key)? {
                let a = arrivals::by_id(c, &id)?.ok_or(AppError::NotFound("arrival"))?;
                let m = migrants::by_id_across(c, all, &a.migrant_id)?
                    .ok_or(AppError::NotFound("migrant"))?;
                return Ok(((RegistrationOutcome::Linked, Some((m, a)), vec![]), vec![]));
            }
            let flight = match &input.flight_id {
                Some(id) => Some(flights::by_id(c, id)?.ok_or(AppError::NotFound("flight"))?),
                None => None,
            };
            let (outcome, migrant) = match plan(c, all, &input, person)? {
                Plan::Ask(list) => {
                    return Ok(((RegistrationOutcome::Candidates, None, list), vec![]))
                }
                Plan::Link(m) => (RegistrationOutcome::Linked, m),
                Plan::Create(m) => {
                    migrants::insert(c, &m)?;
                    if let Some(rows) = &skills {
                        db::skills::insert_many(c, rows)?;
                    }
                    (RegistrationOutcome::Created, m)
                }
            };
            let arrival = receive(c, &migrant.id, flight.as_ref(), None, facts, (&by.0, &by.1))?;
            remember(c, &key, &arrival.id)?;
            let id = migrant.id.clone();
            Ok(((outcome, Some((migrant, arrival)), vec![]), vec![id]))
        })
        .await?;
        if let Some((_, a)) = &done {
            announce(ctx, a);
        }
        let (migrant, arrival) = match done {
            Some((m, a)) => (Some(Migrant::full(m)), Some(Arrival(a))),
            None => (None, None),
        };
        let candidates = candidates
            .into_iter()
            .map(|(m, s)| MatchCandidate {
                migrant: Migrant::full(m),
                score: s.score as i32,
                reasons: s.reasons,
            })
            .collect();
        Ok(ArrivalRegistration {
            outcome,
            migrant,
            arrival,
            candidates,
        })
    }

    /// Marks a person expected on a flight as arrived (and received).
    #[graphql(visible = "super::visibility::marks_arrived")]
    async fn mark_arrived(&self, ctx: &Context<'_>, arrival_id: ID) -> Result<Arrival> {
        require_write(ctx, Slice::Return)?;
        let rc = require_write(ctx, Slice::Assistance)?;
        let by = (
            rc.identity.subject.clone(),
            rc.identity.institution.code.clone(),
        );
        let rows = row_filter(ctx)?;
        let draft = AuditDraft {
            action: "ARRIVAL",
            entity: "Migrant",
            slices: vec![Slice::Return, Slice::Assistance],
        };
        let arrival = audited(ctx, draft, move |c| {
            let a = arrivals::by_id(c, &arrival_id)?.ok_or(AppError::NotFound("arrival"))?;
            visible_row(c, &rows, &a.migrant_id)?;
            if a.status == "ARRIVED" {
                return Err(AppError::Conflict(
                    "this person is already marked arrived".into(),
                ));
            }
            let flight = match &a.flight_id {
                Some(id) => flights::by_id(c, id)?,
                None => None,
            };
            let migrant_id = a.migrant_id.clone();
            let arrival = receive(
                c,
                &migrant_id,
                flight.as_ref(),
                Some(a),
                (None, None),
                (&by.0, &by.1),
            )?;
            let id = arrival.migrant_id.clone();
            Ok((arrival, vec![id]))
        })
        .await?;
        announce(ctx, &arrival);
        Ok(Arrival(arrival))
    }
}
