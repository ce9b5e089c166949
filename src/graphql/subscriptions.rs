//! Subscriptions over WebSocket. Every event is re-read through the
//! subscriber's own scoped query at the moment it is delivered, so a
//! subscriber never receives a person or a field it could not query. The
//! gateway re-checks the subscriber's identity and audits the fields read
//! before each event leaves, as for any other operation.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Result, Subscription};
use futures_util::{Stream, StreamExt};

use super::access::read_slice;
use super::assistance::Assistance;
use super::events::{DomainEvent, EventBus};
use super::flights::{require_flights, Flight};
use super::loaders::Loaders;
use super::migrant::Migrant;
use super::records::Arrival;
use super::studies::applications::{application, StudyApplication};
use super::{caller, pool, RequestContext};
use crate::config::Settings;
use crate::db::applications::{self as applications_db, ApplicationRow};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::assistance::{self as assistance_db, AssistanceRow};
use crate::db::migrants::MigrantRow;
use crate::db::schema::migrants as m;
use crate::db::{self, flights, scope, DbPool};
use crate::error::{AppError, AppResult};
use crate::policy::{self, Access, RowFilter, Slice};
use diesel::prelude::*;

/// A person received at the airport.
pub struct ArrivalEvent {
    migrant: Migrant,
    arrival: ArrivalRow,
}

#[Object]
impl ArrivalEvent {
    /// The person (fields as the caller's slices allow).
    async fn migrant(&self) -> &Migrant {
        &self.migrant
    }
    /// The arrival (RETURN).
    async fn arrival(&self, ctx: &Context<'_>) -> Result<Option<Arrival>> {
        read_slice(ctx, &self.migrant.row().id, Slice::Return)?;
        Ok(Some(Arrival(self.arrival.clone())))
    }
}

/// A service recorded for a person.
pub struct AssistanceEvent {
    migrant: Migrant,
    assistance: AssistanceRow,
}

#[Object]
impl AssistanceEvent {
    /// The person (fields as the caller's slices allow).
    async fn migrant(&self) -> &Migrant {
        &self.migrant
    }
    /// The service (ASSISTANCE).
    async fn assistance(&self, ctx: &Context<'_>) -> Result<Option<Assistance>> {
        read_slice(ctx, &self.migrant.row().id, Slice::Assistance)?;
        Ok(Some(Assistance(self.assistance.clone())))
    }
}

/// What changed for a university's admissions.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StudiesUpdateKind {
    /// A person newly consented (EDUCATION) to share with the university.
    ConsentGranted,
    /// One of the university's applications was submitted or moved.
    ApplicationChanged,
}

/// A change for admissions: a new consent or an application's move.
pub struct StudiesUpdate {
    kind: StudiesUpdateKind,
    migrant: Option<Migrant>,
    application: Option<ApplicationRow>,
}

#[Object]
impl StudiesUpdate {
    /// What happened.
    async fn kind(&self) -> StudiesUpdateKind {
        self.kind
    }
    /// The person, while among the subscriber's rows (fields as its slices allow).
    async fn migrant(&self) -> Option<&Migrant> {
        self.migrant.as_ref()
    }
    /// The application, for `APPLICATION_CHANGED` (STUDIES).
    async fn application(&self, ctx: &Context<'_>) -> Result<Option<StudyApplication>> {
        let Some(row) = self.application.clone() else {
            return Ok(None);
        };
        Ok(Some(application(ctx, row, self.migrant.clone())?))
    }
}

/// What a subscription needs to judge each event on its own.
#[derive(Clone)]
struct Subscriber {
    pool: DbPool,
    rc: RequestContext,
    window_days: i64,
    loaders: Option<Arc<Loaders>>,
}

impl Subscriber {
    fn new(ctx: &Context<'_>) -> AppResult<Self> {
        let rc = caller(ctx)?.clone();
        let window_days = ctx
            .data::<Settings>()
            .map(|s| s.minex_window_days)
            .unwrap_or(30);
        let loaders = ctx.data::<Arc<Loaders>>().ok().cloned();
        Ok(Subscriber {
            pool: pool(ctx)?.clone(),
            rc,
            window_days,
            loaders,
        })
    }

    /// The record if the subscriber may see it now (its fields are
    /// audited by the gateway as they are read).
    async fn visible(&self, migrant_id: String) -> Option<MigrantRow> {
        let id = &self.rc.identity;
        let rows =
            RowFilter::for_caller(id.role, &id.institution.code, db::now(), self.window_days);
        let found = db::run(&self.pool, move |c| {
            Ok(scope::visible(&rows)
                .filter(m::id.eq(migrant_id))
                .select(MigrantRow::as_select())
                .first(c)
                .optional()?)
        })
        .await;
        if let Some(l) = &self.loaders {
            l.clear_people();
        }
        found.ok().flatten()
    }

