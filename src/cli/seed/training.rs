//! Demo training courses (about one per 500 people, at least 10, most of
//! them INTECAP's), enrolments (about 6 % of the people with an active
//! EMPLOYMENT consent to MINTRAB; about 60 % completed) and
//! micro-enterprise projects (about 2 % of the people; about half funded
//! or operating). People are picked chunk by chunk as they are generated.

use chrono::{Days, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{pick, pick_weighted, timestamp};
use super::people::Batch;
use crate::db::courses::CourseRow;
use crate::db::enrolments::EnrolmentRow;
use crate::db::enterprise::{NoteRow, ProjectEventRow, ProjectRow};

/// Providers, weighted: INTECAP runs most of the country's technical training.
const PROVIDERS: [(&str, u32); 4] = [
    ("INTECAP", 70),
    ("MINTRAB – Escuela Taller", 12),
    ("Fundación Kinal", 9),
    ("Municipalidad", 9),
];

/// Courses: name and target ISCO-08 group (1, 2 or 4 digits).
const COURSES: [(&str, &str); 10] = [
    ("Albañilería básica", "7112"),
    ("Electricidad domiciliar", "7411"),
    ("Cocina profesional", "5120"),
    ("Panadería y repostería", "7512"),
    ("Mecánica automotriz", "7231"),
    ("Inglés para centros de llamadas", "4222"),
    ("Corte y confección", "75"),
    ("Soldadura", "7212"),
    ("Agricultura tecnificada", "61"),
    ("Emprendimiento y atención al cliente", "5"),
];

/// Business activities of micro-enterprises, with their ISCO-08 unit group.
const ACTIVITIES: [(&str, Option<&str>); 8] = [
    ("Tortillería", Some("7512")),
    ("Tienda de barrio", Some("5221")),
    ("Taller mecánico", Some("7231")),
    ("Panadería", Some("7512")),
    ("Salón de belleza", Some("5142")),
    ("Carpintería", Some("7522")),
    ("Crianza de pollos", Some("6122")),
    ("Venta de ropa en mercado", None),
];

/// People picked for training and projects while their chunk is at hand.
#[derive(Default)]
pub struct Picks {
    /// People with an active EMPLOYMENT consent to MINTRAB, for enrolments.
    trainees: Vec<String>,
    /// (person, municipality, registered at) for projects.
    owners: Vec<(String, String, NaiveDateTime)>,
}

/// The training and enterprise rows of a run.
pub struct Rows {
    pub courses: Vec<CourseRow>,
    pub enrolments: Vec<EnrolmentRow>,
    pub projects: Vec<ProjectRow>,
    pub events: Vec<ProjectEventRow>,
    pub notes: Vec<NoteRow>,
}

/// Picks the people of one generated chunk.
pub struct Picker {
    rng: ChaCha8Rng,
    anchor: NaiveDateTime,
    /// Everything picked so far.
    pub picks: Picks,
}

impl Picker {
    /// A picker for a run of `seed` on a database holding `existing` people.
    pub fn new(seed: u64, existing: u64, anchor: i64) -> Self {
        Picker {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x7a1_0c0 ^ existing),
            anchor: timestamp(anchor),
            picks: Picks::default(),
        }
    }

    /// Picks about 6 % of the chunk's MINTRAB-consenting people and about
    /// 2 % of everyone.
    pub fn take(&mut self, batch: &Batch) {
        for c in &batch.consents {
            let mintrab = c.institution_code == "MINTRAB" && c.purpose == "EMPLOYMENT";
            if mintrab && c.is_active(self.anchor) && self.rng.random_range(0..100) < 6 {
                self.picks.trainees.push(c.migrant_id.clone());
            }
        }
        for m in &batch.migrants {
            let Some(place) = &m.origin_municipality_code else {
                continue;
            };
            if self.rng.random_range(0..50) == 0 {
                let at = m.created_at;
                self.picks.owners.push((m.id.clone(), place.clone(), at));
            }
        }
    }
}

