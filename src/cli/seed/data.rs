//! Word lists, weights and sampling helpers for `reintegra seed`: names, places, skills and
//! the shares that make synthetic returnees look like real caseloads.
//!
//! Long lists are kept as comma-separated text so they stay compact; the
//! generator splits them once.

use chrono::{DateTime, NaiveDateTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::domain::person::{ConsentPurpose, EducationLevel, EnglishLevel};

/// Men's given names (two are often combined: "José Luis").
pub const MALE_GIVEN: &str = "\
José, Juan, Carlos, Luis, Pedro, Miguel, Francisco, Mario, Jorge, Manuel, Antonio, \
Marvin, Edgar, Byron, Selvin, Elmer, Wilmer, Kevin, Brayan, Erick, Óscar, César, \
Rubén, Víctor, Héctor, Julio, Marco, Tulio, Fernando, Alejandro, Diego, Mateo, \
Andrés, Tomás, Domingo, Pascual, Gaspar, Baltazar, Rigoberto, Esteban, Cristian, \
Ángel, Gerson, Nery, Otto, Walter, Hugo, Rolando, Armando, Santiago, Sebastián, \
Estuardo, René, Efraín, Abner, Noé, Balam, Tecún";

/// Women's given names.
pub const FEMALE_GIVEN: &str = "\
María, Ana, Rosa, Juana, Marta, Catarina, Micaela, Petrona, Sandra, Gladys, Lucía, \
Fernanda, Alejandra, Sofía, Valeria, Andrea, Karla, Yesenia, Heidy, Mirna, Blanca, \
Elena, Isabel, Dulce, Wendy, Ingrid, Glenda, Evelyn, Olga, Silvia, Reyna, Lesbia, \
Marleny, Jennifer, Brenda, Mónica, Verónica, Josefina, Dolores, Concepción, Ixchel, \
Ixmucané, Nikté, Itzel";

/// Surnames found across the country.
pub const SURNAMES: &str = "\
López, García, Pérez, Gómez, Hernández, Ramírez, Martínez, González, Rodríguez, \
Morales, Méndez, Castillo, Ortiz, Juárez, Vásquez, Díaz, Cruz, Reyes, Chávez, \
Aguilar, Mejía, Sánchez, Velásquez, Recinos, Monterroso, Barrios, Orozco, Fuentes, \
Escobar, Ramos, Jiménez, Alvarado, Estrada, Figueroa, Cifuentes, Mazariegos, \
Rivera, Girón, Solís, Marroquín, Cabrera, Pineda, Castañeda, Roblero, Bámaca";

/// Maya surnames and the saints' names used as surnames in the highlands.
pub const HIGHLAND_SURNAMES: &str = "\
Xicará, Tzoc, Tzul, Cux, Chex, Ajanel, Quiej, Cutzal, Xitumul, Coc, Caal, Choc, Pop, \
Tiul, Bol, Ical, Sic, Tum, Yax, Chan, Batz, Chiroy, Sapón, Tujal, Coyoy, Ixcot, \
Pascual, Mateo, Domingo, Francisco, Diego, Andrés, Tomás, Gaspar, Lucas, Baltazar";

/// Kinds of places for addresses.
pub const PLACE_KINDS: &[&str] = &["Aldea", "Caserío", "Cantón", "Colonia", "Barrio"];

/// Names of villages and neighbourhoods.
pub const PLACE_NAMES: &str = "\
El Rosario, San José, Santa Rosa, La Esperanza, El Carmen, Las Flores, El Progreso, \
San Antonio, La Libertad, Buena Vista, El Naranjo, Los Cerritos, Pueblo Nuevo, \
San Francisco, Chiquihuite, Xetzac, Chuicutama, Pajón, Tuichán, Chemal, Paquix, \
Tzalam, Chirijuyú, La Joya, El Mirador, Los Pinos, El Tablón, Vista Hermosa";

/// Share (per mille) of returnees from each department; the rest of the
/// country is spread thinly.
pub const DEPARTMENT_WEIGHTS: &[(&str, u32)] = &[
    ("13", 220),
    ("12", 150),
    ("01", 120),
    ("14", 100),
    ("09", 80),
    ("16", 60),
    ("08", 25),
    ("17", 25),
    ("22", 20),
    ("04", 20),
    ("05", 20),
    ("07", 20),
    ("10", 15),
    ("11", 15),
    ("18", 15),
    ("20", 15),
    ("06", 15),
    ("21", 15),
    ("15", 15),
    ("19", 12),
    ("02", 10),
    ("03", 13),
];

/// Maya languages spoken in a department, as ISO 639-3 codes (empty
/// where few speak one).
pub fn maya_languages(department: &str) -> &'static [&'static str] {
    match department {
        // Repeated entries weight the larger language communities:
        // Mam, Q'anjob'al, Chuj, Akateko, Popti'.
        "13" => &["mam", "mam", "kjb", "kjb", "cac", "knj", "jac"],
        "12" => &["mam"],
        // K'iche', Ixil.
        "14" => &["quc", "ixl"],
        "09" => &["quc", "mam"],
        "08" => &["quc"],
        // K'iche', Kaqchikel, Tz'utujil.
        "07" => &["quc", "cak", "tzj"],
        "03" | "04" => &["cak"],
        // Q'eqchi', Poqomchi'.
        "16" => &["kek", "poh"],
        // Achi.
        "15" => &["acr"],
        "17" | "18" => &["kek"],
        _ => &[],
    }
}

