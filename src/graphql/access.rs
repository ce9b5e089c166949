//! The policy applied to GraphQL: slice guards, per-role visibility of
//! fields, row filters, and the per-request log of personal data read.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use async_graphql::Context;

use super::{caller, RequestContext};
use crate::config::Settings;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::policy::{self, RowFilter, Slice};

/// Fails with `FORBIDDEN` unless the caller may read `slice`.
pub fn require_read<'a>(ctx: &'a Context<'_>, slice: Slice) -> AppResult<&'a RequestContext> {
    let rc = caller(ctx)?;
    if policy::can_read(rc.identity.role, slice) {
        Ok(rc)
    } else {
        Err(forbidden_slice(slice))
    }
}

/// Fails with `FORBIDDEN` unless the caller may write `slice`.
pub fn require_write<'a>(ctx: &'a Context<'_>, slice: Slice) -> AppResult<&'a RequestContext> {
    let rc = caller(ctx)?;
    if policy::can_write(rc.identity.role, slice) {
        Ok(rc)
    } else {
        Err(AppError::Forbidden(format!(
            "your role may not change the {} slice",
            slice_name(slice)
        )))
    }
}

fn forbidden_slice(slice: Slice) -> AppError {
    AppError::Forbidden(format!(
        "your role may not read the {} slice",
        slice_name(slice)
    ))
}

/// The contract name of a slice (`IDENTITY`, …).
pub fn slice_name(slice: Slice) -> &'static str {
    use async_graphql::resolver_utils::EnumType;
    Slice::items()
        .iter()
        .find(|i| i.value == slice)
        .map(|i| i.name)
        .unwrap_or("")
}

/// The caller's row filter at this moment.
pub fn row_filter(ctx: &Context<'_>) -> AppResult<RowFilter> {
    let rc = caller(ctx)?;
    let settings = ctx
        .data::<Settings>()
        .map_err(|_| AppError::Internal("settings missing".into()))?;
    Ok(RowFilter::for_caller(
        rc.identity.role,
        &rc.identity.institution.code,
        db::now(),
        settings.minex_window_days,
    ))
}

/// Personal data returned during one operation: record ids and slices.
/// Flushed as one audit event before the response leaves. Every failure
/// here fails the read: nothing is disclosed without its record.
#[derive(Default)]
pub struct ReadLog {
    reads: Mutex<BTreeMap<String, BTreeSet<Slice>>>,
    /// Records opened under an emergency grant: their reads are audited
    /// as `EMERGENCY_READ`, with the grant ids.
    emergency: Mutex<BTreeMap<String, String>>,
}

/// What one operation read, split for the audit.
#[derive(Default, Debug)]
pub struct Reads {
    /// Record ids read through the caller's own rows, sorted.
    pub ids: Vec<String>,
    /// Record ids read under an emergency grant, sorted.
    pub emergency_ids: Vec<String>,
    /// The grants used.
    pub grants: Vec<String>,
    /// The union of slices read.
    pub slices: Vec<String>,
}

fn log_broken() -> AppError {
    AppError::Internal("read log unavailable".into())
}

impl ReadLog {
    /// Notes that `slice` of record `id` is being returned.
    pub fn record(&self, id: &str, slice: Slice) -> AppResult<()> {
        let mut map = self.reads.lock().map_err(|_| log_broken())?;
        map.entry(id.to_string()).or_default().insert(slice);
        Ok(())
    }

    /// Notes that record `id` was opened under emergency grant `grant`.
    pub fn opened_in_emergency(&self, id: &str, grant: &str) -> AppResult<()> {
        let mut map = self.emergency.lock().map_err(|_| log_broken())?;
        map.insert(id.to_string(), grant.to_string());
        Ok(())
    }

    /// What was read, split by how it was opened; empties the log.
    pub fn take(&self) -> AppResult<Reads> {
        let map = std::mem::take(&mut *self.reads.lock().map_err(|_| log_broken())?);
        let opened = std::mem::take(&mut *self.emergency.lock().map_err(|_| log_broken())?);
        let slices: BTreeSet<Slice> = map.values().flatten().copied().collect();
        let mut reads = Reads {
            slices: slices
                .into_iter()
                .map(|s| slice_name(s).to_string())
                .collect(),
            ..Reads::default()
        };
        for id in map.into_keys() {
            match opened.get(&id) {
                Some(grant) => {
                    reads.grants.push(grant.clone());
                    reads.emergency_ids.push(id);
                }
                None => reads.ids.push(id),
            }
        }
        reads.grants.sort();
        reads.grants.dedup();
        Ok(reads)
    }
}

/// Guards a slice field of record `id`: checks the policy and logs the read.
pub fn read_slice<'a>(
    ctx: &'a Context<'_>,
    id: &str,
    slice: Slice,
) -> AppResult<&'a RequestContext> {
    let rc = require_read(ctx, slice)?;
    ctx.data::<std::sync::Arc<ReadLog>>()
        .map_err(|_| log_broken())?
        .record(id, slice)?;
    Ok(rc)
}

/// Logs what a matching score discloses about record `id`: SKILLS, and
/// ORIGIN when `by_place` (a place earned points). Job matching and
/// programme placement share it.
pub fn record_score_reads(ctx: &Context<'_>, id: &str, by_place: bool) -> AppResult<()> {
    let log = ctx
        .data::<std::sync::Arc<ReadLog>>()
        .map_err(|_| log_broken())?;
    log.record(id, Slice::Skills)?;
    if by_place {
        log.record(id, Slice::Origin)?;
    }
    Ok(())
}

macro_rules! visibility {
    ($($fn_name:ident => $slice:ident),* $(,)?) => {
        $(
            /// Shows the field only to roles that may read the slice (the caller's,
            /// or in `export-schema --role`, the exported role).
            pub fn $fn_name(ctx: &Context<'_>) -> bool {
                super::visibility::sees(ctx, Slice::$slice)
            }
        )*
    };
}

visibility!(
    sees_identity => Identity,
    sees_documents => Documents,
    sees_contact => Contact,
    sees_origin => Origin,
    sees_return => Return,
    sees_health => Health,
    sees_assistance => Assistance,
    sees_skills => Skills,
    sees_protection => Protection,
    sees_consent => Consent,
    sees_employment => Employment,
    sees_studies => Studies,
    sees_enterprise => Enterprise,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_read_log_fails_instead_of_skipping() {
        let log = std::sync::Arc::new(ReadLog::default());
        let poisoner = std::sync::Arc::clone(&log);
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.reads.lock();
            panic!("poison the lock");
        })
        .join();
        assert!(log.record("m1", Slice::Identity).is_err());
        assert!(log.take().is_err());
    }
}
