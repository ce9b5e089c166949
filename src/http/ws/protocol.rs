//! The `graphql-transport-ws` protocol: messages and close codes.

use async_graphql::{Request, Response, ServerError};
use serde::{Deserialize, Serialize};

/// Close codes the protocol defines.
pub mod close {
    /// A message the protocol does not allow.
    pub const BAD_REQUEST: u16 = 4400;
    /// `subscribe` before the connection was acknowledged.
    pub const UNAUTHORIZED: u16 = 4401;
    /// The identity was refused, or stopped being valid.
    pub const FORBIDDEN: u16 = 4403;
    /// No `connection_init` in time.
    pub const INIT_TIMEOUT: u16 = 4408;
    /// Two operations with one id.
    pub const DUPLICATE_ID: u16 = 4409;
    /// A second `connection_init`.
    pub const TOO_MANY_INITS: u16 = 4429;
}

/// A message from the client.
#[derive(Deserialize, Debug)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Opens the session; the payload carries the token.
    ConnectionInit {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    /// Keep-alive from the client.
    Ping {
        #[serde(default)]
        payload: Option<serde_json::Value>,
    },
    /// Answer to a server ping.
    Pong {
        #[serde(default)]
        #[allow(dead_code)]
        payload: Option<serde_json::Value>,
    },
    /// Starts an operation.
    Subscribe { id: String, payload: Box<Request> },
    /// Stops an operation.
    Complete { id: String },
}

/// A message to the client.
#[derive(Serialize, Debug)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The session is open.
    ConnectionAck,
    /// Answer to a client ping.
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Value>,
    },
    /// One result of an operation.
    Next { id: String, payload: Box<Response> },
    /// The operation failed and is over.
    Error {
        id: String,
        payload: Vec<ServerError>,
    },
    /// The operation is over.
    Complete { id: String },
}

impl ServerMessage {
    /// The message as JSON text.
    pub fn to_text(&self) -> String {
        // Serialising these types cannot fail: no map has non-string keys.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The token a `connection_init` payload carries:
/// `{"Authorization": "Bearer …"}` or `{"token": "…"}`.
pub fn token_of(payload: Option<&serde_json::Value>) -> Option<String> {
    let payload = payload?;
    let header = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()));
    match header {
        Some(h) => crate::auth::bearer(Some(h)).ok().map(str::to_string),
        None => payload
            .get("token")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    }
}
