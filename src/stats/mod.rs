//! Statistics without disclosure: figures as tables, with small cells
//! hidden for every role outside IOM (docs/statistics.md).

pub mod suppression;
