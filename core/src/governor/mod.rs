//! The rate governor: paces API calls so that one token does not spend more than the
//! platform allows, instead of meeting 429s and retrying.
//!
//! - Each token has a budget, keyed by a hash of the token (never the token itself).
//! - The budget is learned from the `inin-ratelimit-allowed`, `-count` and `-reset` headers
//!   (a fixed window, `window.rs`), and from 429s and their `Retry-After`.
//! - A call that would exceed it waits for room, at most `rate_limit_wait_max`; past that it
//!   fails with `rate_limited` and is never sent.
//! - When the server sends no such headers, a 429 cuts the rate and successes win it back
//!   gradually (`adaptive.rs`, after the AWS SDKs' adaptive retry mode).
//! - The first call of a new token goes alone: the others wait for its reply, which tells how
//!   much budget there is. While it is slow, one more call goes every [`PROBE_WAIT`].
//! - Requests still unanswered when a window ends count against the next one: the server may
//!   count them there.
//!
//! `rate_limit = "local"` (the default) keeps the budget in the process; `"shared"` keeps the
//! window in Redis through atomic scripts (`redis.rs`), so every process on one token shares
//! it; `"off"` sends at once. A Redis that cannot be reached makes `shared` act as `local`,
//! with one warning per outage. Token requests are never paced here.

mod adaptive;
mod redis;
mod window;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::error::{Error, ErrorKind, Result};
use crate::logging::{LogLevel, Logger};
use crate::response::Response;

pub use self::redis::RedisBudget;
pub use self::window::LocalBudget;

/// A future a [`SharedBudget`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How calls are paced (the `rate_limit` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimitMode {
    /// No pacing: every call is sent at once (429s are still retried).
    Off,
    /// One budget per token inside this process (the default).
    #[default]
    Local,
    /// One budget per token shared through Redis by every process using the token.
    Shared,
}

impl RateLimitMode {
    pub fn parse(s: &str) -> Option<RateLimitMode> {
        match s {
            "off" => Some(RateLimitMode::Off),
            "local" => Some(RateLimitMode::Local),
            "shared" => Some(RateLimitMode::Shared),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RateLimitMode::Off => "off",
            RateLimitMode::Local => "local",
            RateLimitMode::Shared => "shared",
        }
    }
}

/// What taking one request from a budget gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Send now; the request belongs to this window.
    Go { generation: u64 },
    /// The window is spent: try again after this long.
    Wait(Duration),
    /// Nothing is known of this token yet.
    Unknown,
    /// Nothing is known yet, and this caller is the one (across the fleet) that sends a
    /// request to learn; the others get `Unknown` until it has reported.
    Probe,
}

/// What one reply said about the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// `inin-ratelimit-allowed`.
    pub allowed: u64,
    /// `inin-ratelimit-count`.
    pub count: u64,
    /// `inin-ratelimit-reset`: how long until the window ends.
    pub reset: Duration,
    /// The window the request was sent in (`None` when it was sent before any was known).
    pub generation: Option<u64>,
    /// A 429: the window is spent for at least this long (its `Retry-After`).
    pub throttled_for: Option<Duration>,
    /// Other requests of this process on this key still unanswered: a window first learned
    /// now counts them (the server may not have yet).
    pub in_flight: u64,
}

/// Where the budget of a token lives: in the process ([`LocalBudget`]) or in Redis
/// ([`RedisBudget`]). Implementations must be atomic: two processes taking the last request
/// of a window at once must not both get it.
pub trait SharedBudget: Send + Sync {
    /// Takes one request from the budget of `key`. `in_flight`: requests of this process on
    /// this key still unanswered; a window that starts now begins with them counted.
    fn take<'a>(&'a self, key: &'a str, in_flight: u64) -> BoxFuture<'a, Result<Take>>;
    /// Records what a reply said about the budget of `key`.
    fn learn<'a>(&'a self, key: &'a str, report: Report) -> BoxFuture<'a, Result<()>>;
}

