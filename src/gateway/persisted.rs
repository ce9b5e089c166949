//! Automatic Persisted Queries (the Apollo protocol): a client may send
//! only the SHA-256 of a query it sent before. An unknown hash answers
//! `PERSISTED_QUERY_NOT_FOUND`, and the client then sends the query once
//! with its hash. The query a hash stands for goes through every check of
//! the gateway like any other, so a hash is never a way around a limit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// A bounded store of queries by hash, shared by every connection. Oldest
/// first out when full, by count and by total size, so clients cannot grow
/// it without bound.
pub struct PersistedQueries {
    inner: Mutex<Store>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Default)]
struct Store {
    by_hash: HashMap<String, Arc<str>>,
    order: VecDeque<String>,
    bytes: usize,
}

/// What `extensions.persistedQuery` asked for.
struct Ask {
    hash: String,
}

impl PersistedQueries {
    /// A store holding at most `max_entries` queries and `max_bytes` of text.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        PersistedQueries {
            inner: Mutex::new(Store::default()),
            max_entries: max_entries.max(1),
            max_bytes,
        }
    }

    /// Fills in the query of a hash-only request, or registers the query of
    /// a request that sends both. Requests without the extension pass.
    pub fn resolve(&self, req: &mut Request) -> AppResult<()> {
        let Some(ask) = parse_extension(req)? else {
            return Ok(());
        };
        if req.query.is_empty() {
            let found = self.lock()?.by_hash.get(&ask.hash).cloned();
            let query = found.ok_or(AppError::PersistedQueryNotFound)?;
            req.query = query.to_string();
            return Ok(());
        }
        if hex::encode(Sha256::digest(req.query.as_bytes())) != ask.hash {
            return Err(AppError::bad_input(
                "extensions.persistedQuery.sha256Hash",
                "does not match the SHA-256 of the query",
            ));
        }
        self.insert(ask.hash, &req.query)
    }

    fn insert(&self, hash: String, query: &str) -> AppResult<()> {
        if query.len() > self.max_bytes {
            // Too large to keep; it still runs this time.
            return Ok(());
        }
        let mut store = self.lock()?;
        if store.by_hash.contains_key(&hash) {
            return Ok(());
        }
        while store.order.len() >= self.max_entries || store.bytes + query.len() > self.max_bytes {
            let Some(old) = store.order.pop_front() else {
                break;
            };
            if let Some(q) = store.by_hash.remove(&old) {
                store.bytes -= q.len();
            }
        }
        store.bytes += query.len();
        store.order.push_back(hash.clone());
        store.by_hash.insert(hash, Arc::from(query));
        Ok(())
    }

    fn lock(&self) -> AppResult<std::sync::MutexGuard<'_, Store>> {
        self.inner
            .lock()
            .map_err(|_| AppError::Internal("persisted query store poisoned".into()))
    }
}

/// Reads `{"persistedQuery": {"version": 1, "sha256Hash": "<64 hex>"}}`.
fn parse_extension(req: &Request) -> AppResult<Option<Ask>> {
    let Some(value) = req.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = |m: &str| AppError::bad_input("extensions.persistedQuery", m);
    let json = value
        .clone()
        .into_json()
        .map_err(|_| bad("must be an object"))?;
    if json.get("version").and_then(|v| v.as_i64()) != Some(1) {
        return Err(bad("only version 1 is supported"));
    }
    let hash = json
        .get("sha256Hash")
        .and_then(|h| h.as_str())
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| bad("sha256Hash must be 64 hexadecimal characters"))?;
    Ok(Some(Ask {
        hash: hash.to_ascii_lowercase(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(query: &str, hash: &str) -> Request {
        let mut r = Request::new(query);
        r.extensions.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(serde_json::json!({"version": 1, "sha256Hash": hash}))
                .unwrap(),
        );
        r
    }

    fn sha(q: &str) -> String {
        hex::encode(Sha256::digest(q.as_bytes()))
    }

    #[test]
    fn unknown_hash_then_registered() {
        let store = PersistedQueries::new(10, 1000);
        let q = "{ me { subject } }";
        let err = store.resolve(&mut ask("", &sha(q))).unwrap_err();
        assert!(matches!(err, AppError::PersistedQueryNotFound));
        store.resolve(&mut ask(q, &sha(q))).unwrap();
        let mut again = ask("", &sha(q));
        store.resolve(&mut again).unwrap();
        assert_eq!(again.query, q);
    }

    #[test]
    fn wrong_hash_is_refused() {
        let store = PersistedQueries::new(10, 1000);
        let err = store
            .resolve(&mut ask("{ me { role } }", &sha("{ x }")))
            .unwrap_err();
        assert!(matches!(err, AppError::BadUserInput { .. }));
    }

    #[test]
    fn oldest_leave_when_full() {
        let store = PersistedQueries::new(2, 1000);
        for q in ["{ a }", "{ b }", "{ c }"] {
            store.resolve(&mut ask(q, &sha(q))).unwrap();
        }
        assert!(store.resolve(&mut ask("", &sha("{ a }"))).is_err());
        assert!(store.resolve(&mut ask("", &sha("{ c }"))).is_ok());
        let tiny = PersistedQueries::new(10, 12);
        for q in ["{ aaaa }", "{ bbbb }"] {
            tiny.resolve(&mut ask(q, &sha(q))).unwrap();
        }
        assert!(tiny.resolve(&mut ask("", &sha("{ aaaa }"))).is_err());
    }
}
