//! Demo programmes and study applications. The programmes of each seeded
//! university are created once (a later run reuses them); applications
//! come from the people of each chunk who consent to a university: about
//! one in five of them applies to a programme they qualify for, and the
//! outcomes follow believable proportions without ever exceeding an
//! intake's seats.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use diesel::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{pick, pick_weighted, timestamp};
use super::people::Batch;
use super::studies::PROGRAMS;
use crate::db::applications::ApplicationRow;
use crate::db::programs::{self, IntakeRow, ProgramRow};
use crate::db::DbConnection;
use crate::domain::person::{EducationLevel, StoredEnum};
use crate::domain::studies::{ApplicationStatus, ProgramLevel};
use crate::error::AppResult;

/// Outcomes of applications, with weights.
const OUTCOMES: &[(ApplicationStatus, u32)] = &[
    (ApplicationStatus::Submitted, 35),
    (ApplicationStatus::Admitted, 15),
    (ApplicationStatus::Rejected, 20),
    (ApplicationStatus::Enrolled, 25),
    (ApplicationStatus::Withdrawn, 5),
];

/// The demo programmes with their intakes, and the seats taken so far.
pub struct Catalogue {
    programs: Vec<ProgramRow>,
    intakes: HashMap<String, Vec<IntakeRow>>,
    taken: HashMap<String, i32>,
    rng: ChaCha8Rng,
    anchor: i64,
}

