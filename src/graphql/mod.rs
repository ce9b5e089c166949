//! The GraphQL schema, split by area; this module assembles it.

pub mod access;
pub mod assistance;
pub mod audit;
pub mod board;
pub mod consent;
pub mod cost;
pub mod emergency;
pub mod enterprise;
pub mod events;
pub mod flights;
pub mod institutions;
pub mod labour;
pub mod loaders;
pub mod manifest;
pub mod me;
pub mod migrant;
pub mod migrant_input;
pub mod migrant_mutation;
pub mod migrant_query;
pub mod money;
pub mod node;
pub mod occupations;
pub mod pagination;
pub mod prefetch;
pub mod reception;
pub mod records;
pub mod reference;
pub mod scalars;
pub mod sdl;
pub mod skills;
pub mod stats;
pub mod studies;
pub mod subject;
pub mod subscriptions;
pub mod training;
pub mod visibility;
pub mod write;

use async_graphql::{Context, MergedObject, SDLExportOptions, Schema};

use crate::auth::Identity;
use crate::config::Settings;
use crate::db::DbPool;
use crate::error::{AppError, AppResult};

/// Root query: the union of every area's queries.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    me::MeQuery,
    reference::ReferenceQuery,
    institutions::InstitutionQuery,
    migrant_query::MigrantQuery,
    audit::AuditQueryRoot,
    flights::FlightQueryRoot,
    labour::employers::EmployerQuery,
    labour::vacancies::VacancyQueryRoot,
    labour::matches::MatchQuery,
    labour::referrals::ReferralQuery,
    training::courses::CourseQueryRoot,
    training::enrolments::EnrolmentQuery,
    training::matches::CourseMatchQuery,
    enterprise::queries::ProjectQueryRoot,
    node::NodeQuery,
    emergency::EmergencyQuery,
    subject::SubjectQuery,
    occupations::OccupationQuery,
    stats::StatsQuery,
    studies::education::FieldsQuery,
    studies::programs::ProgramQuery,
    studies::applications::ApplicationQueryRoot,
    studies::matches::PlacementQuery,
    studies::csv::CsvQuery,
);

/// Root mutation: the union of every area's mutations.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    institutions::InstitutionMutation,
    migrant_mutation::MigrantMutation,
    consent::ConsentMutation,
    flights::FlightMutation,
    assistance::AssistanceMutation,
    reception::ReceptionMutation,
    manifest::ManifestMutation,
    emergency::EmergencyMutation,
    subject::SubjectMutation,
    labour::employers::EmployerMutation,
    labour::vacancies::VacancyMutation,
    labour::referrals::ReferralMutation,
    studies::education::EducationMutation,
    studies::programs::ProgramMutation,
    studies::applications::ApplicationMutation,
    training::courses::CourseMutation,
    training::enrolments::EnrolmentMutation,
    enterprise::mutations::ProjectMutation,
);

/// The executable schema type.
pub type AppSchema = Schema<QueryRoot, MutationRoot, subscriptions::SubscriptionRoot>;

/// Per-request data: who is calling, and the request id for logs and audit.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// The verified caller.
    pub identity: Identity,
    /// Correlates logs and audit events of one HTTP request.
    pub request_id: String,
}

const DATE_TIME: &str = "An instant as an RFC 3339 date-time with offset, e.g. `2026-11-29T15:04:05Z`; answers are in UTC.";

/// Builds the schema with its limits; `main`, tests and `export-schema` share it.
pub fn build_schema(pool: DbPool, settings: Settings, events: events::EventBus) -> AppSchema {
    let limits = settings.limits.clone();
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscriptions::SubscriptionRoot,
    )
    .data(pool)
    .data(settings)
    .data(events)
    // The public schema names no implementation type (chrono's `Utc`).
    .override_output_type_description::<chrono::DateTime<chrono::Utc>>(DATE_TIME)
    .override_input_type_description::<chrono::DateTime<chrono::Utc>>(DATE_TIME)
    // Depth is checked by the gateway (`gateway::depth`), which lets the
    // standard introspection query through; this bounds the validator's
    // own recursion against documents no limit there could reach.
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .limit_directives(8)
    .finish()
}

/// The SDL written to `schema.graphql`: the full contract, scalars with
/// the `@specifiedBy` URL that introspection reports for them.
pub fn sdl(schema: &AppSchema) -> String {
    schema.sdl_with_options(SDLExportOptions::new().include_specified_by())
}

/// The caller of this request; every resolver starts here.
pub fn caller<'a>(ctx: &'a Context<'_>) -> AppResult<&'a RequestContext> {
    ctx.data::<RequestContext>()
        .map_err(|_| AppError::Unauthenticated("no verified caller".into()))
}

/// The shared pool.
pub fn pool<'a>(ctx: &'a Context<'_>) -> AppResult<&'a DbPool> {
    ctx.data::<DbPool>()
        .map_err(|_| AppError::Internal("pool missing from schema data".into()))
}
