//! One WebSocket connection: the protocol's state machine, and the watch on
//! its identity. The session ends — every operation told `UNAUTHENTICATED`,
//! the socket closed with 4403 — the moment the token expires, when its
//! institution changes and no longer admits it, or when a periodic check
//! finds it invalid, whether or not anything is being delivered.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;

use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};

use super::operation::{self, Launch, Outgoing};
use super::protocol::{close, token_of, ClientMessage, ServerMessage};
use crate::auth::Identity;
use crate::error::AppError;
use crate::gateway::{self, errors::server_error};
use crate::graphql::events::DomainEvent;
use crate::http::AppState;

/// RFC 6455 "going away": the server is stopping; reconnect elsewhere or later.
const GOING_AWAY: u16 = 1001;

/// How a step of the loop leaves the connection.
enum Flow {
    Continue,
    Close(u16, String),
    /// The client closed; answer its close frame.
    Closed(Option<CloseReason>),
}

/// An acknowledged session.
struct Active {
    token: Arc<str>,
    identity: Identity,
}

struct Connection {
    state: Arc<AppState>,
    session: Session,
    peer: Option<IpAddr>,
    id: String,
    active: Option<Active>,
    operations: HashMap<String, JoinHandle<()>>,
    out: mpsc::Sender<Outgoing>,
}

/// The instant a Unix expiry time falls at.
fn instant_of(exp: i64) -> Instant {
    let left = exp - chrono::Utc::now().timestamp();
    Instant::now() + std::time::Duration::from_secs(left.max(0) as u64)
}

/// Serves one connection until either side ends it.
pub async fn serve(
    state: Arc<AppState>,
    session: Session,
    messages: AggregatedMessageStream,
    peer: Option<IpAddr>,
) {
    let _open = state.metrics.ws_connection();
    let (out, mut outgoing) = mpsc::channel(64);
    let limits = state.settings.limits.clone();
    let mut events = pin!(state.events.stream());
    let mut stopping = state.stopping.subscribe();
    let mut conn = Connection {
        state,
        session,
        peer,
        id: format!("ws-{}", uuid::Uuid::new_v4().simple()),
        active: None,
        operations: HashMap::new(),
        out,
    };
    let mut messages = pin!(messages);
    let init_deadline = sleep_until(Instant::now() + limits.ws_init_timeout);
    let mut init_deadline = pin!(init_deadline);
    let mut expiry = pin!(sleep_until(Instant::now() + limits.ws_init_timeout));
    let every = limits.ws_revalidate_every;
    let mut check = tokio::time::interval_at(Instant::now() + every, every);
    let flow = loop {
        let active = conn.active.is_some();
        let flow = tokio::select! {
            msg = messages.next() => conn.on_message(msg).await,
            Some(out) = outgoing.recv() => conn.on_outgoing(out).await,
            _ = stopping.wait_for(|s| *s) => Flow::Close(GOING_AWAY, "server shutting down".into()),
            _ = &mut init_deadline, if !active => {
                Flow::Close(close::INIT_TIMEOUT, "Connection initialisation timeout".into())
            }
            _ = &mut expiry, if active => conn.end_session(AppError::Unauthenticated("token expired".into())).await,
            _ = check.tick(), if active => conn.recheck().await,
            Some(ev) = events.next(), if active => conn.on_event(ev).await,
        };
        if let (false, Some(a)) = (active, &conn.active) {
            expiry.as_mut().reset(instant_of(a.identity.expires_at));
        }
        if !matches!(flow, Flow::Continue) {
            break flow;
        }
    };
    conn.finish(flow).await;
}

