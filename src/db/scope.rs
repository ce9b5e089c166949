//! The one scoped base query of migrant data. Every read of migrants —
//! lookups, lists, counts, filters, matching — starts here, so a new query
//! cannot forget the caller's row scope.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp};

use super::consents::active_at;
use super::emergency::Holder;
use super::migrant_columns::{select, Columns};
use super::migrants::MigrantRow;
use super::schema::{
    arrivals, consents, emergency_accesses, enterprise_projects, migrant_certifications,
    migrant_languages, migrant_occupations, migrants,
};
use super::{name_words, DbConnection, MultiBackend};
use crate::policy::{RowFilter, RowScope};

/// A boxed query over `migrants`, already restricted to the caller's rows.
pub type ScopedMigrants<'a> = migrants::BoxedQuery<'a, MultiBackend>;

/// How the scope's subquery is shaped. Same rows either way: a page walks
/// migrants in order and probes the consent index per row (stops after one
/// page); a count is driven from the consent index instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Lists, lookups, filters: correlated EXISTS.
    Page,
    /// `totalCount`: uncorrelated IN.
    Count,
}

/// Applies the caller's row rule to a boxed query whose FROM clause holds
/// `migrants` (alone, or joined with a table of person data). One macro,
/// so the rule is spelled out once whatever the query's FROM clause: the
/// migrants list and the lists of a slice's own records filter the same
/// way.
macro_rules! restrict_to_rows {
    ($query:expr, $filter:expr, $shape:expr) => {{
        let (q, f, shape): (_, &RowFilter, Shape) = ($query, $filter, $shape);
        // Do-not-share records exist for IOM roles only, whatever the consents.
        let shared = migrants::do_not_share.eq(false);
        match f.scope {
            RowScope::All => q,
            RowScope::Nothing => q.filter(sql::<Bool>("1 = 0")),
            RowScope::RecentArrivals => q
                .filter(shared)
                .filter(migrants::latest_arrival_at.ge(f.minex_cutoff))
                .filter(migrants::latest_arrival_at.le(f.now)),
            RowScope::EmploymentConsent | RowScope::EducationConsent => {
                let purpose = f.scope.consent_purpose().unwrap_or("");
                let active = consents::table
                    .filter(consents::institution_code.eq(f.institution_code.clone()))
                    .filter(consents::purpose.eq(purpose))
                    .filter(active_at(f.now));
                match shape {
                    Shape::Page => q
                        .filter(shared)
                        .filter(exists(active.filter(consents::migrant_id.eq(migrants::id)))),
                    Shape::Count => q
                        .filter(shared)
                        .filter(migrants::id.eq_any(active.select(consents::migrant_id))),
                }
            }
        }
    }};
}

/// The caller's rows: the only way to start a query of migrants.
pub fn visible(f: &RowFilter) -> ScopedMigrants<'static> {
    visible_as(f, Shape::Page)
}

/// [`visible`], shaped for the query at hand (see [`Shape`]).
pub fn visible_as(f: &RowFilter, shape: Shape) -> ScopedMigrants<'static> {
    restrict_to_rows!(migrants::table.into_boxed(), f, shape)
}

/// Micro-enterprise projects joined with their people, restricted to the
/// caller's rows (the same rule as [`visible`]).
pub type ScopedProjects<'a> = diesel::helper_types::IntoBoxed<
    'a,
    diesel::helper_types::InnerJoin<enterprise_projects::table, migrants::table>,
    MultiBackend,
>;

/// The projects of the caller's rows: lists of ENTERPRISE records start here.
pub fn visible_projects(f: &RowFilter) -> ScopedProjects<'static> {
    let joined = enterprise_projects::table
        .inner_join(migrants::table)
        .into_boxed();
    restrict_to_rows!(joined, f, Shape::Page)
}

/// Occupation rows joined with their people, restricted to the caller's
/// rows (the same rule as [`visible`]).
pub type ScopedOccupations<'a> = diesel::helper_types::IntoBoxed<
    'a,
    diesel::helper_types::InnerJoin<migrant_occupations::table, migrants::table>,
    MultiBackend,
>;

/// The occupation rows of the caller's rows: matching reads its strata
/// from here, driven by the occupation indexes.
pub fn visible_occupations(f: &RowFilter) -> ScopedOccupations<'static> {
    let joined = migrant_occupations::table
        .inner_join(migrants::table)
        .into_boxed();
    restrict_to_rows!(joined, f, Shape::Page)
}

