//! Request budgets: one per (institution, subject), one per client address
//! for bad tokens. Each answer reports what is left, for the `RateLimit-*`
//! headers, so a well-behaved client can slow down before it is refused.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::{StateInformationMiddleware, StateSnapshot};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::error::AppError;

/// A keyed GCRA limiter that reports the state after each check.
pub type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// A keyed limiter from a per-minute budget.
pub fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Limiter<K> {
    let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n)).with_middleware::<StateInformationMiddleware>()
}

/// What is left of a caller's budget after a request was admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Requests allowed in a full window.
    pub limit: u32,
    /// Requests still allowed right now.
    pub remaining: u32,
    /// Seconds until the budget is whole again.
    pub reset_secs: u64,
}

impl Budget {
    fn from_snapshot(s: &StateSnapshot) -> Budget {
        let quota = s.quota();
        let limit = quota.burst_size().get();
        let remaining = s.remaining_burst_capacity();
        let used = u64::from(limit.saturating_sub(remaining));
        let reset = quota.replenish_interval().as_secs_f64() * used as f64;
        Budget {
            limit,
            remaining,
            reset_secs: reset.ceil() as u64,
        }
    }

    /// The `RateLimit-*` headers of this budget (IETF httpapi draft).
    pub fn headers(&self) -> [(&'static str, String); 3] {
        [
            ("ratelimit-limit", self.limit.to_string()),
            ("ratelimit-remaining", self.remaining.to_string()),
            ("ratelimit-reset", self.reset_secs.to_string()),
        ]
    }
}

/// Charges one request to `key`: its remaining budget, or `RATE_LIMITED`
/// with the whole seconds until one more request is allowed.
pub fn charge<K: std::hash::Hash + Eq + Clone>(
    limiter: &Limiter<K>,
    key: &K,
) -> Result<Budget, AppError> {
    match limiter.check_key(key) {
        Ok(snapshot) => Ok(Budget::from_snapshot(&snapshot)),
        Err(later) => Err(AppError::RateLimited {
            retry_after: later
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                + 1,
            limit: later.quota().burst_size().get(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_counts_down_then_refuses() {
        let l = limiter::<u8>(3);
        let first = charge(&l, &1).unwrap();
        assert_eq!((first.limit, first.remaining), (3, 2));
        assert_eq!(first.reset_secs, 20);
        charge(&l, &1).unwrap();
        assert_eq!(charge(&l, &1).unwrap().remaining, 0);
        match charge(&l, &1) {
            Err(AppError::RateLimited { retry_after, limit }) => {
                assert_eq!(limit, 3);
                assert!((1..=21).contains(&retry_after));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(charge(&l, &2).unwrap().remaining, 2, "keys are separate");
    }
}
