//! Demo employers (about one per 200 people) and job vacancies (about one
//! per 50) in the proportions of the jobs returnees are offered:
//! construction, agriculture, maquila, hospitality, and call centres that
//! need English; a few universities post their own positions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{json_list, pick, pick_weighted, timestamp};
use crate::db::employers::EmployerRow;
use crate::db::vacancies::VacancyRow;
use crate::domain::nit::check_char;
use crate::domain::person::fold;

/// Where the jobs are: the capital's metro area, the western highlands,
/// the south coast and the Verapaces.
const PLACES: [(&str, u32); 10] = [
    ("0101", 20),
    ("0108", 8),
    ("0115", 8),
    ("0901", 10),
    ("1301", 8),
    ("0501", 10),
    ("1601", 6),
    ("0301", 8),
    ("1101", 6),
    ("1001", 6),
];

/// An industry: employer name stems, and its jobs as (ISCO unit, title,
/// weight, monthly salary floor in quetzales).
struct Industry {
    stems: &'static [&'static str],
    jobs: &'static [(&'static str, &'static str, u32, i64)],
    call_centre: bool,
}

const INDUSTRIES: [(Industry, u32); 5] = [
    (
        Industry {
            stems: &["Constructora", "Edificaciones", "Obras Civiles"],
            jobs: &[
                ("7112", "Albañil", 14, 3800),
                ("7115", "Carpintero de obra", 8, 4000),
                ("9313", "Ayudante de albañil", 14, 3400),
            ],
            call_centre: false,
        },
        36,
    ),
    (
        Industry {
            stems: &["Finca", "Agroexportadora", "Cooperativa Agrícola"],
            jobs: &[
                ("6111", "Agricultor de hortalizas", 8, 3300),
                ("9211", "Jornalero agrícola", 14, 3100),
            ],
            call_centre: false,
        },
        22,
    ),
    (
        Industry {
            stems: &["Textiles", "Maquila", "Manufacturas"],
            jobs: &[
                ("8153", "Operario de máquina de coser", 10, 3500),
                ("9329", "Auxiliar de bodega y producción", 8, 3300),
            ],
            call_centre: false,
        },
        18,
    ),
    (
        Industry {
            stems: &["Hotel", "Restaurante", "Servicios Turísticos"],
            jobs: &[
                ("5120", "Cocinero", 7, 3700),
                ("5131", "Mesero", 7, 3400),
                ("9412", "Auxiliar de cocina", 6, 3200),
            ],
            call_centre: false,
        },
        20,
    ),
    (
        Industry {
            stems: &["Contact Center", "Servicios BPO"],
            jobs: &[("4222", "Agente bilingüe de atención al cliente", 10, 5500)],
            call_centre: true,
        },
        10,
    ),
];

const SURNAMES: [&str; 12] = [
    "del Valle",
    "Los Altos",
    "Quetzal",
    "Atitlán",
    "San José",
    "El Progreso",
    "Maya",
    "Pacífico",
    "Chapín",
    "Volcán de Agua",
    "Santa Lucía",
    "La Esperanza",
];

/// University positions (the university itself hires).
const UNIVERSITY_JOBS: [(&str, &str, i64); 3] = [
    ("4110", "Auxiliar administrativo", 4200),
    ("3111", "Técnico de laboratorio", 5200),
    ("9112", "Auxiliar de mantenimiento y limpieza", 3400),
];
const UNIVERSITIES: [&str; 3] = ["USAC", "URL", "UVG"];

/// Employers and vacancies of a run over `people` people. `existing`
/// employers already registered move the NIT serials on, so a second run
/// registers new employers instead of colliding with the first.
pub fn generate(
    people: usize,
    seed: u64,
    anchor: i64,
    existing: u64,
) -> (Vec<EmployerRow>, Vec<VacancyRow>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1ab0_0e11 ^ existing);
    let industries: Vec<(usize, u32)> = (0..INDUSTRIES.len())
        .map(|i| (i, INDUSTRIES[i].1))
        .collect();
    let employers: Vec<(usize, EmployerRow)> = (0..(people / 200).max(20))
        .map(|i| {
            // Every industry has an employer before weights take over.
            let ind = if i < INDUSTRIES.len() {
                i
            } else {
                pick_weighted(&mut rng, &industries)
            };
            (ind, employer(&mut rng, ind, existing + i as u64, anchor))
        })
        .collect();
    let vacancies = (0..(people / 50).max(40))
        .map(|i| match i % 20 {
            // One in twenty is a university's own position.
            7 => university_vacancy(&mut rng, anchor),
            _ => {
                let ind = pick_weighted(&mut rng, &industries);
                let of_kind: Vec<&EmployerRow> = employers
                    .iter()
                    .filter(|(k, _)| *k == ind)
                    .map(|(_, e)| e)
                    .collect();
                let employer = pick(&mut rng, &of_kind);
                employer_vacancy(&mut rng, &INDUSTRIES[ind].0, employer, anchor)
            }
        })
        .collect();
    (employers.into_iter().map(|(_, e)| e).collect(), vacancies)
}