/// While the first call of a new token has no reply, one more call goes this often.
pub const PROBE_WAIT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No reply yet.
    Unknown,
    /// Replies come without `inin-ratelimit-*` headers: adaptive pacing.
    NoHeaders,
    /// Replies come with headers: the window in the backend.
    Learned,
}

/// The part of a token's budget that stays in this process.
struct Local {
    phase: Phase,
    probe_out: bool,
    /// When a call last went while the probe was slow.
    last_blind: Option<Instant>,
    /// Permits given and not yet answered.
    in_flight: u64,
    /// The shared budget said: spent until then (no need to ask Redis again before).
    shared_wait_until: Option<Instant>,
    /// A call of this process is polling the shared store for the fleet's first reply.
    shared_poller: bool,
    adaptive: adaptive::Adaptive,
    /// No call goes before this (a 429's Retry-After).
    blocked_until: Option<Instant>,
    last_used: Instant,
}

struct TokenBudget {
    local: Mutex<Local>,
    probe_done: Notify,
    /// At most this many calls of the process ask the shared store at once (a window's end
    /// wakes every waiting call together).
    shared_takers: tokio::sync::Semaphore,
}

/// Calls of one process asking the shared store at once, per token.
const SHARED_TAKERS: usize = 4;

/// Gives the polling role back (and wakes the other calls) when the poller is done.
struct PollerGuard<'a>(&'a TokenBudget);

impl Drop for PollerGuard<'_> {
    fn drop(&mut self) {
        self.0.lock().shared_poller = false;
        self.0.probe_done.notify_waiters();
    }
}

impl TokenBudget {
    fn lock(&self) -> std::sync::MutexGuard<'_, Local> {
        self.local.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The key of a token: the first 128 bits of its SHA-256, in hex.
pub fn token_key(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn budgets() -> &'static Mutex<HashMap<String, Arc<TokenBudget>>> {
    static BUDGETS: OnceLock<Mutex<HashMap<String, Arc<TokenBudget>>>> = OnceLock::new();
    BUDGETS.get_or_init(Mutex::default)
}

fn budget_of(key: &str) -> Arc<TokenBudget> {
    let mut map = budgets().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = map.get(key) {
        return b.clone();
    }
    let now = Instant::now();
    if map.len() >= 10_000 {
        // Tokens not used for ten minutes are long replaced.
        map.retain(|_, b| {
            Arc::strong_count(b) > 1 || now.saturating_duration_since(b.lock().last_used).as_secs() < 600
        });
    }
    let b = Arc::new(TokenBudget {
        local: Mutex::new(Local {
            phase: Phase::Unknown,
            probe_out: false,
            last_blind: None,
            in_flight: 0,
            shared_wait_until: None,
            shared_poller: false,
            adaptive: adaptive::Adaptive::new(now),
            blocked_until: None,
            last_used: now,
        }),
        probe_done: Notify::new(),
        shared_takers: tokio::sync::Semaphore::new(SHARED_TAKERS),
    });
    map.insert(key.to_owned(), b.clone());
    b
}

/// The settings the governor needs, taken from the client's config.
pub(crate) struct Pacing<'a> {
    pub mode: RateLimitMode,
    pub wait_max: Duration,
    /// The Redis URL of `shared`.
    pub store: Option<&'a str>,
    pub logger: &'a Logger,
}

#[derive(Clone)]
enum Backend {
    Local,
    Redis(Arc<RedisBudget>),
}

static SHARED_WITHOUT_STORE: AtomicBool = AtomicBool::new(false);

fn backend_for(p: &Pacing<'_>) -> Backend {
    if p.mode != RateLimitMode::Shared {
        return Backend::Local;
    }
    match p.store {
        Some(url) => match RedisBudget::for_url(url) {
            Ok(r) => Backend::Redis(r),
            Err(e) => {
                if !SHARED_WITHOUT_STORE.swap(true, Ordering::Relaxed) {
                    p.logger.event(
                        LogLevel::Error,
                        "warning: rate_limit is shared but its store cannot be used; pacing in this process only",
                        &[("reason", json!(e.message()))],
                    );
                }
                Backend::Local
            }
        },
        None => {
            if !SHARED_WITHOUT_STORE.swap(true, Ordering::Relaxed) {
                p.logger.event(
                    LogLevel::Error,
                    "warning: rate_limit is shared but no Redis store is set (rate_limit_store, or a redis:// token_store); pacing in this process only",
                    &[],
                );
            }
            Backend::Local
        }
    }
}

