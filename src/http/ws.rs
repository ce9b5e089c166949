//! `/graphql/ws`: subscriptions over `graphql-transport-ws`. The JWT comes
//! in `connection_init` (`{"Authorization": "Bearer …"}` or `{"token": …}`)
//! and is checked exactly like an HTTP request's.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::{Data, ErrorExtensions};
use async_graphql_actix_web::GraphQLSubscription;

use super::AppState;
use crate::auth;
use crate::error::AppError;
use crate::graphql::access::ReadLog;
use crate::graphql::subscriptions::connection_loaders;
use crate::graphql::RequestContext;

fn token_of(payload: &serde_json::Value) -> Option<String> {
    let header = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()));
    match header {
        Some(h) => auth::bearer(Some(h)).ok().map(str::to_string),
        None => payload
            .get("token")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    }
}

async fn init(state: Arc<AppState>, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let token = token_of(&payload).ok_or_else(|| {
        AppError::Unauthenticated(
            "connection_init needs {\"Authorization\": \"Bearer <token>\"}".into(),
        )
        .extend()
    })?;
    let identity = auth::authenticate(&state.pool, &state.verifier, &token)
        .await
        .map_err(|e| e.extend())?;
    let rc = RequestContext {
        identity,
        request_id: format!("ws-{}", uuid::Uuid::new_v4()),
    };
    let mut data = Data::default();
    data.insert(connection_loaders(&state.pool, &rc));
    data.insert(Arc::new(ReadLog::default()));
    data.insert(rc);
    Ok(data)
}

/// Upgrades to a WebSocket speaking `graphql-transport-ws`.
pub async fn graphql_ws(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let shared = state.clone().into_inner();
    GraphQLSubscription::new(state.schema.clone())
        .on_connection_init(move |value| init(shared, value))
        .start(&req, payload)
}
