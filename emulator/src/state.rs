//! Shared, thread-safe emulator state. Each area has its own mutex and every lock is held
//! only for a few map operations; a poisoned mutex is recovered rather than propagated.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use crate::directory::Directory;
use crate::limits::{LimitCounters, Limits};
use crate::model::{Counters, Fault, FaultKind, FaultTarget, RateLimit, RecordedRequest};
use crate::reply::random_token;

/// Maximum number of recorded requests kept (oldest dropped first).
pub(crate) const LOG_CAP: usize = 2_000;
/// Authorization codes expire after this long.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(300);
/// Rate-limit header values when no limit is configured (not enforced). The allowance is
/// one no test reaches, so a client that paces itself by the headers never waits here.
pub(crate) const DEFAULT_ALLOWED: u32 = 1_000_000;
pub(crate) const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

/// Tables this large are pruned of expired entries on the next insert.
const PRUNE_AT: usize = 20_000;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What an access token stands for.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub client_id: String,
    /// The grant that issued it (`client_credentials`, `implicit`, ...).
    #[allow(dead_code)]
    pub grant: String,
    pub user_id: Option<String>,
    pub expires_at: Instant,
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshInfo {
    pub client_id: String,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct CodeInfo {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: Instant,
}

#[derive(Debug)]
struct AuthState {
    token_lifetime: Duration,
    access: HashMap<String, TokenInfo>,
    refresh: HashMap<String, RefreshInfo>,
    codes: HashMap<String, CodeInfo>,
}

#[derive(Debug, Default)]
struct RateState {
    limit: Option<RateLimit>,
    /// token → (window start, requests in the window)
    windows: HashMap<String, (Instant, u32)>,
}

#[derive(Debug, Default)]
struct Stats {
    counters: Counters,
    log: VecDeque<RecordedRequest>,
}

/// Rate-limit bookkeeping for one API request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateOutcome {
    pub allowed: u32,
    pub count: u32,
    /// Whole seconds (rounded up) until the window resets.
    pub reset_secs: u64,
    /// `Some(retry_after_secs)` when the request is over the limit.
    pub limited: Option<u64>,
}

/// Which endpoint family a request belongs to, for fault matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    Api,
    Token,
}

#[derive(Debug)]
pub(crate) struct State {
    pub started: Instant,
    auth: Mutex<AuthState>,
    faults: Mutex<VecDeque<Fault>>,
    rate: Mutex<RateState>,
    stats: Mutex<Stats>,
    /// Users and routing queues (see `directory.rs`).
    directory: Mutex<Directory>,
    /// The lifetime given at start, restored by `reset`.
    initial_token_lifetime: Duration,
    /// Token-endpoint limit and fleet counters (see `limits.rs`).
    limits: Mutex<Limits>,
    /// The API and token-endpoint limits given at start, restored by `reset`.
    start_limits: Mutex<(Option<RateLimit>, Option<RateLimit>)>,
}

impl State {
    pub fn new(token_lifetime: Duration) -> State {
        State {
            started: Instant::now(),
            auth: Mutex::new(AuthState {
                token_lifetime,
                access: HashMap::new(),
                refresh: HashMap::new(),
                codes: HashMap::new(),
            }),
            faults: Mutex::new(VecDeque::new()),
            rate: Mutex::new(RateState::default()),
            stats: Mutex::new(Stats::default()),
            directory: Mutex::new(Directory::seeded()),
            initial_token_lifetime: token_lifetime,
            limits: Mutex::new(Limits::default()),
            start_limits: Mutex::new((None, None)),
        }
    }

    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    // ----- tokens -------------------------------------------------------------------

    pub fn token_lifetime(&self) -> Duration {
        lock(&self.auth).token_lifetime
    }

    pub fn set_token_lifetime(&self, lifetime: Duration) {
        lock(&self.auth).token_lifetime = lifetime;
    }

    /// Issues an access token; returns it with `expires_in` in whole seconds (rounded up).
    pub fn issue_access(&self, client_id: &str, grant: &str, user_id: Option<&str>) -> (String, u64) {
        let token = random_token(48);
        let now = Instant::now();
        let mut a = lock(&self.auth);
        let lifetime = a.token_lifetime;
        if a.access.len() >= PRUNE_AT {
            a.access.retain(|_, t| t.expires_at > now);
        }
        a.access.insert(
            token.clone(),
            TokenInfo {
                client_id: client_id.to_string(),
                grant: grant.to_string(),
                user_id: user_id.map(str::to_string),
                expires_at: now + lifetime,
            },
        );
        drop(a);
        let mut secs = lifetime.as_secs();
        if lifetime.subsec_nanos() > 0 {
            secs += 1;
        }
        (token, secs)
    }

    pub fn issue_refresh(&self, client_id: &str, user_id: Option<&str>) -> String {
        let token = random_token(48);
        lock(&self.auth).refresh.insert(
            token.clone(),
            RefreshInfo { client_id: client_id.to_string(), user_id: user_id.map(str::to_string) },
        );
        token
    }

    pub fn refresh_info(&self, token: &str) -> Option<RefreshInfo> {
        lock(&self.auth).refresh.get(token).cloned()
    }

