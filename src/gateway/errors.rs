//! Every error a client receives carries `extensions.code`.

use async_graphql::{ErrorExtensionValues, ErrorExtensions, ServerError, Value};

use crate::error::{AppError, ErrorCode};
use crate::metrics::Metrics;

/// Errors raised by async-graphql itself (parse, validation, limits) come
/// without a code; give them one, and count every error by code.
pub fn normalize(errors: &mut [ServerError], metrics: &Metrics) {
    for err in errors.iter_mut() {
        let ext = err
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default);
        if err.message.contains('\n') {
            err.message = one_line(&err.message);
        }
        let code = match ext.get("code") {
            Some(Value::String(code)) => code.clone(),
            _ => {
                let code = classify(&err.message).as_str().to_string();
                ext.set("code", code.clone());
                code
            }
        };
        metrics.count_error(&code);
    }
}

/// The parser's multi-line report (source excerpt, caret, "= expected …")
/// as one line: "syntax error at 1:3: expected selection".
fn one_line(message: &str) -> String {
    let at = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .map(str::trim);
    let reason = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or_else(|| message.lines().next().unwrap_or("").trim());
    match at {
        Some(at) => format!("syntax error at {at}: {reason}"),
        None => message.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Phrases async-graphql uses when a query breaks a configured limit.
const LIMIT_PHRASES: [&str; 5] = [
    "too complex",
    "nested too deep",
    "recursion depth",
    "recursion limit",
    "too many directives",
];

fn classify(message: &str) -> ErrorCode {
    let m = message.to_ascii_lowercase();
    if LIMIT_PHRASES.iter().any(|p| m.contains(p)) {
        ErrorCode::QueryTooComplex
    } else {
        ErrorCode::BadUserInput
    }
}

/// An application error as a GraphQL error with its code and no location
/// (it concerns the whole operation).
pub fn server_error(err: &AppError) -> ServerError {
    let e = err.extend();
    let mut out = ServerError::new(e.message, None);
    out.extensions = e.extensions;
    out
}