impl Connection {
    async fn send(&mut self, msg: ServerMessage) -> Flow {
        match self.session.text(msg.to_text()).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Closed(None),
        }
    }

    async fn on_message(
        &mut self,
        msg: Option<Result<AggregatedMessage, actix_ws::ProtocolError>>,
    ) -> Flow {
        match msg {
            None => Flow::Closed(None),
            Some(Err(_)) => Flow::Close(close::BAD_REQUEST, "Invalid WebSocket frame".into()),
            Some(Ok(AggregatedMessage::Text(text))) => {
                match serde_json::from_str::<ClientMessage>(&text) {
                    Ok(m) => self.on_protocol(m).await,
                    Err(_) => Flow::Close(close::BAD_REQUEST, "Invalid message received".into()),
                }
            }
            Some(Ok(AggregatedMessage::Binary(_))) => Flow::Close(
                close::BAD_REQUEST,
                "Binary messages are not supported".into(),
            ),
            Some(Ok(AggregatedMessage::Ping(bytes))) => match self.session.pong(&bytes).await {
                Ok(()) => Flow::Continue,
                Err(_) => Flow::Closed(None),
            },
            Some(Ok(AggregatedMessage::Pong(_))) => Flow::Continue,
            Some(Ok(AggregatedMessage::Close(reason))) => Flow::Closed(reason),
        }
    }

    async fn on_protocol(&mut self, msg: ClientMessage) -> Flow {
        match msg {
            ClientMessage::ConnectionInit { payload } => self.init(payload).await,
            ClientMessage::Ping { .. } => self.send(ServerMessage::Pong { payload: None }).await,
            ClientMessage::Pong { .. } => Flow::Continue,
            ClientMessage::Subscribe { id, payload } => self.subscribe(id, *payload).await,
            ClientMessage::Complete { id } => {
                if let Some(task) = self.operations.remove(&id) {
                    task.abort();
                }
                Flow::Continue
            }
        }
    }

    async fn init(&mut self, payload: Option<serde_json::Value>) -> Flow {
        if self.active.is_some() {
            return Flow::Close(
                close::TOO_MANY_INITS,
                "Too many initialisation requests".into(),
            );
        }
        let token = token_of(payload.as_ref());
        let presented = token.as_deref().ok_or_else(|| {
            AppError::Unauthenticated(
                "connection_init needs {\"Authorization\": \"Bearer <token>\"}".into(),
            )
        });
        let admitted = gateway::admit(&self.state, presented, self.peer).await;
        match admitted {
            Ok(admitted) => {
                self.active = Some(Active {
                    token: token.unwrap_or_default().into(),
                    identity: admitted.identity,
                });
                self.send(ServerMessage::ConnectionAck).await
            }
            Err(err) => Flow::Close(close::FORBIDDEN, format!("Forbidden: {err}")),
        }
    }

    async fn subscribe(&mut self, id: String, request: async_graphql::Request) -> Flow {
        let Some(active) = &self.active else {
            return Flow::Close(close::UNAUTHORIZED, "Unauthorized".into());
        };
        self.operations.retain(|_, task| !task.is_finished());
        if self.operations.contains_key(&id) {
            return Flow::Close(
                close::DUPLICATE_ID,
                format!("Subscriber for {id} already exists"),
            );
        }
        let max = self.state.settings.limits.ws_max_operations;
        if self.operations.len() >= max {
            let err = AppError::QueryTooComplex(format!(
                "at most {max} operations may run at once on one connection"
            ));
            let payload = vec![server_error(&err)];
            return self.send(ServerMessage::Error { id, payload }).await;
        }
        let launch = Launch {
            state: Arc::clone(&self.state),
            token: Arc::clone(&active.token),
            peer: self.peer,
            connection_id: self.id.clone(),
            out: self.out.clone(),
        };
        let task = actix_web::rt::spawn(operation::run(launch, id.clone(), request));
        self.operations.insert(id, task);
        Flow::Continue
    }

    async fn on_outgoing(&mut self, out: Outgoing) -> Flow {
        match out {
            Outgoing::Send(msg) => self.send(msg).await,
            Outgoing::Done(id) => {
                self.operations.remove(&id);
                Flow::Continue
            }
            Outgoing::SessionInvalid(err) => self.end_session(err).await,
        }
    }

    /// Re-checks the identity now; ends the session when it fails.
    async fn recheck(&mut self) -> Flow {
        let Some(active) = &self.active else {
            return Flow::Continue;
        };
        match gateway::revalidate(&self.state, &active.token).await {
            Ok(_) => Flow::Continue,
            Err(err) => self.end_session(err).await,
        }
    }

    async fn on_event(&mut self, ev: DomainEvent) -> Flow {
        match (&ev, &self.active) {
            (DomainEvent::InstitutionChanged { code }, Some(a))
                if *code == a.identity.institution.code =>
            {
                self.recheck().await
            }
            _ => Flow::Continue,
        }
    }

    /// Tells every operation why it ends, then closes with 4403.
    async fn end_session(&mut self, err: AppError) -> Flow {
        let err = match err {
            AppError::Unauthenticated(_) => err,
            other => AppError::Unauthenticated(format!("identity could not be confirmed: {other}")),
        };
        let ids: Vec<String> = self
            .operations
            .drain()
            .map(|(id, task)| {
                task.abort();
                id
            })
            .collect();
        for id in ids {
            let payload = vec![server_error(&err)];
            if let Flow::Closed(r) = self.send(ServerMessage::Error { id, payload }).await {
                return Flow::Closed(r);
            }
        }
        self.active = None;
        Flow::Close(close::FORBIDDEN, format!("Forbidden: {err}"))
    }

    /// Stops every operation and closes the socket (answering the client's
    /// close frame when it closed first).
    async fn finish(mut self, flow: Flow) {
        for (_, task) in self.operations.drain() {
            task.abort();
        }
        let reason = match flow {
            Flow::Close(code, description) => Some(CloseReason {
                code: CloseCode::Other(code),
                description: Some(description),
            }),
            Flow::Closed(reason) => reason.or(Some(CloseCode::Normal.into())),
            Flow::Continue => None,
        };
        let _ = self.session.close(reason).await;
    }
}
