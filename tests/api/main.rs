//! One test binary: every test drives the real HTTP app with real tokens,
//! on SQLite and on PostgreSQL.

mod support;

mod applications;
mod arrival_day;
mod attacks_input;
mod attacks_ws;
mod audit;
mod auth;
mod columns;
mod consent;
mod counts;
mod education;
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
mod programs;
mod reference;
mod referrals;
mod retention;
mod schema;
mod search;
mod seed;
mod skills;
mod skills_migration;
mod stats;
mod stats_admissions;
mod subject;
mod subscriptions;
mod training;
