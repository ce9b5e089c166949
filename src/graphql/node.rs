//! Relay's `node(id)`: refetch any record with an id, through the same
//! access checks as its own query (`migrant(id)`, `flight(id)`).

use async_graphql::{Context, Interface, Object, Result, ID};

use super::flights::Flight;
use super::migrant::Migrant;
use super::migrant_query;
use super::pool;
use crate::db::{self, flights};
use crate::error::AppError;
use crate::policy::{self, Access};

/// Anything with a globally unique id (Relay's object identification).
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    method = "node_id",
    desc = "Opaque, globally unique id."
))]
pub enum Node {
    /// A migrant record.
    Migrant(Migrant),
    /// A charter flight.
    Flight(Flight),
}

impl Migrant {
    /// The id the `Node` interface resolves.
    pub async fn node_id(&self, _: &Context<'_>) -> Result<ID> {
        Ok(ID(self.row().id.clone()))
    }
}

impl Flight {
    /// The id the `Node` interface resolves.
    pub async fn node_id(&self, _: &Context<'_>) -> Result<ID> {
        Ok(self.id.clone())
    }
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The record or flight with this id, if the caller may see it; `null`
    /// with `NOT_FOUND` otherwise (a record out of the caller's scope is
    /// indistinguishable from one that does not exist).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        if id.0.len() > 64 {
            return Err(AppError::bad_input("id", "not an id of this API").into());
        }
        if let Some(m) = migrant_query::find(ctx, id.0.clone()).await? {
            return Ok(Some(Node::Migrant(m)));
        }
        let role = super::caller(ctx)?.identity.role;
        if policy::flight_access(role) != Access::None {
            let row = db::run(pool(ctx)?, move |c| Ok(flights::by_id(c, &id)?)).await?;
            if let Some(row) = row {
                return Ok(Some(Node::Flight(row.into())));
            }
        }
        Err(AppError::NotFound("node").into())
    }
}
