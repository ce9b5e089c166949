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
mod emergency;
mod enterprise;
mod export;
mod graphiql;
mod health;
mod http_protocol;
mod labour;
mod matching;
mod matrix;
mod me;
mod migrants;
mod migrations;
mod node;
mod passengers;
mod reference;
mod referrals;
mod schema;
mod skills;
mod skills_migration;
mod subject;
mod subscriptions;
mod training;