impl Picker {
    /// The rows of the run: courses for `people` people, then the picked
    /// people's enrolments and projects.
    pub fn generate(mut self, people: usize) -> Rows {
        let courses: Vec<CourseRow> = (0..(people / 500).max(10))
            .map(|i| self.course(i))
            .collect();
        let enrolments = self.enrolments(&courses);
        let (mut projects, mut events, mut notes) = (vec![], vec![], vec![]);
        for (id, place, at) in std::mem::take(&mut self.picks.owners) {
            let (p, e, n) = self.project(id, place, at);
            projects.push(p);
            events.extend(e);
            notes.extend(n);
        }
        let courses = seats_counted(courses, &enrolments);
        Rows {
            courses,
            enrolments,
            projects,
            events,
            notes,
        }
    }

    fn id(&mut self) -> String {
        uuid::Uuid::from_u128(self.rng.random()).to_string()
    }

    /// Most courses are over (their people completed or dropped); a fifth
    /// are running or about to start.
    fn course(&mut self, i: usize) -> CourseRow {
        let (name, isco) = COURSES[i % COURSES.len()];
        let place: &str = pick(
            &mut self.rng,
            &["0101", "0108", "0901", "1301", "0501", "1601"],
        );
        let back = if self.rng.random_range(0..5) == 0 {
            20
        } else {
            self.rng.random_range(150..360)
        };
        let created = self.anchor - chrono::Duration::days(back);
        let starts = created.date() + Days::new(self.rng.random_range(10..30));
        let ends = starts + Days::new(self.rng.random_range(30..120));
        CourseRow {
            id: self.id(),
            name: name.into(),
            provider: pick_weighted(&mut self.rng, &PROVIDERS).into(),
            isco_code: isco.into(),
            municipality_code: place.into(),
            department_code: place[..2].into(),
            starts_on: starts,
            ends_on: ends,
            capacity: self.rng.random_range(15..=30),
            seats_taken: 0,
            status: if self.rng.random_range(0..25) == 0 {
                "CANCELLED"
            } else {
                "OPEN"
            }
            .into(),
            version: 1,
            created_by: "seed".into(),
            created_at: created,
            updated_at: created,
        }
    }

    /// Each picked person in the next open course with a seat (round
    /// robin); the course's end decides the outcome.
    fn enrolments(&mut self, courses: &[CourseRow]) -> Vec<EnrolmentRow> {
        let open: Vec<&CourseRow> = courses.iter().filter(|c| c.status == "OPEN").collect();
        let mut seats: Vec<i32> = open.iter().map(|c| c.capacity).collect();
        let mut seen = std::collections::HashSet::new();
        let mut out = vec![];
        let trainees = std::mem::take(&mut self.picks.trainees);
        for (n, person) in trainees.into_iter().enumerate() {
            let Some(k) = (0..open.len())
                .map(|j| (n + j) % open.len())
                .find(|k| seats[*k] > 0)
            else {
                break;
            };
            if !seen.insert(person.clone()) {
                continue;
            }
            let c = open[k];
            let over = c.ends_on < self.anchor.date();
            let status = match (over, self.rng.random_range(0..4)) {
                (false, _) => "ENROLLED",
                (true, 0) => "DROPPED",
                (true, _) => "COMPLETED",
            };
            if status != "DROPPED" {
                seats[k] -= 1;
            }
            let at = c.created_at + chrono::Duration::days(self.rng.random_range(0..10));
            let moved = if over {
                c.ends_on.and_time(at.time())
            } else {
                at
            };
            out.push(EnrolmentRow {
                id: self.id(),
                migrant_id: person,
                course_id: c.id.clone(),
                status: status.into(),
                version: if over { 2 } else { 1 },
                created_by: "seed".into(),
                created_at: at.min(self.anchor),
                updated_at: moved.min(self.anchor),
            });
        }
        out
    }
}

/// Each course's counter holds the seats its enrolments took.
fn seats_counted(mut courses: Vec<CourseRow>, enrolments: &[EnrolmentRow]) -> Vec<CourseRow> {
    let mut taken = std::collections::HashMap::new();
    for e in enrolments.iter().filter(|e| e.status != "DROPPED") {
        *taken.entry(e.course_id.as_str()).or_insert(0) += 1;
    }
    for c in &mut courses {
        c.seats_taken = taken.get(c.id.as_str()).copied().unwrap_or(0);
    }
    courses
}

