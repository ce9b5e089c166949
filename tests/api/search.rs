//! The name search reads a word index (`migrant_name_words`) that every
//! write of a name keeps in step: registration, update, manifest import,
//! erasure.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::arrival_day::{manifest_line, schedule, IMPORT};
use crate::db_tests;
use crate::support::{person, TestApp};

const SEARCH: &str = "query($f: MigrantFilter) { migrants(first: 50, filter: $f) { totalCount edges { node { id } } } }";

async fn found(app: &TestApp, name: &str) -> BTreeSet<String> {
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_admin"),
            SEARCH,
            json!({"f": {"name": name}}),
        )
        .await;
    let edges = body["data"]["migrants"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: {body}"));
    assert_eq!(
        body["data"]["migrants"]["totalCount"].as_u64(),
        Some(edges.len() as u64),
        "{name}: {body}"
    );
    edges
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// The index holds exactly the distinct words of every stored name.
pub fn assert_index_matches_names(app: &TestApp) {
    let names = app.text_pairs("SELECT id AS a, search_name AS b FROM migrants");
    let expected: BTreeSet<(String, String)> =
        reintegra::db::name_words::rows_of(names.iter().map(|(id, n)| (id.as_str(), n.as_str())))
            .into_iter()
            .map(|r| (r.migrant_id, r.word))
            .collect();
    let stored: BTreeSet<(String, String)> = app
        .text_pairs("SELECT migrant_id AS a, word AS b FROM migrant_name_words")
        .into_iter()
        .collect();
    assert_eq!(stored, expected);
}

async fn words_start_names_in_any_order(app: TestApp) {
    let jose = app.register(person("José Luis", "López García", 1)).await;
    let maria = app.register(person("María", "Lopezz Tzoc", 2)).await;
    assert_eq!(found(&app, "lop").await, set(&[&jose, &maria]));
    assert_eq!(found(&app, "LÓPEZ").await, set(&[&jose, &maria]));
    assert_eq!(found(&app, "lopezz").await, set(&[&maria]));
    assert_eq!(found(&app, "garc jos").await, set(&[&jose]));
    assert_eq!(found(&app, "luis lopez garcia").await, set(&[&jose]));
    // A word must start a word of the name: the middle of one is no match.
    assert!(found(&app, "opez").await.is_empty());
    assert!(found(&app, "tzoc jose").await.is_empty());
    // Non-Latin letters are words too, compared code point by code point.
    let other = app.register(person("Ωμέγα", "Ñandú", 3)).await;
    assert_eq!(found(&app, "ωμ nandu").await, set(&[&other]));
    assert_index_matches_names(&app);
}

async fn every_name_write_keeps_the_index(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let jose = app.register(person("José", "López García", 1)).await;
    let maria = app.register(person("María", "López Tzoc", 2)).await;
    // A rename drops the old words and indexes the new ones.
    let rename = "mutation($id: ID!, $i: MigrantSections!) { updateMigrant(id: $id, expectedVersion: 1, input: $i) { version } }";
    let identity = json!({"identity": {"givenNames": "Marta", "familyNames": "Xicay Tzoc", "birthDate": "1994-05-17", "sex": "FEMALE"}});
    let (_, body) = app
        .gql(&admin, rename, json!({"id": maria, "i": identity}))
        .await;
    assert_eq!(body["data"]["updateMigrant"]["version"], 2, "{body}");
    assert_eq!(found(&app, "lopez").await, set(&[&jose]));
    assert_eq!(found(&app, "marta xic").await, set(&[&maria]));
    // A stale rename changes nothing, the index included.
    let stale = json!({"identity": {"givenNames": "Zoila", "familyNames": "Tzoc", "birthDate": "1994-05-17", "sex": "FEMALE"}});
    let (_, body) = app
        .gql(&admin, rename, json!({"id": maria, "i": stale}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
    assert!(found(&app, "zoila").await.is_empty());
    // People a manifest creates are found by name at once.
    let flight = schedule(&app, "GUA-SEARCH").await;
    let rows: Vec<Value> = (0..3).map(manifest_line).collect();
    let reception = app.token("IOM", "iom_reception");
    let (_, body) = app
        .gql(&reception, IMPORT, json!({"f": flight, "rows": rows}))
        .await;
    let created: BTreeSet<String> = body["data"]["importManifest"]["accepted"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|a| a["migrantId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(created.len(), 3, "{body}");
    assert_eq!(found(&app, "xoca tzul").await, created);
    // An erased person's words leave the index with the name.
    let erase = "mutation($id: ID!) { eraseMigrant(migrantId: $id, reason: \"asked at the office\") { migrantId } }";
    let (_, body) = app.gql(&admin, erase, json!({"id": jose})).await;
    assert_eq!(body["data"]["eraseMigrant"]["migrantId"], jose, "{body}");
    assert!(found(&app, "lopez").await.is_empty());
    assert!(!found(&app, "jose").await.contains(&jose));
    assert_index_matches_names(&app);
}

async fn a_returning_person_is_found_by_name_words(app: TestApp) {
    // Registered without a CUI; the manifest line, also without one, has
    // the same names, birth date and origin: it is the same person.
    let line = manifest_line(4);
    let id = app
        .register(json!({"identity": {"givenNames": line["givenNames"], "familyNames": line["familyNames"], "birthDate": "1991-07-15", "sex": "MALE"},
            "origin": {"municipalityCode": "1301"}}))
        .await;
    let mut again = line.clone();
    again["documentNumber"] = Value::Null;
    let flight = schedule(&app, "GUA-AGAIN").await;
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_reception"),
            IMPORT,
            json!({"f": flight, "rows": [again]}),
        )
        .await;
    let accepted = &body["data"]["importManifest"]["accepted"];
    assert_eq!(accepted[0]["migrantId"], id, "{body}");
    assert_ne!(accepted[0]["outcome"], "CREATED", "{body}");
}

db_tests!(
    words_start_names_in_any_order,
    every_name_write_keeps_the_index,
    a_returning_person_is_found_by_name_words,
);
