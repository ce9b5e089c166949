//! Reads of `migrants` that fetch only the columns a request will show.
//!
//! A person's row holds several slices (names, documents, contact, health,
//! protection…). A read names the slices it needs — those its selection
//! shows *and* the caller may read — and the columns of every other slice
//! stay in the database: a partner's list never carries another slice's
//! data through the server's memory. A column left out comes back as a
//! placeholder of its type (`''`, `NULL`, `false`, today's date), which the
//! GraphQL layer refuses to show: it checks [`Columns::covers`] before any
//! slice it resolves from the row.

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::sql_types::{Bool, Date, Integer, Nullable, SqlType, Text, Timestamp};

use super::schema::migrants;
use super::MultiBackend;
use crate::policy::Slice;

/// The slices whose data lives in `migrants`' own columns, in the order of
/// the bits of [`Columns`]. Every other slice lives in tables of its own.
const ROW_SLICES: [Slice; 7] = [
    Slice::Identity,
    Slice::Documents,
    Slice::Contact,
    Slice::Origin,
    Slice::Health,
    Slice::Skills,
    Slice::Protection,
];

/// A set of row slices to load. The id, version and timestamps are always
/// loaded: paging, cursors and optimistic concurrency need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns(u8);

impl Columns {
    /// Every column (writes, and reads that hand the row on whole).
    pub const ALL: Columns = Columns(0b111_1111);

    /// Only the id, version and timestamps.
    pub const NONE: Columns = Columns(0);

    /// The row slices among `slices` (the others have no columns here).
    pub fn of(slices: impl IntoIterator<Item = Slice>) -> Self {
        slices
            .into_iter()
            .filter_map(bit)
            .fold(Columns::NONE, |c, b| Columns(c.0 | b))
    }

    /// True when the row carries `slice`'s data: its columns were loaded,
    /// or it has none in `migrants`.
    pub fn covers(self, slice: Slice) -> bool {
        bit(slice).is_none_or(|b| self.0 & b != 0)
    }
}

fn bit(slice: Slice) -> Option<u8> {
    ROW_SLICES
        .iter()
        .position(|s| *s == slice)
        .map(|i| 1u8 << i)
}

type Column<ST> = Box<dyn BoxableExpression<migrants::table, MultiBackend, SqlType = ST>>;

/// The select clause of a migrant read, in [`super::migrants::MigrantRow`]'s
/// field order.
pub type Selection = (
    Column<Text>,
    Column<Text>,
    Column<Text>,
    Column<Text>,
    Column<Date>,
    Column<Text>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Nullable<Integer>>,
    Column<Nullable<Text>>,
    Column<Bool>,
    Column<Nullable<Text>>,
    Column<Nullable<Text>>,
    Column<Bool>,
    Column<Bool>,
    Column<Bool>,
    Column<Bool>,
    Column<Nullable<Text>>,
    Column<Integer>,
    Column<Timestamp>,
    Column<Timestamp>,
    Column<Nullable<Timestamp>>,
);

/// `column` when `load`, else the SQL `placeholder` of the same type.
fn pick<ST, C>(load: bool, column: C, placeholder: &'static str) -> Column<ST>
where
    ST: SqlType + diesel::expression::TypedExpressionType + Send + 'static,
    C: BoxableExpression<migrants::table, MultiBackend, SqlType = ST> + 'static,
{
    if load {
        Box::new(column)
    } else {
        Box::new(sql::<ST>(placeholder))
    }
}

/// The select clause loading `columns`; load it into `MigrantRow`
/// (`.select(select(c)).load::<MigrantRow>(conn)`).
pub fn select(columns: Columns) -> Selection {
    use migrants::*;
    let has = |s| columns.covers(s);
    let (idn, doc, con, ori) = (
        has(Slice::Identity),
        has(Slice::Documents),
        has(Slice::Contact),
        has(Slice::Origin),
    );
    let (hea, ski, pro) = (
        has(Slice::Health),
        has(Slice::Skills),
        has(Slice::Protection),
    );
    (
        Box::new(id),
        pick(idn, given_names, "''"),
        pick(idn, family_names, "''"),
        pick(idn, search_name, "''"),
        pick(idn, birth_date, "CURRENT_DATE"),
        pick(idn, sex, "''"),
        pick(doc, document_number, "NULL"),
        pick(doc, passport_number, "NULL"),
        pick(con, phone, "NULL"),
        pick(con, address, "NULL"),
        pick(con, relative_name, "NULL"),
        pick(con, relative_phone, "NULL"),
        pick(ori, origin_municipality_code, "NULL"),
        pick(ori, origin_department_code, "NULL"),
        pick(ski, education_level, "NULL"),
        pick(ski, years_experience, "NULL"),
        pick(ski, english_level, "NULL"),
        pick(hea, needs_medical_attention, "FALSE"),
        pick(hea, medical_conditions, "NULL"),
        pick(hea, health_notes, "NULL"),
        pick(pro, unaccompanied_minor, "FALSE"),
        pick(pro, family_separation, "FALSE"),
        pick(pro, protection_needs, "FALSE"),
        pick(pro, do_not_share, "FALSE"),
        pick(pro, protection_notes, "NULL"),
        Box::new(version),
        Box::new(created_at),
        Box::new(updated_at),
        Box::new(latest_arrival_at),
    )
}
