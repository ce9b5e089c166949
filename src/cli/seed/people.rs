//! The people: identity, documents, contact, skills and wellbeing.

use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{self, pick, pick_weighted, timestamp};
use crate::db::arrivals::ArrivalRow;
use crate::db::consents::ConsentRow;
use crate::db::migrants::MigrantRow;
use crate::db::skills::SkillRows;
use crate::domain::cui::Cui;
use crate::domain::geography::{all_municipalities, KnownMunicipality};
use crate::domain::person::{fold, Sex, StoredEnum};

/// Blocks of ten CUI serials available; existing plus new people must fit.
pub const SERIAL_BLOCKS: u64 = 8_000_000;
/// Coprime with `SERIAL_BLOCKS`: scatters row indexes over the blocks.
const SERIAL_STRIDE: u64 = 3_141_593;

/// The rows of one chunk of people.
#[derive(Debug, Default)]
pub struct Batch {
    /// One record per person.
    pub migrants: Vec<MigrantRow>,
    /// Their arrivals, oldest first per person.
    pub arrivals: Vec<ArrivalRow>,
    /// Their consents.
    pub consents: Vec<ConsentRow>,
    /// Their occupations, languages and certifications.
    pub skills: SkillRows,
}

/// Word lists, split once.
struct Lists {
    male: Vec<&'static str>,
    female: Vec<&'static str>,
    surnames: Vec<&'static str>,
    highland: Vec<&'static str>,
    places: Vec<&'static str>,
}

/// A weighted department and its municipalities.
struct Department {
    code: &'static str,
    weight: u32,
    municipalities: Vec<&'static KnownMunicipality>,
}

/// Generates synthetic people: the same seed, starting index and anchor
/// time always give the same rows.
pub struct Generator {
    pub(super) rng: ChaCha8Rng,
    /// "Now", in whole seconds since the epoch; nothing happens after it.
    pub(super) anchor: i64,
    next_index: u64,
    /// The last id counter handed out (see [`Generator::uuid`]).
    next_id: u64,
    departments: Vec<Department>,
    department_weights: Vec<(usize, u32)>,
    lists: Lists,
}

impl Generator {
    /// A generator for `seed` whose first person gets row index `start`
    /// (the number of records already stored).
    pub fn new(seed: u64, start: u64, anchor: i64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(start);
        let all = all_municipalities();
        let departments: Vec<Department> = (data::DEPARTMENT_WEIGHTS.iter())
            .map(|&(code, weight)| Department {
                code,
                weight,
                municipalities: all
                    .iter()
                    .copied()
                    .filter(|m| m.department_code == code)
                    .collect(),
            })
            .collect();
        let department_weights = (departments.iter().enumerate())
            .filter(|(_, d)| !d.municipalities.is_empty())
            .map(|(i, d)| (i, d.weight))
            .collect();
        let lists = Lists {
            male: data::split(data::MALE_GIVEN),
            female: data::split(data::FEMALE_GIVEN),
            surnames: data::split(data::SURNAMES),
            highland: data::split(data::HIGHLAND_SURNAMES),
            places: data::split(data::PLACE_NAMES),
        };
        Generator {
            rng,
            anchor,
            next_index: start,
            // Seconds shifted left: a later run starts above an earlier one.
            next_id: (anchor.max(0) as u64) << 16,
            departments,
            department_weights,
            lists,
        }
    }

    /// Replaces the contents of `batch` with `people` new people.
    pub fn fill(&mut self, batch: &mut Batch, people: usize) {
        batch.migrants.clear();
        batch.arrivals.clear();
        batch.consents.clear();
        batch.skills = SkillRows::default();
        batch.migrants.reserve(people);
        for _ in 0..people {
            self.person(batch);
        }
    }

    fn person(&mut self, batch: &mut Batch) {
        let index = self.next_index;
        self.next_index += 1;
        let id = self.uuid();
        let (first, months_in_us) = self.arrivals(&id, batch);
        let mut row = self.migrant(id, index, first);
        let age = row
            .created_at
            .date()
            .years_since(row.birth_date)
            .unwrap_or(30);
        let department = row.origin_department_code.clone().unwrap_or_default();
        self.skills(&mut row, age, months_in_us, &department, &mut batch.skills);
        self.consents(&row.id, first, batch);
        batch.migrants.push(row);
    }

