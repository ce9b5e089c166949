//! In-process domain events for subscriptions. Events carry ids only:
//! each subscriber reloads the record through its own scoped query, so an
//! event can never carry a field or a person the subscriber could not query.

use tokio::sync::broadcast;

/// Something that happened, by id.
#[derive(Clone, Debug)]
pub enum DomainEvent {
    /// A flight was scheduled or updated.
    Flight(String),
    /// A person was received (arrival id, migrant id).
    Arrived {
        arrival_id: String,
        migrant_id: String,
    },
    /// Assistance was recorded (assistance id, migrant id).
    Assisted {
        assistance_id: String,
        migrant_id: String,
    },
    /// An institution was activated or deactivated (its code).
    InstitutionChanged(String),
}

/// The broadcast channel shared by publishers and subscribers.
#[derive(Clone)]
pub struct EventBus(broadcast::Sender<DomainEvent>);

impl Default for EventBus {
    fn default() -> Self {
        EventBus(broadcast::channel(1024).0)
    }
}

impl EventBus {
    /// Publishes after a commit; with no subscriber the event is dropped.
    pub fn publish(&self, event: DomainEvent) {
        let _ = self.0.send(event);
    }

    /// A stream of every event from now on; a slow subscriber skips what
    /// it missed rather than holding the publisher back.
    pub fn stream(&self) -> impl futures_util::Stream<Item = DomainEvent> + Send + 'static {
        futures_util::stream::unfold(self.0.subscribe(), |mut rx| async move {
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
