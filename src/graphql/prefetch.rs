//! Loads what a page of migrants will need into the request's loader
//! caches, in one batch per kind and in the same database round trip as the
//! page itself: a page costs the same statements whatever its size, and one
//! connection checkout, not one per kind.

use std::collections::HashMap;

use async_graphql::{Context, Lookahead};

use super::caller;
use super::loaders::{by_key, grouped, Loaders};
use crate::db::arrivals::{self, ArrivalRow};
use crate::db::assistance::{self, AssistanceRow};
use crate::db::consents::{self, ConsentRow};
use crate::db::institutions::{self, InstitutionRow};
use crate::db::migrant_columns::Columns;
use crate::db::migrants::MigrantRow;
use crate::db::reference::{self, DepartmentRow, MunicipalityRow};
use crate::db::skills::{self, SkillRows};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::policy::{can_read, consent_view, ConsentView, Slice};

/// Which nested kinds the selection under `node` needs (and may read).
#[derive(Clone, Debug)]
pub struct Plan {
    arrivals: bool,
    assistance: bool,
    skills: bool,
    consents: Option<ConsentView>,
    institutions: bool,
    municipalities: bool,
    departments: bool,
}

/// Decides the plan from the caller's slices and the selection.
pub fn plan(ctx: &Context<'_>, node: &Lookahead<'_>) -> AppResult<Plan> {
    let id = &caller(ctx)?.identity;
    let role = id.role;
    let consents = node.field("consents");
    let origin = node.field("originMunicipality");
    let reads_consents = can_read(role, Slice::Consent) && consents.exists();
    let reads_origin = can_read(role, Slice::Origin) && origin.exists();
    Ok(Plan {
        arrivals: can_read(role, Slice::Return)
            && (node.field("arrivals").exists() || node.field("previousReturns").exists()),
        assistance: can_read(role, Slice::Assistance) && node.field("assistance").exists(),
        skills: can_read(role, Slice::Skills) && node.field("skills").exists(),
        consents: reads_consents.then(|| consent_view(role, &id.institution.code)),
        institutions: reads_consents && consents.field("institution").exists(),
        municipalities: reads_origin,
        departments: reads_origin && origin.field("department").exists(),
    })
}

/// The fields of `Migrant` resolved from `migrants`' own columns, with their
/// slice. A field missing here would fail when selected rather than show a
/// placeholder (`Migrant::read` checks what was loaded), and the tests select
/// every field of every slice.
pub const ROW_FIELDS: [(&str, Slice); 15] = [
    ("givenNames", Slice::Identity),
    ("familyNames", Slice::Identity),
    ("birthDate", Slice::Identity),
    ("sex", Slice::Identity),
    ("documentNumber", Slice::Documents),
    ("passportNumber", Slice::Documents),
    ("phone", Slice::Contact),
    ("address", Slice::Contact),
    ("relativeName", Slice::Contact),
    ("relativePhone", Slice::Contact),
    ("originMunicipality", Slice::Origin),
    ("health", Slice::Health),
    ("skills", Slice::Skills),
    ("protection", Slice::Protection),
    ("recordTimes", Slice::Identity),
];

/// Fields of `Migrant` whose records hand back the same loaded row as
/// their `migrant`: what is selected there is shown from this row too.
pub const BACK_REFERENCES: [&str; 4] = [
    "referrals",
    "studyApplications",
    "trainingEnrolments",
    "enterpriseProjects",
];

/// The row slices a selection of `Migrant` fields (`node`) shows, itself
/// or through its records' `migrant`, and the caller may read: the only
/// columns a read of `migrants` then fetches.
pub fn columns(ctx: &Context<'_>, node: &Lookahead<'_>) -> AppResult<Columns> {
    let role = caller(ctx)?.identity.role;
    let mut shown = Vec::new();
    shown_slices(node, &mut shown);
    Ok(Columns::of(
        shown.into_iter().filter(|slice| can_read(role, *slice)),
    ))
}