    pub fn issue_code(&self, client_id: &str, redirect_uri: &str, challenge: Option<&str>) -> String {
        let code = random_token(32);
        let now = Instant::now();
        let mut a = lock(&self.auth);
        if a.codes.len() >= PRUNE_AT {
            a.codes.retain(|_, c| c.expires_at > now);
        }
        a.codes.insert(
            code.clone(),
            CodeInfo {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                code_challenge: challenge.map(str::to_string),
                expires_at: now + CODE_LIFETIME,
            },
        );
        code
    }

    /// Redeems a code atomically: it must exist, be unexpired and pass `check`; it is
    /// removed only when all of that holds (single use). Expired codes are removed.
    pub fn redeem_code<E>(
        &self,
        code: &str,
        missing: impl FnOnce() -> E,
        check: impl FnOnce(&CodeInfo) -> Result<(), E>,
    ) -> Result<CodeInfo, E> {
        let mut a = lock(&self.auth);
        let Some(info) = a.codes.get(code) else {
            return Err(missing());
        };
        if info.expires_at <= Instant::now() {
            a.codes.remove(code);
            return Err(missing());
        }
        check(info)?;
        a.codes.remove(code).ok_or_else(missing)
    }

    /// The token's info when it is known and unexpired.
    pub fn check_access(&self, token: &str) -> Option<TokenInfo> {
        let a = lock(&self.auth);
        a.access.get(token).filter(|t| t.expires_at > Instant::now()).cloned()
    }

    /// Revokes every access token issued so far (refresh tokens stay valid).
    pub fn expire_all_tokens(&self) {
        lock(&self.auth).access.clear();
    }

    /// Revokes every access token now, then `times - 1` more times, `interval` apart (on the
    /// current tokio runtime; the later revocations stop when the emulator is gone).
    pub fn expire_all_tokens_repeatedly(self: &Arc<Self>, times: u32, interval: Duration) {
        if times == 0 {
            return;
        }
        self.expire_all_tokens();
        if times == 1 {
            return;
        }
        let weak: Weak<State> = Arc::downgrade(self);
        tokio::spawn(async move {
            for _ in 1..times {
                tokio::time::sleep(interval).await;
                match weak.upgrade() {
                    Some(state) => state.expire_all_tokens(),
                    None => return,
                }
            }
        });
    }

    // ----- faults -------------------------------------------------------------------

