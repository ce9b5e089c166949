//! One test binary: every test drives the real HTTP app with real tokens,
//! on SQLite and on PostgreSQL.

mod support;

mod auth;
mod health;
mod matrix;
mod me;
mod reference;
mod schema;
