//! `occupations`: the ISCO-08 classification, searchable and paged. It
//! holds no personal data, so any authenticated caller may read it.

use async_graphql::{Context, Object, Result, SimpleObject};
use base64::Engine;

use super::pagination::{self, PageInfo};
use super::{caller, pool};
use crate::db::occupations::{self as rows, OccupationRow, OccupationSearch};
use crate::db::{self};
use crate::domain::isco::{self, IscoLevel};
use crate::domain::person::{NameQuery, StoredEnum};
use crate::error::{AppError, AppResult};

/// A group of ISCO-08 (major, sub-major or unit group).
#[derive(Clone, Debug)]
pub struct Occupation {
    code: String,
    level: IscoLevel,
    title: String,
    parent_code: Option<String>,
}

impl From<&isco::Occupation> for Occupation {
    fn from(o: &isco::Occupation) -> Self {
        Occupation {
            code: o.code.clone(),
            level: o.level,
            title: o.title.clone(),
            parent_code: o.parent_code.clone(),
        }
    }
}

impl Occupation {
    /// The group with this code, from the embedded classification.
    pub fn lookup(code: &str) -> Option<Self> {
        isco::lookup(code).map(Occupation::from)
    }

    /// A stored unit code the classification does not hold (never written
    /// by the API, which validates codes; shown rather than failing a page).
    pub fn unknown(code: &str) -> Self {
        Occupation {
            code: code.to_string(),
            level: IscoLevel::Unit,
            title: "(not in ISCO-08)".into(),
            parent_code: None,
        }
    }

    fn from_row(r: OccupationRow) -> AppResult<Self> {
        let level = IscoLevel::from_stored(&r.level)
            .ok_or_else(|| AppError::Internal("unknown stored ISCO level".into()))?;
        Ok(Occupation {
            code: r.code,
            level,
            title: r.title,
            parent_code: r.parent_code,
        })
    }
}

#[Object]
impl Occupation {
    /// ISCO-08 code: 1 digit (major), 2 (sub-major) or 4 (unit group).
    async fn code(&self) -> &str {
        &self.code
    }
    /// Level in the classification.
    async fn level(&self) -> IscoLevel {
        self.level
    }
    /// English title.
    async fn title(&self) -> &str {
        &self.title
    }
    /// The group above; none for a major group. Resolved from the embedded
    /// classification, so it costs no query.
    async fn parent(&self) -> Option<Occupation> {
        self.parent_code.as_deref().and_then(Occupation::lookup)
    }
}

/// An edge of an occupation connection.
#[derive(SimpleObject)]
pub struct OccupationEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The group.
    pub node: Occupation,
}

/// A page of occupations, ordered by code.
pub struct OccupationConnection {
    edges: Vec<OccupationEdge>,
    page_info: PageInfo,
    search: OccupationSearch,
}

#[Object]
impl OccupationConnection {
    /// The groups of this page.
    async fn edges(&self) -> &Vec<OccupationEdge> {
        &self.edges
    }
    /// Paging state.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many groups match, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let s = self.search.clone();
        Ok(db::run(pool(ctx)?, move |c| Ok(rows::count(c, &s)?)).await?)
    }
}

const CURSOR: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn encode(code: &str) -> String {
    CURSOR.encode(format!("o:{code}"))
}

fn decode(cursor: &str) -> AppResult<String> {
    let bad = || AppError::bad_input("after", "not a cursor returned by this API");
    let raw = String::from_utf8(CURSOR.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
    match raw.strip_prefix("o:") {
        Some(code) if (1..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(code.to_string())
        }
        _ => Err(bad()),
    }
}

/// Digits search a code prefix (at most 4); anything else searches words
/// of the title, with the limits of a name search.
fn check_search(search: Option<String>, level: Option<IscoLevel>) -> AppResult<OccupationSearch> {
    let mut out = OccupationSearch {
        level: level.map(StoredEnum::stored),
        ..Default::default()
    };
    let Some(raw) = search else { return Ok(out) };
    let trimmed = raw.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if trimmed.len() > 4 {
            return Err(AppError::bad_input("search", "a code has at most 4 digits"));
        }
        out.code_prefix = Some(trimmed.to_string());
        return Ok(out);
    }
    let words = NameQuery::parse(&raw).map_err(|e| AppError::bad_input("search", e))?;
    out.words = words
        .map(|q| q.as_str().split(' ').map(str::to_string).collect())
        .unwrap_or_default();
    Ok(out)
}

/// Occupation queries.
#[derive(Default)]
pub struct OccupationQuery;

#[Object]
impl OccupationQuery {
    /// ISCO-08 groups by code. `search`: digits match the start of the code
    /// (`71` → 71, 711x…); words match the title, accent- and
    /// case-insensitive (`brick lay`).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn occupations(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        level: Option<IscoLevel>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<OccupationConnection> {
        caller(ctx)?;
        let limit = pagination::limit(ctx, first)?;
        let after = after.as_deref().map(decode).transpose()?;
        let search = check_search(search, level)?;
        let s = search.clone();
        let found = db::run(pool(ctx)?, move |c| {
            Ok(rows::page(c, &s, after, limit + 1)?)
        })
        .await?;
        let (found, more) = pagination::cut(found, limit);
        let edges = found
            .into_iter()
            .map(|r| {
                Ok(OccupationEdge {
                    cursor: encode(&r.code),
                    node: Occupation::from_row(r)?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let page_info = pagination::page_info(
            edges.first().map(|e| &e.cursor),
            edges.last().map(|e| &e.cursor),
            more,
        );
        Ok(OccupationConnection {
            edges,
            page_info,
            search,
        })
    }
}
