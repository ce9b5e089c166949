//! Reference data: departments and municipalities with their INE codes.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};

use super::{caller, pool};
use crate::db::{self, reference};
use crate::error::AppError;

/// A department of Guatemala.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Department {
    /// Two-digit INE code (`13`).
    pub code: String,
    /// Official name (`Huehuetenango`).
    pub name: String,
    /// ISO 3166-2 code (`GT-13`).
    pub iso_code: String,
}

#[ComplexObject]
impl Department {
    /// The department's municipalities, by code.
    #[graphql(complexity = "super::cost::MUNICIPALITIES_PER_DEPARTMENT * child_complexity + 1")]
    async fn municipalities(&self, ctx: &Context<'_>) -> Result<Vec<Municipality>> {
        let loaders = super::loaders::of(ctx)?;
        let rows = loaders
            .department_municipalities
            .load_one(self.code.clone())
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Municipality::from)
            .collect())
    }
}

impl From<reference::DepartmentRow> for Department {
    fn from(r: reference::DepartmentRow) -> Self {
        Department {
            code: r.code,
            name: r.name,
            iso_code: r.iso_code,
        }
    }
}

/// A municipality of Guatemala.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Municipality {
    /// Four-digit INE code (`1301`).
    pub code: String,
    /// Official name.
    pub name: String,
    /// Department code, resolved through `department`.
    #[graphql(skip)]
    pub department_code: String,
}

#[ComplexObject]
impl Municipality {
    /// The department the municipality belongs to.
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        let loaders = super::loaders::of(ctx)?;
        let row = loaders
            .departments
            .load_one(self.department_code.clone())
            .await?;
        Ok(row
            .map(Department::from)
            .ok_or(AppError::NotFound("department"))?)
    }
}

impl From<reference::MunicipalityRow> for Municipality {
    fn from(r: reference::MunicipalityRow) -> Self {
        Municipality {
            code: r.code,
            name: r.name,
            department_code: r.department_code,
        }
    }
}

/// Reference-data queries.
#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Guatemala's 22 departments (each with its municipalities).
    #[graphql(complexity = "super::cost::DEPARTMENTS * child_complexity + 1")]
    async fn departments(&self, ctx: &Context<'_>) -> Result<Vec<Department>> {
        caller(ctx)?;
        let rows = db::run(pool(ctx)?, |c| Ok(reference::all_departments(c)?)).await?;
        Ok(rows.into_iter().map(Department::from).collect())
    }
}