/// The people a caller *followed* at some moment of `[start, end)`: the
/// statistics form of [`visible`], the same rule stretched over a period
/// (docs/statistics.md). MINEX followed whoever arrived within its window
/// of the period; a consent scope, whoever had such a consent active at
/// some moment of it. Records hidden from partners by a protection flag
/// stay out; records hidden only by erasure stay in, because erasure
/// (which revokes consents and hides the record at one instant) must not
/// change any figure. A condition on `migrants`, joined by the caller.
pub fn followed<QS: 'static>(
    f: &RowFilter,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>> {
    // Written as SQL so it applies to any statement joining `migrants`.
    const SHARED: &str = "(migrants.do_not_share = false \
         OR migrants.id IN (SELECT erasures.migrant_id FROM erasures))";
    match f.scope {
        RowScope::All => Box::new(sql::<Bool>("1 = 1")),
        RowScope::Nothing => Box::new(sql::<Bool>("1 = 0")),
        RowScope::RecentArrivals => Box::new(
            sql::<Bool>(SHARED)
                .sql(
                    " AND migrants.id IN (SELECT a.migrant_id FROM arrivals a \
                      WHERE a.status = 'ARRIVED' AND a.arrived_at >= ",
                )
                .bind::<Timestamp, _>(start - (f.now - f.minex_cutoff))
                .sql(" AND a.arrived_at < ")
                .bind::<Timestamp, _>(end)
                .sql(")"),
        ),
        RowScope::EmploymentConsent | RowScope::EducationConsent => Box::new(
            sql::<Bool>(SHARED)
                .sql(
                    " AND migrants.id IN (SELECT c.migrant_id FROM consents c \
                      WHERE c.institution_code = ",
                )
                .bind::<Text, _>(f.institution_code.clone())
                .sql(" AND c.purpose = ")
                .bind::<Text, _>(f.scope.consent_purpose().unwrap_or(""))
                .sql(" AND c.granted_at < ")
                .bind::<Timestamp, _>(end)
                .sql(" AND (c.revoked_at IS NULL OR c.revoked_at > ")
                .bind::<Timestamp, _>(start)
                .sql(") AND (c.expires_at IS NULL OR c.expires_at > ")
                .bind::<Timestamp, _>(start)
                .sql("))"),
        ),
    }
}

/// The one record `id` opened by an emergency grant of `holder` active at
/// `f.now`: the grant replaces the row rule for this record only, and a
/// do-not-share record stays closed to every role outside IOM.
pub fn granted(f: &RowFilter, holder: &Holder, id: String) -> ScopedMigrants<'static> {
    let grant = emergency_accesses::table
        .filter(emergency_accesses::migrant_id.eq(migrants::id))
        .filter(emergency_accesses::institution_code.eq(holder.institution_code.clone()))
        .filter(emergency_accesses::subject.eq(holder.subject.clone()))
        .filter(emergency_accesses::expires_at.gt(f.now));
    let q = migrants::table
        .into_boxed()
        .filter(migrants::id.eq(id))
        .filter(exists(grant));
    match f.scope {
        RowScope::All => q,
        RowScope::Nothing => q.filter(sql::<Bool>("1 = 0")),
        _ => q.filter(migrants::do_not_share.eq(false)),
    }
}

/// Reads one page of `q` in registration order (`created_at`, `id`, the
/// keyset), `limit` rows, with the `columns` the caller will show. Most
/// scopes walk the registration index and stop after a page. MINEX's
/// window is different: its people are found by the window index, and
/// sorting their full rows to cut a page costs ~100 ms at a million
/// people; so the window's ids are sorted from a covering index alone
/// (`migrants_window_idx`) and only the page's rows are then read (two
/// statements, whatever the page size).
pub fn page(
    conn: &mut DbConnection,
    q: ScopedMigrants<'static>,
    f: &RowFilter,
    limit: i64,
    columns: Columns,
) -> QueryResult<Vec<MigrantRow>> {
    if f.scope != RowScope::RecentArrivals {
        let ordered = q.order((migrants::created_at, migrants::id)).limit(limit);
        return ordered.select(select(columns)).load(conn);
    }
    // PostgreSQL would walk the registration index and filter, expecting
    // the window's people spread evenly over it; they are not (a returnee
    // registered years ago arrives again today): 570 ms a page at a million
    // people. Ordering by an expression that index cannot give makes it
    // read the window from its own index and keep the first rows (10 ms).
    let ordered = match conn {
        DbConnection::Pg(_) => q.order((
            sql::<Timestamp>("migrants.created_at + INTERVAL '0 seconds'"),
            migrants::id,
        )),
        DbConnection::Sqlite(_) => q.order((migrants::created_at, migrants::id)),
    };
    // Two statements: the multi-backend cannot nest a boxed subquery.
    let ids: Vec<String> = ordered.limit(limit).select(migrants::id).load(conn)?;
    migrants::table
        .filter(migrants::id.eq_any(ids))
        .order((migrants::created_at, migrants::id))
        .select(select(columns))
        .load(conn)
}

