//! Reads of `migrants` fetch only the columns of the slices a request
//! shows and the caller may read (`db::migrant_columns`): every path that
//! shows a record still shows every field it asks for, and what a read
//! leaves out never leaves the database.

use diesel::Connection;
use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{cui, error_code, person, TestApp};
use reintegra::db::migrant_columns::Columns;
use reintegra::db::{scope, DbConnection};
use reintegra::domain::institution::Role;
use reintegra::graphql::prefetch::{BACK_REFERENCES, ROW_FIELDS};
use reintegra::policy::{RowFilter, Slice};

/// Every field of `Migrant` resolved from the row, nested ones included.
const ROW: &str = "fragment Row on Migrant { givenNames familyNames birthDate sex \
    documentNumber passportNumber phone address relativeName relativePhone \
    originMunicipality { code } health { needsMedicalAttention medicalConditions notes } \
    skills { educationLevel yearsExperience englishLevel } \
    protection { unaccompaniedMinor familySeparation protectionNeeds doNotShare notes } \
    recordTimes { createdAt } }";

/// What `person("Ana", "Xol", 1)` stored, as `Row` shows it.
fn expected() -> Value {
    json!({
        "givenNames": "Ana", "familyNames": "Xol", "birthDate": "1994-05-17", "sex": "MALE",
        "documentNumber": cui(1, "1301"), "passportNumber": "P0000001",
        "phone": "+50255550101", "address": "Aldea El Tablón",
        "relativeName": "Rosa Pérez", "relativePhone": "+12135550100",
        "originMunicipality": { "code": "1301" },
        "health": { "needsMedicalAttention": false, "medicalConditions": "asthma", "notes": null },
        "skills": { "educationLevel": "LOWER_SECONDARY", "yearsExperience": 6, "englishLevel": "BASIC" },
        "protection": { "unaccompaniedMinor": false, "familySeparation": true,
                        "protectionNeeds": false, "doNotShare": false, "notes": null },
    })
}

/// `recordTimes` differs by instant; the rest must equal [`expected`].
fn without_times(mut v: Value) -> Value {
    let times = v.as_object_mut().and_then(|o| o.remove("recordTimes"));
    assert!(times.is_some_and(|t| t["createdAt"].is_string()), "{v}");
    v
}

async fn every_path_shows_every_row_field(app: TestApp) {
    let id = app.register(person("Ana", "Xol", 1)).await;
    let iom = app.token("IOM", "iom_admin");
    let list = format!("{{ migrants(first: 5) {{ edges {{ node {{ ...Row }} }} }} }} {ROW}");
    let (_, body) = app.gql(&iom, &list, json!({})).await;
    let from_list = body["data"]["migrants"]["edges"][0]["node"].clone();
    assert_eq!(without_times(from_list), expected(), "{body}");
    // An alias and an inline fragment around the named one.
    let one = format!(
        "query($id: ID!) {{ one: migrant(id: $id) {{ ... on Migrant {{ ...Row }} }} }} {ROW}"
    );
    let (_, body) = app.gql(&iom, &one, json!({ "id": id })).await;
    assert_eq!(
        without_times(body["data"]["one"].clone()),
        expected(),
        "{body}"
    );
    let node =
        format!("query($id: ID!) {{ node(id: $id) {{ id ... on Migrant {{ ...Row }} }} }} {ROW}");
    let (_, body) = app.gql(&iom, &node, json!({ "id": id })).await;
    let mut got = body["data"]["node"].clone();
    got.as_object_mut().map(|o| o.remove("id"));
    assert_eq!(without_times(got), expected(), "{body}");
}