    /// Seeded ids rise through a run: the first six bytes count up from
    /// the run's anchor, the other ten are random. A load of millions then
    /// appends to each primary-key index instead of writing all over it.
    /// Ids the API creates stay fully random (v4); seeding is refused in
    /// production, so no real record ever carries one of these.
    pub(super) fn uuid(&mut self) -> String {
        self.next_id += 1;
        let mut bytes: [u8; 16] = self.rng.random();
        bytes[..6].copy_from_slice(&self.next_id.to_be_bytes()[2..]);
        uuid::Builder::from_custom_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    fn migrant(&mut self, id: String, index: u64, first: i64) -> MigrantRow {
        let department = pick_weighted(&mut self.rng, &self.department_weights);
        let (department, place) = (
            self.departments[department].code,
            self.municipality(department),
        );
        let highland = !data::maya_languages(department).is_empty();
        let sex = self.sex(0.2);
        let age = self.age();
        let created = timestamp(first);
        let mut row = blank(id, created);
        row.given_names = self.given_names(sex);
        row.family_names = self.family_names(highland);
        row.search_name = fold(&format!("{} {}", row.given_names, row.family_names));
        row.birth_date = self.birth_date(created.date(), age);
        row.sex = sex.stored().to_string();
        row.unaccompanied_minor = age < 18;
        row.origin_municipality_code = Some(place.code.clone());
        row.origin_department_code = place.code.get(..2).map(str::to_string);
        self.documents(&mut row, index, &place.code);
        self.contact(&mut row, place, highland);
        self.wellbeing(&mut row);
        row
    }

    fn sex(&mut self, female_share: f64) -> Sex {
        if self.rng.random_bool(female_share) {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    fn municipality(&mut self, department: usize) -> &'static KnownMunicipality {
        let list = &self.departments[department].municipalities;
        list[self.rng.random_range(0..list.len())]
    }

    /// Age at first arrival: mostly 18–45 (skewed young), ~5% 46–65,
    /// ~2% minors of 15–17.
    fn age(&mut self) -> u32 {
        match self.rng.random_range(0..1000) {
            0..20 => self.rng.random_range(15..=17),
            20..70 => self.rng.random_range(46..=65),
            _ => {
                18 + self
                    .rng
                    .random_range(0..=27)
                    .min(self.rng.random_range(0..=27))
            }
        }
    }

    /// A birth date that makes the person exactly `age` on `arrived`.
    fn birth_date(&mut self, arrived: NaiveDate, age: u32) -> NaiveDate {
        let months = Months::new(age * 12 + self.rng.random_range(0..12));
        let days = Days::new(self.rng.random_range(0..28));
        (arrived.checked_sub_months(months))
            .and_then(|d| d.checked_sub_days(days))
            .unwrap_or(arrived)
    }

    fn given_names(&mut self, sex: Sex) -> String {
        let list = if sex == Sex::Female {
            &self.lists.female
        } else {
            &self.lists.male
        };
        let first = pick(&mut self.rng, list);
        if self.rng.random_bool(0.55) {
            let second = pick(&mut self.rng, list);
            if second != first {
                return format!("{first} {second}");
            }
        }
        first.to_string()
    }

    fn family_names(&mut self, highland: bool) -> String {
        let first = self.surname(highland);
        if self.rng.random_bool(0.1) {
            return first.to_string();
        }
        format!("{first} {}", self.surname(highland))
    }

    fn surname(&mut self, highland: bool) -> &'static str {
        let maya = self.rng.random_bool(if highland { 0.45 } else { 0.1 });
        let list = if maya {
            &self.lists.highland
        } else {
            &self.lists.surnames
        };
        pick(&mut self.rng, list)
    }

    fn documents(&mut self, row: &mut MigrantRow, index: u64, municipality: &str) {
        if self.rng.random_bool(0.85) {
            row.document_number =
                synthetic_cui(index, municipality).map(|c| c.as_str().to_string());
        }
        if self.rng.random_bool(0.3) {
            let letter = char::from(b'A' + self.rng.random_range(0..8));
            row.passport_number = Some(format!(
                "{letter}{:08}",
                self.rng.random_range(0..100_000_000)
            ));
        }
    }

    fn contact(&mut self, row: &mut MigrantRow, place: &KnownMunicipality, highland: bool) {
        if self.rng.random_bool(0.8) {
            let (lead, rest) = (
                self.rng.random_range(3..=5),
                self.rng.random_range(0..10_000_000),
            );
            row.phone = Some(format!("+502{lead}{rest:07}"));
        }
        if self.rng.random_bool(0.9) {
            let kind = pick(&mut self.rng, data::PLACE_KINDS);
            let name = pick(&mut self.rng, &self.lists.places);
            let zone = self.rng.random_range(1..=6);
            row.address = Some(format!("{kind} {name}, Zona {zone}, {}", place.name));
        }
        if self.rng.random_bool(0.7) {
            self.relative(row, highland);
        }
    }

    /// A relative, often sharing the first surname; five in seven (half
    /// of everyone) have a US phone.
    fn relative(&mut self, row: &mut MigrantRow, highland: bool) {
        let sex = self.sex(0.5);
        let shared = (row.family_names.split(' ').next()).filter(|_| self.rng.random_bool(0.6));
        let family = shared.unwrap_or_else(|| self.surname(highland)).to_string();
        row.relative_name = Some(format!("{} {family}", self.given_names(sex)));
        if self.rng.random_bool(0.5 / 0.7) {
            let area = pick(&mut self.rng, data::US_AREA_CODES);
            let (exchange, line) = (
                self.rng.random_range(2..=9),
                self.rng.random_range(0..1_000_000),
            );
            row.relative_phone = Some(format!("+1{area}{exchange}{line:06}"));
        }
    }

    fn wellbeing(&mut self, row: &mut MigrantRow) {
        row.needs_medical_attention = self.rng.random_bool(0.05);
        if row.needs_medical_attention {
            row.medical_conditions =
                Some(pick(&mut self.rng, data::MEDICAL_CONDITIONS).to_string());
        }
        row.family_separation = self.rng.random_bool(0.08);
        row.protection_needs = self.rng.random_bool(0.03);
        row.do_not_share = self.rng.random_bool(0.015);
        row.protection_notes = if row.unaccompanied_minor {
            Some(data::MINOR_NOTE.to_string())
        } else if row.protection_needs {
            Some(pick(&mut self.rng, data::RISK_NOTES).to_string())
        } else if row.family_separation {
            Some(pick(&mut self.rng, data::SEPARATION_NOTES).to_string())
        } else {
            None
        };
    }
}

/// A valid CUI whose serial is unique to row `index` (< `SERIAL_BLOCKS`):
/// each index owns a block of ten serials, one of the first two of which
/// always has a check digit below 10.
pub fn synthetic_cui(index: u64, municipality: &str) -> Option<Cui> {
    let block = (index % SERIAL_BLOCKS) * SERIAL_STRIDE % SERIAL_BLOCKS;
    let base = 10_000_000 + block * 10;
    (base..base + 10).find_map(|s| Cui::from_parts(u32::try_from(s).ok()?, municipality))
}

fn blank(id: String, created: NaiveDateTime) -> MigrantRow {
    MigrantRow {
        id,
        given_names: String::new(),
        family_names: String::new(),
        search_name: String::new(),
        birth_date: created.date(),
        sex: String::new(),
        document_number: None,
        passport_number: None,
        phone: None,
        address: None,
        relative_name: None,
        relative_phone: None,
        origin_municipality_code: None,
        origin_department_code: None,
        education_level: None,
        years_experience: None,
        english_level: None,
        needs_medical_attention: false,
        medical_conditions: None,
        health_notes: None,
        unaccompanied_minor: false,
        family_separation: false,
        protection_needs: false,
        do_not_share: false,
        protection_notes: None,
        version: 1,
        created_at: created,
        updated_at: created,
        latest_arrival_at: None,
    }
}
