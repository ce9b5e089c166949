//! Domain events across server processes on PostgreSQL: each event is sent
//! with `NOTIFY` on one channel, and every process (the sender included)
//! receives it through its own `LISTEN` connection and hands it to its
//! local subscribers. Two or more `reintegra serve` on one database thus
//! behave as one service. SQLite is one process: events stay in memory.

use std::sync::{mpsc, Arc, Weak};
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// The channel every process listens on.
const CHANNEL: &str = "reintegra_events";
/// How often the listener looks for notifications when none are waiting.
const POLL: Duration = Duration::from_millis(20);
/// Pause before reconnecting after the database went away.
const RECONNECT: Duration = Duration::from_secs(1);

/// Sends serialised events with `NOTIFY`; cheap to clone. When the last
/// clone is dropped, both threads end.
#[derive(Clone, Debug)]
pub struct Notifier {
    out: mpsc::Sender<String>,
    _alive: Arc<()>,
}

impl Notifier {
    /// Queues one serialised event for `NOTIFY`.
    pub fn send(&self, payload: String) {
        // The sender thread lives as long as the process.
        let _ = self.out.send(payload);
    }
}

/// Starts the sender and the listener for `url`; received payloads go to
/// `deliver`. Returns once the listener is listening (or could not connect:
/// it then keeps trying in the background).
pub fn start(url: &str, deliver: impl Fn(String) + Send + 'static) -> std::io::Result<Notifier> {
    let alive = Arc::new(());
    let watch = Arc::downgrade(&alive);
    let (out, queue) = mpsc::channel::<String>();
    let sender_url = url.to_string();
    std::thread::Builder::new()
        .name("events-notify".into())
        .spawn(move || send_loop(&sender_url, queue))?;
    let (ready, listening) = mpsc::channel();
    let listen_url = url.to_string();
    std::thread::Builder::new()
        .name("events-listen".into())
        .spawn(move || listen_loop(&listen_url, &deliver, &watch, ready))?;
    let _ = listening.recv_timeout(Duration::from_secs(5));
    Ok(Notifier { out, _alive: alive })
}

fn send_loop(url: &str, queue: mpsc::Receiver<String>) {
    let mut conn: Option<PgConnection> = None;
    while let Ok(payload) = queue.recv() {
        if conn.is_none() {
            conn = PgConnection::establish(url).ok();
        }
        let Some(c) = conn.as_mut() else {
            tracing::warn!("event not sent: database unreachable");
            continue;
        };
        let sent = diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(&payload)
            .execute(c);
        if let Err(e) = sent {
            tracing::warn!(error = %e, "event not sent");
            conn = None;
        }
    }
}

fn listen_loop(url: &str, deliver: &dyn Fn(String), alive: &Weak<()>, ready: mpsc::Sender<()>) {
    while alive.strong_count() > 0 {
        match PgConnection::establish(url) {
            Ok(mut conn) => {
                if diesel::sql_query(format!("LISTEN {CHANNEL}"))
                    .execute(&mut conn)
                    .is_ok()
                {
                    let _ = ready.send(());
                    relay(&mut conn, deliver, alive);
                }
            }
            Err(e) => tracing::warn!(error = %e, "event listener cannot connect"),
        }
        if alive.strong_count() > 0 {
            std::thread::sleep(RECONNECT);
        }
    }
}

/// Hands every notification over until the connection fails or the
/// process no longer needs events.
fn relay(conn: &mut PgConnection, deliver: &dyn Fn(String), alive: &Weak<()>) {
    while alive.strong_count() > 0 {
        let mut got = false;
        for n in conn.notifications_iter() {
            match n {
                Ok(n) => {
                    got = true;
                    deliver(n.payload);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "event listener lost its connection");
                    return;
                }
            }
        }
        if !got {
            std::thread::sleep(POLL);
        }
    }
}
