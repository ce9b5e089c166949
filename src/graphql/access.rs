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

/// Personal data returned during one request: record ids and slices.
/// Flushed as one audit event when the request ends.
#[derive(Default)]
pub struct ReadLog(Mutex<BTreeMap<String, BTreeSet<Slice>>>);

impl ReadLog {
    /// Notes that `slice` of record `id` is being returned.
    pub fn record(&self, id: &str, slice: Slice) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(id.to_string()).or_default().insert(slice);
        }
    }

    /// Record ids and the union of slices read, sorted.
    pub fn take(&self) -> (Vec<String>, Vec<String>) {
        let map = self
            .0
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        let slices: BTreeSet<Slice> = map.values().flatten().copied().collect();
        let names = slices
            .into_iter()
            .map(|s| slice_name(s).to_string())
            .collect();
        (map.into_keys().collect(), names)
    }
}

/// Guards a slice field of record `id`: checks the policy and logs the read.
pub fn read_slice<'a>(
    ctx: &'a Context<'_>,
    id: &str,
    slice: Slice,
) -> AppResult<&'a RequestContext> {
    let rc = require_read(ctx, slice)?;
    if let Ok(log) = ctx.data::<std::sync::Arc<ReadLog>>() {
        log.record(id, slice);
    }
    Ok(rc)
}

macro_rules! visibility {
    ($($fn_name:ident => $slice:ident),* $(,)?) => {
        $(
            /// Shows the field in introspection only to roles that may read the slice.
            pub fn $fn_name(ctx: &Context<'_>) -> bool {
                caller(ctx).is_ok_and(|rc| policy::can_read(rc.identity.role, Slice::$slice))
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
);
