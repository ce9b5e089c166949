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
