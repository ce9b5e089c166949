//! Arrival-day intake logic shared by the GraphQL API and the CLI:
//! recognising returning people and importing flight manifests.

pub mod find;
pub mod manifest;
