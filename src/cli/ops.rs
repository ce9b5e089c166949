//! Operator commands: `audit verify` and `import-manifest`.

use serde::Deserialize;

use crate::config::Settings;
use crate::db::audit::{self, AuditEntry};
use crate::db::{self, flights, DbConnection};
use crate::error::{AppError, StartupError};
use crate::intake::manifest::{self, LineOutcome, ManifestLine};

/// Opens one direct connection, migrating first.
pub fn connect(settings: &Settings) -> Result<DbConnection, StartupError> {
    db::migrate::connect_and_migrate(&settings.database_url)?;
    let mut conn = db::establish(&settings.database_url)
        .map_err(|e| StartupError::Database(format!("cannot connect: {e}")))?;
    if let DbConnection::Sqlite(c) = &mut conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(|e| StartupError::Database(e.to_string()))?;
    }
    Ok(conn)
}

pub(crate) fn app_err(e: AppError) -> StartupError {
    match e {
        AppError::Internal(detail) => StartupError::Database(detail),
        other => StartupError::Other(other.to_string()),
    }
}

/// `reintegra audit verify`: walks the chain; fails on the first broken link.
pub fn audit_verify(settings: &Settings) -> Result<(), StartupError> {
    let mut conn = connect(settings)?;
    let report = audit::verify(&mut conn).map_err(|e| app_err(e.into()))?;
    match report.first_broken_seq {
        None => {
            println!("audit chain OK: {} events verified", report.checked);
            Ok(())
        }
        Some(seq) => Err(StartupError::Other(format!(
            "audit chain BROKEN at event {seq}: {} ({} events verified before it)",
            report.reason.unwrap_or_default(),
            report.checked
        ))),
    }
}

/// One CSV row of a manifest (see README for the columns).
#[derive(Debug, Deserialize)]
struct CsvRow {
    given_names: String,
    family_names: String,
    birth_date: String,
    sex: String,
    #[serde(default)]
    document_number: Option<String>,
    #[serde(default)]
    municipality_code: Option<String>,
    #[serde(default)]
    us_state: Option<String>,
    #[serde(default)]
    months_in_us: Option<String>,
}

/// Reads a manifest CSV; line numbers are the file's (the header is line 1).
pub fn read_csv(path: &str) -> Result<Vec<ManifestLine>, StartupError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| StartupError::Other(format!("cannot read {path}: {e}")))?;
    let mut lines = Vec::new();
    for (i, row) in reader.deserialize::<CsvRow>().enumerate() {
        let line = i as i32 + 2;
        let r = row.map_err(|e| StartupError::Other(format!("{path}: line {line}: {e}")))?;
        lines.push(ManifestLine {
            line,
            given_names: r.given_names,
            family_names: r.family_names,
            birth_date: r.birth_date,
            sex: r.sex,
            document_number: r.document_number,
            municipality_code: r.municipality_code,
            us_state: r.us_state,
            months_in_us: r.months_in_us,
        });
    }
    Ok(lines)
}

/// `reintegra import-manifest --flight CODE FILE`: good lines are stored in
/// one transaction; rejected lines are listed and make the exit status 1.
pub fn import_manifest(
    settings: &Settings,
    flight_code: &str,
    path: &str,
) -> Result<(), StartupError> {
    let lines = read_csv(path)?;
    let mut conn = connect(settings)?;
    let code = flight_code.trim().to_ascii_uppercase();
    // The command runs on the server with the operator's authority, which
    // the policy grants as that of an IOM administrator.
    let operator = crate::policy::all_rows(crate::domain::institution::Role::IomAdmin)
        .map_err(|e| StartupError::Other(e.to_string()))?;
    let report = db::write_tx(&mut conn, |c| {
        let flight = flights::by_code(c, &code)?.ok_or_else(|| {
            AppError::bad_input("flight", format!("no flight {code}: schedule it first"))
        })?;
        let report = manifest::import(c, operator, &flight, &lines, "cli")?;
        let entry = AuditEntry {
            actor_subject: "cli".into(),
            actor_institution: "IOM".into(),
            actor_role: "iom_admin".into(),
            action: "MANIFEST_IMPORT".into(),
            entity: "Migrant".into(),
            record_ids: report
                .accepted
                .iter()
                .map(|a| a.migrant_id.clone())
                .collect(),
            request_id: format!("cli-{}", uuid::Uuid::new_v4()),
            ..Default::default()
        };
        audit::append(c, &[entry], db::now())?;
        Ok(report)
    })
    .map_err(app_err)?;
    let count = |o: LineOutcome| report.accepted.iter().filter(|a| a.outcome == o).count();
    println!(
        "flight {code}: {} lines read, {} created, {} linked to people on record, {} already on the flight, {} held for review, {} rejected",
        lines.len(),
        count(LineOutcome::Created),
        count(LineOutcome::Linked),
        count(LineOutcome::AlreadyOnFlight),
        report.review.len(),
        report.errors.len()
    );
    for r in &report.review {
        println!(
            "line {}: resembles {} people on record; register at reception",
            r.line,
            r.candidates.len()
        );
    }
    for e in &report.errors {
        println!("line {}: {}: {}", e.line, e.field, e.message);
    }
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(StartupError::Other(format!(
            "{} line(s) rejected; the good lines were stored",
            report.errors.len()
        )))
    }
}
