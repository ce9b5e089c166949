//! Relay pagination helpers: page sizes, opaque keyset cursors, `PageInfo`.

use async_graphql::{Context, SimpleObject};
use base64::Engine;
use chrono::NaiveDateTime;

use crate::config::Settings;
use crate::error::{AppError, AppResult};

/// Relay page information.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// More items follow this page.
    pub has_next_page: bool,
    /// Always false: pagination is forward only.
    pub has_previous_page: bool,
    /// Cursor of the first item.
    pub start_cursor: Option<String>,
    /// Cursor of the last item; pass it as `after`.
    pub end_cursor: Option<String>,
}

/// Validates `first` against the configured cap (default 20).
pub fn page_size(first: Option<i32>, cap: usize) -> AppResult<i64> {
    let first = first.unwrap_or(20);
    if first < 0 || first as usize > cap {
        return Err(AppError::bad_input(
            "first",
            format!("must be between 0 and {cap}"),
        ));
    }
    Ok(i64::from(first))
}

/// `first` validated against the configured cap.
pub fn limit(ctx: &Context<'_>, first: Option<i32>) -> AppResult<i64> {
    let cap = ctx
        .data::<Settings>()
        .map(|s| s.limits.max_page_size)
        .unwrap_or(100);
    page_size(first, cap)
}

/// Cuts a `limit + 1` fetch down to the page; true when more rows follow.
pub fn cut<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    (rows, more)
}

/// Page information from the first and last cursors of a page.
pub fn page_info(start: Option<&String>, end: Option<&String>, has_next_page: bool) -> PageInfo {
    PageInfo {
        has_next_page,
        has_previous_page: false,
        start_cursor: start.cloned(),
        end_cursor: end.cloned(),
    }
}

/// Page information of a page of `edges`, each with its `cursor`.
pub fn page_info_of<E>(edges: &[E], cursor: impl Fn(&E) -> &String, more: bool) -> PageInfo {
    page_info(edges.first().map(&cursor), edges.last().map(&cursor), more)
}

/// A keyset position: a timestamp and an id, or a sequence number.
#[derive(Clone, Debug, PartialEq)]
pub enum Position {
    /// Ordered by `(created_at, id)`.
    TimeId(NaiveDateTime, String),
    /// Ordered by a sequence number.
    Seq(i64),
    /// Ordered by score descending, then id ascending (matching).
    ScoreId(i64, String),
}

const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes a position as an opaque cursor.
pub fn encode(p: &Position) -> String {
    let raw = match p {
        Position::TimeId(t, id) => format!("t:{}:{id}", t.and_utc().timestamp_micros()),
        Position::Seq(n) => format!("s:{n}"),
        Position::ScoreId(score, id) => format!("m:{score}:{id}"),
    };
    ENGINE.encode(raw)
}

/// Decodes a cursor made by [`encode`].
pub fn decode(cursor: &str) -> AppResult<Position> {
    let bad = || AppError::bad_input("after", "not a cursor returned by this API");
    let raw = String::from_utf8(ENGINE.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
    let mut parts = raw.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("t"), Some(micros), Some(id)) => {
            let micros: i64 = micros.parse().map_err(|_| bad())?;
            let t = chrono::DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
            Ok(Position::TimeId(t.naive_utc(), id.to_string()))
        }
        (Some("m"), Some(score), Some(id)) => Ok(Position::ScoreId(
            score.parse().map_err(|_| bad())?,
            id.to_string(),
        )),
        (Some("s"), Some(n), None) => Ok(Position::Seq(n.parse().map_err(|_| bad())?)),
        _ => Err(bad()),
    }
}

/// The `(created_at, id)` position of an `after` cursor of a list kept in
/// that order; `what` names the list in the error.
pub fn after_time_id(
    after: Option<String>,
    what: &str,
) -> AppResult<Option<(NaiveDateTime, String)>> {
    if after.as_ref().is_some_and(|a| a.len() > 200) {
        return Err(AppError::bad_input(
            "after",
            "not a cursor returned by this API",
        ));
    }
    match after.as_deref().map(decode).transpose()? {
        Some(Position::TimeId(t, id)) => Ok(Some((t, id))),
        Some(_) => Err(AppError::bad_input("after", format!("not a {what} cursor"))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let t = chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .unwrap()
            .naive_utc();
        let p = Position::TimeId(t, "abc-def".into());
        assert_eq!(decode(&encode(&p)).unwrap(), p);
        assert_eq!(
            decode(&encode(&Position::Seq(42))).unwrap(),
            Position::Seq(42)
        );
        assert!(decode("!!!").is_err());
        assert!(decode(&ENGINE.encode("x:1")).is_err());
        assert!(page_size(Some(101), 100).is_err());
        assert_eq!(page_size(None, 100).unwrap(), 20);
    }
}
