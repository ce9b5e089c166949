//! `migrant(id)` and `migrants(first, after, filter)`: every read starts
//! from the scoped base query.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::access::{require_read, row_filter, ReadLog};
use super::migrant::Migrant;
use super::pagination::{self, PageInfo, Position};
use super::prefetch;
use super::scalars::Date;
use super::skills::{SkillsFilter, SkillsFilterInput};
use super::{caller, pool};
use crate::db::emergency::{self, Holder};
use crate::db::migrant_columns::{select, Columns};
use crate::db::migrants::MigrantRow;
use crate::db::schema::migrants;
use crate::db::scope::{self, ScopedMigrants};
use crate::db::scope_counts;
use crate::db::{self};
use crate::domain::cui::Cui;
use crate::domain::geography::MunicipalityCode;
use crate::domain::person::{
    ArrivalStatus, ConsentPurpose, EducationLevel, EnglishLevel, NameQuery, StoredEnum,
};
use crate::error::{AppError, AppResult};
use crate::policy::{self, ConsentView, RowFilter, Slice};

/// Filters of `migrants`; each needs read access to the slice it looks at.
#[derive(InputObject, Default, Clone)]
pub struct MigrantFilter {
    /// Words of the name, accent- and case-insensitive, in any order; each
    /// matches the words of the name that start with it (`lop` finds
    /// López) (IDENTITY).
    pub name: Option<String>,
    /// Two-digit department code of origin (ORIGIN).
    pub department_code: Option<String>,
    /// Four-digit municipality code of origin (ORIGIN).
    pub municipality_code: Option<String>,
    /// Arrived on or after this date (RETURN).
    pub arrived_from: Option<Date>,
    /// Arrived on or before this date (RETURN).
    pub arrived_to: Option<Date>,
    /// Has an active consent for this purpose (CONSENT).
    pub has_active_consent: Option<ConsentPurpose>,
    /// With `hasActiveConsent`: to this institution (IOM only; partners
    /// always filter on their own consents).
    pub consent_institution: Option<String>,
    /// The person holding this CUI (DOCUMENTS).
    pub document_number: Option<String>,
    /// Records whose own fields changed at or after this instant, for
    /// keeping a partner system in step (IDENTITY).
    pub updated_since: Option<DateTime<Utc>>,
    /// An ISCO-08 code at any level (`7`, `71`, `711`, `7112`): people with
    /// an occupation in that group (SKILLS).
    pub occupation: Option<String>,
    /// Education at this level or above (SKILLS).
    pub education_at_least: Option<EducationLevel>,
    /// Speaks this language, an ISO 639-3 code such as `quc` (SKILLS).
    pub language: Option<String>,
    /// English at this level or above (SKILLS).
    pub english_at_least: Option<EnglishLevel>,
    /// Holds a certification whose name contains these words, in order,
    /// accent- and case-insensitive (SKILLS).
    pub certification: Option<String>,
}