async fn a_partner_sees_its_fields_and_is_refused_the_rest(app: TestApp) {
    let id = app.register(person("Ana", "Xol", 1)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let labour = app.token("MINTRAB", "labour_officer");
    let q = "{ migrants(first: 5) { edges { node { name: givenNames phone \
             skills { yearsExperience } } } } }";
    let (_, body) = app.gql(&labour, q, json!({})).await;
    assert_eq!(
        body["data"]["migrants"]["edges"][0]["node"],
        json!({ "name": "Ana", "phone": "+50255550101", "skills": { "yearsExperience": 6 } }),
        "{body}"
    );
    // A slice outside the role is FORBIDDEN, as before; never an internal error.
    let q = "query($id: ID!) { migrant(id: $id) { givenNames documentNumber } }";
    let (_, body) = app.gql(&labour, q, json!({ "id": id })).await;
    assert_eq!(body["data"]["migrant"]["givenNames"], "Ana", "{body}");
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    assert!(!body.to_string().contains(&cui(1, "1301")), "{body}");
}

async fn a_read_leaves_the_other_slices_in_the_database(app: TestApp) {
    let id = app.register(person("Ana", "Xol", 1)).await;
    app.consent(&id, "MINTRAB", "EMPLOYMENT", None).await;
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = DbConnection::establish(&url).expect("connect");
    let rows = RowFilter::for_caller(Role::LabourOfficer, "MINTRAB", reintegra::db::now(), 30);
    let names = Columns::of([Slice::Identity]);
    let page = scope::page(&mut conn, scope::visible(&rows), &rows, 5, names).expect("page");
    let row = page.first().expect("the consented person");
    assert_eq!(
        (row.id.as_str(), row.given_names.as_str()),
        (id.as_str(), "Ana")
    );
    let others = (&row.phone, &row.document_number, &row.medical_conditions);
    assert_eq!(others, (&None, &None, &None));
    assert_eq!(
        (&row.origin_municipality_code, &row.education_level),
        (&None, &None)
    );
    assert!(
        !row.family_separation,
        "protection flags stay in the database"
    );
}

/// A record reached again through one of its own records (a project's
/// `migrant`) is the same loaded row: the columns its fields there show
/// must have been read too.
async fn a_field_reached_through_a_nested_record_is_loaded(app: TestApp) {
    let id = app.register(person("Ana", "Xol", 1)).await;
    let iom = app.token("IOM", "iom_caseworker");
    let propose = "mutation($i: ProposeEnterpriseProjectInput!) { proposeEnterpriseProject(input: $i) { id } }";
    let input = json!({"migrantId": id, "activity": "Tortillería", "iscoCode": "7512",
                       "municipalityCode": "1301", "grantAmount": "15000"});
    let (_, body) = app.gql(&iom, propose, json!({ "i": input })).await;
    assert!(
        body["data"]["proposeEnterpriseProject"]["id"].is_string(),
        "{body}"
    );
    let q = "query($id: ID!) { migrant(id: $id) { givenNames \
             enterpriseProjects { migrant { phone health { medicalConditions } } } } }";
    let (_, body) = app.gql(&iom, q, json!({ "id": id })).await;
    assert_eq!(
        body["data"]["migrant"]["enterpriseProjects"][0]["migrant"],
        json!({ "phone": "+50255550101", "health": { "medicalConditions": "asthma" } }),
        "{body}"
    );
    let list = "{ migrants(first: 5) { edges { node { enterpriseProjects { migrant { \
                givenNames } } } } } }";
    let (_, body) = app.gql(&iom, list, json!({})).await;
    let node = &body["data"]["migrants"]["edges"][0]["node"];
    assert_eq!(
        node["enterpriseProjects"][0]["migrant"]["givenNames"], "Ana",
        "{body}"
    );
}

db_tests!(
    a_field_reached_through_a_nested_record_is_loaded,
    every_path_shows_every_row_field,
    a_partner_sees_its_fields_and_is_refused_the_rest,
    a_read_leaves_the_other_slices_in_the_database,
);

/// The fields of `type name` in schema.graphql, with their type as written
/// (arguments dropped).
fn fields_of(sdl: &str, name: &str) -> Vec<(String, String)> {
    let body = sdl
        .split(&format!("\ntype {name} "))
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap_or_else(|| panic!("type {name}"));
    let mut in_description = false;
    body.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with("\"\"\"") {
                // A one-line description opens and closes on its line.
                in_description ^= !(l.len() > 3 && l.ends_with("\"\"\""));
                return None;
            }
            let field: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let rest = &l[field.len()..];
            let is_field = !in_description && !field.is_empty() && rest.starts_with([':', '(']);
            let ty = rest.rsplit(':').next().unwrap_or("").trim().to_string();
            is_field.then_some((field, ty))
        })
        .collect()
}

/// A new field of `Migrant` must be classified: resolved from the row (and
/// then in `ROW_FIELDS`, or it would fail when selected) or from elsewhere;
/// and one whose records lead back to the person (`migrant: Migrant`) must
/// be in `BACK_REFERENCES`, or what is selected there would not be loaded.
#[test]
fn every_migrant_field_is_classified() {
    const ELSEWHERE: [&str; 11] = [
        "id",
        "version",
        "arrivals",
        "previousReturns",
        "assistance",
        "referrals",
        "studyApplications",
        "trainingEnrolments",
        "enterpriseProjects",
        "consents",
        "__typename",
    ];
    let sdl = std::fs::read_to_string("schema.graphql").expect("schema.graphql");
    let fields = fields_of(&sdl, "Migrant");
    for (f, ty) in &fields {
        let in_row = ROW_FIELDS.iter().any(|(name, _)| name == f);
        assert!(
            in_row || ELSEWHERE.contains(&f.as_str()),
            "unclassified field {f}"
        );
        let item = ty.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let leads_back = sdl.contains(&format!("\ntype {item} "))
            && fields_of(&sdl, item)
                .iter()
                .any(|(n, t)| n == "migrant" && t.starts_with("Migrant"));
        assert_eq!(
            leads_back,
            BACK_REFERENCES.contains(&f.as_str()),
            "field {f}: {ty}"
        );
    }
    assert!(
        fields.len() >= ROW_FIELDS.len() + 10,
        "parsed {} fields",
        fields.len()
    );
}
