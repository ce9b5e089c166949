//! Scalars a client library knows by name: `Date` (an RFC 3339 full-date,
//! `YYYY-MM-DD`). `DateTime` is async-graphql's RFC 3339 scalar.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            // Exactly four-digit year, two-digit month and day: no week
            // dates, ordinals or signs that chrono would also accept.
            Value::String(s) if s.len() == 10 && s.as_bytes()[4] == b'-' => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Date)
                    .map_err(|_| InputValueError::custom("a date as YYYY-MM-DD"))
            }
            _ => Err(InputValueError::custom("a date as YYYY-MM-DD")),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}
