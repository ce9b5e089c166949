//! Events in a person's story: arrivals and consents.

use chrono::{Datelike, NaiveDateTime};
use rand::Rng;

use super::data::{self, pick_weighted, timestamp};
use super::people::{Batch, Generator};
use crate::db::arrivals::ArrivalRow;
use crate::db::consents::ConsentRow;
use crate::domain::person::{ConsentPurpose, StoredEnum};

const DAY: i64 = 86_400;
/// Arrivals reach back six years.
const WINDOW_DAYS: i64 = 6 * 365;

impl Generator {
    /// Appends one to three arrivals; returns the first one's time and the
    /// months spent in the US over all stays.
    pub(super) fn arrivals(&mut self, migrant_id: &str, batch: &mut Batch) -> (i64, i32) {
        let (days, len) = self.arrival_days();
        let (mut first, mut months_total) = (0, 0);
        for (i, &days_ago) in days[..len].iter().enumerate() {
            let at = self.instant(days_ago);
            let since_previous = i.checked_sub(1).map(|p| days[p] - days_ago);
            let months = self.months_in_us(since_previous);
            if i == 0 {
                first = at;
            }
            months_total += months;
            let arrived_at = timestamp(at);
            batch.arrivals.push(ArrivalRow {
                id: self.uuid(),
                migrant_id: migrant_id.to_string(),
                arrived_at,
                flight_code: self.flight_code(arrived_at),
                us_state: Some(pick_weighted(&mut self.rng, data::US_STATES).to_string()),
                months_in_us: Some(months),
                recorded_by: "seed".into(),
                created_at: arrived_at,
                flight_id: None,
                status: "ARRIVED".into(),
                manifest_line: None,
            });
        }
        (first, months_total)
    }

    /// Days before the anchor of each arrival, oldest first: ~3% of people
    /// arrived within the last 20 days; ~20% came twice and ~5% three times.
    fn arrival_days(&mut self) -> ([i64; 3], usize) {
        let wanted = match self.rng.random_range(0..100) {
            0..75 => 1,
            75..95 => 2,
            _ => 3,
        };
        let latest = if self.rng.random_bool(0.03) {
            self.rng.random_range(0..19)
        } else {
            self.rng.random_range(20..WINDOW_DAYS)
        };
        let (mut days, mut len) = ([latest; 3], 1);
        while len < wanted {
            let room = WINDOW_DAYS - 1 - days[len - 1];
            if room < 45 {
                break;
            }
            days[len] = days[len - 1] + self.rng.random_range(45..=room.min(900));
            len += 1;
        }
        days[..len].reverse();
        (days, len)
    }

    /// A daylight landing time (08:00–18:00 in Guatemala) `days_ago` days
    /// back, at least an hour before the anchor; whole seconds.
    fn instant(&mut self, days_ago: i64) -> i64 {
        let midnight = self.anchor - self.anchor.rem_euclid(DAY);
        let mut at = midnight - days_ago * DAY + self.rng.random_range(14 * 3600..24 * 3600);
        while at > self.anchor - 3600 {
            at -= DAY;
        }
        at
    }

    /// Months in the US before a removal, never more than the time since
    /// the previous one.
    fn months_in_us(&mut self, days_since_previous: Option<i64>) -> i32 {
        let months = match self.rng.random_range(0..100) {
            0..45 => self.rng.random_range(1..=12),
            45..75 => self.rng.random_range(13..=60),
            _ => self.rng.random_range(61..=240),
        };
        days_since_previous.map_or(months, |d| months.min(((d / 30).max(1)) as i32))
    }

    fn flight_code(&mut self, at: NaiveDateTime) -> Option<String> {
        match self.rng.random_range(0..100) {
            0..65 => Some(format!(
                "GUA-{}-{:02}{:02}",
                at.year(),
                at.month(),
                at.day()
            )),
            65..95 => Some(format!("CHR{}", self.rng.random_range(100..10_000))),
            _ => None,
        }
    }

    pub(super) fn consents(&mut self, migrant_id: &str, first: i64, batch: &mut Batch) {
        for &(institution, purpose, share) in data::CONSENT_SHARES {
            if self.rng.random_bool(share) {
                let row = self.consent(migrant_id, institution, purpose, first);
                batch.consents.push(row);
            }
        }
    }

    /// A consent granted after the first arrival: ~10% revoked since, ~5%
    /// expired, ~25% expiring in the future, the rest open-ended.
    fn consent(
        &mut self,
        migrant_id: &str,
        institution: &str,
        purpose: ConsentPurpose,
        first: i64,
    ) -> ConsentRow {
        // Arrivals are at least an hour before the anchor (see `instant`),
        // so the consent fits between them and `room` is at least 60 s.
        let latest = (self.anchor - 60).min(first + 30 * DAY);
        let delay = if self.rng.random_bool(0.7) {
            8 * 3600
        } else {
            latest - first
        };
        let granted = first
            + self
                .rng
                .random_range(600..=delay.min(latest - first).max(600));
        let room = self.anchor - granted;
        let mut row = ConsentRow {
            id: self.uuid(),
            migrant_id: migrant_id.to_string(),
            institution_code: institution.to_string(),
            purpose: purpose.stored().to_string(),
            granted_at: timestamp(granted),
            expires_at: None,
            revoked_at: None,
            recorded_by: "seed".into(),
            revoked_by: None,
            version: 1,
        };
        match self.rng.random_range(0..100) {
            0..10 => {
                // Revoking is a second write, as through the API.
                row.revoked_at = Some(timestamp(granted + self.rng.random_range(1..=room)));
                row.revoked_by = Some("seed".into());
                row.version = 2;
            }
            10..15 => row.expires_at = Some(timestamp(granted + self.rng.random_range(1..room))),
            15..40 => {
                row.expires_at = Some(timestamp(
                    self.anchor + self.rng.random_range(30 * DAY..=730 * DAY),
                ))
            }
            _ => {}
        }
        row
    }
}