/// Takes from the backend; `true` with the answer when it came from the shared store.
async fn take(backend: &Backend, key: &str, in_flight: u64, logger: &Logger) -> (Take, bool) {
    match backend {
        Backend::Local => (LocalBudget::global().take_now(key, in_flight), false),
        Backend::Redis(r) => match r.take(key, in_flight).await {
            Ok(t) => {
                r.up(logger);
                (t, true)
            }
            Err(e) => {
                r.down(logger, &e);
                (LocalBudget::global().take_now(key, in_flight), false)
            }
        },
    }
}

/// How often a process waiting for the fleet's first reply looks at the shared store.
const SHARED_POLL: Duration = Duration::from_millis(25);

async fn learn(backend: &Backend, key: &str, report: Report, logger: &Logger) {
    LocalBudget::global().learn_now(key, &report);
    if let Backend::Redis(r) = backend {
        match r.learn(key, report).await {
            Ok(()) => r.up(logger),
            Err(e) => r.down(logger, &e),
        }
    }
}

/// Leave to send one request; give the reply to [`Permit::learn`].
pub(crate) struct Permit {
    budget: Arc<TokenBudget>,
    key: String,
    backend: Backend,
    generation: Option<u64>,
    probe: bool,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut l = self.budget.lock();
        l.in_flight = l.in_flight.saturating_sub(1);
        if self.probe {
            // Answered (learned first), cancelled, or no reply: the waiters look again.
            l.probe_out = false;
            drop(l);
            self.budget.probe_done.notify_waiters();
        }
    }
}

fn not_sent(wait: Duration, p: &Pacing<'_>) -> Error {
    Error::new(
        ErrorKind::RateLimited,
        format!(
            "the rate budget of this token is spent: the next request may go in {:.1} s, which is past rate_limit_wait_max ({} s); the request was not sent",
            wait.as_secs_f64(),
            p.wait_max.as_secs_f64()
        ),
    )
}

