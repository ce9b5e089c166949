//! Records stored before `structured_skills` move forward: JSON text lists
//! on `migrants` become child rows, on both backends.

use diesel::Connection;
use serde_json::json;

use crate::db_tests;
use crate::support::TestApp;

async fn old_skills_move_forward(app: TestApp) {
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).unwrap();
    // Back to just before `structured_skills`, whatever came after it.
    let mut reverted_count = 0;
    loop {
        let reverted = reintegra::db::migrate::revert_last(&mut conn).unwrap();
        reverted_count += 1;
        if reverted.contains("000009") {
            break;
        }
        assert!(reverted_count < 30, "000009 never reverted");
    }
    app.exec_sql(
        "INSERT INTO migrants (id, given_names, family_names, search_name, birth_date, sex, \
         education_level, occupations, years_experience, languages, english_level, certifications, \
         created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Ana', 'Pop', \
         'ana pop', '1990-01-01', 'FEMALE', 'PRIMARY', \
         '[\"Construcción\", \"7112\", \"Pastor de ovejas\", \"call center\"]', 6, \
         '[\"Español\", \"K''iche''\", \"Klingon\", \"Inglés\"]', 'BASIC', '[\"OSHA 10\"]', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    );
    assert_eq!(
        reintegra::db::migrate::run_pending(&mut conn).unwrap(),
        reverted_count
    );
    let q = "{ migrant(id: \"00000000-0000-4000-8000-000000000001\") { skills { \
        educationLevel englishLevel yearsExperience occupations { occupation { code } years country } \
        languages certifications } } }";
    let (_, body) = app.gql(&app.token("IOM", "iom_admin"), q, json!({})).await;
    let skills = &body["data"]["migrant"]["skills"];
    let codes: Vec<&str> = skills["occupations"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|o| o["occupation"]["code"].as_str().unwrap())
        .collect();
    // Known words map to their unit group; a unit code stays; order kept.
    assert_eq!(codes, ["9313", "7112", "4222"]);
    assert_eq!(skills["occupations"][0]["years"], json!(null));
    assert_eq!(skills["occupations"][0]["country"], json!(null));
    // Unknown languages are dropped; names become ISO 639-3 codes.
    assert_eq!(skills["languages"], json!(["spa", "quc", "eng"]));
    // Free text that is no known occupation is kept as a certification.
    assert_eq!(
        skills["certifications"],
        json!(["OSHA 10", "Pastor de ovejas"])
    );
    assert_eq!(skills["educationLevel"], "PRIMARY");
    assert_eq!(skills["yearsExperience"], 6);
    let labour_filter = "{ migrants(filter: {occupation: \"93\"}) { totalCount } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_admin"), labour_filter, json!({}))
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 1, "{body}");
}

db_tests!(old_skills_move_forward);
