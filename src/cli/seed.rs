//! `reintegra seed --demo N [--seed S]`: realistic synthetic returnees for
//! demos and load tests.
//!
//! The same seed gives the same people, arrivals and consents on an empty
//! database (times count back from the day of the run). On a database
//! that already holds records the generator switches to another stream and
//! moves past the CUI serials used so far, so repeated runs add new people.
//! Rows are generated in chunks to bound memory, but all of them go in one
//! write transaction with one `SEED` audit event: a run lands whole or not
//! at all.

mod admissions;
mod data;
mod events;
mod fleet;
mod labour;
mod people;
mod pipeline;
mod qualifications;
mod referrals;
mod studies;
mod training;

use std::time::Instant;

use diesel::prelude::*;

use crate::config::{Environment, Settings};
use crate::db::audit::{self, AuditEntry};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, StartupError};
use people::{Generator, SERIAL_BLOCKS};

/// People generated and inserted per chunk.
const CHUNK: usize = 2_500;

/// Runs the command: migrates, then inserts `n` people generated from `seed`.
pub fn run(settings: &Settings, n: u32, seed: u64) -> Result<(), StartupError> {
    if settings.environment == Environment::Production {
        return Err(StartupError::Config(
            "refusing to seed synthetic records with REINTEGRA_ENV=production".into(),
        ));
    }
    let started = Instant::now();
    crate::db::migrate::connect_and_migrate(&settings.database_url)?;
    let mut conn = connect(&settings.database_url)?;
    let anchor = crate::db::now().and_utc().timestamp();
    let tables = [
        "migrants",
        "arrivals",
        "assistance",
        "consents",
        "migrant_occupations",
        "migrant_languages",
        "migrant_name_words",
        "education_records",
        "study_applications",
    ];
    let counts = crate::db::write_tx(&mut conn, |c| {
        crate::db::bulk::with_indexes_deferred(c, &tables, |c| {
            seed_all(c, n as usize, seed, anchor)
        })
    })
    .map_err(|e| match e {
        AppError::Internal(detail) => StartupError::Database(detail),
        other => StartupError::Database(other.to_string()),
    })?;
    let analysing = Instant::now();
    crate::db::after_bulk_load(&mut conn).map_err(|e| StartupError::Database(e.to_string()))?;
    progress("statistics taken", analysing);
    if let DbConnection::Sqlite(c) = &mut conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA journal_mode = WAL;")
            .map_err(|e| StartupError::Database(e.to_string()))?;
    }
    println!(
        "seeded {} migrants, {} arrivals on {} flights, {} assistance records, {} consents, {} employers, {} vacancies, {} job referrals ({} hired), {} education records, {} programmes, {} study applications, {} training courses, {} enrolments, {} enterprise projects in {:.1}s",
        counts.migrants,
        counts.arrivals,
        counts.flights,
        counts.assistance,
        counts.consents,
        counts.employers,
        counts.vacancies,
        counts.referrals,
        counts.hired,
        counts.education,
        counts.programs,
        counts.applications,
        counts.courses,
        counts.enrolments,
        counts.projects,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn connect(url: &str) -> Result<DbConnection, StartupError> {
    use diesel::connection::SimpleConnection;
    let mut conn = crate::db::establish(url)
        .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))?;
    if let DbConnection::Sqlite(c) = &mut conn {
        // The load is one transaction. In WAL mode every page it writes
        // would also sit in the log (gigabytes at a million people, and
        // slower to search as it grows); a rollback journal copies only
        // pages that existed before, which a fresh database barely has.
        // The mode goes back to WAL when the seed is done (and stays WAL
        // when a server holds the file open). A 128 MiB page cache keeps
        // the hot index pages in memory. Foreign keys are not checked row by
        // row: the generator builds every child with its parent (see the
        // `rows_are_consistent` test), and the check is a random lookup per
        // row, the largest cost of a load of millions.
        c.batch_execute(
            "PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = 5000; \
             PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL; \
             PRAGMA cache_size = -131072;",
        )
        .map_err(|e| StartupError::Database(e.to_string()))?;
    }
    Ok(conn)
}

/// Logs how long a stage of the run took (`REINTEGRA_LOG=info`).
fn progress(stage: &str, started: Instant) {
    let elapsed_ms = crate::db::bulk::elapsed_ms(started);
    tracing::info!(stage, elapsed_ms, "seed");
}

