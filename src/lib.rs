//! Reintegra: the GraphQL API of a reintegration programme for people
//! returned from the United States to Guatemala.
//!
//! Layout: `auth` (who calls), `policy` (what they may see), `db` (storage
//! for SQLite and PostgreSQL), `domain` (validated values), `graphql` (the
//! schema by area), `service` (transaction scripts of writes), `gateway` (identity, limits and audit for every
//! transport), `http` (endpoints), `cli` (the `reintegra` command).

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod gateway;
pub mod graphql;
pub mod http;
pub mod intake;
pub mod metrics;
pub mod policy;
pub mod service;
pub mod startup;
pub mod stats;
pub mod subject;
pub mod telemetry;
