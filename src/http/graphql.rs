//! `POST /graphql` and `GET /graphql`: authenticate, bound, execute.

use std::sync::Arc;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::{BatchRequest, BatchResponse, Request};
use futures_util::StreamExt;
use tracing_actix_web::RequestId;

use super::{error_response, AppState};
use crate::auth::{self, Identity};
use crate::db::{self, audit};
use crate::error::AppError;
use crate::graphql::access::ReadLog;
use crate::graphql::write::entry;
use crate::graphql::{loaders::Loaders, RequestContext};

/// Reads the body up to the configured limit; refuses larger ones early.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    max: usize,
) -> Result<web::Bytes, AppError> {
    let too_large = || AppError::QueryTooComplex(format!("request body exceeds {max} bytes"));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| AppError::bad_input("body", "could not read request body"))?;
        if body.len() + chunk.len() > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn parse_batch(req: &HttpRequest, body: &[u8]) -> Result<BatchRequest, AppError> {
    if req.method() == Method::GET {
        return async_graphql::http::parse_query_string(req.query_string())
            .map(BatchRequest::Single)
            .map_err(|e| AppError::bad_input("query", format!("malformed GET request: {e}")));
    }
    serde_json::from_slice::<BatchRequest>(body)
        .map_err(|e| AppError::bad_input("body", format!("malformed GraphQL JSON request: {e}")))
}

/// Applies shape limits; a request over a limit never reaches execution.
fn check_request(req: &mut Request, is_get: bool, state: &AppState) -> Result<(), AppError> {
    let doc = match req.parsed_query() {
        Ok(doc) => doc,
        // Syntax errors are reported by execution with their positions.
        Err(_) => return Ok(()),
    };
    super::shape::check_width(doc, state.settings.limits.max_aliases)?;
    if is_get {
        super::shape::check_query_only(doc)?;
    }
    Ok(())
}

async fn identify(req: &HttpRequest, state: &AppState) -> Result<Identity, AppError> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let token = auth::bearer(header)?;
    let identity = auth::authenticate(&state.pool, &state.verifier, token).await?;
    if state.rate_limiter.check_key(&identity.subject).is_err() {
        return Err(AppError::RateLimited);
    }
    Ok(identity)
}

/// The GraphQL endpoint for both methods.
pub async fn graphql(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    match handle(&req, payload, &state, request_id.to_string()).await {
        Ok(resp) => resp,
        Err(err) => {
            state.metrics.count_error(err.code().as_str());
            error_response(&err)
        }
    }
}

async fn handle(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    request_id: String,
) -> Result<HttpResponse, AppError> {
    let max = state.settings.limits.max_body_bytes;
    let body = read_body(req, payload, max).await?;
    let identity = identify(req, state).await?;
    let batch = parse_batch(req, &body)?;
    // A JSON array gets an array back, even with one operation in it.
    let (mut requests, is_batch) = match batch {
        BatchRequest::Single(r) => (vec![r], false),
        BatchRequest::Batch(list) => (list, true),
    };
    if requests.is_empty() || requests.len() > state.settings.limits.max_batch {
        return Err(AppError::QueryTooComplex(format!(
            "a batch holds 1 to {} operations",
            state.settings.limits.max_batch
        )));
    }
    let is_get = req.method() == Method::GET;
    for r in requests.iter_mut() {
        check_request(r, is_get, state)?;
    }
    let consent_scope = (!identity.role.is_iom_staff()).then(|| identity.institution.code.clone());
    let rc = RequestContext {
        identity,
        request_id,
    };
    let reads = Arc::new(ReadLog::default());
    let mut responses = Vec::with_capacity(requests.len());
    for r in requests {
        let r = r
            .data(rc.clone())
            .data(Arc::new(Loaders::new(&state.pool, consent_scope.clone())))
            .data(Arc::clone(&reads));
        let mut resp = state.schema.execute(r).await;
        super::errors::normalize(&mut resp.errors, &state.metrics);
        responses.push(resp);
    }
    // Personal data leaves only once its read is in the audit log.
    audit_reads(state, &rc, &reads).await?;
    let body = if is_batch {
        BatchResponse::Batch(responses)
    } else {
        BatchResponse::Single(responses.remove(0))
    };
    Ok(HttpResponse::build(StatusCode::OK)
        .content_type("application/json")
        .json(body))
}

/// Appends one `READ` event for all personal data a request returned.
async fn audit_reads(
    state: &AppState,
    rc: &RequestContext,
    reads: &ReadLog,
) -> Result<(), AppError> {
    let (ids, slices) = reads.take();
    if ids.is_empty() {
        return Ok(());
    }
    let e = entry(rc, "READ", "Migrant", ids, slices);
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| Ok(audit::append(c, &[e], db::now())?))
    })
    .await
}
