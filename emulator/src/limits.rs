//! The fleet limits: the token endpoint's limit per client id, and the counters of token
//! requests and 429s per client and per token. (The per-token API limit itself lives in
//! `state.rs`, `rate_check`.) Tokens are never used as counter keys: a token is named by
//! [`token_key`], the first 12 hex digits of its SHA-256.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::RateLimit;
use crate::reply::{oauth_error, Reply};
use crate::request::Incoming;

/// Counters of the fleet limits, since start or the last reset (`GET /admin/limits`, and
/// [`crate::Emulator::limit_counters`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitCounters {
    /// Token requests per client id (`"?"` when the request names none).
    pub token_requests_by_client: BTreeMap<String, u64>,
    /// Token requests answered 429 by the token-endpoint limit, per client id.
    pub token_429_by_client: BTreeMap<String, u64>,
    /// API requests answered 429 by the per-token limit (injected faults not included).
    pub api_429: u64,
    /// The same per token ([`token_key`]).
    pub api_429_by_token: BTreeMap<String, u64>,
    /// API requests counted against the per-token limit, per token ([`token_key`]).
    pub api_requests_by_token: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
pub(crate) struct Limits {
    pub token_limit: Option<RateLimit>,
    /// client id → (window start, token requests in the window)
    token_windows: HashMap<String, (Instant, u32)>,
    pub counters: LimitCounters,
}

/// How a token is named in the counters: the first 12 hex digits of its SHA-256.
pub fn token_key(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The client id a token request names: HTTP Basic, else the `client_id` form field.
pub(crate) fn client_of(req: &Incoming) -> String {
    let basic = req.header("authorization").and_then(|h| {
        let (scheme, rest) = h.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let raw = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (id, _) = text.split_once(':')?;
        url::form_urlencoded::parse(format!("x={id}").as_bytes()).next().map(|(_, v)| v.into_owned())
    });
    basic
        .or_else(|| req.form().into_iter().find(|(k, _)| k == "client_id").map(|(_, v)| v))
        .unwrap_or_else(|| "?".to_string())
}

impl Limits {
    /// Counts one token request of `client`; `Some(retry_after_secs)` when it is over the
    /// token-endpoint limit.
    pub fn token_request(&mut self, client: &str) -> Option<u64> {
        *self.counters.token_requests_by_client.entry(client.to_string()).or_insert(0) += 1;
        let limit = self.token_limit?;
        let now = Instant::now();
        let (start, n) = match self.token_windows.get(client) {
            Some(&(start, n)) if now.duration_since(start) < limit.window => (start, n),
            _ => (now, 0),
        };
        let n = n.saturating_add(1);
        self.token_windows.insert(client.to_string(), (start, n));
        if n <= limit.per_token {
            return None;
        }
        *self.counters.token_429_by_client.entry(client.to_string()).or_insert(0) += 1;
        let left = limit.window.saturating_sub(now.duration_since(start));
        Some((left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1))
    }

    pub fn set_token_limit(&mut self, limit: Option<RateLimit>) {
        self.token_limit = limit;
        self.token_windows.clear();
    }

    pub fn api_request(&mut self, token: &str, limited: bool) {
        let key = token_key(token);
        if limited {
            self.counters.api_429 += 1;
            *self.counters.api_429_by_token.entry(key.clone()).or_insert(0) += 1;
        }
        *self.counters.api_requests_by_token.entry(key).or_insert(0) += 1;
    }

    pub fn reset(&mut self) {
        self.counters = LimitCounters::default();
        self.set_token_limit(None);
    }
}

/// The token endpoint's answer beyond its limit.
pub(crate) fn token_limited(retry_after: u64) -> Reply {
    oauth_error(429, "temporarily_unavailable", "oauth credential rate limit exceeded")
        .header("retry-after", retry_after.to_string())
}

/// Parses `N/W` or `N/Ws` (W seconds, fractions allowed; `30/6s`, `300/60s`, `100/1`).
pub fn parse_rate(text: &str) -> Result<RateLimit, String> {
    let bad = || format!("expected N/SECONDS like 30/6s or 300/60s, got {text:?}");
    let (n, w) = text.trim().split_once('/').ok_or_else(bad)?;
    let per_token: u32 = n.trim().parse().map_err(|_| bad())?;
    let w = w.trim();
    let secs: f64 = w.strip_suffix('s').unwrap_or(w).parse().map_err(|_| bad())?;
    let window = std::time::Duration::try_from_secs_f64(secs).ok().filter(|d| !d.is_zero()).ok_or_else(bad)?;
    Ok(RateLimit { per_token, window })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parses_rates() {
        let r = parse_rate("30/6s").unwrap();
        assert_eq!((r.per_token, r.window), (30, Duration::from_secs(6)));
        assert_eq!(parse_rate("100/1").unwrap().window, Duration::from_secs(1));
        assert_eq!(parse_rate("5/0.5s").unwrap().window, Duration::from_millis(500));
        for bad in ["", "30", "x/6s", "30/0s", "30/-1s", "30/6m"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_limit_per_client() {
        let mut l = Limits::default();
        assert_eq!(l.token_request("a"), None);
        l.set_token_limit(Some(RateLimit { per_token: 2, window: Duration::from_secs(30) }));
        assert_eq!(l.token_request("a"), None);
        assert_eq!(l.token_request("a"), None);
        assert!(matches!(l.token_request("a"), Some(1..=30)));
        assert_eq!(l.token_request("b"), None);
        assert_eq!(l.counters.token_requests_by_client["a"], 4);
        assert_eq!(l.counters.token_429_by_client["a"], 1);
        assert!(!token_key("secret-token").contains("secret"));
        assert_eq!(token_key("t").len(), 12);
    }
}