/// Rows inserted by a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedCounts {
    /// Migrant records.
    pub migrants: usize,
    /// Arrivals.
    pub arrivals: usize,
    /// Consents.
    pub consents: usize,
    /// Charter flights created.
    pub flights: usize,
    /// Assistance records.
    pub assistance: usize,
    /// Employers registered.
    pub employers: usize,
    /// Job vacancies posted.
    pub vacancies: usize,
    /// Education history records.
    pub education: usize,
    /// University programmes created.
    pub programs: usize,
    /// Study applications.
    pub applications: usize,
    /// Job referrals.
    pub referrals: usize,
    /// Of which hired.
    pub hired: usize,
    /// Training courses.
    pub courses: usize,
    /// Training enrolments.
    pub enrolments: usize,
    /// Micro-enterprise projects.
    pub projects: usize,
}

fn seed_all(conn: &mut DbConnection, n: usize, seed: u64, anchor: i64) -> AppResult<SeedCounts> {
    use crate::db::schema::migrants::dsl::migrants as table;
    let started = Instant::now();
    let existing = u64::try_from(table.count().get_result::<i64>(conn)?).unwrap_or(0);
    if existing + n as u64 > SERIAL_BLOCKS {
        return Err(AppError::bad_input(
            "--demo",
            format!("{existing} records exist; synthetic CUIs run out at {SERIAL_BLOCKS}"),
        ));
    }
    let generator = Generator::new(seed, existing, anchor);
    let fleet = fleet::Fleet::new(conn, n)?;
    let picker = training::Picker::new(seed, existing, anchor);
    let referrer = referrals::Referrer::new(seed, existing, anchor);
    let (catalogue, programs) = admissions::Catalogue::load_or_create(conn, seed, anchor)?;
    let mut counts = SeedCounts {
        programs,
        ..SeedCounts::default()
    };
    let makers = pipeline::Makers {
        generator,
        fleet,
        picker,
        referrer,
        catalogue,
    };
    // Rows are made on a second thread while this one writes the previous
    // chunk: on two cores the generator's work hides behind the writes.
    let (picker, referrer) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<pipeline::Chunk>(1);
        let maker = s.spawn(move || makers.run(n, tx));
        let written = rx
            .iter()
            .try_for_each(|chunk| pipeline::write_chunk(conn, &chunk, &mut counts));
        // A failed write drops the receiver, which stops the maker.
        drop(rx);
        let made = maker
            .join()
            .map_err(|_| AppError::Internal("the seed generator panicked".into()))?;
        written.map(|()| made)
    })?;
    progress("people loaded", started);
    let started = Instant::now();
    crate::db::name_words::index_missing(conn)?;
    progress("names indexed", started);
    let started = Instant::now();
    admissions::recount_seats(conn)?;
    seed_labour(conn, (n, seed, anchor), referrer, &mut counts)?;
    seed_training(conn, picker, n, &mut counts)?;
    progress("labour and training loaded", started);
    let started = Instant::now();
    crate::db::scope_counts::rebuild(conn)?;
    progress("scope counts rebuilt", started);
    audit::append(conn, &[seed_event(n, seed)], crate::db::now())?;
    Ok(counts)
}

/// Employers and vacancies in proportion to the people of the run
/// (`n`, `seed`, `anchor`), and the referrals to them.
fn seed_labour(
    conn: &mut DbConnection,
    (n, seed, anchor): (usize, u64, i64),
    referrer: referrals::Referrer,
    counts: &mut SeedCounts,
) -> AppResult<()> {
    use crate::db::schema::employers::dsl::employers as table;
    let existing = u64::try_from(table.count().get_result::<i64>(conn)?).unwrap_or(0);
    let (employers, mut vacancies) = labour::generate(n, seed, anchor, existing);
    let referred = referrer.refer(&mut vacancies);
    crate::db::employers::insert(conn, &employers)?;
    crate::db::vacancies::insert(conn, &vacancies)?;
    crate::db::referrals::insert_many(conn, &referred.referrals, &referred.events)?;
    counts.employers = employers.len();
    counts.vacancies = vacancies.len();
    counts.referrals = referred.referrals.len();
    counts.hired = (referred.referrals.iter())
        .filter(|r| r.status == "HIRED")
        .count();
    Ok(())
}

/// Training courses, enrolments and enterprise projects of the people picked.
fn seed_training(
    conn: &mut DbConnection,
    picker: training::Picker,
    n: usize,
    counts: &mut SeedCounts,
) -> AppResult<()> {
    let rows = picker.generate(n);
    crate::db::courses::insert(conn, &rows.courses)?;
    crate::db::enrolments::insert_many(conn, &rows.enrolments)?;
    crate::db::enterprise::insert_many(conn, &rows.projects, &rows.events)?;
    crate::db::enterprise::add_notes(conn, &rows.notes)?;
    counts.courses = rows.courses.len();
    counts.enrolments = rows.enrolments.len();
    counts.projects = rows.projects.len();
    Ok(())
}

