//! `GET /stats.csv?from=&to=&by=`: the `stats` tables as CSV, with the
//! same bearer token, rate limit and policy as GraphQL.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{error_response, AppState};
use crate::error::AppError;
use crate::gateway;
use crate::stats::dimension::{Dimension, Period};
use crate::stats::{self, Request};
use crate::{auth, db};

/// Query string of `/stats.csv`.
#[derive(Deserialize)]
pub struct CsvParams {
    from: String,
    to: String,
    by: Option<String>,
}

fn date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::bad_input(field, "a date as YYYY-MM-DD"))
}

/// A dimension by its contract name (`MONTH` when absent).
pub fn dimension(raw: Option<&str>) -> Result<Dimension, AppError> {
    let Some(raw) = raw else {
        return Ok(Dimension::Month);
    };
    Dimension::ALL
        .into_iter()
        .find(|d| d.name() == raw)
        .ok_or_else(|| {
            AppError::bad_input("by", "MONTH, DEPARTMENT, MUNICIPALITY, SEX or AGE_BAND")
        })
}

/// The CSV endpoint.
pub async fn stats_csv(
    req: HttpRequest,
    params: web::Query<CsvParams>,
    state: web::Data<AppState>,
) -> HttpResponse {
    match answer(&req, &params, &state).await {
        Ok(csv) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(csv),
        Err(err) => error_response(&err),
    }
}

async fn answer(req: &HttpRequest, p: &CsvParams, state: &AppState) -> Result<String, AppError> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let peer = req.peer_addr().map(|a| a.ip());
    let who = gateway::admit(state, auth::bearer(header), peer)
        .await?
        .identity;
    let period = Period::parse(date(&p.from, "from")?, date(&p.to, "to")?)?;
    let request = Request::for_caller(
        who.role,
        &who.institution.code,
        period,
        dimension(p.by.as_deref())?,
        state.settings.minex_window_days,
    );
    let tables = db::run_heavy(&state.pool, move |c| stats::compute_all(c, &request)).await?;
    stats::csv::render(&tables)
}
