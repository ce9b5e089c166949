//! `POST /graphql` and `GET /graphql`: the HTTP framing around the
//! gateway (identity, limits, audit).

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::parser::types::DocumentOperations;
use async_graphql::{BatchRequest, BatchResponse, Request, Variables};
use futures_util::StreamExt;

use super::{error_response, AppState};
use crate::auth;
use crate::error::{AppError, ErrorCode};
use crate::gateway;
use crate::graphql::RequestContext;
use crate::telemetry::{self, RequestIdent};

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

/// The parameters of a GraphQL GET request (GraphQL over HTTP).
#[derive(serde::Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName", alias = "operation_name")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

fn parse_get(query_string: &str) -> Result<Request, AppError> {
    let p = web::Query::<GetParams>::from_query(query_string)
        .map_err(|e| AppError::bad_input("query", format!("malformed GET request: {e}")))?
        .into_inner();
    let mut req = Request::new(p.query.unwrap_or_default());
    if let Some(name) = p.operation_name {
        req = req.operation_name(name);
    }
    if let Some(vars) = p.variables {
        let json: serde_json::Value = serde_json::from_str(&vars)
            .map_err(|e| AppError::bad_input("variables", format!("not JSON: {e}")))?;
        req = req.variables(Variables::from_json(json));
    }
    if let Some(ext) = p.extensions {
        req.extensions = serde_json::from_str(&ext)
            .map_err(|e| AppError::bad_input("extensions", format!("not a JSON object: {e}")))?;
    }
    Ok(req)
}

fn parse_batch(req: &HttpRequest, body: &[u8]) -> Result<BatchRequest, AppError> {
    if req.method() == Method::GET {
        return parse_get(req.query_string()).map(BatchRequest::Single);
    }
    serde_json::from_slice::<BatchRequest>(body)
        .map_err(|e| AppError::bad_input("body", format!("malformed GraphQL JSON request: {e}")))
}

/// `application/graphql-response+json` when the client asks for it (GraphQL
/// over HTTP), plain JSON otherwise.
fn media_type(req: &HttpRequest) -> &'static str {
    let wants = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/graphql-response+json"));
    if wants {
        "application/graphql-response+json; charset=utf-8"
    } else {
        "application/json"
    }
}

/// The operations of a request for its log line: names as the document
/// spells them (so nothing but name characters), `-` for anonymous ones.
fn operation_names(requests: &mut [Request]) -> String {
    let names: Vec<String> = requests
        .iter_mut()
        .map(|r| {
            let given = r.operation_name.clone();
            let doc = r.parsed_query().ok();
            let named = doc.and_then(|d| match (&d.operations, given) {
                (DocumentOperations::Single(_), _) => None,
                (DocumentOperations::Multiple(ops), Some(g)) => {
                    ops.keys().find(|k| k.as_str() == g).map(|k| k.to_string())
                }
                (DocumentOperations::Multiple(ops), None) => {
                    ops.keys().next().map(|k| k.to_string())
                }
            });
            named.unwrap_or_else(|| "-".into())
        })
        .collect();
    names.join(",")
}

/// The distinct error codes of a set of responses, for the log line.
fn error_codes(responses: &[async_graphql::Response]) -> String {
    let mut codes: Vec<String> = responses
        .iter()
        .flat_map(|r| &r.errors)
        .filter_map(|e| e.extensions.as_ref()?.get("code").map(|c| c.to_string()))
        .map(|c| c.trim_matches('"').to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes.join(",")
}

/// The GraphQL endpoint for both methods.
pub async fn graphql(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    request_id: RequestIdent,
) -> HttpResponse {
    match handle(&req, payload, &state, request_id.0).await {
        Ok(resp) => resp,
        Err(err) => {
            state.metrics.count_error(err.code().as_str());
            telemetry::record_error_codes(err.code().as_str());
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
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let peer = req.peer_addr().map(|a| a.ip());
    let admitted = gateway::admit(state, auth::bearer(header), peer).await?;
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
    gateway::check(state, &mut requests, req.method() == Method::GET)?;
    let who = &admitted.identity;
    telemetry::record_graphql(
        &operation_names(&mut requests),
        &who.institution.code,
        who.role.as_str(),
        &who.subject,
    );
    let rc = RequestContext {
        identity: admitted.identity,
        request_id,
    };
    let mut responses = Vec::with_capacity(requests.len());
    for r in requests {
        responses.push(gateway::execute(state, gateway::prepare(state, &rc, r)).await);
    }
    // An operation the database could not serve tells the client to retry.
    let unavailable = responses.iter().flat_map(|r| &r.errors).any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from(ErrorCode::Unavailable.as_str()))
    });
    telemetry::record_error_codes(&error_codes(&responses));
    let body = if is_batch {
        BatchResponse::Batch(responses)
    } else {
        BatchResponse::Single(responses.remove(0))
    };
    let mut resp = if unavailable {
        let mut r = HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE);
        r.insert_header((
            header::RETRY_AFTER,
            super::UNAVAILABLE_RETRY_SECS.to_string(),
        ));
        r
    } else {
        HttpResponse::build(StatusCode::OK)
    };
    for h in admitted.budget.headers() {
        resp.insert_header(h);
    }
    Ok(resp.content_type(media_type(req)).json(body))
}
