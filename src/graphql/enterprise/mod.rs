//! Micro-enterprise projects (ENTERPRISE slice: IOM writes, MINTRAB
//! reads, as the matrix says): `enterpriseProjects`,
//! `proposeEnterpriseProject`, `moveEnterpriseProject`, `addProjectNote`,
//! and `Migrant.enterpriseProjects`. Lists start from the scoped base
//! query (`db::scope::visible_projects`).

pub mod mutations;
pub mod project;
pub mod queries;
