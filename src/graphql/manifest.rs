//! `importManifest`: a flight's passenger list becomes expected arrivals.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};

use super::access::require_write;
use super::events::{DomainEvent, EventBus};
use super::write::{audited, idem_key, AuditDraft};
use crate::db::idempotency;
use crate::db::{self, flights};
use crate::error::AppError;
use crate::intake::manifest::{self, ImportReport, LineOutcome, ManifestLine};
use crate::policy::{self, Slice};

/// One passenger line. Fields are text so each problem is reported
/// against its own field and line.
#[derive(InputObject)]
pub struct ManifestRowInput {
    /// Line number in the source (default: position in the list, from 1).
    pub line: Option<i32>,
    pub given_names: String,
    pub family_names: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// `F`, `M` or `X`.
    pub sex: String,
    /// 13-digit CUI, if known.
    pub document_number: Option<String>,
    /// Four-digit home municipality code, if known.
    pub municipality_code: Option<String>,
    /// Two-letter US state deported from.
    pub us_state: Option<String>,
    /// Months in the United States.
    pub months_in_us: Option<String>,
}

/// What happened to an accepted line.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ManifestLineOutcome {
    /// A new record was created.
    Created,
    /// Linked to the person on record.
    Linked,
    /// Already on this flight: nothing new.
    AlreadyOnFlight,
}

/// An accepted line.
#[derive(SimpleObject)]
pub struct ManifestAccepted {
    pub line: i32,
    pub migrant_id: ID,
    pub arrival_id: Option<ID>,
    pub outcome: ManifestLineOutcome,
}

/// A rejected field of a line.
#[derive(SimpleObject)]
pub struct ManifestError {
    pub line: i32,
    pub field: String,
    pub message: String,
}

/// A candidate earlier record for a held-back line.
#[derive(SimpleObject)]
pub struct ManifestCandidate {
    pub migrant_id: ID,
    pub score: i32,
    pub reasons: Vec<String>,
}

/// A line held back for reception staff: it resembles people on record.
#[derive(SimpleObject)]
pub struct ManifestReview {
    pub line: i32,
    #[graphql(complexity = "super::cost::CANDIDATES * child_complexity + 1")]
    pub candidates: Vec<ManifestCandidate>,
}

/// The import result.
#[derive(SimpleObject)]
pub struct ManifestImport {
    /// Stored (or already present) lines.
    #[graphql(complexity = "super::cost::MANIFEST_LINES * child_complexity + 1")]
    pub accepted: Vec<ManifestAccepted>,
    /// Lines held back for a decision at reception (`registerArrival`).
    #[graphql(complexity = "super::cost::MANIFEST_LINES * child_complexity + 1")]
    pub review: Vec<ManifestReview>,
    /// Rejected lines, one entry per bad field.
    #[graphql(complexity = "super::cost::MANIFEST_LINES * child_complexity + 1")]
    pub errors: Vec<ManifestError>,
}

impl From<ImportReport> for ManifestImport {
    fn from(r: ImportReport) -> Self {
        let outcome = |o: LineOutcome| match o {
            LineOutcome::Created => ManifestLineOutcome::Created,
            LineOutcome::Linked => ManifestLineOutcome::Linked,
            LineOutcome::AlreadyOnFlight => ManifestLineOutcome::AlreadyOnFlight,
        };
        ManifestImport {
            accepted: r
                .accepted
                .into_iter()
                .map(|a| ManifestAccepted {
                    line: a.line,
                    migrant_id: ID(a.migrant_id),
                    arrival_id: a.arrival_id.map(ID),
                    outcome: outcome(a.outcome),
                })
                .collect(),
            review: r
                .review
                .into_iter()
                .map(|v| ManifestReview {
                    line: v.line,
                    candidates: v
                        .candidates
                        .into_iter()
                        .map(|(id, score, reasons)| ManifestCandidate {
                            migrant_id: ID(id),
                            score: score as i32,
                            reasons,
                        })
                        .collect(),
                })
                .collect(),
            errors: r
                .errors
                .into_iter()
                .map(|e| ManifestError {
                    line: e.line,
                    field: e.field,
                    message: e.message,
                })
                .collect(),
        }
    }
}

/// Most lines one import accepts (a charter carries 80–150 people).
pub const MAX_LINES: usize = 1000;

/// Manifest mutations (IOM roles that write IDENTITY and RETURN).
#[derive(Default)]
pub struct ManifestMutation;

#[Object]
impl ManifestMutation {
    /// Imports a flight manifest. Good lines are stored in one transaction
    /// even when others are bad; importing the same manifest again creates
    /// nothing twice.
    #[graphql(visible = "super::visibility::imports_manifests")]
    async fn import_manifest(
        &self,
        ctx: &Context<'_>,
        flight_id: ID,
        rows: Vec<ManifestRowInput>,
        idempotency_key: Option<String>,
    ) -> Result<ManifestImport> {
        for s in [
            Slice::Identity,
            Slice::Documents,
            Slice::Origin,
            Slice::Return,
        ] {
            require_write(ctx, s)?;
        }
        if rows.is_empty() || rows.len() > MAX_LINES {
            return Err(AppError::bad_input("rows", format!("give 1 to {MAX_LINES} lines")).into());
        }
        let by = super::caller(ctx)?.identity.subject.clone();
        let board_flight = flight_id.to_string();
        let lines: Vec<ManifestLine> = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| ManifestLine {
                line: r.line.unwrap_or(i as i32 + 1),
                given_names: r.given_names,
                family_names: r.family_names,
                birth_date: r.birth_date,
                sex: r.sex,
                document_number: r.document_number,
                municipality_code: r.municipality_code,
                us_state: r.us_state,
                months_in_us: r.months_in_us,
            })
            .collect();
        let key = idem_key(ctx, idempotency_key, "importManifest")?;
        let all = policy::all_rows(super::caller(ctx)?.identity.role)?;
        let draft = AuditDraft {
            action: "MANIFEST_IMPORT",
            entity: "Migrant",
            slices: vec![
                Slice::Identity,
                Slice::Documents,
                Slice::Origin,
                Slice::Return,
            ],
        };
        let report = audited(ctx, draft, move |c| {
            // The first result is kept with the key, so a retry answers it again.
            if let Some(key) = &key {
                match idempotency::lookup(c, key)? {
                    Some(Ok(stored)) => {
                        let report: ImportReport = serde_json::from_str(&stored).map_err(|_| {
                            AppError::Internal("stored manifest result unreadable".into())
                        })?;
                        return Ok((report, vec![]));
                    }
                    Some(Err(op)) => {
                        return Err(AppError::Conflict(format!(
                            "idempotencyKey was already used for {op}"
                        )))
                    }
                    None => {}
                }
            }
            let flight = flights::by_id(c, &flight_id)?.ok_or(AppError::NotFound("flight"))?;
            let report = manifest::import(c, all, &flight, &lines, &by)?;
            if let Some(key) = &key {
                let json = serde_json::to_string(&report)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                idempotency::store(c, key, &json, db::now())?;
            }
            let ids = report
                .accepted
                .iter()
                .map(|a| a.migrant_id.clone())
                .collect();
            Ok((report, ids))
        })
        .await?;
        // The flight's board changed: its expected passengers.
        if let Ok(bus) = ctx.data::<EventBus>() {
            bus.publish(DomainEvent::Flight {
                flight_id: board_flight,
            });
        }
        Ok(report.into())
    }
}