/// The one audit event of a run (record ids are not listed).
fn seed_event(n: usize, seed: u64) -> AuditEntry {
    AuditEntry {
        actor_subject: "seed".into(),
        actor_institution: "IOM".into(),
        actor_role: "iom_admin".into(),
        action: "SEED".into(),
        entity: "Migrant".into(),
        request_id: "cli".into(),
        detail: Some(format!("{n} synthetic records, seed {seed}")),
        ..AuditEntry::default()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDateTime;

    use super::data::timestamp;
    use super::people::{synthetic_cui, Batch};
    use super::*;
    use crate::domain::cui::Cui;
    use crate::domain::person::fold;

    /// 2026-11-18 19:33:20 UTC.
    const ANCHOR: i64 = 1_795_030_400;

    fn sample(seed: u64, people: usize) -> Batch {
        let mut batch = Batch::default();
        Generator::new(seed, 0, ANCHOR).fill(&mut batch, people);
        batch
    }

    fn identities(b: &Batch) -> Vec<(String, String, String, Option<String>)> {
        (b.migrants.iter())
            .map(|m| {
                (
                    m.id.clone(),
                    m.given_names.clone(),
                    m.family_names.clone(),
                    m.document_number.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn same_seed_same_people() {
        let (a, b, c) = (sample(42, 300), sample(42, 300), sample(43, 300));
        assert_eq!(identities(&a), identities(&b));
        assert_ne!(identities(&a), identities(&c));
        let times = |b: &Batch| b.arrivals.iter().map(|r| r.arrived_at).collect::<Vec<_>>();
        assert_eq!(times(&a), times(&b));
        let mut next = Batch::default();
        Generator::new(42, 300, ANCHOR).fill(&mut next, 300);
        let ids: HashSet<_> = a.migrants.iter().map(|m| &m.id).collect();
        assert!(
            next.migrants.iter().all(|m| !ids.contains(&m.id)),
            "a later run repeats ids"
        );
    }

    #[test]
    fn cuis_are_valid_and_unique() {
        let batch = sample(7, 5000);
        let cuis: Vec<&str> = batch
            .migrants
            .iter()
            .filter_map(|m| m.document_number.as_deref())
            .collect();
        for cui in &cuis {
            assert_eq!(
                Cui::parse(cui).map(|c| c.as_str().to_string()).as_deref(),
                Ok(*cui)
            );
        }
        assert_eq!(cuis.iter().collect::<HashSet<_>>().len(), cuis.len());
        assert!(
            (4000..4500).contains(&cuis.len()),
            "{} of 5000 have a CUI",
            cuis.len()
        );
        let later: Vec<_> = (0..20_000)
            .filter_map(|i| synthetic_cui(i, "1301"))
            .collect();
        assert_eq!(
            later.iter().map(Cui::as_str).collect::<HashSet<_>>().len(),
            20_000
        );
    }

    #[test]
    fn rows_are_consistent() {
        let batch = sample(42, 3000);
        let anchor = timestamp(ANCHOR);
        let created: std::collections::HashMap<&str, NaiveDateTime> = batch
            .migrants
            .iter()
            .map(|m| (m.id.as_str(), m.created_at))
            .collect();
        for m in &batch.migrants {
            assert_eq!(
                m.search_name,
                fold(&format!("{} {}", m.given_names, m.family_names))
            );
            assert_eq!(
                m.origin_department_code.as_deref(),
                m.origin_municipality_code.as_deref().map(|c| &c[..2])
            );
            let age = m.created_at.date().years_since(m.birth_date).unwrap_or(0);
            assert_eq!(m.unaccompanied_minor, age < 18, "{m:?}");
            assert!((15..=65).contains(&age));
        }
        let mut last: Option<(&str, NaiveDateTime)> = None;
        for a in &batch.arrivals {
            assert_eq!(a.arrived_at.and_utc().timestamp_subsec_nanos(), 0);
            assert!(a.arrived_at < anchor);
            match last {
                Some((id, at)) if id == a.migrant_id => assert!(a.arrived_at > at),
                _ => assert_eq!(created.get(a.migrant_id.as_str()), Some(&a.arrived_at)),
            }
            last = Some((&a.migrant_id, a.arrived_at));
        }
        for c in &batch.consents {
            assert!(c.granted_at > created[c.migrant_id.as_str()] && c.granted_at < anchor);
            assert!(c.revoked_at.is_none_or(|r| r > c.granted_at && r <= anchor));
            assert!(c.expires_at.is_none_or(|e| e > c.granted_at));
        }
    }
}