/// The statuses a project passes through to reach each final one.
const PATHS: [(&[&str], u32); 6] = [
    (&["PROPOSED"], 15),
    (&["PROPOSED", "APPROVED"], 15),
    (&["PROPOSED", "APPROVED", "FUNDED"], 20),
    (&["PROPOSED", "APPROVED", "FUNDED", "OPERATING"], 30),
    (&["PROPOSED", "CLOSED"], 10),
    (
        &["PROPOSED", "APPROVED", "FUNDED", "OPERATING", "CLOSED"],
        10,
    ),
];

impl Picker {
    /// A project proposed some weeks after the person registered, each
    /// move a few weeks after the last; operating ones have a follow-up note.
    fn project(
        &mut self,
        migrant_id: String,
        place: String,
        registered: NaiveDateTime,
    ) -> (ProjectRow, Vec<ProjectEventRow>, Option<NoteRow>) {
        let id = self.id();
        let path = pick_weighted(&mut self.rng, &PATHS);
        let mut at =
            (registered + chrono::Duration::days(self.rng.random_range(7..40))).min(self.anchor);
        let (mut events, mut funded_on) = (vec![], None);
        for status in path {
            events.push(ProjectEventRow {
                project_id: id.clone(),
                status: (*status).into(),
                by: "seed".into(),
                at,
            });
            if *status == "FUNDED" {
                funded_on = Some(at.date());
            }
            at = (at + chrono::Duration::days(self.rng.random_range(14..45))).min(self.anchor);
        }
        let (created, updated) = (events[0].at, events[events.len() - 1].at);
        let (activity, isco) = pick(&mut self.rng, &ACTIVITIES);
        let note = path.contains(&"OPERATING").then(|| NoteRow {
            id: self.id(),
            project_id: id.clone(),
            migrant_id: migrant_id.clone(),
            note_date: updated.date(),
            text: "Visita de seguimiento: el negocio funciona y cubre sus costos.".into(),
            created_by: "seed".into(),
            created_at: updated,
        });
        let project = ProjectRow {
            id,
            migrant_id,
            activity: activity.into(),
            isco_code: isco.map(str::to_string),
            department_code: place[..2].to_string(),
            municipality_code: Some(place),
            grant_centavos: self.rng.random_range(50..=250) * 10_000,
            status: path[path.len() - 1].into(),
            funded_on,
            version: i32::try_from(path.len()).unwrap_or(1),
            created_by: "seed".into(),
            created_at: created,
            updated_at: updated,
        };
        (project, events, note)
    }
}

#[cfg(test)]
mod tests {
    use super::super::people::Generator;
    use super::*;
    use crate::domain::{geography, isco};

    const ANCHOR: i64 = 1_795_030_400;

    #[test]
    fn demo_training_and_projects_are_valid_and_proportionate() {
        let (mut batch, mut picker) = (Batch::default(), Picker::new(42, 0, ANCHOR));
        Generator::new(42, 0, ANCHOR).fill(&mut batch, 20_000);
        picker.take(&batch);
        let consenting = picker.picks.trainees.len();
        let rows = picker.generate(20_000);
        assert_eq!(rows.courses.len(), 40);
        for c in &rows.courses {
            assert!(isco::lookup(&c.isco_code).is_some(), "{}", c.isco_code);
            assert!(geography::municipality(&c.municipality_code).is_some());
            assert!(c.starts_on <= c.ends_on && c.seats_taken <= c.capacity);
        }
        let n = rows.enrolments.len();
        assert!(n > 300 && n == consenting, "{n} of {consenting}");
        let completed = rows
            .enrolments
            .iter()
            .filter(|e| e.status == "COMPLETED")
            .count();
        assert!(
            (45..=75).contains(&(completed * 100 / n)),
            "{completed} of {n}"
        );
        let p = rows.projects.len();
        assert!((300..500).contains(&p), "{p} projects");
        let going = rows
            .projects
            .iter()
            .filter(|p| matches!(p.status.as_str(), "FUNDED" | "OPERATING"))
            .count();
        assert!((35..=65).contains(&(going * 100 / p)), "{going} of {p}");
        for p in &rows.projects {
            let paid = matches!(p.status.as_str(), "FUNDED" | "OPERATING");
            assert!(!paid || p.funded_on.is_some(), "{p:?}");
            assert!(p.status != "PROPOSED" || p.funded_on.is_none());
        }
        assert_eq!(
            rows.events.len() as i32,
            rows.projects.iter().map(|p| p.version).sum::<i32>()
        );
    }
}
