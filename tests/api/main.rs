//! One test binary: every test drives the real HTTP app with real tokens,
//! on SQLite and on PostgreSQL.

mod support;

mod arrival_day;
mod attacks_input;
mod attacks_ws;
mod audit;
mod auth;
mod consent;
mod counts;
mod export;
mod health;
mod matrix;
mod me;
mod migrants;
mod migrations;
mod reference;
mod schema;
mod subscriptions;
