//! Everything held on one person, table by table, as JSON rows: the
//! data-subject export reads every column of every table that names the
//! person, so a column added later is exported without a code change, and
//! a table added later fails a test until it is listed here.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbConnection;

/// Every table holding a person's data, and the column naming them.
pub const PERSONAL_TABLES: &[(&str, &str)] = &[
    ("migrants", "id"),
    ("arrivals", "migrant_id"),
    ("assistance", "migrant_id"),
    ("consents", "migrant_id"),
    ("emergency_accesses", "migrant_id"),
    ("erasures", "migrant_id"),
    ("migrant_occupations", "migrant_id"),
    ("migrant_languages", "migrant_id"),
    ("migrant_name_words", "migrant_id"),
    ("migrant_certifications", "migrant_id"),
    ("job_referrals", "migrant_id"),
    ("education_records", "migrant_id"),
    ("study_applications", "migrant_id"),
    ("training_enrolments", "migrant_id"),
    ("enterprise_projects", "migrant_id"),
    ("enterprise_project_notes", "migrant_id"),
];

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The rows of `table` whose `column` is `id`, each as a JSON object text.
/// `table` and `column` come from [`PERSONAL_TABLES`], never from input.
pub fn rows_as_json(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
    id: &str,
) -> QueryResult<Vec<String>> {
    let sql = match conn {
        DbConnection::Pg(_) => {
            format!(
                "SELECT row_to_json(t)::text AS row FROM {table} t WHERE {column} = $1 ORDER BY 1"
            )
        }
        DbConnection::Sqlite(_) => {
            let pairs: Vec<String> = columns(conn, table)?
                .iter()
                .map(|c| format!("'{c}', {c}"))
                .collect();
            format!(
                "SELECT json_object({}) AS row FROM {table} WHERE {column} = ? ORDER BY 1",
                pairs.join(", ")
            )
        }
    };
    let rows: Vec<JsonRow> = diesel::sql_query(sql).bind::<Text, _>(id).load(conn)?;
    Ok(rows.into_iter().map(|r| r.row).collect())
}

/// The columns of `table`, in order.
fn columns(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<String>> {
    let sql = match conn {
        DbConnection::Pg(_) => "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
            .to_string(),
        DbConnection::Sqlite(_) => "SELECT name FROM pragma_table_info(?) ORDER BY cid".to_string(),
    };
    let names: Vec<Name> = diesel::sql_query(sql).bind::<Text, _>(table).load(conn)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

/// Tables that have a column named `column` (for the completeness check).
pub fn tables_with_column(conn: &mut DbConnection, column: &str) -> QueryResult<Vec<String>> {
    let sql = match conn {
        DbConnection::Pg(_) => "SELECT table_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = $1 ORDER BY 1"
            .to_string(),
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.name = ? ORDER BY 1"
                .to_string()
        }
    };
    let names: Vec<Name> = diesel::sql_query(sql).bind::<Text, _>(column).load(conn)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}
