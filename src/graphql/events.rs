//! Domain events for subscriptions. Events carry ids only: each subscriber
//! reloads the record through its own scoped query, so an event can never
//! carry a field or a person the subscriber could not query. On PostgreSQL
//! events travel through the database (`db::notify`), so every server
//! process sees the events caused through any other; on SQLite (one
//! process) they stay in memory.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::db::notify::{self, Notifier};

/// Something that happened, by id.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DomainEvent {
    /// A flight was scheduled or updated.
    Flight {
        /// The flight.
        flight_id: String,
    },
    /// A person was received (arrival id, migrant id).
    Arrived {
        /// The arrival.
        arrival_id: String,
        /// The person.
        migrant_id: String,
    },
    /// Assistance was recorded (assistance id, migrant id).
    Assisted {
        /// The service.
        assistance_id: String,
        /// The person.
        migrant_id: String,
    },
    /// A study application was submitted or moved.
    StudyApplicationChanged {
        /// The application.
        application_id: String,
        /// The programme's university.
        university_code: String,
    },
    /// A person consented to share their record with a university
    /// (EDUCATION).
    EducationConsent {
        /// The person.
        migrant_id: String,
        /// The university.
        institution_code: String,
    },
    /// An institution was activated or deactivated.
    InstitutionChanged {
        /// Its code.
        code: String,
    },
}

/// The bus shared by publishers and subscribers.
#[derive(Clone)]
pub struct EventBus {
    local: broadcast::Sender<DomainEvent>,
    remote: Option<Notifier>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            local: broadcast::channel(1024).0,
            remote: None,
        }
    }
}

impl EventBus {
    /// A bus whose events go through PostgreSQL at `url` (`LISTEN`/`NOTIFY`).
    pub fn over_postgres(url: &str) -> std::io::Result<Self> {
        let local = broadcast::channel(1024).0;
        let inbox = local.clone();
        let remote = notify::start(url, move |payload| {
            match serde_json::from_str::<DomainEvent>(&payload) {
                Ok(ev) => {
                    let _ = inbox.send(ev);
                }
                Err(e) => tracing::warn!(error = %e, "unreadable event ignored"),
            }
        })?;
        Ok(EventBus {
            local,
            remote: Some(remote),
        })
    }

    /// Publishes after a commit; with no subscriber the event is dropped.
    pub fn publish(&self, event: DomainEvent) {
        match (&self.remote, serde_json::to_string(&event)) {
            (Some(remote), Ok(payload)) => remote.send(payload),
            _ => {
                let _ = self.local.send(event);
            }
        }
    }

    /// A stream of every event from now on; a slow subscriber skips what
    /// it missed rather than holding the publisher back.
    pub fn stream(&self) -> impl futures_util::Stream<Item = DomainEvent> + Send + 'static {
        futures_util::stream::unfold(self.local.subscribe(), |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(ev) => return Some((ev, rx)),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
    }
}
