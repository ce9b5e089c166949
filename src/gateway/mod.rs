//! The one path every GraphQL operation takes, whatever the transport: who
//! is calling (checked at the moment the operation runs), the request
//! limits, and the audit of personal data read. `http::graphql` (POST/GET)
//! and `http::ws` (WebSocket) only translate their framing to and from it.

pub mod budget;
pub mod depth;
pub mod errors;
pub mod input;
pub mod order;
pub mod persisted;
pub mod shape;

use std::net::IpAddr;
use std::sync::Arc;

use async_graphql::{Request, Response};
use futures_util::{Stream, StreamExt};

use crate::auth::{self, Identity};
use crate::error::{AppError, AppResult};
use crate::graphql::access::ReadLog;
use crate::graphql::loaders::Loaders;
use crate::graphql::write::entry;
use crate::graphql::RequestContext;
use crate::http::AppState;
use crate::policy;
use budget::Budget;

/// An admitted caller and what is left of its budget.
pub struct Admitted {
    /// Who is calling.
    pub identity: Identity,
    /// The caller's budget after this request.
    pub budget: Budget,
}

/// Verifies `token` now and charges a budget: the subject's when the token
/// is good, the client address's when it is not, so guessing tokens is as
/// rate limited as using them.
pub async fn admit(
    state: &AppState,
    token: AppResult<&str>,
    address: Option<IpAddr>,
) -> AppResult<Admitted> {
    let verified = match token {
        Ok(token) => revalidate(state, token).await,
        Err(e) => Err(e),
    };
    match verified {
        Ok(identity) => {
            // One budget per subject of an institution: the same `sub` in two
            // institutions is two callers.
            let code = &identity.institution.code;
            let limiter = state
                .institution_limiters
                .get(code)
                .unwrap_or(&state.rate_limiter);
            let budget = budget::charge(limiter, &format!("{code}\u{1f}{}", identity.subject))?;
            Ok(Admitted { identity, budget })
        }
        // A database outage is not a failed authentication.
        Err(err @ AppError::Unavailable(_)) => Err(err),
        Err(err) => match address {
            Some(ip) => budget::charge(&state.address_limiter, &ip).and(Err(err)),
            None => Err(err),
        },
    }
}

/// The identity behind `token` at this moment — signature, expiry,
/// institution still active, role still of its kind — without charging a
/// budget: for the later moments of an open session.
pub async fn revalidate(state: &AppState, token: &str) -> AppResult<Identity> {
    auth::authenticate(&state.pool, &state.verifier, token).await
}

/// Checks every operation of one request before any of them runs: string
/// inputs, width totalled over the batch, and over GET that it only reads.
pub fn check(state: &AppState, requests: &mut [Request], is_get: bool) -> AppResult<()> {
    let limits = &state.settings.limits;
    let mut width = shape::Width::default();
    for r in requests.iter_mut() {
        state.persisted.resolve(r)?;
        input::check_variables(&r.variables, limits.max_string_chars)?;
        // A syntax error is reported by execution, with its position.
        let Ok(doc) = r.parsed_query() else { continue };
        width.add(doc, limits.max_aliases)?;
        depth::check(doc, limits.max_depth)?;
        input::check_document(doc, limits.max_string_chars)?;
        if is_get {
            shape::check_query_only(doc)?;
        }
    }
    Ok(())
}

/// An operation bound to its caller, with its own log of personal data read.
pub struct Operation {
    request: Request,
    order: Option<Arc<order::KeyOrder>>,
    reads: Arc<ReadLog>,
    rc: RequestContext,
}

/// Binds `request` to the caller: identity, loaders with the caller's
/// consent view, and a fresh read log.
pub fn prepare(state: &AppState, rc: &RequestContext, mut request: Request) -> Operation {
    let reads = Arc::new(ReadLog::default());
    let name = request.operation_name.clone();
    let order = (request.parsed_query().ok())
        .and_then(|doc| order::KeyOrder::of(doc, name.as_deref()))
        .map(Arc::new);
    let (role, code) = (rc.identity.role, &rc.identity.institution.code);
    let loaders = Loaders::new(
        &state.pool,
        policy::consent_view(role, code),
        policy::application_view(role, code),
    );
    let request = request
        .data(rc.clone())
        .data(Arc::new(loaders))
        .data(Arc::clone(&reads));
    Operation {
        request,
        order,
        reads,
        rc: rc.clone(),
    }
}

/// Runs a query or mutation. The response leaves only once the personal
/// data in it is recorded in the audit log.
pub async fn execute(state: &AppState, op: Operation) -> Response {
    let mut resp = state.schema.execute(op.request).await;
    shape_data(&mut resp, op.order.as_deref());
    release(state, &op.rc, &op.reads, resp).await
}

/// Runs any operation as a stream: one response for a query or mutation,
/// one per event for a subscription. Before each response leaves, the
/// caller's identity is checked again (`Err` when it is no longer valid:
/// the session must end) and the reads are audited like [`execute`]'s.
pub fn execute_stream(
    state: Arc<AppState>,
    op: Operation,
    token: Arc<str>,
) -> impl Stream<Item = AppResult<Response>> {
    let Operation {
        request,
        order,
        reads,
        rc,
    } = op;
    state.schema.execute_stream(request).then(move |mut resp| {
        let (state, rc, reads, token) = (
            Arc::clone(&state),
            rc.clone(),
            Arc::clone(&reads),
            Arc::clone(&token),
        );
        shape_data(&mut resp, order.as_deref());
        async move {
            revalidate(&state, &token).await?;
            Ok(release(&state, &rc, &reads, resp).await)
        }
    })
}

/// `null` for each failed field, every key in request order.
fn shape_data(resp: &mut Response, order: Option<&order::KeyOrder>) {
    if matches!(resp.data, async_graphql::Value::Object(_)) {
        order::null_failed_fields(&mut resp.data, &resp.errors);
    }
    if let Some(order) = order {
        order.apply(&mut resp.data);
    }
}

/// Codes the response's errors, then audits its reads; when the audit
/// cannot be written the data is withheld and the operation fails.
async fn release(
    state: &AppState,
    rc: &RequestContext,
    reads: &ReadLog,
    mut resp: Response,
) -> Response {
    errors::normalize(&mut resp.errors, &state.metrics);
    match audit_reads(state, rc, reads).await {
        Ok(()) => resp,
        Err(err) => {
            state.metrics.count_error(err.code().as_str());
            Response::from_errors(vec![errors::server_error(&err)])
        }
    }
}

/// Appends one `READ` event for the personal data an operation returned,
/// and one `EMERGENCY_READ` (naming the grants) for records opened under
/// an emergency grant, so reviewers can tell them apart.
async fn audit_reads(state: &AppState, rc: &RequestContext, reads: &ReadLog) -> AppResult<()> {
    let reads = reads.take()?;
    if !reads.ids.is_empty() {
        let e = entry(rc, "READ", "Migrant", reads.ids, reads.slices.clone());
        state.audit.record(e).await?;
    }
    if !reads.emergency_ids.is_empty() {
        let mut e = entry(
            rc,
            "EMERGENCY_READ",
            "Migrant",
            reads.emergency_ids,
            reads.slices,
        );
        e.detail = Some(format!("grants: {}", reads.grants.join(",")));
        state.audit.record(e).await?;
    }
    Ok(())
}