/// Walks only the selection that exists, so its cost is the query's size.
fn shown_slices(node: &Lookahead<'_>, out: &mut Vec<Slice>) {
    out.extend(
        ROW_FIELDS
            .iter()
            .filter(|(field, _)| node.field(field).exists())
            .map(|(_, slice)| *slice),
    );
    for field in BACK_REFERENCES {
        let again = node.field(field).field("migrant");
        if again.exists() {
            shown_slices(&again, out);
        }
    }
}

/// Rows loaded for a page, to be fed to the loaders.
#[derive(Default)]
pub struct Prefetched {
    arrivals: Option<HashMap<String, Vec<ArrivalRow>>>,
    assistance: Option<HashMap<String, Vec<AssistanceRow>>>,
    skills: Option<HashMap<String, SkillRows>>,
    consents: Option<HashMap<String, Vec<ConsentRow>>>,
    institutions: Option<HashMap<String, InstitutionRow>>,
    municipalities: Option<HashMap<String, MunicipalityRow>>,
    departments: Option<HashMap<String, DepartmentRow>>,
}

impl Plan {
    /// Loads every planned kind for `rows` on `conn` (one statement each).
    pub fn load(&self, conn: &mut DbConnection, rows: &[MigrantRow]) -> AppResult<Prefetched> {
        let mut out = Prefetched::default();
        if rows.is_empty() {
            return Ok(out);
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        if self.arrivals {
            let found = arrivals::for_migrants(conn, &ids)?;
            out.arrivals = Some(grouped(&ids, found, |r| r.migrant_id.clone()));
        }
        if self.assistance {
            let found = assistance::for_migrants(conn, &ids)?;
            out.assistance = Some(grouped(&ids, found, |r| r.migrant_id.clone()));
        }
        if self.skills {
            out.skills = Some(skills::for_migrants(conn, &ids)?.by_migrant(&ids));
        }
        if let Some(view) = &self.consents {
            let found = consents::for_migrants(conn, &ids, view)?;
            if self.institutions {
                let mut codes: Vec<String> =
                    found.iter().map(|c| c.institution_code.clone()).collect();
                codes.sort();
                codes.dedup();
                let insts = institutions::by_codes(conn, &codes)?;
                out.institutions = Some(by_key(insts, |r| r.code.clone()));
            }
            out.consents = Some(grouped(&ids, found, |r| r.migrant_id.clone()));
        }
        if self.municipalities {
            let mut codes: Vec<String> = rows
                .iter()
                .filter_map(|r| r.origin_municipality_code.clone())
                .collect();
            codes.sort();
            codes.dedup();
            if self.departments {
                let mut deps: Vec<String> = codes.iter().map(|c| c[..2].to_string()).collect();
                deps.dedup();
                let found = reference::departments_by_code(conn, &deps)?;
                out.departments = Some(by_key(found, |r| r.code.clone()));
            }
            let found = reference::municipalities_by_code(conn, &codes)?;
            out.municipalities = Some(by_key(found, |r| r.code.clone()));
        }
        Ok(out)
    }
}

impl Prefetched {
    /// Primes the request's loader caches with the rows.
    pub async fn feed(self, loaders: &Loaders) {
        if let Some(v) = self.arrivals {
            loaders.arrivals.feed_many(v).await;
        }
        if let Some(v) = self.assistance {
            loaders.assistance.feed_many(v).await;
        }
        if let Some(v) = self.skills {
            loaders.skills.feed_many(v).await;
        }
        if let Some(v) = self.consents {
            loaders.consents.feed_many(v).await;
        }
        if let Some(v) = self.institutions {
            loaders.institutions.feed_many(v).await;
        }
        if let Some(v) = self.municipalities {
            loaders.municipalities.feed_many(v).await;
        }
        if let Some(v) = self.departments {
            loaders.departments.feed_many(v).await;
        }
    }
}
