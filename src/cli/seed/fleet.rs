//! Groups seeded arrivals into charter flights and records the assistance
//! each person received, so flight boards and MINEX screens have data.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;

use super::people::Batch;
use crate::db::assistance::AssistanceRow;
use crate::db::flights::FlightRow;
use crate::db::migrants::MigrantRow;
use crate::db::schema::flights;
use crate::db::DbConnection;
use crate::error::AppResult;

/// US airports ICE charters leave from, with the hour (UTC) they land.
const AIRPORTS: [(&str, i64); 6] = [
    ("AEX", 15),
    ("IWA", 17),
    ("ELP", 19),
    ("BRO", 16),
    ("HRL", 18),
    ("MIA", 14),
];

/// Deterministic id from a name, so the same seed gives the same data.
fn stable_id(name: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()).to_string()
}

/// The id of the `n`th service of an arrival: the arrival's (rising) id
/// with its last byte replaced, so services follow their arrival in the
/// index as arrivals do (see `Generator::uuid`).
fn service_id(arrival_id: &str, n: u8) -> String {
    let mut bytes = Uuid::parse_str(arrival_id)
        .map(|u| *u.as_bytes())
        .unwrap_or_else(|_| *Uuid::new_v5(&Uuid::NAMESPACE_OID, arrival_id.as_bytes()).as_bytes());
    bytes[15] = n;
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The flights of one seed run.
pub struct Fleet {
    interval_days: i64,
    airports: usize,
    known: HashMap<String, String>,
    fresh: Vec<FlightRow>,
}

impl Fleet {
    /// Sizes flights for about 100 people each (charters carry 80–150),
    /// and loads the flights earlier runs created.
    pub fn new(conn: &mut DbConnection, people: usize) -> AppResult<Self> {
        let arrivals_per_day = (people as f64 * 1.3 / (6.0 * 365.0)).max(0.01);
        let interval_days = (100.0 / arrivals_per_day).clamp(1.0, 7.0) as i64;
        let per_slot = arrivals_per_day * interval_days as f64;
        let airports = ((per_slot / 120.0).ceil() as usize).clamp(1, AIRPORTS.len());
        let known = flights::table
            .select((flights::code, flights::id))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Fleet {
            interval_days,
            airports,
            known,
            fresh: Vec::new(),
        })
    }

    fn flight_for(
        &mut self,
        at: NaiveDateTime,
        arrival_id: &str,
    ) -> (String, String, NaiveDateTime) {
        let day = at.and_utc().timestamp().div_euclid(86_400);
        let slot_day = day - day.rem_euclid(self.interval_days);
        let which = arrival_id.bytes().map(usize::from).sum::<usize>() % self.airports;
        let (airport, hour) = AIRPORTS[which];
        let landed = chrono::DateTime::from_timestamp(slot_day * 86_400 + hour * 3600, 0)
            .map(|t| t.naive_utc())
            .unwrap_or(at);
        let code = format!("GUA-{}-{airport}", landed.format("%Y%m%d"));
        if let Some(id) = self.known.get(&code) {
            return (id.clone(), code, landed);
        }
        let id = stable_id(&code);
        self.fresh.push(FlightRow {
            id: id.clone(),
            code: code.clone(),
            origin_airport: airport.to_string(),
            scheduled_at: landed - Duration::minutes(30),
            landed_at: Some(landed),
            status: "LANDED".into(),
            created_by: "seed".into(),
            version: 1,
            created_at: landed - Duration::days(2),
            updated_at: landed,
        });
        self.known.insert(code.clone(), id.clone());
        (id, code, landed)
    }

    /// Puts each arrival of `batch` on a flight and returns the assistance
    /// given to those people on arrival.
    pub fn assign(&mut self, batch: &mut Batch) -> Vec<AssistanceRow> {
        let help = self.board(batch);
        // Each person's latest received arrival, as arrival writes keep it.
        let mut latest: HashMap<String, NaiveDateTime> = HashMap::new();
        for a in &batch.arrivals {
            let e = latest.entry(a.migrant_id.clone()).or_insert(a.arrived_at);
            *e = (*e).max(a.arrived_at);
        }
        for m in batch.migrants.iter_mut() {
            m.latest_arrival_at = latest.get(&m.id).copied();
        }
        help
    }

    fn board(&mut self, batch: &mut Batch) -> Vec<AssistanceRow> {
        let people: HashMap<&str, &MigrantRow> =
            batch.migrants.iter().map(|m| (m.id.as_str(), m)).collect();
        let mut help = Vec::with_capacity(batch.arrivals.len() * 4);
        for a in batch.arrivals.iter_mut() {
            let (id, code, landed) = self.flight_for(a.arrived_at, &a.id);
            // Landing can only move an arrival earlier, never into the future.
            a.arrived_at = a.arrived_at.min(landed);
            a.created_at = a.arrived_at;
            a.flight_id = Some(id);
            a.flight_code = Some(code);
            if let Some(m) = people.get(a.migrant_id.as_str()) {
                help.extend(assistance_for(a.id.as_str(), a.arrived_at, m));
            }
        }
        help
    }

    /// Flights created since the last call, to insert before their arrivals.
    pub fn take_new(&mut self) -> Vec<FlightRow> {
        std::mem::take(&mut self.fresh)
    }
}

/// Reception for everyone; food and a phone call for most; medical aid for
/// those who need it; transport home for many. Chosen by a hash of the
/// arrival, so the same seed gives the same services.
fn assistance_for(arrival_id: &str, at: NaiveDateTime, m: &MigrantRow) -> Vec<AssistanceRow> {
    let h = arrival_id.bytes().fold(7u32, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u32::from(b))
    });
    let mut kinds = vec![("RECEPTION", "IOM", 10)];
    if h % 10 < 9 {
        kinds.push(("FOOD_RATION", "MINEX", 25));
    }
    if (h / 10) % 10 < 8 {
        kinds.push(("PHONE_CALL", "MINEX", 40));
    }
    if m.needs_medical_attention {
        kinds.push(("MEDICAL_AID", "MINEX", 55));
    }
    let transport = (h / 100) % 10 < 6 && m.origin_municipality_code.is_some();
    if transport {
        kinds.push(("TRANSPORT", "IOM", 90));
    }
    kinds
        .into_iter()
        .enumerate()
        .map(|(n, (kind, inst, minutes))| {
            let given = at + Duration::minutes(minutes);
            AssistanceRow {
                id: service_id(arrival_id, n as u8),
                migrant_id: m.id.clone(),
                arrival_id: Some(arrival_id.to_string()),
                kind: kind.into(),
                given_at: given,
                given_by: "seed".into(),
                institution_code: inst.into(),
                destination_municipality_code: (kind == "TRANSPORT")
                    .then(|| m.origin_municipality_code.clone())
                    .flatten(),
                notes: None,
                created_at: given,
            }
        })
        .collect()
}