/// Waits for room in the budget of `token`. `Ok(None)` when pacing is off.
pub(crate) async fn acquire(p: &Pacing<'_>, token: &str) -> Result<Option<Permit>> {
    if p.mode == RateLimitMode::Off {
        return Ok(None);
    }
    let key = token_key(token);
    let budget = budget_of(&key);
    let backend = backend_for(p);
    let started = Instant::now();
    let deadline = started.checked_add(p.wait_max).unwrap_or(started);
    let permit = |generation, probe| {
        let mut l = budget.lock();
        l.in_flight = l.in_flight.saturating_add(1);
        drop(l);
        Permit { budget: budget.clone(), key: key.clone(), backend: backend.clone(), generation, probe }
    };
    let shared = matches!(backend, Backend::Redis(_));
    let mut poller: Option<PollerGuard<'_>> = None;
    loop {
        let now = Instant::now();
        let (until, ask, in_flight) = {
            let mut l = budget.lock();
            l.last_used = now;
            let in_flight = l.in_flight;
            match l.blocked_until.filter(|b| *b > now) {
                Some(b) => (Some(b), false, in_flight),
                None if l.phase == Phase::NoHeaders => (l.adaptive.acquire(now), false, in_flight),
                None => match l.shared_wait_until.filter(|w| shared && *w > now) {
                    Some(w) => (Some(w), false, in_flight),
                    None => (None, true, in_flight),
                },
            }
        };
        let until = if ask {
            let slot = if shared { budget.shared_takers.acquire().await.ok() } else { None };
            if slot.is_some() && budget.lock().shared_wait_until.is_some_and(|w| w > Instant::now()) {
                // Another call learned meanwhile that the window is spent.
                continue;
            }
            let taken = take(&backend, &key, in_flight, p.logger).await;
            drop(slot);
            if !matches!(taken, (Take::Unknown, true)) {
                poller = None;
            }
            if let (Take::Wait(d), true) = taken {
                budget.lock().shared_wait_until = now.checked_add(d);
            }
            match taken {
                (Take::Go { generation }, _) => return Ok(Some(permit(Some(generation), false))),
                (Take::Wait(d), _) => Some(now.checked_add(d).unwrap_or(now)),
                // The fleet's one request to learn the budget (one per PROBE_WAIT).
                (Take::Probe, _) => return Ok(Some(permit(None, false))),
                (Take::Unknown, true) => {
                    if now >= deadline {
                        return Ok(Some(permit(None, false)));
                    }
                    // One call of the process polls the store; the others wait for it.
                    let notified = budget.probe_done.notified();
                    tokio::pin!(notified);
                    notified.as_mut().enable();
                    let poll = poller.is_some() || {
                        let mut l = budget.lock();
                        !std::mem::replace(&mut l.shared_poller, true)
                    };
                    if poll {
                        if poller.is_none() {
                            poller = Some(PollerGuard(&budget));
                        }
                        Some(now.checked_add(SHARED_POLL).unwrap_or(now).min(deadline))
                    } else {
                        let wait = PROBE_WAIT.min(deadline.saturating_duration_since(now));
                        let _ = tokio::time::timeout(wait, notified).await;
                        continue;
                    }
                }
                (Take::Unknown, false) => {
                    let notified = budget.probe_done.notified();
                    tokio::pin!(notified);
                    notified.as_mut().enable();
                    {
                        let mut l = budget.lock();
                        if l.phase == Phase::NoHeaders {
                            continue;
                        }
                        if !l.probe_out {
                            l.probe_out = true;
                            drop(l);
                            return Ok(Some(permit(None, true)));
                        }
                    }
                    if now >= deadline {
                        // Waited as long as allowed for a first reply: go without knowing.
                        return Ok(Some(permit(None, false)));
                    }
                    let wait = PROBE_WAIT.min(deadline.saturating_duration_since(now));
                    if tokio::time::timeout(wait, notified).await.is_err() {
                        // The first reply is slow: one more call goes every PROBE_WAIT.
                        let now = Instant::now();
                        let mut l = budget.lock();
                        if l.last_blind.is_none_or(|b| now.saturating_duration_since(b) >= PROBE_WAIT) {
                            l.last_blind = Some(now);
                            drop(l);
                            return Ok(Some(permit(None, false)));
                        }
                    }
                    continue;
                }
            }
        } else {
            until
        };
        match until {
            None => return Ok(Some(permit(None, false))),
            Some(at) if at > deadline => return Err(not_sent(at.saturating_duration_since(now), p)),
            Some(at) => tokio::time::sleep_until(at).await,
        }
    }
}

impl Permit {
    /// Learns from the reply (`None` when there was none: a connection error).
    pub(crate) async fn learn(self, reply: Option<&Response>, logger: &Logger) {
        if let Some(r) = reply {
            let now = Instant::now();
            let throttled = r.status == 429;
            let retry_after = r.retry_after();
            let full = r.rate_limit.and_then(|rl| Some((rl.allowed?, rl.count?, rl.reset?)));
            match full {
                Some((allowed, count, reset)) => {
                    let report = Report {
                        allowed,
                        count,
                        reset: Duration::from_secs(reset.min(crate::clock::MAX_DURATION.as_secs())),
                        generation: self.generation,
                        throttled_for: throttled.then(|| retry_after.unwrap_or(Duration::from_secs(1))),
                        in_flight: self.budget.lock().in_flight.saturating_sub(1),
                    };
                    learn(&self.backend, &self.key, report, logger).await;
                    self.budget.lock().phase = Phase::Learned;
                }
                None => {
                    let mut l = self.budget.lock();
                    if l.phase == Phase::Unknown {
                        l.phase = Phase::NoHeaders;
                    }
                    if l.phase == Phase::NoHeaders {
                        if throttled {
                            l.adaptive.throttled(now);
                        } else {
                            l.adaptive.succeeded(now);
                        }
                    }
                }
            }
            if throttled {
                let until = now.checked_add(retry_after.unwrap_or(Duration::from_secs(1))).unwrap_or(now);
                let mut l = self.budget.lock();
                l.blocked_until = Some(l.blocked_until.map_or(until, |b| b.max(until)));
            }
        }
        // Dropping the permit wakes the calls waiting for a first reply.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logging::LogConfig;

    fn reply(status: u16, headers: &[(&str, &str)]) -> Response {
        Response::new(
            status,
            headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            Default::default(),
        )
    }

    fn pacing(logger: &Logger, wait_max: Duration) -> Pacing<'_> {
        Pacing { mode: RateLimitMode::Local, wait_max, store: None, logger }
    }