    async fn arrival(self, ev: DomainEvent) -> Option<ArrivalEvent> {
        let DomainEvent::Arrived {
            arrival_id,
            migrant_id,
        } = ev
        else {
            return None;
        };
        let row = self.visible(migrant_id).await?;
        let arrival = db::run(&self.pool, move |c| Ok(arrivals::by_id(c, &arrival_id)?))
            .await
            .ok()??;
        Some(ArrivalEvent {
            migrant: Migrant::full(row),
            arrival,
        })
    }

    async fn assisted(self, ev: DomainEvent) -> Option<AssistanceEvent> {
        let DomainEvent::Assisted {
            assistance_id,
            migrant_id,
        } = ev
        else {
            return None;
        };
        let row = self.visible(migrant_id).await?;
        let assistance = db::run(&self.pool, move |c| {
            Ok(assistance_db::by_id(c, &assistance_id)?)
        })
        .await
        .ok()??;
        Some(AssistanceEvent {
            migrant: Migrant::full(row),
            assistance,
        })
    }

    /// A consent to the subscriber's own university, or a change to an
    /// application its view reaches (a university: its own only).
    async fn studies(self, ev: DomainEvent) -> Option<StudiesUpdate> {
        let id = &self.rc.identity;
        let view = policy::application_view(id.role, &id.institution.code);
        match ev {
            DomainEvent::EducationConsent {
                migrant_id,
                institution_code,
            } if institution_code == id.institution.code => {
                let row = self.visible(migrant_id).await?;
                Some(StudiesUpdate {
                    kind: StudiesUpdateKind::ConsentGranted,
                    migrant: Some(Migrant::full(row)),
                    application: None,
                })
            }
            DomainEvent::StudyApplicationChanged {
                application_id,
                university_code,
            } if view.covers(&university_code) => {
                let found = db::run(&self.pool, move |c| {
                    Ok(applications_db::by_id(c, &view, &application_id)?)
                })
                .await
                .ok()??;
                let person = self.visible(found.migrant_id.clone()).await;
                Some(StudiesUpdate {
                    kind: StudiesUpdateKind::ApplicationChanged,
                    migrant: person.map(Migrant::full),
                    application: Some(found),
                })
            }
            _ => None,
        }
    }

    async fn flight(self, ev: DomainEvent) -> Option<Flight> {
        let DomainEvent::Flight { flight_id: id } = ev else {
            return None;
        };
        let row = db::run(&self.pool, move |c| Ok(flights::by_id(c, &id)?))
            .await
            .ok()??;
        Some(row.into())
    }
}

fn bus<'a>(ctx: &'a Context<'_>) -> AppResult<&'a EventBus> {
    ctx.data::<EventBus>()
        .map_err(|_| AppError::Internal("event bus missing".into()))
}

/// The event stream of a subscription: every event passes through `judge`
/// for this subscriber.
fn deliver<T, F, Fut>(
    ctx: &Context<'_>,
    judge: F,
) -> AppResult<impl Stream<Item = T> + use<T, F, Fut>>
where
    F: Fn(Subscriber, DomainEvent) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Option<T>> + Send,
{
    let sub = Subscriber::new(ctx)?;
    Ok(bus(ctx)?
        .stream()
        .filter_map(move |ev| judge(sub.clone(), ev)))
}

/// Root subscription.
#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// Flights scheduled or updated (IOM staff and MINEX).
    #[graphql(visible = "super::visibility::reads_flights")]
    async fn flight_updates(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Flight>> {
        require_flights(ctx, Access::Read)?;
        Ok(deliver(ctx, Subscriber::flight)?)
    }

    /// Admissions news for a university: people who newly consent to it
    /// (EDUCATION) and its own applications as they are submitted or
    /// moved; IOM follows every application. Each event is re-read
    /// through the subscriber's scope when delivered.
    #[graphql(visible = "super::visibility::reads_studies")]
    async fn studies_updates(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = StudiesUpdate>> {
        super::access::require_read(ctx, Slice::Studies)?;
        Ok(deliver(ctx, Subscriber::studies)?)
    }

    /// People received, limited to the records the subscriber may see.
    #[graphql(visible = "super::visibility::follows_records")]
    async fn arrivals(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = ArrivalEvent>> {
        Ok(deliver(ctx, Subscriber::arrival)?)
    }

    /// Assistance recorded, limited to the records the subscriber may see.
    #[graphql(visible = "super::visibility::follows_records")]
    async fn assistance_recorded(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = AssistanceEvent>> {
        Ok(deliver(ctx, Subscriber::assisted)?)
    }
}
