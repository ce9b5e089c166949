//! `/graphql/ws`: GraphQL over WebSocket (`graphql-transport-ws`). The JWT
//! comes in `connection_init` (`{"Authorization": "Bearer …"}` or
//! `{"token": …}`); every operation then goes through the same gateway as
//! an HTTP request — identity checked at the moment it runs, limits, audit.

mod connection;
mod operation;
pub mod protocol;

use actix_web::{web, HttpRequest, HttpResponse};

use super::AppState;

/// Upgrades to a WebSocket speaking `graphql-transport-ws`.
pub async fn graphql_ws(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let (response, session, messages) =
        actix_ws::handle_with_protocols(&req, payload, &["graphql-transport-ws"])?;
    let max = state.settings.limits.max_body_bytes;
    let messages = messages
        .max_frame_size(max)
        .aggregate_continuations()
        .max_continuation_size(max);
    let peer = req.peer_addr().map(|a| a.ip());
    actix_web::rt::spawn(connection::serve(
        state.into_inner(),
        session,
        messages,
        peer,
    ));
    Ok(response)
}
