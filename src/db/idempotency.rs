//! Idempotency keys: a retried create returns the first result.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::idempotency_keys as k;
use super::DbConnection;

/// Who asked, and under which key, for which operation.
#[derive(Clone, Debug)]
pub struct IdemKey {
    pub institution_code: String,
    pub subject: String,
    pub key: String,
    pub operation: &'static str,
}

/// The stored result of an earlier call with this key, if any. The same key
/// used for a different operation is reported as `Err(operation)`.
pub fn lookup(
    conn: &mut DbConnection,
    key: &IdemKey,
) -> QueryResult<Option<Result<String, String>>> {
    let found: Option<(String, String)> = k::table
        .filter(k::institution_code.eq(&key.institution_code))
        .filter(k::subject.eq(&key.subject))
        .filter(k::idem_key.eq(&key.key))
        .select((k::operation, k::result_id))
        .first(conn)
        .optional()?;
    Ok(found.map(|(op, id)| if op == key.operation { Ok(id) } else { Err(op) }))
}

/// Remembers the result of a create; call in the create's transaction.
pub fn store(
    conn: &mut DbConnection,
    key: &IdemKey,
    result_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(k::table)
        .values((
            k::institution_code.eq(&key.institution_code),
            k::subject.eq(&key.subject),
            k::idem_key.eq(&key.key),
            k::operation.eq(key.operation),
            k::result_id.eq(result_id),
            k::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