    pub fn push_fault(&self, fault: Fault) {
        if fault.count > 0 {
            lock(&self.faults).push_back(fault);
        }
    }

    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.faults).iter().cloned().collect()
    }

    /// Takes one use of the first queued fault matching this request.
    pub fn take_fault(&self, area: Area, method: &str, path: &str) -> Option<FaultKind> {
        let mut q = lock(&self.faults);
        let idx = q.iter().position(|f| {
            let target_ok = match f.target {
                FaultTarget::Any => true,
                FaultTarget::Api => area == Area::Api,
                FaultTarget::Token => area == Area::Token,
            };
            target_ok
                && f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.path_contains.as_deref().is_none_or(|p| path.contains(p))
        })?;
        let fault = q.get_mut(idx)?;
        let kind = fault.kind.clone();
        fault.count = fault.count.saturating_sub(1);
        if fault.count == 0 {
            q.remove(idx);
        }
        drop(q);
        lock(&self.stats).counters.faults_served += 1;
        Some(kind)
    }

    // ----- rate limit ---------------------------------------------------------------

    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        let mut r = lock(&self.rate);
        r.limit = limit;
        r.windows.clear();
    }

    pub fn rate_limit(&self) -> Option<RateLimit> {
        lock(&self.rate).limit
    }

    /// Counts one API request for `token` (or only reports, when `count` is false).
    pub fn rate_check(&self, token: Option<&str>, count: bool) -> RateOutcome {
        let now = Instant::now();
        let mut r = lock(&self.rate);
        let (allowed, window, enforce) = match r.limit {
            Some(l) => (l.per_token, l.window, true),
            None => (DEFAULT_ALLOWED, DEFAULT_WINDOW, false),
        };
        let Some(token) = token else {
            return RateOutcome { allowed, count: 0, reset_secs: window_secs(window), limited: None };
        };
        if count && r.windows.len() >= PRUNE_AT && !r.windows.contains_key(token) {
            r.windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let (start, n) = match r.windows.get(token) {
            Some(&(start, n)) if now.duration_since(start) < window => (start, n),
            _ => (now, 0),
        };
        let n = if count { n.saturating_add(1) } else { n };
        if count {
            r.windows.insert(token.to_string(), (start, n));
        }
        drop(r);
        let remaining = window.saturating_sub(now.duration_since(start));
        let reset_secs = window_secs(remaining);
        let limited = (enforce && count && n > allowed).then_some(reset_secs.max(1));
        RateOutcome { allowed, count: n, reset_secs, limited }
    }

    /// The limits given at start (kept for `reset`), applied now.
    pub fn set_start_limits(&self, api: Option<RateLimit>, token: Option<RateLimit>) {
        *lock(&self.start_limits) = (api, token);
        self.set_rate_limit(api);
        self.set_token_rate_limit(token);
    }

    pub fn set_token_rate_limit(&self, limit: Option<RateLimit>) {
        lock(&self.limits).set_token_limit(limit);
    }

    pub fn token_rate_limit(&self) -> Option<RateLimit> {
        lock(&self.limits).token_limit
    }

    /// Counts a token request of `client`; `Some(retry_after)` when over the endpoint's limit.
    pub fn token_request_limit(&self, client: &str) -> Option<u64> {
        lock(&self.limits).token_request(client)
    }

    /// Counts an API request of `token` against the fleet counters.
    pub fn count_api_limit(&self, token: &str, limited: bool) {
        lock(&self.limits).api_request(token, limited);
    }

    pub fn limit_counters(&self) -> LimitCounters {
        lock(&self.limits).counters.clone()
    }

    // ----- users and queues -------------------------------------------------------

    /// The user and queue store, locked.
    pub fn directory(&self) -> MutexGuard<'_, Directory> {
        lock(&self.directory)
    }

    // ----- counters and request log -------------------------------------------------

    pub fn count_token_request(&self, grant: &str) {
        let mut s = lock(&self.stats);
        s.counters.token_requests += 1;
        *s.counters.token_requests_by_grant.entry(grant.to_string()).or_insert(0) += 1;
    }

    pub fn count_api_request(&self, route: String) {
        let mut s = lock(&self.stats);
        s.counters.api_requests += 1;
        *s.counters.api_requests_by_route.entry(route).or_insert(0) += 1;
    }

    pub fn count_authorize(&self) {
        lock(&self.stats).counters.authorize_requests += 1;
    }

    pub fn count_unauthorized(&self) {
        lock(&self.stats).counters.unauthorized += 1;
    }

    pub fn record(&self, req: RecordedRequest) {
        let mut s = lock(&self.stats);
        if s.log.len() >= LOG_CAP {
            s.log.pop_front();
        }
        s.log.push_back(req);
    }

    pub fn counters(&self) -> Counters {
        lock(&self.stats).counters.clone()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.stats).log.iter().cloned().collect()
    }

    /// Clears counters, the request log, queued faults and the rate limit, and puts users and
    /// queues back to the seed (tokens stay).
    pub fn reset(&self) {
        *lock(&self.directory) = Directory::seeded();
        {
            let mut s = lock(&self.stats);
            s.counters = Counters::default();
            s.log.clear();
        }
        lock(&self.faults).clear();
        lock(&self.limits).reset();
        let (api, token) = *lock(&self.start_limits);
        self.set_rate_limit(api);
        self.set_token_rate_limit(token);
        self.set_token_lifetime(self.initial_token_lifetime);
    }
}

/// Whole seconds, rounded up.
fn window_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_restores_the_token_lifetime() {
        let s = State::new(Duration::from_secs(60));
        s.set_token_lifetime(Duration::from_secs(2));
        s.reset();
        assert_eq!(s.token_lifetime(), Duration::from_secs(60));
    }

    #[test]
    fn rate_window_counts_and_limits() {
        let s = State::new(Duration::from_secs(60));
        s.set_rate_limit(Some(RateLimit { per_token: 2, window: Duration::from_secs(30) }));
        assert!(s.rate_check(Some("t"), true).limited.is_none());
        assert!(s.rate_check(Some("t"), true).limited.is_none());
        let third = s.rate_check(Some("t"), true);
        assert_eq!(third.count, 3);
        assert_eq!(third.allowed, 2);
        assert!(matches!(third.limited, Some(n) if (1..=30).contains(&n)));
        assert!(s.rate_check(Some("other"), true).limited.is_none());
    }

    #[test]
    fn faults_match_in_order_and_count_down() {
        let s = State::new(Duration::from_secs(60));
        s.push_fault(Fault::status(503).target(FaultTarget::Token).times(2));
        s.push_fault(Fault::status(500));
        assert!(matches!(
            s.take_fault(Area::Api, "GET", "/api/v2/users/me"),
            Some(FaultKind::Status { status: 500, .. })
        ));
        assert!(s.take_fault(Area::Api, "GET", "/api/v2/users/me").is_none());
        assert!(s.take_fault(Area::Token, "POST", "/oauth/token").is_some());
        assert!(s.take_fault(Area::Token, "POST", "/oauth/token").is_some());
        assert!(s.take_fault(Area::Token, "POST", "/oauth/token").is_none());
        assert_eq!(s.counters().faults_served, 3);
    }

    #[test]
    fn codes_are_single_use() {
        let s = State::new(Duration::from_secs(60));
        let c = s.issue_code("c", "http://x", None);
        assert!(s.redeem_code(&c, || (), |_| Ok(())).is_ok());
        assert!(s.redeem_code(&c, || (), |_| Ok(())).is_err());
        let c = s.issue_code("c", "http://x", None);
        assert!(s.redeem_code(&c, || (), |_| Err(())).is_err());
        assert!(s.redeem_code(&c, || (), |_| Ok(())).is_ok());
    }
}
