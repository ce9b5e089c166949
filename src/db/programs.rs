//! University programme rows and their intakes. No personal data here.
//! Seats are taken and freed per intake with conditional UPDATEs.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{program_intakes as i, university_programs as p};
use super::{DbConnection, MultiBackend};

/// A programme row. `languages` is a JSON array of ISO 639-3 codes.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = p)]
#[diesel(treat_none_as_null = true)]
pub struct ProgramRow {
    pub id: String,
    pub university_code: String,
    pub name: String,
    pub faculty: String,
    /// Stored `ProgramLevel`.
    pub level: String,
    /// ISCED-F 2013 broad field.
    pub field_code: String,
    /// Stored `Modality`.
    pub modality: String,
    pub campus_municipality_code: String,
    pub campus_department_code: String,
    pub seats_per_intake: i32,
    /// Stored `EducationLevel`.
    pub min_education: String,
    pub languages: String,
    /// Yearly tuition in centavos (GTQ).
    pub tuition_centavos: Option<i64>,
    pub scholarships_offered: bool,
    pub active: bool,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One intake of a programme: its start date and seats.
#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = i)]
pub struct IntakeRow {
    pub id: String,
    pub program_id: String,
    pub starts_on: NaiveDate,
    pub seats: i32,
    pub seats_taken: i32,
}

/// One programme by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ProgramRow>> {
    p::table
        .find(id)
        .select(ProgramRow::as_select())
        .first(conn)
        .optional()
}

/// The programmes `ids` (one statement).
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ProgramRow>> {
    p::table
        .filter(p::id.eq_any(ids))
        .select(ProgramRow::as_select())
        .load(conn)
}

/// Inserts programmes and intakes, in batches.
pub fn insert(
    conn: &mut DbConnection,
    programs: &[ProgramRow],
    intakes: &[IntakeRow],
) -> QueryResult<()> {
    for chunk in programs.chunks(200) {
        crate::insert_batch!(conn, p::table, chunk)?;
    }
    for chunk in intakes.chunks(500) {
        crate::insert_batch!(conn, i::table, chunk)?;
    }
    Ok(())
}

/// Writes `row` if the stored version is `expected`; false when stale.
pub fn update_if_version(
    conn: &mut DbConnection,
    row: &ProgramRow,
    expected: i32,
) -> QueryResult<bool> {
    let n = diesel::update(
        p::table
            .filter(p::id.eq(&row.id))
            .filter(p::version.eq(expected)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// The intakes of the programmes `ids`, by programme, earliest first.
pub fn intakes_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<HashMap<String, Vec<IntakeRow>>> {
    let rows: Vec<IntakeRow> = i::table
        .filter(i::program_id.eq_any(ids))
        .order((i::program_id, i::starts_on))
        .select(IntakeRow::as_select())
        .load(conn)?;
    let mut out: HashMap<String, Vec<IntakeRow>> =
        ids.iter().map(|k| (k.clone(), vec![])).collect();
    for r in rows {
        out.entry(r.program_id.clone()).or_default().push(r);
    }
    Ok(out)
}

/// One intake by id.
pub fn intake(conn: &mut DbConnection, id: &str) -> QueryResult<Option<IntakeRow>> {
    i::table
        .find(id)
        .select(IntakeRow::as_select())
        .first(conn)
        .optional()
}

/// Takes one seat of an intake with a conditional UPDATE, so concurrent
/// admissions can never take more seats than there are. False when full.
pub fn take_seat(conn: &mut DbConnection, intake_id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        i::table
            .filter(i::id.eq(intake_id))
            .filter(i::seats_taken.lt(i::seats)),
    )
    .set(i::seats_taken.eq(i::seats_taken + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Frees one seat of an intake (an admission withdrawn).
pub fn free_seat(conn: &mut DbConnection, intake_id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        i::table
            .filter(i::id.eq(intake_id))
            .filter(i::seats_taken.gt(0)),
    )
    .set(i::seats_taken.eq(i::seats_taken - 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the programme list, already validated.
#[derive(Clone, Debug, Default)]
pub struct ProgramQuery {
    pub university_code: Option<String>,
    pub level: Option<String>,
    pub field_code: Option<String>,
    pub modality: Option<String>,
    pub department_code: Option<String>,
    pub active: Option<bool>,
}

fn filtered(q: &ProgramQuery) -> p::BoxedQuery<'static, MultiBackend> {
    let mut b = p::table.into_boxed();
    if let Some(u) = &q.university_code {
        b = b.filter(p::university_code.eq(u.clone()));
    }
    if let Some(l) = &q.level {
        b = b.filter(p::level.eq(l.clone()));
    }
    if let Some(f) = &q.field_code {
        b = b.filter(p::field_code.eq(f.clone()));
    }
    if let Some(m) = &q.modality {
        b = b.filter(p::modality.eq(m.clone()));
    }
    if let Some(d) = &q.department_code {
        b = b.filter(p::campus_department_code.eq(d.clone()));
    }
    if let Some(a) = q.active {
        b = b.filter(p::active.eq(a));
    }
    b
}

/// A page of programmes, oldest first, after a keyset position, and the
/// total matching the filter.
pub fn page(
    conn: &mut DbConnection,
    q: &ProgramQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<(Vec<ProgramRow>, i64)> {
    let total = filtered(q).count().get_result(conn)?;
    let mut b = filtered(q);
    if let Some((t, id)) = after {
        b = b.filter(
            p::created_at
                .gt(t)
                .or(p::created_at.eq(t).and(p::id.gt(id))),
        );
    }
    let rows = b
        .order((p::created_at, p::id))
        .limit(limit)
        .select(ProgramRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Up to `limit` active programmes, of one university when given, lowest
/// id first (placement of one person).
pub fn active(
    conn: &mut DbConnection,
    university: Option<String>,
    limit: i64,
) -> QueryResult<Vec<ProgramRow>> {
    let mut b = p::table.into_boxed().filter(p::active.eq(true));
    if let Some(u) = university {
        b = b.filter(p::university_code.eq(u));
    }
    b.order(p::id)
        .limit(limit)
        .select(ProgramRow::as_select())
        .load(conn)
}
