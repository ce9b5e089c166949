//! One operation on a WebSocket: admitted, checked, executed and audited
//! by the gateway exactly like an HTTP request; its messages go back to
//! the connection, which alone writes to the socket.

use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;

use async_graphql::{Request, Response};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::protocol::ServerMessage;
use crate::error::AppError;
use crate::gateway::{self, errors::server_error};
use crate::graphql::RequestContext;
use crate::http::AppState;

/// What an operation tells its connection.
pub enum Outgoing {
    /// Send this message.
    Send(ServerMessage),
    /// The operation with this id is over.
    Done(String),
    /// The session's identity is no longer valid: end everything.
    SessionInvalid(AppError),
}

/// Everything an operation needs from its connection.
pub struct Launch {
    pub state: Arc<AppState>,
    pub token: Arc<str>,
    pub peer: Option<IpAddr>,
    pub connection_id: String,
    pub out: mpsc::Sender<Outgoing>,
}

impl Launch {
    async fn send(&self, msg: ServerMessage) {
        // The connection is gone when this fails; nothing is left to tell.
        let _ = self.out.send(Outgoing::Send(msg)).await;
    }

    async fn fail(&self, id: &str, err: AppError) {
        if matches!(err, AppError::Unauthenticated(_)) {
            let _ = self.out.send(Outgoing::SessionInvalid(err)).await;
            return;
        }
        let payload = vec![server_error(&err)];
        self.send(ServerMessage::Error {
            id: id.to_string(),
            payload,
        })
        .await;
    }
}

/// A response that failed before execution (no data at all) is an `error`
/// message; anything else is `next`.
fn message_for(id: &str, resp: Response) -> ServerMessage {
    if resp.data == async_graphql::Value::Null && !resp.errors.is_empty() {
        ServerMessage::Error {
            id: id.to_string(),
            payload: resp.errors,
        }
    } else {
        ServerMessage::Next {
            id: id.to_string(),
            payload: Box::new(resp),
        }
    }
}

/// Subscriptions the metrics name; anything else is counted by kind, so a
/// client cannot mint label values.
const SUBSCRIPTIONS: [&str; 3] = ["flightUpdates", "arrivals", "assistanceRecorded"];

/// The metric label of an operation: its subscription field, or its kind.
fn metric_label(doc: &async_graphql::parser::types::ExecutableDocument) -> &'static str {
    use async_graphql::parser::types::{OperationType, Selection};
    let Some((_, op)) = doc.operations.iter().next() else {
        return "other";
    };
    match op.node.ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => {
            let field = op
                .node
                .selection_set
                .node
                .items
                .iter()
                .find_map(|s| match &s.node {
                    Selection::Field(f) => Some(f.node.name.node.as_str()),
                    _ => None,
                });
            field
                .and_then(|f| SUBSCRIPTIONS.iter().find(|k| **k == f).copied())
                .unwrap_or("other")
        }
    }
}

/// Runs operation `id` to its end.
pub async fn run(launch: Launch, id: String, request: Request) {
    if let Some(done) = stream(&launch, &id, request).await {
        launch.send(done).await;
    }
    let _ = launch.out.send(Outgoing::Done(id)).await;
}

/// Streams the operation's messages; returns the closing `complete`, or
/// nothing when an `error` already ended it.
async fn stream(launch: &Launch, id: &str, request: Request) -> Option<ServerMessage> {
    let state = &launch.state;
    let identity = match gateway::admit(state, Ok(&launch.token), launch.peer).await {
        Ok(admitted) => admitted.identity,
        Err(err) => {
            launch.fail(id, err).await;
            return None;
        }
    };
    let mut requests = [request];
    if let Err(err) = gateway::check(state, &mut requests, false) {
        launch.fail(id, err).await;
        return None;
    }
    let [mut request] = requests;
    let label = request.parsed_query().ok().map_or("other", metric_label);
    let _running = state.metrics.ws_operation(label);
    let rc = RequestContext {
        identity,
        request_id: format!("{}-{}", launch.connection_id, uuid::Uuid::new_v4().simple()),
    };
    let op = gateway::prepare(state, &rc, request);
    let mut responses = pin!(gateway::execute_stream(
        Arc::clone(state),
        op,
        Arc::clone(&launch.token)
    ));
    while let Some(item) = responses.next().await {
        match item.map(|resp| message_for(id, resp)) {
            Ok(msg @ ServerMessage::Error { .. }) => {
                launch.send(msg).await;
                return None;
            }
            Ok(msg) => launch.send(msg).await,
            Err(err) => {
                launch.fail(id, err).await;
                return None;
            }
        }
    }
    Some(ServerMessage::Complete { id: id.to_string() })
}