/// Restricts to people with an arrival in `[from, to]` (dates inclusive).
pub fn arrived_between(
    q: ScopedMigrants<'static>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ScopedMigrants<'static> {
    // Open ends use four-digit-year bounds: they sort correctly both as
    // PostgreSQL timestamps and as SQLite text (NaiveDateTime::MIN/MAX do not).
    let floor = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let ceiling = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
    let start = from.unwrap_or(floor).and_time(chrono::NaiveTime::MIN);
    let end = to
        .and_then(|d| d.succ_opt())
        .unwrap_or(ceiling)
        .and_time(chrono::NaiveTime::MIN);
    q.filter(exists(
        arrivals::table
            .filter(arrivals::migrant_id.eq(migrants::id))
            .filter(arrivals::status.eq("ARRIVED"))
            .filter(arrivals::arrived_at.ge(start))
            .filter(arrivals::arrived_at.lt(end)),
    ))
}

/// Restricts to the people on flight `flight_id` (its manifest or
/// registered at reception), optionally in one arrival status.
pub fn on_flight(
    q: ScopedMigrants<'static>,
    flight_id: String,
    status: Option<&'static str>,
) -> ScopedMigrants<'static> {
    let on = arrivals::table
        .filter(arrivals::migrant_id.eq(migrants::id))
        .filter(arrivals::flight_id.eq(flight_id));
    match status {
        Some(s) => q.filter(exists(on.filter(arrivals::status.eq(s)))),
        None => q.filter(exists(on)),
    }
}

/// Restricts to people with an active consent of `purpose` to `institution`.
pub fn with_consent(
    q: ScopedMigrants<'static>,
    institution: Option<String>,
    purpose: &'static str,
    now: NaiveDateTime,
) -> ScopedMigrants<'static> {
    let active = consents::table
        .filter(consents::migrant_id.eq(migrants::id))
        .filter(consents::purpose.eq(purpose))
        .filter(active_at(now));
    match institution {
        Some(code) => q.filter(exists(active.filter(consents::institution_code.eq(code)))),
        None => q.filter(exists(active)),
    }
}

/// Restricts to people whose name has, for every folded word of
/// `folded_query`, a word starting with it ([`name_words::restrict`]).
pub fn name_matches(q: ScopedMigrants<'static>, folded_query: &str) -> ScopedMigrants<'static> {
    name_words::restrict(q, folded_query)
}

/// The smallest digit string above every code starting with `prefix`
/// ("71" → "72", "79" → "8"); none when `prefix` is all nines. Digits
/// compare alike in every collation, so the range is the same on both
/// backends and walks the code index.
pub fn after_prefix(prefix: &str) -> Option<String> {
    let kept = prefix.trim_end_matches('9');
    let last = kept.bytes().last()?;
    Some(format!(
        "{}{}",
        &kept[..kept.len() - 1],
        char::from(last + 1)
    ))
}

/// Restricts to people with an occupation in ISCO-08 group `group` (a
/// validated code of 1 to 4 digits): unit codes under a group start with it.
pub fn with_occupation(q: ScopedMigrants<'static>, group: &str) -> ScopedMigrants<'static> {
    let under = migrant_occupations::table
        .filter(migrant_occupations::migrant_id.eq(migrants::id))
        .filter(migrant_occupations::isco_code.ge(group.to_string()));
    match after_prefix(group) {
        Some(end) => q.filter(exists(under.filter(migrant_occupations::isco_code.lt(end)))),
        None => q.filter(exists(under)),
    }
}

/// Restricts to people who speak the language `code` (ISO 639-3).
pub fn speaking(q: ScopedMigrants<'static>, code: &'static str) -> ScopedMigrants<'static> {
    q.filter(exists(
        migrant_languages::table
            .filter(migrant_languages::code.eq(code))
            .filter(migrant_languages::migrant_id.eq(migrants::id)),
    ))
}

/// Restricts to people holding a certification whose folded name matches
/// `pattern` (a LIKE pattern built from folded, alphanumeric words).
pub fn certified(q: ScopedMigrants<'static>, pattern: String) -> ScopedMigrants<'static> {
    q.filter(exists(
        migrant_certifications::table
            .filter(migrant_certifications::migrant_id.eq(migrants::id))
            .filter(migrant_certifications::search_name.like(pattern)),
    ))
}

#[cfg(test)]
mod tests {
    use super::after_prefix;

    #[test]
    fn prefix_ranges() {
        assert_eq!(after_prefix("71").as_deref(), Some("72"));
        assert_eq!(after_prefix("7112").as_deref(), Some("7113"));
        assert_eq!(after_prefix("79").as_deref(), Some("8"));
        assert_eq!(after_prefix("0").as_deref(), Some("1"));
        assert_eq!(after_prefix("99"), None);
    }
}
