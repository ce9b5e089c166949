//! Per-request DataLoaders: nested fields batch into one statement per level.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};

use crate::db::reference::{self, DepartmentRow, MunicipalityRow};
use crate::db::{self, DbPool};
use crate::error::AppError;

/// Loads departments by code.
pub struct DepartmentLoader(pub DbPool);
/// Loads municipalities by code.
pub struct MunicipalityLoader(pub DbPool);
/// Loads the municipalities of departments, by department code.
pub struct DepartmentMunicipalitiesLoader(pub DbPool);

impl Loader<String> for DepartmentLoader {
    type Value = DepartmentRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, DepartmentRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::departments_by_code(c, &keys)?)
        })
        .await?;
        Ok(rows.into_iter().map(|r| (r.code.clone(), r)).collect())
    }
}

impl Loader<String> for MunicipalityLoader {
    type Value = MunicipalityRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, MunicipalityRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::municipalities_by_code(c, &keys)?)
        })
        .await?;
        Ok(rows.into_iter().map(|r| (r.code.clone(), r)).collect())
    }
}

impl Loader<String> for DepartmentMunicipalitiesLoader {
    type Value = Vec<MunicipalityRow>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, Vec<MunicipalityRow>>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| {
            Ok(reference::municipalities_of(c, &keys)?)
        })
        .await?;
        let mut out: HashMap<String, Vec<MunicipalityRow>> = HashMap::new();
        for row in rows {
            out.entry(row.department_code.clone())
                .or_default()
                .push(row);
        }
        Ok(out)
    }
}

/// The loaders of one request, created fresh so no cache outlives it.
pub struct Loaders {
    /// Departments by code.
    pub departments: DataLoader<DepartmentLoader>,
    /// Municipalities by code.
    pub municipalities: DataLoader<MunicipalityLoader>,
    /// Municipalities of a department.
    pub department_municipalities: DataLoader<DepartmentMunicipalitiesLoader>,
}

impl Loaders {
    /// New loaders over the pool.
    pub fn new(pool: &DbPool) -> Self {
        let spawn = actix_web::rt::spawn;
        Loaders {
            departments: DataLoader::new(DepartmentLoader(pool.clone()), spawn),
            municipalities: DataLoader::new(MunicipalityLoader(pool.clone()), spawn),
            department_municipalities: DataLoader::new(
                DepartmentMunicipalitiesLoader(pool.clone()),
                spawn,
            ),
        }
    }
}
