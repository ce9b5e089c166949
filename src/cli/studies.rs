//! `reintegra applications-csv --university CODE`: a university's study
//! applications as CSV, for an admissions office without an API client.
//! The same export and the same rules as `studyApplicationsCsv` for that
//! university's officer (its own applications; names only of people with
//! an active EDUCATION consent to it), audited like the API read.

use crate::config::Settings;
use crate::db::applications::ApplicationQuery;
use crate::db::audit::{self, AuditEntry};
use crate::db::{self, institutions};
use crate::domain::institution::{InstitutionKind, Role};
use crate::error::StartupError;
use crate::policy::{ApplicationView, RowFilter, Slice};
use crate::service::applications_csv;

use super::ops::{app_err, connect};

/// Writes the applications of university `code` to `output` (or standard
/// output) and records the read in the audit chain.
pub fn applications_csv(
    settings: &Settings,
    code: &str,
    output: Option<&str>,
) -> Result<(), StartupError> {
    let code = code.trim().to_ascii_uppercase();
    let mut conn = connect(settings)?;
    let inst = institutions::by_code(&mut conn, &code)
        .map_err(|e| StartupError::Database(e.to_string()))?
        .filter(|i| i.active && i.kind == InstitutionKind::University.as_str())
        .ok_or_else(|| StartupError::Config(format!("{code} is not an active university")))?;
    let role = Role::UniversityOfficer;
    let rows = RowFilter::for_caller(role, &inst.code, db::now(), settings.minex_window_days);
    let view = ApplicationView::Own(inst.code.clone());
    let export = db::write_tx(&mut conn, |c| {
        let export = applications_csv::export(c, &view, &rows, &ApplicationQuery::default())?;
        let entry = AuditEntry {
            actor_subject: "cli".into(),
            actor_institution: inst.code.clone(),
            actor_role: role.as_str().into(),
            action: "READ".into(),
            entity: "StudyApplication".into(),
            record_ids: export.named.clone(),
            slices: [Slice::Identity, Slice::Studies]
                .iter()
                .map(|s| crate::graphql::access::slice_name(*s).to_string())
                .collect(),
            request_id: format!("cli-{}", uuid::Uuid::new_v4()),
            ..Default::default()
        };
        if !entry.record_ids.is_empty() {
            audit::append(c, &[entry], db::now())?;
        }
        Ok(export)
    })
    .map_err(app_err)?;
    match output {
        Some(path) => std::fs::write(path, export.csv)
            .map_err(|e| StartupError::Other(format!("cannot write {path}: {e}"))),
        None => {
            print!("{}", export.csv);
            Ok(())
        }
    }
}
