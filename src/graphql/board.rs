//! The arrival day of a flight: its board (counts only, no personal
//! data) and its passenger list (records, through the caller's scope).

use async_graphql::{ComplexObject, Context, Result, SimpleObject};

use super::access::require_read;
use super::migrant_query::{list, CheckedFilter, MigrantConnection};
use crate::domain::person::ArrivalStatus;
use crate::policy::Slice;

use super::flights::{require_flights, Flight};
use super::pool;
use crate::db::{self, flights};
use crate::policy::{Access, AssistanceKind};

/// People assisted with one kind of service.
#[derive(SimpleObject)]
pub struct AssistedCount {
    /// The service.
    pub kind: AssistanceKind,
    /// Distinct people who received it.
    pub people: i64,
}

/// The arrival-day board of a flight (aggregates only).
#[derive(SimpleObject)]
pub struct ArrivalBoard {
    /// People on the manifest or registered on this flight.
    pub expected: i64,
    /// People received.
    pub arrived: i64,
    /// People not yet received.
    pub waiting: i64,
    /// People assisted, by kind.
    #[graphql(complexity = "super::cost::ASSISTANCE_KINDS * child_complexity + 1")]
    pub assisted: Vec<AssistedCount>,
}

#[ComplexObject]
impl Flight {
    /// The passenger list: people on this flight's manifest or registered
    /// on it, optionally in one arrival status, oldest registration first.
    /// Only the records the caller may see appear (RETURN).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn arrivals(
        &self,
        ctx: &Context<'_>,
        status: Option<ArrivalStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<MigrantConnection> {
        require_flights(ctx, Access::Read)?;
        require_read(ctx, Slice::Return)?;
        list(
            ctx,
            first,
            after,
            CheckedFilter::on_flight(self.id.0.clone(), status),
        )
        .await
    }

    /// Expected, arrived, assisted by kind, still waiting.
    async fn board(&self, ctx: &Context<'_>) -> Result<ArrivalBoard> {
        require_flights(ctx, Access::Read)?;
        let id = self.id.0.clone();
        let (by_status, by_kind) =
            db::run(pool(ctx)?, move |c| Ok(flights::board_counts(c, &id)?)).await?;
        let count = |s: &str| {
            by_status
                .iter()
                .filter(|(k, _)| k == s)
                .map(|(_, n)| *n)
                .sum::<i64>()
        };
        let (waiting, arrived) = (count("EXPECTED"), count("ARRIVED"));
        let kinds = [
            ("RECEPTION", AssistanceKind::Reception),
            ("FOOD_RATION", AssistanceKind::FoodRation),
            ("MEDICAL_AID", AssistanceKind::MedicalAid),
            ("PHONE_CALL", AssistanceKind::PhoneCall),
            ("TRANSPORT", AssistanceKind::Transport),
        ];
        let assisted = kinds
            .into_iter()
            .map(|(name, kind)| AssistedCount {
                kind,
                people: by_kind
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, n)| *n)
                    .sum(),
            })
            .collect();
        Ok(ArrivalBoard {
            expected: waiting + arrived,
            arrived,
            waiting,
            assisted,
        })
    }
}