fn employer(rng: &mut ChaCha8Rng, industry: usize, serial: u64, anchor: i64) -> EmployerRow {
    let public = industry == 0 && rng.random_range(0..4) == 0;
    let name = if public {
        format!("Municipalidad de {}", pick(rng, &SURNAMES))
    } else {
        format!(
            "{} {} S.A.",
            pick(rng, INDUSTRIES[industry].0.stems),
            pick(rng, &SURNAMES)
        )
    };
    let body = (3_000_000 + serial).to_string();
    let at = timestamp(anchor - rng.random_range(120..400) * 86_400);
    EmployerRow {
        id: uuid::Uuid::from_u128(rng.random()).to_string(),
        search_name: fold(&name),
        name,
        sector: if public { "PUBLIC" } else { "PRIVATE" }.into(),
        nit: format!("{body}-{}", check_char(&body)),
        municipality_code: pick_weighted(rng, &PLACES).into(),
        contact_name: Some("Recursos Humanos".into()),
        contact_phone: Some(format!("+5022{:07}", rng.random_range(0..10_000_000))),
        contact_email: Some(format!("empleo{serial}@example.gt")),
        version: 1,
        created_by: "seed".into(),
        created_at: at,
        updated_at: at,
    }
}

fn employer_vacancy(
    rng: &mut ChaCha8Rng,
    ind: &Industry,
    e: &EmployerRow,
    anchor: i64,
) -> VacancyRow {
    let jobs: Vec<((&str, &str, i64), u32)> = ind
        .jobs
        .iter()
        .map(|&(c, t, w, s)| ((c, t, s), w))
        .collect();
    let (isco, title, floor) = pick_weighted(rng, &jobs);
    let mut v = vacancy(rng, "MINTRAB", isco, title, floor, anchor);
    v.employer_id = Some(e.id.clone());
    v.municipality_code = e.municipality_code.clone();
    v.department_code = e.municipality_code[..2].to_string();
    if ind.call_centre {
        v.languages = json_list(["spa", "eng"]);
        v.min_english = Some(pick(rng, &["INTERMEDIATE", "INTERMEDIATE", "ADVANCED"]).into());
        v.min_education = Some("UPPER_SECONDARY".into());
    }
    v
}

fn university_vacancy(rng: &mut ChaCha8Rng, anchor: i64) -> VacancyRow {
    let (isco, title, floor) = pick(rng, &UNIVERSITY_JOBS);
    let university = pick(rng, &UNIVERSITIES);
    let mut v = vacancy(rng, university, isco, title, floor, anchor);
    v.min_education = Some("UPPER_SECONDARY".into());
    v
}

fn vacancy(
    rng: &mut ChaCha8Rng,
    poster: &str,
    isco: &str,
    title: &str,
    floor: i64,
    anchor: i64,
) -> VacancyRow {
    let at = timestamp(anchor - rng.random_range(0..90 * 86_400));
    let min = (floor + rng.random_range(0..8) * 50) * 100;
    let status = pick_weighted(rng, &[("OPEN", 75), ("FILLED", 15), ("CLOSED", 10)]);
    let municipality: &str = pick_weighted(rng, &PLACES);
    VacancyRow {
        id: uuid::Uuid::from_u128(rng.random()).to_string(),
        posted_by: poster.into(),
        employer_id: None,
        title: title.into(),
        isco_code: isco.into(),
        required_certifications: "[]".into(),
        preferred_certifications: "[]".into(),
        min_education: Some("PRIMARY".into()).filter(|_| rng.random_range(0..2) == 0),
        languages: json_list(["spa"]),
        min_english: None,
        municipality_code: municipality.into(),
        department_code: municipality[..2].into(),
        openings: rng.random_range(1..=12),
        salary_min_centavos: Some(min),
        salary_max_centavos: Some(min + rng.random_range(0..=10) * 10_000),
        status: status.into(),
        closes_on: Some((at + chrono::Duration::days(rng.random_range(30..75))).date()),
        version: 1,
        created_by: "seed".into(),
        created_at: at,
        updated_at: at,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::{geography, isco::IscoUnit, nit::Nit};

    #[test]
    fn demo_labour_market_is_valid_and_proportionate() {
        let (employers, vacancies) = generate(20_000, 42, 1_795_030_400, 0);
        assert_eq!((employers.len(), vacancies.len()), (100, 400));
        let nits: HashSet<&str> = employers.iter().map(|e| e.nit.as_str()).collect();
        assert_eq!(nits.len(), employers.len());
        assert!(employers.iter().all(|e| Nit::parse(&e.nit).is_ok()));
        assert!(employers.iter().any(|e| e.sector == "PUBLIC"));
        let ids: HashSet<&str> = employers.iter().map(|e| e.id.as_str()).collect();
        for v in &vacancies {
            assert!(IscoUnit::parse(&v.isco_code).is_ok(), "{}", v.isco_code);
            assert!(geography::municipality(&v.municipality_code).is_some());
            assert!(v.salary_min_centavos <= v.salary_max_centavos);
            assert_eq!(v.employer_id.is_some(), v.posted_by == "MINTRAB");
            assert!(v.employer_id.as_deref().is_none_or(|id| ids.contains(id)));
            if v.isco_code == "4222" {
                assert!(matches!(
                    v.min_english.as_deref(),
                    Some("INTERMEDIATE" | "ADVANCED")
                ));
            }
        }
        let share = |p: &str| {
            vacancies
                .iter()
                .filter(|v| v.isco_code.starts_with(p))
                .count()
        };
        assert!(
            share("71") + share("9313") > share("4222"),
            "construction leads"
        );
        assert_eq!(
            vacancies
                .iter()
                .filter(|v| v.posted_by != "MINTRAB")
                .count(),
            20
        );
        let (_, again) = generate(20_000, 42, 1_795_030_400, 0);
        assert_eq!(again[3].id, vacancies[3].id, "same seed, same data");
        let (later, _) = generate(20_000, 42, 1_795_030_400, 100);
        assert!(later.iter().all(|e| !nits.contains(e.nit.as_str())));
    }
}
