//! Job referrals of a run: about one in six people with an active
//! EMPLOYMENT consent to MINTRAB is referred to one of MINTRAB's open
//! vacancies, most often in their own department, some days after both
//! the consent and the vacancy existed. Outcomes follow the programme's
//! published 2025 figures (about 8,600 referred, 782 placed: 9 %). A hire
//! takes an opening as the API does: the last one fills the vacancy.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{pick, pick_weighted, timestamp};
use super::people::Batch;
use crate::db::referrals::{ReferralEventRow, ReferralRow};
use crate::db::vacancies::VacancyRow;

/// The statuses a referral passes through to reach each final one, with
/// weights: 9 in 100 end hired.
const PATHS: [(&[&str], u32); 7] = [
    (&["PROPOSED"], 14),
    (&["PROPOSED", "REFERRED"], 18),
    (&["PROPOSED", "REFERRED", "INTERVIEWED"], 14),
    (&["PROPOSED", "REFERRED", "INTERVIEWED", "HIRED"], 9),
    (&["PROPOSED", "REFERRED", "REJECTED"], 20),
    (&["PROPOSED", "REFERRED", "INTERVIEWED", "REJECTED"], 17),
    (&["PROPOSED", "WITHDRAWN"], 8),
];

/// When a vacancy has no opening left, a hire becomes a rejection.
const NO_OPENING: &[&str] = &["PROPOSED", "REFERRED", "INTERVIEWED", "REJECTED"];

/// Someone who may be referred: consenting since `since`.
pub struct Referee {
    migrant_id: String,
    department: Option<String>,
    since: NaiveDateTime,
}

/// The referrals of a run and every move of each.
#[derive(Default)]
pub struct Rows {
    pub referrals: Vec<ReferralRow>,
    pub events: Vec<ReferralEventRow>,
}

/// Picks referees from generated chunks, then refers them.
pub struct Referrer {
    rng: ChaCha8Rng,
    anchor: NaiveDateTime,
    referees: Vec<Referee>,
}

impl Referrer {
    /// A referrer for a run of `seed` on a database holding `existing` people.
    pub fn new(seed: u64, existing: u64, anchor: i64) -> Self {
        Referrer {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x2e_fe22 ^ existing),
            anchor: timestamp(anchor),
            referees: Vec::new(),
        }
    }

    /// Picks about one in six of the chunk's people consenting to MINTRAB.
    pub fn take(&mut self, batch: &Batch) {
        let departments: HashMap<&str, Option<&String>> = batch
            .migrants
            .iter()
            .map(|m| (m.id.as_str(), m.origin_department_code.as_ref()))
            .collect();
        for c in &batch.consents {
            let mintrab = c.institution_code == "MINTRAB" && c.purpose == "EMPLOYMENT";
            if mintrab && c.is_active(self.anchor) && self.rng.random_range(0..6) == 0 {
                self.referees.push(Referee {
                    migrant_id: c.migrant_id.clone(),
                    department: departments
                        .get(c.migrant_id.as_str())
                        .and_then(|d| d.cloned()),
                    since: c.granted_at,
                });
            }
        }
    }

    /// Refers every referee to an open MINTRAB vacancy, taking openings
    /// from `vacancies` as hires happen.
    pub fn refer(mut self, vacancies: &mut [VacancyRow]) -> Rows {
        let open: Vec<usize> = (0..vacancies.len())
            .filter(|&i| vacancies[i].posted_by == "MINTRAB" && vacancies[i].status == "OPEN")
            .collect();
        let mut rows = Rows::default();
        if open.is_empty() {
            return rows;
        }
        // Owned keys: the vacancies are lent mutably below, one per referral.
        let mut by_department: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in &open {
            let d = vacancies[i].department_code.clone();
            by_department.entry(d).or_default().push(i);
        }
        for referee in std::mem::take(&mut self.referees) {
            let near = referee
                .department
                .as_ref()
                .and_then(|d| by_department.get(d));
            let k = match near {
                Some(list) if self.rng.random_range(0..10) < 7 => pick(&mut self.rng, list),
                _ => pick(&mut self.rng, &open),
            };
            self.one(referee, &mut vacancies[k], &mut rows);
        }
        rows
    }

    /// One referral of `referee` to `vacancy`, its moves a few days apart.
    fn one(&mut self, referee: Referee, vacancy: &mut VacancyRow, rows: &mut Rows) {
        let mut path = pick_weighted(&mut self.rng, &PATHS);
        if path.last() == Some(&"HIRED")
            && !take_opening(&mut vacancy.openings, &mut vacancy.status)
        {
            path = NO_OPENING;
        }
        let id = uuid::Uuid::from_u128(self.rng.random()).to_string();
        let start = referee.since.max(vacancy.created_at);
        let mut at = (start + Duration::days(self.rng.random_range(1..20))).min(self.anchor);
        let created = at;
        for status in path {
            rows.events.push(ReferralEventRow {
                referral_id: id.clone(),
                status: (*status).into(),
                by: "seed".into(),
                at,
            });
            at = (at + Duration::days(self.rng.random_range(3..15))).min(self.anchor);
        }
        rows.referrals.push(ReferralRow {
            id,
            migrant_id: referee.migrant_id,
            vacancy_id: vacancy.id.clone(),
            status: path[path.len() - 1].into(),
            version: path.len() as i32,
            created_by: "seed".into(),
            created_at: created,
            updated_at: rows.events[rows.events.len() - 1].at,
        });
    }
}

/// Takes one opening as `db::referrals::take_opening` does: the last one
/// fills the vacancy (whose `openings` stays 1, the table's minimum).
fn take_opening(openings: &mut i32, status: &mut String) -> bool {
    match (status.as_str(), *openings) {
        ("OPEN", 1) => {
            *status = "FILLED".into();
            true
        }
        ("OPEN", n) if n > 1 => {
            *openings -= 1;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hires_never_exceed_openings_and_the_last_fills() {
        let (mut openings, mut status) = (2, String::from("OPEN"));
        assert!(take_opening(&mut openings, &mut status));
        assert_eq!((openings, status.as_str()), (1, "OPEN"));
        assert!(take_opening(&mut openings, &mut status));
        assert_eq!((openings, status.as_str()), (1, "FILLED"));
        assert!(!take_opening(&mut openings, &mut status));
    }

    #[test]
    fn about_nine_in_a_hundred_paths_end_hired() {
        let total: u32 = PATHS.iter().map(|(_, w)| w).sum();
        let hired: u32 = PATHS
            .iter()
            .filter(|(p, _)| p.last() == Some(&"HIRED"))
            .map(|(_, w)| w)
            .sum();
        assert_eq!((hired, total), (9, 100));
    }
}