/// A filter after validation and permission checks.
#[derive(Clone, Default)]
pub struct CheckedFilter {
    name: Option<String>,
    department: Option<String>,
    municipality: Option<String>,
    arrived: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    consent: Option<(Option<String>, &'static str)>,
    document: Option<String>,
    updated_since: Option<NaiveDateTime>,
    flight: Option<(String, Option<&'static str>)>,
    skills: SkillsFilter,
}

impl CheckedFilter {
    /// The people on a flight (a passenger list), by arrival status.
    pub fn on_flight(flight_id: String, status: Option<ArrivalStatus>) -> Self {
        CheckedFilter {
            flight: Some((flight_id, status.map(StoredEnum::stored))),
            ..Default::default()
        }
    }
}

fn check_filter(ctx: &Context<'_>, f: MigrantFilter) -> AppResult<CheckedFilter> {
    let mut out = CheckedFilter::default();
    let skills = SkillsFilterInput {
        occupation: f.occupation,
        education_at_least: f.education_at_least,
        language: f.language,
        english_at_least: f.english_at_least,
        certification: f.certification,
    };
    if skills.any() {
        require_read(ctx, Slice::Skills)?;
        out.skills = SkillsFilter::check(skills)?;
    }
    if let Some(cui) = f.document_number {
        require_read(ctx, Slice::Documents)?;
        let cui = Cui::parse(&cui).map_err(|e| AppError::bad_input("filter.documentNumber", e))?;
        out.document = Some(cui.as_str().to_string());
    }
    if let Some(t) = f.updated_since {
        require_read(ctx, Slice::Identity)?;
        out.updated_since = Some(t.naive_utc());
    }
    if let Some(name) = f.name {
        require_read(ctx, Slice::Identity)?;
        out.name = NameQuery::parse(&name)
            .map_err(|e| AppError::bad_input("filter.name", e))?
            .map(|q| q.as_str().to_string());
    }
    if f.department_code.is_some() || f.municipality_code.is_some() {
        require_read(ctx, Slice::Origin)?;
    }
    if let Some(d) = f.department_code {
        let d = d.trim().to_string();
        let ok = d.len() == 2 && d.parse::<u8>().is_ok_and(|n| (1..=22).contains(&n));
        if !ok {
            return Err(AppError::bad_input(
                "filter.departmentCode",
                "must be 01 to 22",
            ));
        }
        out.department = Some(d);
    }
    if let Some(m) = f.municipality_code {
        let m = MunicipalityCode::parse(&m)
            .map_err(|e| AppError::bad_input("filter.municipalityCode", e))?;
        out.municipality = Some(m.as_str().to_string());
    }
    if f.arrived_from.is_some() || f.arrived_to.is_some() {
        require_read(ctx, Slice::Return)?;
        out.arrived = Some((f.arrived_from.map(|d| d.0), f.arrived_to.map(|d| d.0)));
    }
    if let Some(purpose) = f.has_active_consent {
        let rc = require_read(ctx, Slice::Consent)?;
        let inst = match policy::consent_view(rc.identity.role, &rc.identity.institution.code) {
            ConsentView::All => f.consent_institution.map(|c| c.trim().to_ascii_uppercase()),
            ConsentView::Own(code) => Some(code),
        };
        out.consent = Some((inst, purpose.stored()));
    }
    Ok(out)
}

fn build(rf: &RowFilter, f: &CheckedFilter, shape: scope::Shape) -> ScopedMigrants<'static> {
    let mut q = scope::visible_as(rf, shape);
    if let Some(name) = &f.name {
        q = scope::name_matches(q, name);
    }
    if let Some(d) = &f.department {
        q = q.filter(migrants::origin_department_code.eq(d.clone()));
    }
    if let Some(m) = &f.municipality {
        q = q.filter(migrants::origin_municipality_code.eq(m.clone()));
    }
    if let Some((from, to)) = f.arrived {
        q = scope::arrived_between(q, from, to);
    }
    if let Some((inst, purpose)) = &f.consent {
        q = scope::with_consent(q, inst.clone(), purpose, rf.now);
    }
    if let Some(cui) = &f.document {
        q = q.filter(migrants::document_number.eq(cui.clone()));
    }
    if let Some(t) = f.updated_since {
        q = q.filter(migrants::updated_at.ge(t));
    }
    if let Some((flight, status)) = &f.flight {
        q = scope::on_flight(q, flight.clone(), *status);
    }
    f.skills.apply(q)
}

/// An edge of a migrant connection.
#[derive(SimpleObject)]
pub struct MigrantEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The record.
    pub node: Migrant,
}

/// A page of migrants the caller may see.
pub struct MigrantConnection {
    edges: Vec<MigrantEdge>,
    page_info: PageInfo,
    rows: RowFilter,
    filter: CheckedFilter,
}

#[Object]
impl MigrantConnection {
    /// The records of this page.
    async fn edges(&self) -> &Vec<MigrantEdge> {
        &self.edges
    }
    /// Paging state.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many records match, across all pages (only those the caller may see).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let (rows, filter) = (self.rows.clone(), self.filter.clone());
        let n = db::run(pool(ctx)?, move |c| count(c, &rows, &filter)).await?;
        Ok(n)
    }
}

/// A consent scope, unfiltered or by department, is answered from the
/// maintained counts (`db::scope_counts`); anything else counts rows.
fn count(conn: &mut db::DbConnection, rows: &RowFilter, f: &CheckedFilter) -> AppResult<i64> {
    let by_counts = f.name.is_none()
        && f.municipality.is_none()
        && f.arrived.is_none()
        && f.document.is_none()
        && f.updated_since.is_none()
        && f.flight.is_none()
        && f.skills.is_empty();
    match (rows.scope.consent_purpose(), by_counts, &f.consent) {
        (Some(purpose), true, None) => Ok(scope_counts::count(
            conn,
            &rows.institution_code,
            purpose,
            f.department.as_deref(),
            rows.now,
        )?),
        _ => Ok(build(rows, f, scope::Shape::Count)
            .count()
            .get_result(conn)?),
    }
}

fn load_page(
    conn: &mut db::DbConnection,
    rows: &RowFilter,
    filter: &CheckedFilter,
    (after, limit): (Option<Position>, i64),
    columns: Columns,
) -> AppResult<Vec<MigrantRow>> {
    let mut q = build(rows, filter, scope::Shape::Page);
    if let Some(Position::TimeId(t, id)) = after {
        q = q.filter(
            migrants::created_at
                .gt(t)
                .or(migrants::created_at.eq(t).and(migrants::id.gt(id))),
        );
    }
    Ok(scope::page(conn, q, rows, limit + 1, columns)?)
}

