//! The stratified search gives exactly the full sort's page, for random
//! people, vacancies, courses and cursors.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::domain::person::{EducationLevel, EnglishLevel};
use crate::service::course_matching::{self, Course};
use crate::service::matching::{self, Needs};

const CODES: &[&str] = &[
    "7112", "7115", "7119", "7122", "7126", "7211", "9313", "7512",
];
const PLACES: &[(&str, &str)] = &[
    ("0101", "01"),
    ("0102", "01"),
    ("1301", "13"),
    ("1302", "13"),
];
const CERTS: &[&str] = &["albanileria basica", "seguridad industrial", "soldadura"];

fn person(rng: &mut ChaCha8Rng) -> Profile {
    let n = rng.random_range(0..3);
    let place = PLACES[rng.random_range(0..PLACES.len())];
    let known = rng.random_bool(0.9);
    Profile {
        occupations: (0..n)
            .map(|_| {
                let years = rng.random_bool(0.8).then(|| rng.random_range(0..15));
                (CODES[rng.random_range(0..CODES.len())].to_string(), years)
            })
            .collect(),
        languages: ["spa", "quc", "eng"]
            .iter()
            .filter(|_| rng.random_bool(0.6))
            .map(|l| l.to_string())
            .collect(),
        certifications: CERTS
            .iter()
            .filter(|_| rng.random_bool(0.2))
            .map(|c| c.to_string())
            .collect(),
        education: Some(EducationLevel::Primary).filter(|_| rng.random_bool(0.5)),
        english: Some(EnglishLevel::Basic).filter(|_| rng.random_bool(0.5)),
        municipality_code: known.then(|| place.0.to_string()),
        department_code: known.then(|| place.1.to_string()),
    }
}

/// The strata the database layer files `p` under: one per occupation row.
fn strata_of(p: &Profile, t: &Target<'_>) -> Vec<(&'static str, i32, Nearness)> {
    let near = if p.municipality_code.as_deref() == Some(t.municipality) {
        Nearness::Municipality
    } else if p.department_code.as_deref() == Some(t.department) {
        Nearness::Department
    } else {
        Nearness::Elsewhere
    };
    (p.occupations.iter())
        .filter_map(|(c, y)| {
            let unit = crate::domain::isco::lookup(c)?.code.as_str();
            Some((unit, y.unwrap_or(0).min(matching::points::MAX_YEARS), near))
        })
        .collect()
}

fn in_stratum(p: &Profile, t: &Target<'_>, s: Stratum) -> bool {
    strata_of(p, t)
        .iter()
        .any(|&(u, y, n)| u == s.unit && n == s.near && s.years.is_none_or(|sy| sy == y))
}

fn check<S>(rng: &mut ChaCha8Rng, people: &[Profile], t: &Target<'_>, score: S)
where
    S: Fn(&Profile) -> Option<Scored> + Copy,
{
    let ids: Vec<String> = (0..people.len()).map(|i| format!("p{i:05}")).collect();
    let mut full: Vec<(Scored, String)> = (people.iter().zip(&ids))
        .filter_map(|(p, id)| score(p).map(|s| (s, id.clone())))
        .collect();
    full.sort_by(better);
    let start = rng.random_range(0..=full.len());
    let after = (start > 0).then(|| {
        (
            i64::from(full[start - 1].0.score),
            full[start - 1].1.clone(),
        )
    });
    let want = rng.random_range(0..30);
    let expected: Vec<(i32, String)> = (full[start..].iter().take(want))
        .map(|(s, id)| (s.score, id.clone()))
        .collect();
    let top = search::<(), _>(
        &strata(t, score),
        TopK::new(want, after),
        |s, from, limit, top| {
            let rows: Vec<(&Profile, &String)> = (people.iter().zip(&ids))
                .filter(|(p, id)| in_stratum(p, t, s) && from.is_none_or(|f| id.as_str() > f))
                .take(limit as usize)
                .collect();
            for (p, id) in &rows {
                if let Some(x) = score(p) {
                    top.offer(x, id.to_string());
                }
            }
            Ok((rows.len() as i64 == limit).then(|| rows[rows.len() - 1].1.clone()))
        },
    )
    .unwrap();
    let got: Vec<(i32, String)> = (top.into_ranked().into_iter())
        .map(|(s, id)| (s.score, id))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn same_page_as_a_full_sort_for_vacancies() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for round in 0..120 {
        let people: Vec<Profile> = (0..rng.random_range(0..200))
            .map(|_| person(&mut rng))
            .collect();
        let needs = Needs {
            isco_code: CODES[round % CODES.len()].into(),
            min_education: Some(EducationLevel::Primary).filter(|_| rng.random_bool(0.3)),
            languages: vec!["spa".into()],
            min_english: Some(EnglishLevel::Basic).filter(|_| rng.random_bool(0.2)),
            required_certifications: vec!["Soldadura".into()],
            preferred_certifications: vec!["Seguridad industrial".into()],
            municipality_code: PLACES[round % PLACES.len()].0.into(),
            department_code: PLACES[round % PLACES.len()].1.into(),
        };
        let certifications = vec!["soldadura".into(), "seguridad industrial".into()];
        let t = Target {
            code: &needs.isco_code,
            widest: 2,
            municipality: &needs.municipality_code,
            department: &needs.department_code,
            languages: &needs.languages,
            certifications,
        };
        check(&mut rng, &people, &t, |p| matching::score(&needs, p));
    }
}

#[test]
fn same_page_as_a_full_sort_for_courses() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for round in 0..90 {
        let people: Vec<Profile> = (0..rng.random_range(0..200))
            .map(|_| person(&mut rng))
            .collect();
        let code = ["7112", "71", "7"][round % 3];
        let course = Course {
            isco_code: code.into(),
            municipality_code: "0101".into(),
            department_code: "01".into(),
        };
        let t = Target {
            code,
            widest: course_matching::candidate_prefix(code).len(),
            municipality: "0101",
            department: "01",
            languages: &[],
            certifications: vec![],
        };
        check(&mut rng, &people, &t, |p| {
            course_matching::score(&course, p)
        });
    }
}

#[test]
fn ceilings_fall_and_closer_occupations_lead() {
    let t = Target {
        code: "7112",
        widest: 2,
        municipality: "0101",
        department: "01",
        languages: &[],
        certifications: vec![],
    };
    let needs = Needs {
        isco_code: "7112".into(),
        municipality_code: "0101".into(),
        department_code: "01".into(),
        ..Needs::default()
    };
    let s = strata(&t, |p| matching::score(&needs, p));
    assert!(s.windows(2).all(|w| w[0].1 >= w[1].1));
    let top = Stratum {
        unit: "7112",
        years: Some(10),
        near: Nearness::Municipality,
    };
    assert_eq!(s[0], (top, 75));
    // Years count for jobs: one stratum per unit, place and counted years.
    assert_eq!(s.len(), super::units_under("71").len() * 3 * 11);
    let course = Course {
        isco_code: "7112".into(),
        municipality_code: "0101".into(),
        department_code: "01".into(),
    };
    let s = strata(&t, |p| course_matching::score(&course, p));
    assert_eq!(s.len(), super::units_under("71").len() * 3);
}