    #[tokio::test]
    async fn a_call_past_the_bound_fails_rate_limited_without_waiting() {
        let logger = Logger::new(LogConfig::default());
        let p = pacing(&logger, Duration::from_secs(2));
        let token = "unit-test-token-bound";
        let first = acquire(&p, token).await.unwrap().unwrap();
        // The server says: 1 request per 60 s window, and it is spent.
        let r = reply(
            200,
            &[("inin-ratelimit-allowed", "1"), ("inin-ratelimit-count", "1"), ("inin-ratelimit-reset", "60")],
        );
        first.learn(Some(&r), &logger).await;
        let started = Instant::now();
        let err = acquire(&p, token).await.err().unwrap();
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert!(
            err.message().contains("rate_limit_wait_max") && err.message().contains("not sent"),
            "{}",
            err.message()
        );
        assert!(started.elapsed() < Duration::from_millis(100));
        // Off: never held.
        let off = Pacing { mode: RateLimitMode::Off, ..pacing(&logger, Duration::ZERO) };
        assert!(acquire(&off, token).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_call_within_the_bound_waits_for_the_window() {
        let logger = Logger::new(LogConfig::default());
        let p = pacing(&logger, Duration::from_secs(5));
        let token = "unit-test-token-wait";
        let first = acquire(&p, token).await.unwrap().unwrap();
        let r = reply(
            200,
            &[("inin-ratelimit-allowed", "1"), ("inin-ratelimit-count", "1"), ("inin-ratelimit-reset", "1")],
        );
        first.learn(Some(&r), &logger).await;
        let started = Instant::now();
        let second = acquire(&p, token).await.unwrap();
        assert!(second.is_some());
        assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
    }

    #[tokio::test]
    async fn without_headers_a_429_blocks_for_its_retry_after_and_turns_pacing_on() {
        let logger = Logger::new(LogConfig::default());
        let p = pacing(&logger, Duration::from_millis(500));
        let token = "unit-test-token-adaptive";
        let first = acquire(&p, token).await.unwrap().unwrap();
        first.learn(Some(&reply(200, &[])), &logger).await;
        // No headers: calls go at once.
        for _ in 0..20 {
            acquire(&p, token).await.unwrap().unwrap().learn(Some(&reply(200, &[])), &logger).await;
        }
        let throttled = acquire(&p, token).await.unwrap().unwrap();
        throttled.learn(Some(&reply(429, &[("retry-after", "3")])), &logger).await;
        let err = acquire(&p, token).await.err().unwrap();
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert!(budget_of(&token_key(token)).lock().adaptive.fill_rate > 0.0);
    }

    #[tokio::test]
    async fn the_first_call_of_a_token_goes_alone() {
        let logger = Logger::new(LogConfig::default());
        let p = pacing(&logger, Duration::from_secs(5));
        let token = "unit-test-token-probe";
        let probe = acquire(&p, token).await.unwrap().unwrap();
        let p2 = pacing(&logger, Duration::from_secs(5));
        let waiter = async {
            assert!(acquire(&p2, token).await.unwrap().is_some());
            Instant::now()
        };
        let answer = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            probe.learn(Some(&reply(200, &[])), &logger).await;
            Instant::now()
        };
        let started = Instant::now();
        let (went, answered) = tokio::join!(waiter, answer);
        // The second call waited for the first one's reply, and no longer.
        assert!(went >= answered);
        assert!(went.saturating_duration_since(started) < PROBE_WAIT);
        assert!(!token_key(token).contains("unit"));
    }
}
