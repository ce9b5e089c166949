//! Charter flights and the arrival-day board (IOM manages, MINEX reads).

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::events::{DomainEvent, EventBus};
use super::pagination::{self, PageInfo, Position};
use super::write::{audited, idem_key, remember, replayed, AuditDraft};
use super::{caller, pool};
use crate::db::flights::{self, FlightQuery, FlightRow};
use crate::db::{self};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access};

/// Where a flight is in its day.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlightStatus {
    /// Announced.
    Scheduled,
    /// On the ground.
    Landed,
    /// Will not arrive.
    Cancelled,
}

impl FlightStatus {
    fn stored(self) -> &'static str {
        match self {
            FlightStatus::Scheduled => "SCHEDULED",
            FlightStatus::Landed => "LANDED",
            FlightStatus::Cancelled => "CANCELLED",
        }
    }
    fn parse(s: &str) -> FlightStatus {
        match s {
            "LANDED" => FlightStatus::Landed,
            "CANCELLED" => FlightStatus::Cancelled,
            _ => FlightStatus::Scheduled,
        }
    }
}

/// A charter flight.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Flight {
    /// Opaque id.
    pub id: ID,
    /// Unique code.
    pub code: String,
    /// US airport (IATA), e.g. AEX (Alexandria LA), IWA (Mesa AZ), ELP (El Paso TX).
    pub origin_airport: String,
    /// Scheduled arrival in Guatemala (UTC).
    pub scheduled_at: DateTime<Utc>,
    /// Actual landing (UTC).
    pub landed_at: Option<DateTime<Utc>>,
    /// Status.
    pub status: FlightStatus,
    /// Optimistic-concurrency version.
    pub version: i32,
}

impl From<FlightRow> for Flight {
    fn from(r: FlightRow) -> Self {
        Flight {
            id: ID(r.id),
            code: r.code,
            origin_airport: r.origin_airport,
            scheduled_at: r.scheduled_at.and_utc(),
            landed_at: r.landed_at.map(|t| t.and_utc()),
            status: FlightStatus::parse(&r.status),
            version: r.version,
        }
    }
}

/// Fails unless the caller's role has at least `need` on flights.
pub fn require_flights(ctx: &Context<'_>, need: Access) -> AppResult<()> {
    let have = policy::flight_access(caller(ctx)?.identity.role);
    let ok = match need {
        Access::None => true,
        Access::Read => have != Access::None,
        Access::ReadWrite => have == Access::ReadWrite,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "your role may not use flights here".into(),
        ))
    }
}

/// Filters of `flights`.
#[derive(InputObject, Default)]
pub struct FlightFilter {
    /// Scheduled at or after.
    pub from: Option<DateTime<Utc>>,
    /// Scheduled before.
    pub to: Option<DateTime<Utc>>,
    /// With this status.
    pub status: Option<FlightStatus>,
}

/// An edge of the flight connection.
#[derive(SimpleObject)]
pub struct FlightEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The flight.
    pub node: Flight,
}

/// A page of flights by schedule.
#[derive(SimpleObject)]
pub struct FlightConnection {
    /// Flights of this page.
    pub edges: Vec<FlightEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Flights matching the filter.
    pub total_count: i64,
}

/// Flight queries.
#[derive(Default)]
pub struct FlightQueryRoot;

#[Object]
impl FlightQueryRoot {
    /// Flights by scheduled time.
    #[graphql(
        visible = "super::visibility::reads_flights",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn flights(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<FlightFilter>,
    ) -> Result<FlightConnection> {
        require_flights(ctx, Access::Read)?;
        let limit = pagination::limit(ctx, first)?;
        let after = match after.as_deref().map(pagination::decode).transpose()? {
            Some(Position::TimeId(t, id)) => Some((t, id)),
            Some(_) => return Err(AppError::bad_input("after", "not a flight cursor").into()),
            None => None,
        };
        let f = filter.unwrap_or_default();
        let q = FlightQuery {
            from: f.from.map(|t| t.naive_utc()),
            to: f.to.map(|t| t.naive_utc()),
            status: f.status.map(|s| s.stored().to_string()),
        };
        let (rows, total_count) = db::run(pool(ctx)?, move |c| {
            Ok(flights::page(c, &q, after, limit + 1)?)
        })
        .await?;
        let (rows, has_next_page) = pagination::cut(rows, limit);
        let edges: Vec<FlightEdge> = rows
            .into_iter()
            .map(|r| FlightEdge {
                cursor: pagination::encode(&Position::TimeId(r.scheduled_at, r.id.clone())),
                node: r.into(),
            })
            .collect();
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            has_next_page,
        );
        Ok(FlightConnection {
            edges,
            page_info,
            total_count,
        })
    }

    /// One flight.
    #[graphql(visible = "super::visibility::reads_flights")]
    async fn flight(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Flight>> {
        require_flights(ctx, Access::Read)?;
        let row = db::run(pool(ctx)?, move |c| Ok(flights::by_id(c, &id)?)).await?;
        Ok(Some(row.ok_or(AppError::NotFound("flight"))?.into()))
    }
}

