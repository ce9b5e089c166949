//! `reintegra subject-export`: a person's data-subject export as a JSON
//! file, for the IOM office answering the request in person.

use crate::config::Settings;
use crate::db::audit::{self, AuditEntry};
use crate::db::{self};
use crate::error::StartupError;
use crate::policy::Slice;

use super::ops::{app_err, connect};

/// Writes everything held on `id` to `output` (or standard output), and
/// records the export in the audit chain in the same transaction.
pub fn export(settings: &Settings, id: &str, output: Option<&str>) -> Result<(), StartupError> {
    let mut conn = connect(settings)?;
    let doc = db::write_tx(&mut conn, |c| {
        let doc = crate::subject::export(c, id, db::now())?;
        let entry = AuditEntry {
            actor_subject: "cli".into(),
            actor_institution: "IOM".into(),
            actor_role: "iom_admin".into(),
            action: "SUBJECT_EXPORT".into(),
            entity: "Migrant".into(),
            record_ids: vec![doc.migrant_id.clone()],
            slices: Slice::ALL
                .iter()
                .map(|s| crate::graphql::access::slice_name(*s).to_string())
                .collect(),
            request_id: format!("cli-{}", uuid::Uuid::new_v4()),
            ..Default::default()
        };
        audit::append(c, &[entry], db::now())?;
        Ok(doc)
    })
    .map_err(app_err)?;
    let json = serde_json::to_string_pretty(&doc)
        .map_err(|e| StartupError::Other(format!("cannot encode the export: {e}")))?;
    match output {
        Some(path) => std::fs::write(path, json + "\n")
            .map_err(|e| StartupError::Other(format!("cannot write {path}: {e}"))),
        None => {
            println!("{json}");
            Ok(())
        }
    }
}

/// `reintegra retention --dry-run|--apply`: reports, or pseudonymises, the
/// records with no activity for `REINTEGRA_RETENTION_YEARS`.
pub fn retention(settings: &Settings, apply: bool) -> Result<(), StartupError> {
    use crate::subject::retention;
    let mut conn = connect(settings)?;
    let cutoff = db::now() - chrono::Duration::days(365 * settings.retention_years);
    let spared = retention::count_spared(&mut conn, cutoff).map_err(app_err)?;
    if !apply {
        let n = retention::count_due(&mut conn, cutoff).map_err(app_err)?;
        println!(
            "{n} record(s) with no activity since {} would be pseudonymised (--apply to do it); \
             {spared} left alone with an open case",
            cutoff.date()
        );
        return Ok(());
    }
    let n = retention::apply(&mut conn, cutoff, |c, ids| {
        let entry = AuditEntry {
            actor_subject: "retention".into(),
            actor_institution: "IOM".into(),
            actor_role: "iom_admin".into(),
            action: "ERASE".into(),
            entity: "Migrant".into(),
            record_ids: ids.to_vec(),
            slices: Slice::ALL
                .iter()
                .map(|s| crate::graphql::access::slice_name(*s).to_string())
                .collect(),
            request_id: format!("cli-{}", uuid::Uuid::new_v4()),
            ..Default::default()
        };
        audit::append(c, &[entry], db::now())?;
        Ok(())
    })
    .map_err(app_err)?;
    println!(
        "pseudonymised {n} record(s) with no activity since {}; {spared} left alone with an open case",
        cutoff.date()
    );
    Ok(())
}
