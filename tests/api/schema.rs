//! `schema.graphql` at the repository root matches the running schema.

use crate::support::test_settings;

#[test]
fn schema_file_matches_running_schema() {
    let settings = test_settings("unused.db");
    let counter = reintegra::db::StatementCounter::default();
    let pool =
        reintegra::db::build_pool(&settings.database_url, 1, settings.pool_timeout, &counter)
            .unwrap();
    let live = reintegra::graphql::sdl(&reintegra::graphql::build_schema(
        pool,
        settings,
        Default::default(),
    ));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let file = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        live == file,
        "schema.graphql is out of date: run `cargo run -- export-schema --output schema.graphql`"
    );
}

/// The contract names only scalars a client library knows: `Date` and
/// `DateTime` with `@specifiedBy`, and `JSON` (subject export rows); no
/// implementation type (`NaiveDate`, `NaiveDateTime`, …) leaks in.
#[test]
fn schema_declares_only_contract_scalars() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let file = std::fs::read_to_string(path).expect("schema.graphql");
    let scalars: Vec<&str> = file
        .lines()
        .filter_map(|l| l.strip_prefix("scalar "))
        .collect();
    let names: Vec<&str> = scalars
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(names, ["Date", "DateTime", "JSON"], "{scalars:?}");
    for line in &scalars[..2] {
        assert!(line.contains("@specifiedBy(url:"), "{line}");
    }
    assert!(
        !file.contains("Naive"),
        "an implementation name in the schema"
    );
}

/// graphql-js 16's `getIntrospectionQuery()` (with descriptions, specifiedBy,
/// directive repeatability and deprecated input values), as GraphiQL,
/// graphql-inspector and `gql` send it.
const STANDARD_INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}"#;

async fn standard_introspection_works_under_default_limits(app: crate::support::TestApp) {
    let (_, body) = app
        .gql(
            &app.token("MINTRAB", "labour_officer"),
            STANDARD_INTROSPECTION,
            serde_json::json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let types = body["data"]["__schema"]["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Migrant"), "{body}");
    // Introspection may nest deep, not wide: lists inside lists are bounded.
    let wide = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let (_, body) = app
        .gql(
            &app.token("MINTRAB", "labour_officer"),
            wide,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        crate::support::error_code(&body).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{body}"
    );
}

/// What a client introspects over HTTP, with graphql-js's standard query or
/// ours, printed as SDL, is byte for byte the caller's role's export
/// (`export-schema --role`), and the full export is `schema.graphql`:
/// the printer is faithful and the file is the contract (`@specifiedBy`
/// included).
async fn live_introspection_prints_the_roles_schema(app: crate::support::TestApp) {
    use reintegra::domain::institution::Role;
    use reintegra::graphql::sdl;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let file = std::fs::read_to_string(path).unwrap_or_default();
    assert!(sdl::export(&app.state.schema, None).await.unwrap() == file);
    let expected = sdl::export(&app.state.schema, Some(Role::IomAdmin))
        .await
        .unwrap();
    for query in [STANDARD_INTROSPECTION, sdl::INTROSPECTION_QUERY] {
        let (_, body) = app
            .gql(&app.token("IOM", "iom_admin"), query, serde_json::json!({}))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        let printed = sdl::print(&body["data"]).expect("printable");
        assert!(
            printed == expected,
            "live introspection differs:\n{printed}"
        );
    }
    assert!(
        file.contains("scalar DateTime @specifiedBy(url: "),
        "{file}"
    );
}

crate::db_tests!(
    standard_introspection_works_under_default_limits,
    live_introspection_prints_the_roles_schema
);
