//! Loads what a page of migrants will need, in one batch per kind, into the
//! request's loader caches. Without it, the DataLoader's time window can
//! split a large page into several batches; with it, a page costs the same
//! statements whatever its size.

use async_graphql::{Context, Lookahead};

use super::caller;
use crate::db::migrants::MigrantRow;
use crate::error::{AppError, AppResult};
use crate::policy::{can_read, Slice};

/// Prefetches the nested fields selected under `node` for `rows`.
pub async fn prefetch(
    ctx: &Context<'_>,
    node: Lookahead<'_>,
    rows: &[MigrantRow],
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let loaders =
        super::loaders::of(ctx).map_err(|_| AppError::Internal("loaders missing".into()))?;
    let role = caller(ctx)?.identity.role;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    if can_read(role, Slice::Return)
        && (node.field("arrivals").exists() || node.field("previousReturns").exists())
    {
        loaders.arrivals.load_many(ids.clone()).await?;
    }
    if can_read(role, Slice::Assistance) && node.field("assistance").exists() {
        loaders.assistance.load_many(ids.clone()).await?;
    }
    let consents = node.field("consents");
    if can_read(role, Slice::Consent) && consents.exists() {
        let found = loaders.consents.load_many(ids).await?;
        if consents.field("institution").exists() {
            let codes = found.values().flatten().map(|c| c.institution_code.clone());
            loaders.institutions.load_many(codes).await?;
        }
    }
    let origin = node.field("originMunicipality");
    if can_read(role, Slice::Origin) && origin.exists() {
        let codes: Vec<String> = rows
            .iter()
            .filter_map(|r| r.origin_municipality_code.clone())
            .collect();
        loaders.municipalities.load_many(codes.clone()).await?;
        if origin.field("department").exists() {
            let deps = codes.iter().map(|c| c[..2].to_string());
            loaders.departments.load_many(deps).await?;
        }
    }
    Ok(())
}
