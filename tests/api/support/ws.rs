//! A `graphql-transport-ws` client for tests.

use std::time::Duration;

use awc::ws::{Frame, Message};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};

use super::TestApp;

/// An open WebSocket to the app.
pub type Conn = actix_codec::Framed<awc::BoxedSocket, awc::ws::Codec>;

/// What arrives next on a socket.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// A protocol message.
    Msg(Value),
    /// The server closed, with this code.
    Closed(Option<u16>),
    /// Nothing came in time (or the stream ended without a close frame).
    Nothing,
}

/// The next protocol message or close, waiting up to `secs`.
pub async fn next_event(conn: &mut Conn, secs: u64) -> Event {
    loop {
        let frame = match actix_rt::time::timeout(Duration::from_secs(secs), conn.next()).await {
            Ok(Some(Ok(frame))) => frame,
            _ => return Event::Nothing,
        };
        match frame {
            Frame::Text(bytes) => {
                return Event::Msg(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
            }
            Frame::Close(reason) => return Event::Closed(reason.map(|r| r.code.into())),
            _ => continue,
        }
    }
}

/// The next protocol message, if one comes within 15 s.
pub async fn next_json(conn: &mut Conn) -> Option<Value> {
    match next_event(conn, 15).await {
        Event::Msg(v) => Some(v),
        _ => None,
    }
}

/// Sends one protocol message.
pub async fn send(conn: &mut Conn, msg: Value) {
    conn.send(Message::Text(msg.to_string().into()))
        .await
        .expect("send");
}

/// Opens a socket without initialising it.
pub async fn open(app: &TestApp) -> Conn {
    let url = format!("{}/graphql/ws", app.base.replace("http://", "ws://"));
    let (_, conn) = awc::Client::new()
        .ws(url)
        .protocols(["graphql-transport-ws"])
        .connect()
        .await
        .expect("ws connect");
    conn
}

/// Opens and initialises a socket; `None` when `connection_init` is refused.
pub async fn connect(app: &TestApp, token: &str) -> Option<Conn> {
    let mut conn = open(app).await;
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    send(&mut conn, init).await;
    let ack = next_json(&mut conn).await?;
    (ack["type"] == "connection_ack").then_some(conn)
}

/// Starts operation `id`.
pub async fn start(conn: &mut Conn, id: &str, query: &str, variables: Value) {
    let msg =
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}});
    send(conn, msg).await;
}

/// Starts a subscription and waits (ping/pong) until it is in place.
pub async fn subscribe(conn: &mut Conn, query: &str) {
    start(conn, "1", query, json!({})).await;
    send(conn, json!({"type": "ping"})).await;
    let pong = next_json(conn).await.expect("pong");
    assert_eq!(pong["type"], "pong", "{pong}");
}