/// Input of `scheduleFlight`.
#[derive(InputObject)]
pub struct ScheduleFlightInput {
    /// Unique code, 3–30 letters, digits or dashes.
    pub code: String,
    /// Three-letter IATA code of the US airport.
    pub origin_airport: String,
    /// Scheduled arrival (UTC).
    pub scheduled_at: DateTime<Utc>,
}

/// Input of `updateFlight`: given fields change.
#[derive(InputObject)]
pub struct UpdateFlightInput {
    /// New schedule.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Landing time (sets status LANDED unless a status is given).
    pub landed_at: Option<DateTime<Utc>>,
    /// New status.
    pub status: Option<FlightStatus>,
}

fn validate_schedule(input: &ScheduleFlightInput) -> AppResult<(String, String)> {
    let code = input.code.trim().to_ascii_uppercase();
    let ok = (3..=30).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        return Err(AppError::bad_input(
            "input.code",
            "3 to 30 letters, digits or dashes",
        ));
    }
    let airport = input.origin_airport.trim().to_ascii_uppercase();
    if airport.len() != 3 || !airport.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::bad_input(
            "input.originAirport",
            "a three-letter IATA code",
        ));
    }
    Ok((code, airport))
}

/// Flight mutations (IOM staff).
#[derive(Default)]
pub struct FlightMutation;

#[Object]
impl FlightMutation {
    /// Announces a charter flight. A repeated code answers `CONFLICT`.
    #[graphql(visible = "super::visibility::writes_flights")]
    async fn schedule_flight(
        &self,
        ctx: &Context<'_>,
        input: ScheduleFlightInput,
        idempotency_key: Option<String>,
    ) -> Result<Flight> {
        require_flights(ctx, Access::ReadWrite)?;
        let (code, origin_airport) = validate_schedule(&input)?;
        let now = db::now();
        let row = FlightRow {
            id: db::new_id(),
            code,
            origin_airport,
            scheduled_at: chrono::SubsecRound::trunc_subsecs(input.scheduled_at.naive_utc(), 6),
            landed_at: None,
            status: "SCHEDULED".into(),
            created_by: caller(ctx)?.identity.subject.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let key = idem_key(ctx, idempotency_key, "scheduleFlight")?;
        let draft = AuditDraft {
            action: "CREATE",
            entity: "Flight",
            slices: vec![],
        };
        let row = audited(ctx, draft, move |c| {
            if let Some(id) = replayed(c, &key)? {
                return Ok((
                    flights::by_id(c, &id)?.ok_or(AppError::NotFound("flight"))?,
                    vec![],
                ));
            }
            if flights::by_code(c, &row.code)?.is_some() {
                return Err(AppError::Conflict(format!(
                    "flight {} already exists",
                    row.code
                )));
            }
            flights::insert(c, std::slice::from_ref(&row))?;
            remember(c, &key, &row.id)?;
            let id = row.id.clone();
            Ok((row, vec![id]))
        })
        .await?;
        publish(ctx, &row);
        Ok(row.into())
    }

    /// Changes a flight's schedule, landing or status. A stale
    /// `expectedVersion` answers `CONFLICT` and changes nothing.
    #[graphql(visible = "super::visibility::writes_flights")]
    async fn update_flight(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateFlightInput,
    ) -> Result<Flight> {
        require_flights(ctx, Access::ReadWrite)?;
        let draft = AuditDraft {
            action: "UPDATE",
            entity: "Flight",
            slices: vec![],
        };
        let row = audited(ctx, draft, move |c| {
            let mut row = flights::by_id(c, &id)?.ok_or(AppError::NotFound("flight"))?;
            if row.version != expected_version {
                return Err(AppError::Conflict(format!(
                    "stale expectedVersion: the flight is at version {}",
                    row.version
                )));
            }
            if let Some(t) = input.scheduled_at {
                row.scheduled_at = chrono::SubsecRound::trunc_subsecs(t.naive_utc(), 6);
            }
            if let Some(t) = input.landed_at {
                row.landed_at = Some(chrono::SubsecRound::trunc_subsecs(t.naive_utc(), 6));
                row.status = "LANDED".into();
            }
            if let Some(s) = input.status {
                row.status = s.stored().into();
            }
            row.updated_at = db::now();
            if !flights::update_if_version(c, &row, expected_version)? {
                return Err(AppError::Conflict(
                    "the flight changed meanwhile; reload it".into(),
                ));
            }
            row.version = expected_version + 1;
            Ok((row, vec![id.0]))
        })
        .await?;
        publish(ctx, &row);
        Ok(row.into())
    }
}

fn publish(ctx: &Context<'_>, row: &FlightRow) {
    if let Ok(bus) = ctx.data::<EventBus>() {
        bus.publish(DomainEvent::Flight {
            flight_id: row.id.clone(),
        });
    }
}