fn uuid(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

/// The demo programmes not stored yet (universities that have none).
fn missing(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    anchor: i64,
) -> AppResult<Vec<ProgramRow>> {
    use crate::db::schema::university_programs as p;
    let have: Vec<String> = p::table.select(p::university_code).distinct().load(conn)?;
    let created = timestamp(anchor);
    Ok((PROGRAMS.iter())
        .filter(|s| !have.iter().any(|h| h == s.0))
        .map(|s| ProgramRow {
            id: uuid(rng),
            university_code: s.0.into(),
            name: s.1.into(),
            faculty: s.2.into(),
            level: s.3.stored().into(),
            field_code: s.4.into(),
            modality: s.5.stored().into(),
            campus_municipality_code: s.6.into(),
            campus_department_code: s.6[..2].into(),
            seats_per_intake: s.7,
            min_education: s.8.stored().into(),
            languages: serde_json::Value::from(s.11.to_vec()).to_string(),
            tuition_centavos: Some(s.9 * 100),
            scholarships_offered: s.10,
            active: true,
            version: 1,
            created_by: "seed".into(),
            created_at: created,
            updated_at: created,
        })
        .collect())
}

/// January and July intakes: the last one begun and the next one.
fn intakes_of(rng: &mut ChaCha8Rng, p: &ProgramRow, anchor: i64) -> Vec<IntakeRow> {
    let today = timestamp(anchor).date();
    let term = if today.month() >= 7 { 7 } else { 1 };
    let begun = NaiveDate::from_ymd_opt(today.year(), term, 15).unwrap_or(today);
    let coming = begun.checked_add_months(Months::new(6)).unwrap_or(begun);
    [begun, coming]
        .into_iter()
        .map(|starts_on| IntakeRow {
            id: uuid(rng),
            program_id: p.id.clone(),
            starts_on,
            seats: p.seats_per_intake,
            seats_taken: 0,
        })
        .collect()
}

impl Catalogue {
    /// Creates the demo programmes a university lacks; returns the
    /// catalogue of every stored programme and how many were created.
    pub fn load_or_create(
        conn: &mut DbConnection,
        seed: u64,
        anchor: i64,
    ) -> AppResult<(Self, usize)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_57d1);
        let new = missing(conn, &mut rng, anchor)?;
        let new_intakes: Vec<IntakeRow> = new
            .iter()
            .flat_map(|p| intakes_of(&mut rng, p, anchor))
            .collect();
        programs::insert(conn, &new, &new_intakes)?;
        let all = programs::active(conn, None, 1_000)?;
        let ids: Vec<String> = all.iter().map(|p| p.id.clone()).collect();
        let intakes = programs::intakes_of(conn, &ids)?;
        let taken = (intakes.values().flatten())
            .map(|i| (i.id.clone(), i.seats_taken))
            .collect();
        let catalogue = Catalogue {
            programs: all,
            intakes,
            taken,
            rng,
            anchor,
        };
        Ok((catalogue, new.len()))
    }

    /// The outcome drawn, unless it needs a seat and the intake is full.
    fn outcome(&mut self, intake: &IntakeRow) -> ApplicationStatus {
        let drawn = pick_weighted(&mut self.rng, OUTCOMES);
        let taken = self.taken.entry(intake.id.clone()).or_insert(0);
        if drawn.holds_seat() {
            if *taken >= intake.seats {
                return ApplicationStatus::Rejected;
            }
            *taken += 1;
        }
        drawn
    }

    /// One application of `migrant` to a programme of `university` they
    /// qualify for, if there is one.
    fn apply(&mut self, batch: &Batch, migrant: usize, university: &str) -> Option<ApplicationRow> {
        let person = &batch.migrants[migrant];
        let studies: Vec<_> = (batch.skills.education.iter())
            .filter(|e| e.migrant_id == person.id)
            .collect();
        let highest = (studies.iter())
            .filter(|e| e.completed)
            .filter_map(|e| EducationLevel::from_stored(&e.level))
            .chain(
                person
                    .education_level
                    .as_deref()
                    .and_then(EducationLevel::from_stored),
            )
            .max()?;
        let fits: Vec<&ProgramRow> = (self.programs.iter())
            .filter(|p| p.university_code == university)
            .filter(|p| EducationLevel::from_stored(&p.min_education).is_some_and(|m| m <= highest))
            .collect();
        let program = (*fits.get(self.rng.random_range(0..fits.len().max(1)))?).clone();
        let intake = pick(
            &mut self.rng,
            &self.intakes.get(&program.id)?.iter().collect::<Vec<_>>(),
        )
        .clone();
        let status = self.outcome(&intake);
        let grants = ProgramLevel::from_stored(&program.level)?.grants().stored();
        let begun = studies.iter().find(|e| !e.completed && e.level == grants);
        let at = timestamp(self.anchor - self.rng.random_range(3_600..90 * 86_400));
        let scholarship =
            (program.scholarships_offered && status.holds_seat() && self.rng.random_bool(0.3))
                .then(|| pick(&mut self.rng, &[25, 50, 75, 100]));
        Some(ApplicationRow {
            id: uuid(&mut self.rng),
            migrant_id: person.id.clone(),
            program_id: program.id,
            intake_id: intake.id,
            university_code: university.to_string(),
            status: status.stored().into(),
            scholarship_percent: scholarship,
            scholarship_centavos: None,
            recognised_record_id: begun.map(|e| e.id.clone()),
            recognised_years: begun.map(|e| e.years_completed),
            recognised_credits: begun.and_then(|e| e.credits),
            version: 1,
            created_by: "seed".into(),
            created_at: at,
            updated_at: at,
        })
    }

    /// Applications of the people of a chunk who consent to a university.
    pub fn applications(&mut self, batch: &Batch) -> Vec<ApplicationRow> {
        let index: HashMap<&str, usize> = (batch.migrants.iter().enumerate())
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let mut out = vec![];
        for c in batch.consents.iter().filter(|c| c.purpose == "EDUCATION") {
            let Some(&i) = index.get(c.migrant_id.as_str()) else {
                continue;
            };
            if self.rng.random_bool(0.2) {
                out.extend(self.apply(batch, i, &c.institution_code));
            }
        }
        out
    }
}

/// Sets every intake's seats taken to its admitted and enrolled
/// applications (one statement).
pub fn recount_seats(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE program_intakes SET seats_taken = (SELECT COUNT(*) FROM study_applications a \
         WHERE a.intake_id = program_intakes.id AND a.status IN ('ADMITTED', 'ENROLLED'))",
    )
    .execute(conn)
}
