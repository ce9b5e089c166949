//! Ranked pages of people, shared by `vacancyMatches` and
//! `courseMatches`: a ranking of `service::candidates` cut into a cursor
//! page whose rows come through the scoped query again, with nested
//! fields prefetched and every score logged as a read.

use std::collections::HashMap;

use async_graphql::{Context, Result};

use super::matches::{log_reads, reasons, CandidateMatch, VacancyMatchEdge};
use crate::db::{self, matching, DbConnection};
use crate::error::{AppError, AppResult};
use crate::graphql::migrant::Migrant;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::{pool, prefetch};
use crate::policy::RowFilter;
use crate::service::candidates::{Ranked, Wanted};

/// One page of the people `rank` ranks among the caller's rows (best
/// first, then by id).
pub(crate) async fn ranked_page<F>(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    rank: F,
) -> Result<(Vec<VacancyMatchEdge>, PageInfo, i64)>
where
    F: FnOnce(&mut DbConnection, &RowFilter, &Wanted) -> AppResult<Ranked> + Send + 'static,
{
    let limit = pagination::limit(ctx, first)?;
    let wanted = Wanted {
        after: crate::graphql::studies::score_cursor(after)?,
        want: usize::try_from(limit + 1).unwrap_or(1),
        count: ctx.look_ahead().field("totalCount").exists(),
    };
    let rows = crate::graphql::access::row_filter(ctx)?;
    let person = ctx
        .look_ahead()
        .field("edges")
        .field("node")
        .field("migrant");
    let (plan, columns) = (
        prefetch::plan(ctx, &person)?,
        prefetch::columns(ctx, &person)?,
    );
    let (page, more, total, nested) = db::run_heavy(pool(ctx)?, move |c| {
        let (ranked, total) = rank(c, &rows, &wanted)?;
        let (page, more) = pagination::cut(ranked, limit);
        let ids: Vec<String> = page.iter().map(|(_, id)| id.clone()).collect();
        let full = matching::rows_of(c, &rows, &ids, columns)?;
        let nested = plan.load(c, &full)?;
        let mut by_id: HashMap<String, _> = full.into_iter().map(|r| (r.id.clone(), r)).collect();
        let page: Vec<_> = page
            .into_iter()
            .filter_map(|(s, id)| by_id.remove(&id).map(|r| (s, r)))
            .collect();
        Ok((page, more, total, nested))
    })
    .await?;
    let loaders = crate::graphql::loaders::of(ctx)
        .map_err(|_| AppError::Internal("loaders missing".into()))?;
    nested.feed(loaders).await;
    let mut edges = Vec::with_capacity(page.len());
    for (s, row) in page {
        let (score, reasons) = reasons(s);
        log_reads(ctx, &row.id, &reasons)?;
        edges.push(VacancyMatchEdge {
            cursor: pagination::encode(&Position::ScoreId(i64::from(score), row.id.clone())),
            node: CandidateMatch {
                migrant: Migrant::partial(row, columns),
                score,
                reasons,
            },
        });
    }
    let page_info = pagination::page_info(
        edges.first().map(|e| &e.cursor),
        edges.last().map(|e| &e.cursor),
        more,
    );
    Ok((edges, page_info, total))
}
