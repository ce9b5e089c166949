//! Reference data rows: departments and municipalities (INE codes).

use diesel::prelude::*;

use super::schema::{departments, municipalities};
use super::DbConnection;

/// A department row.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = departments)]
pub struct DepartmentRow {
    /// Two-digit INE code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// ISO 3166-2 code.
    pub iso_code: String,
}

/// A municipality row.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = municipalities)]
pub struct MunicipalityRow {
    /// Four-digit INE code (department + number).
    pub code: String,
    /// Two-digit department code.
    pub department_code: String,
    /// Official name.
    pub name: String,
}

/// Every department, by code.
pub fn all_departments(conn: &mut DbConnection) -> QueryResult<Vec<DepartmentRow>> {
    departments::table
        .order(departments::code)
        .select(DepartmentRow::as_select())
        .load(conn)
}

/// Departments with the given codes (one statement for any number).
pub fn departments_by_code(
    conn: &mut DbConnection,
    codes: &[String],
) -> QueryResult<Vec<DepartmentRow>> {
    departments::table
        .filter(departments::code.eq_any(codes))
        .select(DepartmentRow::as_select())
        .load(conn)
}

/// Municipalities of the given departments (one statement), by code.
pub fn municipalities_of(
    conn: &mut DbConnection,
    department_codes: &[String],
) -> QueryResult<Vec<MunicipalityRow>> {
    municipalities::table
        .filter(municipalities::department_code.eq_any(department_codes))
        .order(municipalities::code)
        .select(MunicipalityRow::as_select())
        .load(conn)
}

/// Municipalities with the given codes (one statement).
pub fn municipalities_by_code(
    conn: &mut DbConnection,
    codes: &[String],
) -> QueryResult<Vec<MunicipalityRow>> {
    municipalities::table
        .filter(municipalities::code.eq_any(codes))
        .select(MunicipalityRow::as_select())
        .load(conn)
}
