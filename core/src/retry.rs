//! Which failures are retried, and how long to wait before the next try.
//!
//! Defaults: 429 is retried for every method (the server did not act on it);
//! 408/5xx replies and read errors only for idempotent methods (GET, HEAD,
//! PUT, DELETE, OPTIONS) unless `retry_non_idempotent` is set; a connection
//! that could not be made is retried for every method (nothing was sent).
//! `Retry-After` (seconds or HTTP date) is honoured on 429 and 503 and never
//! shortened; other waits back off exponentially with jitter. `wait_min` is a
//! floor: jitter only ever adds to a wait. The sum of all waits is capped by
//! `max_total_wait`. A 429 with `Retry-After` (the server said when to come
//! back) is retried until `max_total_wait` rather than `max_retries` (and at
//! most `MAX_RETRIES` times); other failures count against `max_retries`.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;

use crate::error::{Error, Result};
pub use crate::hooks::{RetryEvent, RetryHook};

#[derive(Clone)]
pub struct RetryConfig {
    /// Retries after the first try; 0 turns retrying off. Default 3. A 429
    /// with `Retry-After` does not count: it is retried until `max_total_wait`.
    pub max_retries: u32,
    /// First backoff wait, and the floor of every wait. Default 500 ms.
    pub wait_min: Duration,
    /// Largest backoff wait (Retry-After is not shortened by it). Default 30 s.
    pub wait_max: Duration,
    /// Cap on the sum of all waits of one call. Default 60 s.
    pub max_total_wait: Duration,
    /// Statuses that may be retried. Default 408, 429, 500, 502, 503, 504.
    pub statuses: Vec<u16>,
    /// Also retry POST and PATCH on 5xx and read errors. Default false.
    pub retry_non_idempotent: bool,
    /// Called before each retry.
    pub hook: Option<RetryHook>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            wait_min: Duration::from_millis(500),
            wait_max: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
            statuses: vec![408, 429, 500, 502, 503, 504],
            retry_non_idempotent: false,
            hook: None,
        }
    }
}

impl PartialEq for RetryConfig {
    fn eq(&self, o: &Self) -> bool {
        self.max_retries == o.max_retries
            && self.wait_min == o.wait_min
            && self.wait_max == o.wait_max
            && self.max_total_wait == o.max_total_wait
            && self.statuses == o.statuses
            && self.retry_non_idempotent == o.retry_non_idempotent
            && match (&self.hook, &o.hook) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl std::fmt::Debug for RetryConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryConfig")
            .field("max_retries", &self.max_retries)
            .field("wait_min", &self.wait_min)
            .field("wait_max", &self.wait_max)
            .field("max_total_wait", &self.max_total_wait)
            .field("statuses", &self.statuses)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

/// What went wrong with one try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this status.
    Status(u16),
    /// No connection could be made: the request was never sent.
    Connect,
    /// The request may have reached the server (timeout, reset, truncated reply).
    Read,
    /// Nothing was sent and sending again cannot help (e.g. unusable settings).
    Fatal,
}

pub fn is_idempotent(method: &str) -> bool {
    matches!(method.to_ascii_uppercase().as_str(), "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS")
}

impl RetryConfig {
    pub fn validate(&self) -> Result<()> {
        if self.wait_min > self.wait_max {
            return Err(Error::configuration(format!(
                "retry wait_min ({:?}) is greater than wait_max ({:?})",
                self.wait_min, self.wait_max
            )));
        }
        Ok(())
    }

    /// Whether this failure of this method may be tried again at all.
    pub fn may_retry(&self, method: &str, failure: Failure, force_idempotent: bool) -> bool {
        let idempotent = force_idempotent || self.retry_non_idempotent || is_idempotent(method);
        match failure {
            Failure::Connect => true,
            Failure::Status(429) => self.statuses.contains(&429),
            Failure::Status(s) => idempotent && self.statuses.contains(&s),
            Failure::Read => idempotent,
            Failure::Fatal => false,
        }
    }

    /// Wait before retry number `attempt` (1-based). `retry_after` from the
    /// reply and `wait_min` are floors; jitter is only ever added to them.
    pub fn wait(&self, attempt: u32, failure: Failure, retry_after: Option<Duration>) -> Duration {
        let mut rng = rand::thread_rng();
        if let (Failure::Status(429 | 503), Some(ra)) = (failure, retry_after) {
            let ra = ra.max(self.wait_min);
            let jitter_cap = ra.checked_div(10).unwrap_or_default().min(Duration::from_millis(250));
            let jitter = if jitter_cap.is_zero() { Duration::ZERO } else { rng.gen_range(Duration::ZERO..=jitter_cap) };
            return ra.saturating_add(jitter);
        }
        let exp = attempt.saturating_sub(1).min(20);
        let base = self.wait_min.saturating_mul(1u32 << exp).min(self.wait_max);
        // Up to half again on top, so waits spread; never below the base (so
        // never below `wait_min`), never above `wait_max` (unless `wait_min` is).
        let room = base.checked_div(2).unwrap_or_default().min(self.wait_max.saturating_sub(base));
        let jitter = if room.is_zero() { Duration::ZERO } else { rng.gen_range(Duration::ZERO..=room) };
        base.saturating_add(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_failures_retry() {
        let c = RetryConfig::default();
        assert!(c.may_retry("POST", Failure::Status(429), false));
        assert!(!c.may_retry("POST", Failure::Status(500), false));
        assert!(c.may_retry("POST", Failure::Status(500), true));
        assert!(c.may_retry("GET", Failure::Status(503), false));
        assert!(!c.may_retry("GET", Failure::Status(501), false));
        assert!(!c.may_retry("GET", Failure::Status(404), false));
        assert!(c.may_retry("POST", Failure::Connect, false));
        assert!(!c.may_retry("PATCH", Failure::Read, false));
        assert!(c.may_retry("DELETE", Failure::Read, false));
        let opted = RetryConfig { retry_non_idempotent: true, ..RetryConfig::default() };
        assert!(opted.may_retry("POST", Failure::Status(502), false));
    }

    #[test]
    fn waits() {
        let c = RetryConfig {
            wait_min: Duration::from_millis(100),
            wait_max: Duration::from_millis(1000),
            ..Default::default()
        };
        let mut spread = std::collections::HashSet::new();
        for _ in 0..200 {
            // wait_min is a floor: jitter only adds.
            let w = c.wait(1, Failure::Status(500), None);
            assert!(w >= Duration::from_millis(100) && w <= Duration::from_millis(150), "{w:?}");
            spread.insert(w);
            let w = c.wait(2, Failure::Connect, None);
            assert!(w >= Duration::from_millis(200) && w <= Duration::from_millis(300), "{w:?}");
            let w = c.wait(10, Failure::Status(500), None);
            assert_eq!(w, Duration::from_millis(1000), "capped at wait_max");
            let w = c.wait(1, Failure::Status(429), Some(Duration::from_secs(2)));
            assert!(w >= Duration::from_secs(2) && w <= Duration::from_millis(2250), "{w:?}");
            // A Retry-After shorter than wait_min waits wait_min.
            let w = c.wait(1, Failure::Status(429), Some(Duration::ZERO));
            assert!(w >= Duration::from_millis(100) && w <= Duration::from_millis(110), "{w:?}");
        }
        assert!(spread.len() > 10, "waits spread: {}", spread.len());
        assert!(RetryConfig {
            wait_min: Duration::from_secs(5),
            wait_max: Duration::from_secs(1),
            ..Default::default()
        }
        .validate()
        .is_err());
    }
}
