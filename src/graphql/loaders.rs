//! Per-request DataLoaders: nested fields batch into one statement per level.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};

use crate::db::arrivals::{self, ArrivalRow};
use crate::db::consents::{self, ConsentRow};
use crate::db::institutions::{self, InstitutionRow};
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

/// Loads the arrivals of migrants, by migrant id.
pub struct ArrivalsLoader(pub DbPool);

impl Loader<String> for ArrivalsLoader {
    type Value = Vec<ArrivalRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ArrivalRow>>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(arrivals::for_migrants(c, &keys)?)).await?;
        Ok(group(rows, |r| r.migrant_id.clone()))
    }
}

/// Loads the consents of migrants, by migrant id; partners' loaders are
/// built with their institution so they only ever see their own consents.
pub struct ConsentsLoader {
    pool: DbPool,
    institution: Option<String>,
}

impl Loader<String> for ConsentsLoader {
    type Value = Vec<ConsentRow>;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ConsentRow>>, AppError> {
        let keys = keys.to_vec();
        let inst = self.institution.clone();
        let rows = db::run(&self.pool, move |c| {
            Ok(consents::for_migrants(c, &keys, inst.as_deref())?)
        })
        .await?;
        Ok(group(rows, |r| r.migrant_id.clone()))
    }
}

/// Loads institutions by code.
pub struct InstitutionLoader(pub DbPool);

impl Loader<String> for InstitutionLoader {
    type Value = InstitutionRow;
    type Error = AppError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, InstitutionRow>, AppError> {
        let keys = keys.to_vec();
        let rows = db::run(&self.0, move |c| Ok(institutions::by_codes(c, &keys)?)).await?;
        Ok(rows.into_iter().map(|r| (r.code.clone(), r)).collect())
    }
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// The loaders of one request, created fresh so no cache outlives it.
pub struct Loaders {
    /// Departments by code.
    pub departments: DataLoader<DepartmentLoader>,
    /// Municipalities by code.
    pub municipalities: DataLoader<MunicipalityLoader>,
    /// Municipalities of a department.
    pub department_municipalities: DataLoader<DepartmentMunicipalitiesLoader>,
    /// Arrivals of a migrant.
    pub arrivals: DataLoader<ArrivalsLoader>,
    /// Consents of a migrant (restricted to one institution for partners).
    pub consents: DataLoader<ConsentsLoader>,
    /// Institutions by code.
    pub institutions: DataLoader<InstitutionLoader>,
}

impl Loaders {
    /// New loaders over the pool; `consent_institution` restricts the
    /// consents a partner can load to its own.
    pub fn new(pool: &DbPool, consent_institution: Option<String>) -> Self {
        let spawn = actix_web::rt::spawn;
        Loaders {
            departments: DataLoader::new(DepartmentLoader(pool.clone()), spawn),
            municipalities: DataLoader::new(MunicipalityLoader(pool.clone()), spawn),
            department_municipalities: DataLoader::new(
                DepartmentMunicipalitiesLoader(pool.clone()),
                spawn,
            ),
            arrivals: DataLoader::new(ArrivalsLoader(pool.clone()), spawn),
            consents: DataLoader::new(
                ConsentsLoader {
                    pool: pool.clone(),
                    institution: consent_institution,
                },
                spawn,
            ),
            institutions: DataLoader::new(InstitutionLoader(pool.clone()), spawn),
        }
    }
}
