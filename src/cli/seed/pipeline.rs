//! The seed's two threads: one makes the rows of each chunk of people
//! (names, arrivals, flights, assistance, consents, skills, applications)
//! while the other writes the chunk before it. On two cores the making
//! hides behind the writing; the channel holds one chunk, so at most three
//! are in memory.

use super::people::{Batch, Generator};
use super::{admissions, fleet, referrals, training, SeedCounts, CHUNK};
use crate::db::{arrivals, assistance, consents, flights, migrants, skills, DbConnection};
use crate::error::AppResult;

/// One chunk of generated rows, ready to write.
pub struct Chunk {
    pub batch: Batch,
    pub help: Vec<crate::db::assistance::AssistanceRow>,
    pub flights: Vec<crate::db::flights::FlightRow>,
    pub applied: Vec<crate::db::applications::ApplicationRow>,
}

/// Everything that makes rows, moved to the generating thread.
pub struct Makers {
    pub generator: Generator,
    pub fleet: fleet::Fleet,
    pub picker: training::Picker,
    pub referrer: referrals::Referrer,
    pub catalogue: admissions::Catalogue,
}

impl Makers {
    /// Makes `n` people in chunks and sends them until done or the
    /// writer hangs up; gives back what the later stages need.
    pub fn run(
        mut self,
        n: usize,
        tx: std::sync::mpsc::SyncSender<Chunk>,
    ) -> (training::Picker, referrals::Referrer) {
        let mut left = n;
        while left > 0 {
            let size = left.min(CHUNK);
            let mut batch = Batch::default();
            self.generator.fill(&mut batch, size);
            let help = self.fleet.assign(&mut batch);
            self.picker.take(&batch);
            self.referrer.take(&batch);
            let flights = self.fleet.take_new();
            let applied = self.catalogue.applications(&batch);
            let chunk = Chunk {
                batch,
                help,
                flights,
                applied,
            };
            if tx.send(chunk).is_err() {
                break;
            }
            left -= size;
        }
        (self.picker, self.referrer)
    }
}

/// Writes one chunk and counts it.
pub fn write_chunk(conn: &mut DbConnection, c: &Chunk, counts: &mut SeedCounts) -> AppResult<()> {
    let b = &c.batch;
    migrants::insert_many(conn, &b.migrants)?;
    flights::insert(conn, &c.flights)?;
    arrivals::insert(conn, &b.arrivals)?;
    assistance::insert(conn, &c.help)?;
    consents::insert_bulk(conn, &b.consents)?;
    skills::insert_many(conn, &b.skills)?;
    crate::db::applications::insert_many(conn, &c.applied)?;
    counts.education += b.skills.education.len();
    counts.applications += c.applied.len();
    counts.flights += c.flights.len();
    counts.assistance += c.help.len();
    counts.migrants += b.migrants.len();
    counts.arrivals += b.arrivals.len();
    counts.consents += b.consents.len();
    Ok(())
}
