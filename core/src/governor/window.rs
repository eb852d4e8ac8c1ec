//! The budget of one token as the server counts it: `allowed` requests per window, `used`
//! so far in the current window, which ends at `end_ms`. The same rules run in-process
//! ([`LocalBudget`]) and, for `shared`, as Lua scripts inside Redis (`redis.rs`): a
//! fixed window that mirrors the platform's `inin-ratelimit-*` headers.
//!
//! The window's end is always estimated late, never early: the server rounds
//! `inin-ratelimit-reset` up to whole seconds, and [`SLACK_MS`] covers the time a request
//! takes to reach it. Starting the next window too late costs a little throughput;
//! starting it too early would meet 429s.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{BoxFuture, Report, SharedBudget, Take};
use crate::error::Result;

/// Added to every estimated window end: the time a request takes to reach the server.
pub(crate) const SLACK_MS: u64 = 25;
/// A report whose window ends this much later than the estimate moves the estimate later.
const LATER_MS: u64 = 1_000;
/// Windows kept in one process before idle ones are dropped.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub allowed: u64,
    /// The window's length (the largest `reset` seen), at least one second.
    pub len_ms: u64,
    pub end_ms: u64,
    pub used: u64,
    /// Counts windows: a report from a request sent in an older window leaves `used` alone.
    pub generation: u64,
}

/// Takes one request from `w` at `now_ms`.
pub(crate) fn take(w: &mut Option<Window>, now_ms: u64) -> Take {
    let Some(w) = w else { return Take::Unknown };
    if now_ms >= w.end_ms {
        w.generation = w.generation.saturating_add(1);
        w.used = 0;
        w.end_ms = now_ms.saturating_add(w.len_ms).saturating_add(SLACK_MS);
    }
    if w.used < w.allowed {
        w.used = w.used.saturating_add(1);
        Take::Go { generation: w.generation }
    } else {
        Take::Wait(Duration::from_millis(w.end_ms.saturating_sub(now_ms)))
    }
}

/// Learns what a reply said about `w` at `now_ms`.
pub(crate) fn learn(w: &mut Option<Window>, now_ms: u64, r: &Report) {
    let reset_ms = u64::try_from(r.reset.as_millis()).unwrap_or(u64::MAX);
    let reported_end = now_ms.saturating_add(reset_ms).saturating_add(SLACK_MS);
    let w = w.get_or_insert(Window {
        allowed: r.allowed,
        len_ms: reset_ms.max(1_000),
        end_ms: reported_end,
        used: r.count,
        generation: 1,
    });
    w.allowed = r.allowed;
    w.len_ms = w.len_ms.max(reset_ms);
    if r.generation.is_none_or(|g| g == w.generation) {
        w.used = w.used.max(r.count);
        if reported_end > w.end_ms.saturating_add(LATER_MS) {
            // The server's window ends well after the estimate: it started later.
            w.end_ms = reported_end;
        } else {
            w.end_ms = w.end_ms.min(reported_end);
        }
    }
    if let Some(wait) = r.throttled_for {
        w.used = w.used.max(w.allowed);
        let until = now_ms.saturating_add(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
        w.end_ms = w.end_ms.max(until);
    }
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The budgets of this process, keyed by token hash: `local`, and the fallback of `shared`.
#[derive(Debug, Default)]
pub struct LocalBudget {
    windows: Mutex<HashMap<String, Option<Window>>>,
}

impl LocalBudget {
    /// The one local budget of the process.
    pub fn global() -> &'static LocalBudget {
        static LOCAL: OnceLock<LocalBudget> = OnceLock::new();
        LOCAL.get_or_init(LocalBudget::default)
    }

    pub(crate) fn take_now(&self, key: &str) -> Take {
        let now = now_ms();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(key) {
            Some(w) => take(w, now),
            None => Take::Unknown,
        }
    }

    pub(crate) fn learn_now(&self, key: &str, report: &Report) {
        let now = now_ms();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= PRUNE_AT && !map.contains_key(key) {
            // Windows that ended a minute ago belong to tokens no longer used.
            map.retain(|_, w| w.is_some_and(|w| w.end_ms.saturating_add(60_000) > now));
        }
        learn(map.entry(key.to_owned()).or_default(), now, report);
    }
}

impl SharedBudget for LocalBudget {
    fn take<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Take>> {
        Box::pin(async move { Ok(self.take_now(key)) })
    }

    fn learn<'a>(&'a self, key: &'a str, report: Report) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.learn_now(key, &report);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(allowed: u64, count: u64, reset_s: u64, generation: Option<u64>) -> Report {
        Report { allowed, count, reset: Duration::from_secs(reset_s), generation, throttled_for: None }
    }

    #[test]
    fn unknown_until_a_report_then_a_window() {
        let mut w = None;
        assert_eq!(take(&mut w, 0), Take::Unknown);
        learn(&mut w, 10, &report(3, 1, 6, None));
        let end = 10 + 6_000 + SLACK_MS;
        assert_eq!(w.map(|w| (w.allowed, w.used, w.end_ms, w.len_ms)), Some((3, 1, end, 6_000)));
        assert_eq!(take(&mut w, 20), Take::Go { generation: 1 });
        assert_eq!(take(&mut w, 30), Take::Go { generation: 1 });
        // Spent: wait for the window's end, never before it.
        assert_eq!(take(&mut w, 40), Take::Wait(Duration::from_millis(end - 40)));
        // A new window starts at the end.
        assert_eq!(take(&mut w, end), Take::Go { generation: 2 });
        // A late report from the old window does not spend the new one.
        learn(&mut w, end + 1, &report(3, 3, 1, Some(1)));
        assert_eq!(w.map(|w| w.used), Some(1));
        // A report from this window counts requests of other senders.
        learn(&mut w, end + 2, &report(3, 3, 6, Some(2)));
        assert!(matches!(take(&mut w, end + 3), Take::Wait(_)));
    }

    #[test]
    fn reports_tighten_the_end_and_a_429_spends_the_window() {
        let mut w = None;
        learn(&mut w, 0, &report(10, 1, 6, None));
        learn(&mut w, 2_000, &report(10, 2, 4, Some(1)));
        assert_eq!(w.map(|w| w.end_ms), Some(6_000 + SLACK_MS));
        // A server window that ends well after the estimate moves it.
        learn(&mut w, 3_000, &report(10, 2, 6, Some(1)));
        assert_eq!(w.map(|w| w.end_ms), Some(9_000 + SLACK_MS));
        let r = Report { throttled_for: Some(Duration::from_secs(20)), ..report(10, 11, 6, Some(1)) };
        learn(&mut w, 3_000, &r);
        assert_eq!(take(&mut w, 4_000), Take::Wait(Duration::from_millis(19_000)));
    }

    #[test]
    fn local_budget_is_per_key() {
        let b = LocalBudget::default();
        assert_eq!(b.take_now("a"), Take::Unknown);
        b.learn_now("a", &report(1, 1, 60, None));
        assert!(matches!(b.take_now("a"), Take::Wait(_)));
        assert_eq!(b.take_now("b"), Take::Unknown);
    }
}
