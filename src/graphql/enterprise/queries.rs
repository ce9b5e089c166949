//! `enterpriseProjects`: the projects of the people in the caller's rows.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use super::project::{project, EnterpriseProject};
use crate::db::enterprise::{self, ProjectQuery};
use crate::db::{self};
use crate::domain::enterprise::ProjectStatus;
use crate::domain::person::StoredEnum;
use crate::error::AppResult;
use crate::graphql::access::{require_read, row_filter};
use crate::graphql::labour::inputs::place_filter;
use crate::graphql::labour::with_people;
use crate::graphql::pagination::{self, PageInfo, Position};
use crate::graphql::pool;
use crate::policy::Slice;

/// Filters of `enterpriseProjects`; all given filters apply.
#[derive(InputObject, Default)]
pub struct EnterpriseProjectFilter {
    /// With this status.
    pub status: Option<ProjectStatus>,
    /// In this municipality (four digits).
    pub municipality_code: Option<String>,
    /// In this department (two digits).
    pub department_code: Option<String>,
}

impl EnterpriseProjectFilter {
    fn validate(self) -> AppResult<ProjectQuery> {
        let (municipality_code, department_code) =
            place_filter(self.municipality_code, self.department_code)?;
        Ok(ProjectQuery {
            status: self.status.map(|s| s.stored().to_string()),
            municipality_code,
            department_code,
        })
    }
}

/// An edge of the project connection.
#[derive(SimpleObject)]
pub struct EnterpriseProjectEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The project.
    pub node: EnterpriseProject,
}

/// A page of projects, newest first.
#[derive(SimpleObject)]
pub struct EnterpriseProjectConnection {
    /// Projects of this page.
    pub edges: Vec<EnterpriseProjectEdge>,
    /// Paging state.
    pub page_info: PageInfo,
    /// Projects matching the filter among the caller's rows.
    pub total_count: i64,
}

/// Enterprise project queries.
#[derive(Default)]
pub struct ProjectQueryRoot;

#[Object]
impl ProjectQueryRoot {
    /// The micro-enterprise projects of the people in the caller's rows,
    /// newest first (ENTERPRISE).
    #[graphql(
        visible = "crate::graphql::visibility::reads_enterprise",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1"
    )]
    async fn enterprise_projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<EnterpriseProjectFilter>,
    ) -> Result<EnterpriseProjectConnection> {
        require_read(ctx, Slice::Enterprise)?;
        let limit = pagination::limit(ctx, first)?;
        let after = pagination::after_time_id(after, "project")?;
        let q = filter.unwrap_or_default().validate()?;
        let rows = row_filter(ctx)?;
        let (page, more, total_count) = db::run(pool(ctx)?, move |c| {
            let (found, total) = enterprise::page(c, &rows, &q, after, limit + 1)?;
            let (found, more) = pagination::cut(found, limit);
            Ok((
                with_people(c, &rows, found, |p| &p.migrant_id)?,
                more,
                total,
            ))
        })
        .await?;
        let mut edges = Vec::with_capacity(page.len());
        for (r, m) in page {
            let cursor = pagination::encode(&Position::TimeId(r.created_at, r.id.clone()));
            edges.push(EnterpriseProjectEdge {
                cursor,
                node: project(ctx, r, m)?,
            });
        }
        let page_info = pagination::page_info_of(&edges, |e| &e.cursor, more);
        Ok(EnterpriseProjectConnection {
            edges,
            page_info,
            total_count,
        })
    }
}