/// Work sectors of returnees and their ISCO-08 unit groups, weighted:
/// construction and agriculture lead, then hospitality, manufacturing,
/// transport and trade; call centres (4222) hire people with English.
pub const SECTORS: &[(&[&str], u32)] = &[
    (CONSTRUCTION, 30),
    (&["9211", "9211", "6111", "9214", "6121"], 24),
    (&["5120", "5131", "9412", "9412", "9112"], 16),
    (&["8153", "8160", "8219", "9329", "9321", "7212"], 12),
    (&["8322", "8332", "7231", "5223", "9622"], 12),
    (CALL_CENTRE, 6),
];

/// Building trades and labourers.
const CONSTRUCTION: &[&str] = &[
    "9313", "9313", "9312", "7112", "7115", "7131", "7121", "7126", "7411", "7114", "7122",
];

/// Contact centre information clerks: the sector that needs English.
pub const CALL_CENTRE: &[&str] = &["4222"];

/// Certifications a few people bring back.
pub const CERTIFICATIONS: &[&str] = &[
    "Licencia de conducir tipo B",
    "Manipulación de alimentos",
    "OSHA 10",
    "Operador de montacargas",
    "Soldadura certificada AWS",
    "Primeros auxilios",
    "Técnico en refrigeración (INTECAP)",
];

/// Conditions noted for people who need medical attention.
pub const MEDICAL_CONDITIONS: &[&str] = &[
    "Diabetes tipo 2",
    "Hipertensión",
    "Asma",
    "Lesión en rodilla",
    "Deshidratación",
    "Infección respiratoria",
    "Ansiedad",
    "Fractura de tobillo en recuperación",
    "Embarazo",
];

/// Notes for people separated from their family.
pub const SEPARATION_NOTES: &[&str] = &[
    "Hijos permanecen en Estados Unidos",
    "Cónyuge en Estados Unidos",
    "Separado de su familia durante la detención",
];

/// Notes for people with protection needs.
pub const RISK_NOTES: &[&str] = &[
    "Riesgo reportado en comunidad de origen",
    "Sin red de apoyo familiar en Guatemala",
    "Amenazas por deudas de viaje",
];

/// Note for unaccompanied minors.
pub const MINOR_NOTE: &str = "Menor no acompañado; referido a la Procuraduría General de la Nación";

/// US states people are removed from, with weights.
pub const US_STATES: &[(&str, u32)] = &[
    ("TX", 30),
    ("CA", 18),
    ("FL", 12),
    ("NY", 8),
    ("NJ", 7),
    ("GA", 7),
    ("NC", 7),
    ("AZ", 6),
    ("LA", 5),
];

/// US area codes for relatives' phones.
pub const US_AREA_CODES: &[u16] = &[
    213, 323, 818, 305, 786, 954, 404, 770, 713, 832, 214, 512, 917, 718, 646, 201, 973, 919, 704,
    602, 480, 504, 225,
];

/// Education levels with weights, lowest first.
pub const EDUCATION_WEIGHTS: &[(EducationLevel, u32)] = &[
    (EducationLevel::None, 8),
    (EducationLevel::Primary, 38),
    (EducationLevel::LowerSecondary, 27),
    (EducationLevel::UpperSecondary, 15),
    (EducationLevel::Technical, 6),
    (EducationLevel::University, 5),
    (EducationLevel::Postgraduate, 1),
];

/// English levels with weights, lowest first.
pub const ENGLISH_WEIGHTS: &[(EnglishLevel, u32)] = &[
    (EnglishLevel::None, 20),
    (EnglishLevel::Basic, 35),
    (EnglishLevel::Intermediate, 30),
    (EnglishLevel::Advanced, 10),
    (EnglishLevel::Fluent, 5),
];

/// Consents people give: institution, purpose, probability.
pub const CONSENT_SHARES: &[(&str, ConsentPurpose, f64)] = &[
    ("MINTRAB", ConsentPurpose::Employment, 0.40),
    ("USAC", ConsentPurpose::Education, 0.08),
    ("URL", ConsentPurpose::Education, 0.04),
    ("UVG", ConsentPurpose::Education, 0.03),
];

/// Splits a comma-separated list.
pub fn split(list: &'static str) -> Vec<&'static str> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn timestamp(secs: i64) -> NaiveDateTime {
    DateTime::from_timestamp(secs, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

/// A JSON array of strings (vacancies keep their short lists as JSON).
pub(super) fn json_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
}

pub(super) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

pub(super) fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|&(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, weight) in items {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    items[0].0
}
