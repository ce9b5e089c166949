//! Job referrals (EMPLOYMENT slice): proposing a person for a vacancy and
//! moving the referral forward; HIRED takes one of the vacancy's openings
//! in the same transaction.

use crate::db::referrals::{self, ReferralRow};
use crate::db::{self, vacancies, DbConnection};
use crate::domain::labour::ReferralStatus;
use crate::domain::person::StoredEnum;
use crate::error::{AppError, AppResult};
use crate::policy::RowFilter;

use super::{stale, Actor};

/// Refers the person `migrant_id` to the open vacancy `vacancy_id`, as
/// `PROPOSED`. The person must be in the caller's rows at this moment
/// (for MINTRAB: an active EMPLOYMENT consent), else `NOT_FOUND`.
pub fn refer(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    migrant_id: &str,
    vacancy_id: &str,
) -> AppResult<(ReferralRow, Vec<String>)> {
    if !referrals::person_visible(conn, rows, migrant_id)? {
        return Err(AppError::NotFound("migrant"));
    }
    let v = vacancies::by_id(conn, vacancy_id)?.ok_or(AppError::NotFound("job vacancy"))?;
    if v.status != "OPEN" {
        return Err(AppError::Conflict("the vacancy is not open".into()));
    }
    if referrals::of_pair(conn, migrant_id, vacancy_id)?.is_some() {
        return Err(AppError::Conflict(
            "this person is already referred to this vacancy".into(),
        ));
    }
    let now = db::now();
    let row = ReferralRow {
        id: db::new_id(),
        migrant_id: migrant_id.to_string(),
        vacancy_id: vacancy_id.to_string(),
        status: ReferralStatus::Proposed.stored().to_string(),
        version: 1,
        created_by: actor.subject.clone(),
        created_at: now,
        updated_at: now,
    };
    referrals::insert(conn, &row)?;
    let ids = vec![row.migrant_id.clone()];
    Ok((row, ids))
}

/// Moves referral `id` forward to `to`. Backward moves and moves out of a
/// final state answer `BAD_USER_INPUT`; a stale version `CONFLICT`; a
/// HIRED with no opening left `CONFLICT`. Nothing changes on an error.
pub fn advance(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &RowFilter,
    id: &str,
    to: ReferralStatus,
    expected: i32,
) -> AppResult<(ReferralRow, Vec<String>)> {
    let row = referrals::by_id(conn, id)?.ok_or(AppError::NotFound("job referral"))?;
    if !referrals::person_visible(conn, rows, &row.migrant_id)? {
        return Err(AppError::NotFound("job referral"));
    }
    if row.version != expected {
        return Err(stale("referral", row.version));
    }
    let from = super::forward("referral", &row.status, to, ReferralStatus::may_move_to)?;
    let now = db::now();
    if to == ReferralStatus::Hired && !referrals::take_opening(conn, &row.vacancy_id, now)? {
        return Err(AppError::Conflict("the vacancy has no opening left".into()));
    }
    if !referrals::move_if(conn, id, expected, from.stored(), to.stored(), now)? {
        return Err(stale("referral", row.version + 1));
    }
    referrals::log(conn, id, to.stored(), &actor.subject, now)?;
    let moved = ReferralRow {
        status: to.stored().to_string(),
        version: expected + 1,
        updated_at: now,
        ..row
    };
    let ids = vec![moved.migrant_id.clone()];
    Ok((moved, ids))
}
