//! The budget of one token as the server counts it: `allowed` requests per window, `used`
//! so far in the current window, which ends at `end_ms`. The same rules run in-process
//! ([`LocalBudget`]) and, for `shared`, as Lua scripts inside Redis (`redis.rs`): a
//! fixed window that mirrors the platform's `inin-ratelimit-*` headers.
//!
//! The window's end is estimated late, never early: the server rounds
//! `inin-ratelimit-reset` up to whole seconds, so `now + reset` of any reply is at or after
//! the server's end; the earliest of them is kept. When a window opens, its end is only a
//! guess (the server starts its window when it handles the first request, later than it was
//! sent), so the first reply of the window replaces it. Starting the next window too late
//! costs a little throughput; starting it too early would meet 429s.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{BoxFuture, Report, SharedBudget, Take};
use crate::error::Result;

/// Added to every estimated window end: the time a request takes to reach the server.
pub(crate) const SLACK_MS: u64 = 25;
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
    /// Nothing is sent before this (a 429's `Retry-After`).
    pub blocked_until_ms: u64,
    /// `end_ms` comes from a reply of this window (else it is the guess made when it opened).
    pub end_known: bool,
}

/// Takes one request from `w` at `now_ms`; a window that starts now begins with `in_flight`
/// (requests not yet answered, which the server may count in it) used.
pub(crate) fn take(w: &mut Option<Window>, now_ms: u64, in_flight: u64) -> Take {
    let Some(w) = w else { return Take::Unknown };
    if now_ms < w.blocked_until_ms {
        return Take::Wait(Duration::from_millis(w.blocked_until_ms.saturating_sub(now_ms)));
    }
    if now_ms >= w.end_ms {
        w.generation = w.generation.saturating_add(1);
        w.used = in_flight;
        w.end_ms = now_ms.saturating_add(w.len_ms).saturating_add(SLACK_MS);
        w.end_known = false;
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
        used: r.count.saturating_add(r.in_flight),
        generation: 1,
        blocked_until_ms: 0,
        end_known: true,
    });
    w.allowed = r.allowed;
    w.len_ms = w.len_ms.max(reset_ms);
    if r.generation.is_none_or(|g| g == w.generation) {
        w.used = w.used.max(r.count);
        if w.end_known {
            w.end_ms = w.end_ms.min(reported_end);
        } else {
            w.end_ms = reported_end;
            w.end_known = true;
        }
    }
    if let Some(wait) = r.throttled_for {
        // Whether the window is spent the count tells; the 429 says when to come back.
        let until = now_ms.saturating_add(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
        w.blocked_until_ms = w.blocked_until_ms.max(until);
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

    pub(crate) fn take_now(&self, key: &str, in_flight: u64) -> Take {
        let now = now_ms();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(key) {
            Some(w) => take(w, now, in_flight),
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
    fn take<'a>(&'a self, key: &'a str, in_flight: u64) -> BoxFuture<'a, Result<Take>> {
        Box::pin(async move { Ok(self.take_now(key, in_flight)) })
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
        Report { allowed, count, reset: Duration::from_secs(reset_s), generation, throttled_for: None, in_flight: 0 }
    }

    #[test]
    fn unknown_until_a_report_then_a_window() {
        let mut w = None;
        assert_eq!(take(&mut w, 0, 0), Take::Unknown);
        learn(&mut w, 10, &report(3, 1, 6, None));
        let end = 10 + 6_000 + SLACK_MS;
        assert_eq!(w.map(|w| (w.allowed, w.used, w.end_ms, w.len_ms)), Some((3, 1, end, 6_000)));
        assert_eq!(take(&mut w, 20, 0), Take::Go { generation: 1 });
        assert_eq!(take(&mut w, 30, 0), Take::Go { generation: 1 });
        // Spent: wait for the window's end, never before it.
        assert_eq!(take(&mut w, 40, 0), Take::Wait(Duration::from_millis(end - 40)));
        // A new window starts at the end, with the requests still unanswered counted.
        assert_eq!(take(&mut w, end, 1), Take::Go { generation: 2 });
        assert_eq!(w.map(|w| w.used), Some(2));
        // A late report from the old window does not spend the new one.
        learn(&mut w, end + 1, &report(3, 3, 1, Some(1)));
        assert_eq!(w.map(|w| w.used), Some(2));
        // A report from this window counts requests of other senders.
        learn(&mut w, end + 2, &report(3, 3, 6, Some(2)));
        assert!(matches!(take(&mut w, end + 3, 0), Take::Wait(_)));
    }

    #[test]
    fn reports_tighten_the_end_and_a_429_spends_the_window() {
        let mut w = None;
        learn(&mut w, 0, &report(10, 1, 6, None));
        learn(&mut w, 2_000, &report(10, 2, 4, Some(1)));
        assert_eq!(w.map(|w| w.end_ms), Some(6_000 + SLACK_MS));
        // A later bound does not move it.
        learn(&mut w, 3_000, &report(10, 2, 6, Some(1)));
        assert_eq!(w.map(|w| w.end_ms), Some(6_000 + SLACK_MS));
        // A window that opens has a guessed end; its first reply replaces the guess, even
        // when later (the server opened it when it handled the request).
        assert_eq!(take(&mut w, 7_000, 0), Take::Go { generation: 2 });
        assert_eq!(w.map(|w| w.end_ms), Some(13_000 + SLACK_MS));
        learn(&mut w, 7_100, &report(10, 1, 6, Some(2)));
        assert_eq!(w.map(|w| w.end_ms), Some(13_100 + SLACK_MS));
        learn(&mut w, 7_200, &report(10, 2, 5, Some(2)));
        assert_eq!(w.map(|w| w.end_ms), Some(12_200 + SLACK_MS));
        let end = 12_200 + SLACK_MS;
        // A 429 holds every call for its Retry-After; a count past the allowance spends
        // the window until its end.
        let r = Report { throttled_for: Some(Duration::from_secs(2)), ..report(10, 3, 6, Some(2)) };
        learn(&mut w, 8_000, &r);
        assert_eq!(take(&mut w, 9_000, 0), Take::Wait(Duration::from_millis(1_000)));
        assert_eq!(take(&mut w, 10_000, 0), Take::Go { generation: 2 });
        learn(&mut w, 10_000, &report(10, 11, 4, Some(2)));
        assert_eq!(take(&mut w, 10_000, 0), Take::Wait(Duration::from_millis(end - 10_000)));
    }

    #[test]
    fn a_window_learned_first_counts_the_requests_in_flight() {
        let mut w = None;
        learn(&mut w, 0, &Report { in_flight: 2, ..report(4, 1, 1, None) });
        assert_eq!(take(&mut w, 1, 0), Take::Go { generation: 1 });
        assert!(matches!(take(&mut w, 2, 0), Take::Wait(_)));
    }

    #[test]
    fn local_budget_is_per_key() {
        let b = LocalBudget::default();
        assert_eq!(b.take_now("a", 0), Take::Unknown);
        b.learn_now("a", &report(1, 1, 60, None));
        assert!(matches!(b.take_now("a", 0), Take::Wait(_)));
        assert_eq!(b.take_now("b", 0), Take::Unknown);
    }
}