/// The record `id` if the caller may see it; `None` whether it does not
/// exist or is out of the caller's scope, so the two cannot be told apart.
/// Outside its rows, a role that may break the glass sees the record while
/// it holds an active emergency grant for it (and that read is flagged).
pub async fn find(ctx: &Context<'_>, id: String) -> AppResult<Option<Migrant>> {
    let rows = row_filter(ctx)?;
    let rc = caller(ctx)?;
    let holder = policy::can_open_emergency_access(rc.identity.role).then(|| Holder {
        institution_code: rc.identity.institution.code.clone(),
        subject: rc.identity.subject.clone(),
    });
    let columns = prefetch::columns(ctx, &ctx.look_ahead())?;
    let (row, grant) = db::run(pool(ctx)?, move |c| {
        let own = scope::visible(&rows)
            .filter(migrants::id.eq(&id))
            .select(select(columns))
            .first(c)
            .optional()?;
        match (own, holder) {
            (Some(row), _) => Ok((Some(row), None)),
            (None, Some(h)) => opened_in_emergency(c, &rows, &h, (id, columns)),
            (None, None) => Ok((None, None)),
        }
    })
    .await?;
    if let (Some(row), Some(grant)) = (&row, &grant) {
        reads(ctx)?.opened_in_emergency(&row.id, grant)?;
    }
    Ok(row.map(|r| Migrant::partial(r, columns)))
}

fn opened_in_emergency(
    c: &mut db::DbConnection,
    rows: &RowFilter,
    holder: &Holder,
    (id, columns): (String, Columns),
) -> AppResult<(Option<MigrantRow>, Option<String>)> {
    let row = scope::granted(rows, holder, id.clone())
        .select(select(columns))
        .first(c)
        .optional()?;
    let grant = match &row {
        Some(_) => emergency::active(c, holder, &id, rows.now)?.map(|g| g.id),
        None => None,
    };
    Ok((row, grant))
}

fn reads<'a>(ctx: &'a Context<'_>) -> AppResult<&'a Arc<ReadLog>> {
    ctx.data::<Arc<ReadLog>>()
        .map_err(|_| AppError::Internal("read log unavailable".into()))
}

/// Migrant queries.
#[derive(Default)]
pub struct MigrantQuery;

#[Object]
impl MigrantQuery {
    /// One record, or `null` with `NOT_FOUND` when it does not exist for the caller.
    async fn migrant(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Migrant>> {
        let found = find(ctx, id.0).await?;
        Ok(Some(found.ok_or(AppError::NotFound("migrant"))?))
    }

    /// Records the caller may see, oldest registration first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn migrants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<MigrantFilter>,
    ) -> Result<MigrantConnection> {
        caller(ctx)?;
        let filter = check_filter(ctx, filter.unwrap_or_default())?;
        list(ctx, first, after, filter).await
    }
}

/// One page of the caller's records matching a checked filter, with what
/// its nested fields need loaded in the same round trip.
pub async fn list(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: CheckedFilter,
) -> Result<MigrantConnection> {
    let limit = pagination::limit(ctx, first)?;
    let after = after.as_deref().map(pagination::decode).transpose()?;
    let rows = row_filter(ctx)?;
    let (r, f) = (rows.clone(), filter.clone());
    let node = ctx.look_ahead().field("edges").field("node");
    let (plan, columns) = (prefetch::plan(ctx, &node)?, prefetch::columns(ctx, &node)?);
    // The page and everything its nested fields need, in one round trip.
    let (page, has_next_page, nested) = db::run(pool(ctx)?, move |c| {
        let page = load_page(c, &r, &f, (after, limit), columns)?;
        let (page, more) = pagination::cut(page, limit);
        let nested = plan.load(c, &page)?;
        Ok((page, more, nested))
    })
    .await?;
    let loaders =
        super::loaders::of(ctx).map_err(|_| AppError::Internal("loaders missing".into()))?;
    nested.feed(loaders).await;
    let edges: Vec<MigrantEdge> = page
        .into_iter()
        .map(|row| MigrantEdge {
            cursor: pagination::encode(&Position::TimeId(row.created_at, row.id.clone())),
            node: Migrant::partial(row, columns),
        })
        .collect();
    let page_info = pagination::page_info(
        edges.first().map(|e| &e.cursor),
        edges.last().map(|e| &e.cursor),
        has_next_page,
    );
    Ok(MigrantConnection {
        edges,
        page_info,
        rows,
        filter,
    })
}
