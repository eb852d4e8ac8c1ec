//! Public value types: options, faults, rate limits, counters and recorded requests.
//!
//! Faults and rate limits travel through the admin HTTP API as flat JSON objects; the
//! `*Wire` structs below hold that JSON shape and convert to and from the Rust enums.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How to start an [`crate::Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// TCP port on 127.0.0.1; 0 picks an ephemeral port.
    pub port: u16,
    /// Serve HTTPS with a freshly generated CA (see [`crate::Emulator::ca_pem`]).
    pub tls: bool,
    /// Lifetime of access tokens issued from now on (`expires_in`).
    pub token_lifetime: Duration,
    /// Require a client certificate signed by the generated CA (mTLS; implies `tls`).
    /// The identity to present is [`crate::Emulator::client_identity`].
    pub require_client_cert: bool,
    /// The per-token API limit at start (and after a reset); `None` (the default) is off.
    pub rate_limit: Option<RateLimit>,
    /// The token endpoint's limit per client id (`per_token` = token requests per window).
    pub token_rate_limit: Option<RateLimit>,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            port: 0,
            tls: false,
            token_lifetime: Duration::from_secs(86_400),
            require_client_cert: false,
            rate_limit: None,
            token_rate_limit: None,
        }
    }
}

/// Which requests a [`Fault`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTarget {
    /// Requests under `/api/v2`.
    #[default]
    Api,
    /// Requests to `/oauth/token`.
    Token,
    /// Either of the above.
    Any,
}

/// A `Retry-After` value sent with a status fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryAfter {
    /// `Retry-After: N`.
    Seconds(u64),
    /// `Retry-After: <HTTP date N seconds from now>`.
    HttpDate(u64),
}

impl RetryAfter {
    /// The delay in seconds, whichever form is used.
    pub fn seconds(&self) -> u64 {
        match self {
            RetryAfter::Seconds(s) | RetryAfter::HttpDate(s) => *s,
        }
    }
}

/// What a fault does to the request it hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FaultWire", into = "FaultWire")]
pub enum FaultKind {
    /// Answer this status (default body: a Genesys or OAuth error body matching it).
    Status { status: u16, retry_after: Option<RetryAfter>, body: Option<String>, content_type: Option<String> },
    /// Wait, then answer normally.
    Delay { ms: u64 },
    /// Close the connection without writing any response.
    Reset,
    /// Answer 200 with the Content-Length of the full normal body, write only part of it, close.
    Truncate,
    /// Answer `status` with a chunked body that never ends (64 KiB chunks, as fast as the
    /// client reads).
    Endless { status: u16 },
    /// Answer `status` with a body of exactly `bytes` bytes (a JSON string `"xx…x"` when
    /// `bytes >= 2`), generated as it is written. With a `Content-Length` unless `chunked`.
    Large { status: u16, bytes: u64, chunked: bool },
    /// For the token endpoint: a successful token reply reports this `expires_in` (any JSON
    /// value: huge, negative, zero, fractional, a string...). The token itself is valid for
    /// the emulator's token lifetime as usual.
    ExpiresIn { value: serde_json::Value },
}

/// One queued fault. Build with [`Fault::new`] or a struct literal with `..Default::default()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FaultWire", into = "FaultWire")]
pub struct Fault {
    pub target: FaultTarget,
    pub kind: FaultKind,
    /// How many matching requests it hits before it is removed.
    pub count: u32,
    /// Only requests with this method (case-insensitive).
    pub method: Option<String>,
    /// Only requests whose path (as received) contains this text.
    pub path_contains: Option<String>,
}

impl Default for Fault {
    /// One `503` on the next API request.
    fn default() -> Self {
        Fault::status(503)
    }
}

impl Fault {
    /// A fault of this kind for the next API request.
    pub fn new(kind: FaultKind) -> Fault {
        Fault { target: FaultTarget::Api, kind, count: 1, method: None, path_contains: None }
    }

    /// A status fault with the default body and no `Retry-After`.
    pub fn status(status: u16) -> Fault {
        Fault::new(FaultKind::Status { status, retry_after: None, body: None, content_type: None })
    }

    pub fn target(mut self, target: FaultTarget) -> Fault {
        self.target = target;
        self
    }

    pub fn times(mut self, count: u32) -> Fault {
        self.count = count;
        self
    }
}

/// A per-token request budget per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RateLimitWire", into = "RateLimitWire")]
pub struct RateLimit {
    pub per_token: u32,
    pub window: Duration,
}

/// Snapshot of what the emulator has received since start or the last reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub token_requests: u64,
    pub token_requests_by_grant: BTreeMap<String, u64>,
    pub api_requests: u64,
    /// Key `"GET /api/v2/users/me"`: method and path without query and without a gateway prefix.
    pub api_requests_by_route: BTreeMap<String, u64>,
    pub authorize_requests: u64,
    /// API requests answered 401 because the bearer token was missing, unknown, expired or revoked.
    pub unauthorized: u64,
    pub faults_served: u64,
}

/// One request as the emulator received it, and the status it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Milliseconds since the emulator started.
    pub at_ms: u64,
    pub method: String,
    /// The path as received (gateway prefix included).
    pub path: String,
    /// The raw query string without `?`.
    pub query: String,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, decoded as lossy UTF-8.
    pub body: String,
    /// Gateway prefix found before `/oauth/` or `/api/v2/` (empty when none).
    pub prefix: String,
    /// Status answered; 0 when the connection was reset.
    pub status: u16,
}

// ---------------------------------------------------------------------------------------
// Wire formats
// ---------------------------------------------------------------------------------------

/// The flat JSON shape of a fault (and of a bare fault kind).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<FaultTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_contains: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after_http_date: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chunked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_in: Option<serde_json::Value>,
}

/// Kinds that answer a status of their own (`status`, default 200 except for `status`).
const STATUS_KINDS: [&str; 3] = ["status", "endless", "large"];

impl TryFrom<FaultWire> for FaultKind {
    type Error = String;

    fn try_from(w: FaultWire) -> Result<Self, String> {
        let only_status = |field: &str, present: bool| -> Result<(), String> {
            if present {
                Err(format!("field `{field}` is only valid with kind \"status\""))
            } else {
                Ok(())
            }
        };
        if !STATUS_KINDS.contains(&w.kind.as_str()) && w.status.is_some() {
            return Err("field `status` is only valid with kind \"status\", \"endless\" or \"large\"".to_string());
        }
        if w.kind != "status" {
            only_status("retry_after", w.retry_after.is_some())?;
            only_status("retry_after_http_date", w.retry_after_http_date.is_some())?;
            only_status("body", w.body.is_some())?;
            only_status("content_type", w.content_type.is_some())?;
        }
        for (field, present, kind) in [
            ("ms", w.ms.is_some(), "delay"),
            ("bytes", w.bytes.is_some(), "large"),
            ("chunked", w.chunked.is_some(), "large"),
            ("expires_in", w.expires_in.is_some(), "expires_in"),
        ] {
            if present && w.kind != kind {
                return Err(format!("field `{field}` is only valid with kind \"{kind}\""));
            }
        }
        let reply_status = |status: Option<u16>| -> Result<u16, String> {
            let status = status.unwrap_or(200);
            if !(200..=599).contains(&status) {
                return Err(format!("status {status} is outside 200..=599"));
            }
            Ok(status)
        };
        match w.kind.as_str() {
            "status" => {
                let status = w.status.ok_or_else(|| "kind \"status\" needs a `status` field".to_string())?;
                if !(200..=599).contains(&status) {
                    return Err(format!("status {status} is outside 200..=599"));
                }
                let retry_after = match (w.retry_after, w.retry_after_http_date.unwrap_or(false)) {
                    (Some(s), false) => Some(RetryAfter::Seconds(s)),
                    (Some(s), true) => Some(RetryAfter::HttpDate(s)),
                    (None, true) => return Err("`retry_after_http_date` needs `retry_after`".to_string()),
                    (None, false) => None,
                };
                Ok(FaultKind::Status { status, retry_after, body: w.body, content_type: w.content_type })
            }
            "delay" => {
                Ok(FaultKind::Delay { ms: w.ms.ok_or_else(|| "kind \"delay\" needs an `ms` field".to_string())? })
            }
            "reset" => Ok(FaultKind::Reset),
            "truncate" => Ok(FaultKind::Truncate),
            "endless" => Ok(FaultKind::Endless { status: reply_status(w.status)? }),
            "large" => Ok(FaultKind::Large {
                status: reply_status(w.status)?,
                bytes: w.bytes.ok_or_else(|| "kind \"large\" needs a `bytes` field".to_string())?,
                chunked: w.chunked.unwrap_or(false),
            }),
            "expires_in" => Ok(FaultKind::ExpiresIn {
                value: w.expires_in.ok_or_else(|| "kind \"expires_in\" needs an `expires_in` field".to_string())?,
            }),
            other => Err(format!(
                "unknown fault kind \"{other}\" (expected status, delay, reset, truncate, endless, large or expires_in)"
            )),
        }
    }
}

impl From<FaultKind> for FaultWire {
    fn from(k: FaultKind) -> FaultWire {
        match k {
            FaultKind::Status { status, retry_after, body, content_type } => FaultWire {
                kind: "status".into(),
                status: Some(status),
                retry_after: retry_after.map(|r| r.seconds()),
                retry_after_http_date: retry_after.map(|r| matches!(r, RetryAfter::HttpDate(_))),
                body,
                content_type,
                ..FaultWire::default()
            },
            FaultKind::Delay { ms } => FaultWire { kind: "delay".into(), ms: Some(ms), ..FaultWire::default() },
            FaultKind::Reset => FaultWire { kind: "reset".into(), ..FaultWire::default() },
            FaultKind::Truncate => FaultWire { kind: "truncate".into(), ..FaultWire::default() },
            FaultKind::Endless { status } => {
                FaultWire { kind: "endless".into(), status: Some(status), ..FaultWire::default() }
            }
            FaultKind::Large { status, bytes, chunked } => FaultWire {
                kind: "large".into(),
                status: Some(status),
                bytes: Some(bytes),
                chunked: Some(chunked),
                ..FaultWire::default()
            },
            FaultKind::ExpiresIn { value } => {
                FaultWire { kind: "expires_in".into(), expires_in: Some(value), ..FaultWire::default() }
            }
        }
    }
}

impl TryFrom<FaultWire> for Fault {
    type Error = String;

    fn try_from(mut w: FaultWire) -> Result<Self, String> {
        let target = w.target.take().unwrap_or_default();
        let count = w.count.take().unwrap_or(1);
        if count == 0 {
            return Err("`count` must be at least 1".to_string());
        }
        let method = w.method.take();
        let path_contains = w.path_contains.take();
        Ok(Fault { target, kind: FaultKind::try_from(w)?, count, method, path_contains })
    }
}

impl From<Fault> for FaultWire {
    fn from(f: Fault) -> FaultWire {
        FaultWire {
            target: Some(f.target),
            count: Some(f.count),
            method: f.method,
            path_contains: f.path_contains,
            ..FaultWire::from(f.kind)
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RateLimitWire {
    per_token: u32,
    #[serde(default = "default_window")]
    window_seconds: f64,
}

fn default_window() -> f64 {
    60.0
}

impl TryFrom<RateLimitWire> for RateLimit {
    type Error = String;

    fn try_from(w: RateLimitWire) -> Result<Self, String> {
        let window = Duration::try_from_secs_f64(w.window_seconds)
            .map_err(|_| format!("invalid window_seconds {}", w.window_seconds))?;
        if window.is_zero() {
            return Err("window_seconds must be positive".to_string());
        }
        Ok(RateLimit { per_token: w.per_token, window })
    }
}

impl From<RateLimit> for RateLimitWire {
    fn from(r: RateLimit) -> RateLimitWire {
        RateLimitWire { per_token: r.per_token, window_seconds: r.window.as_secs_f64() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_json_round_trip() {
        let f: Fault = serde_json::from_str(
            r#"{"target":"token","count":2,"kind":"status","status":429,"retry_after":3,"retry_after_http_date":true}"#,
        )
        .unwrap();
        assert_eq!(f.target, FaultTarget::Token);
        assert_eq!(f.count, 2);
        assert_eq!(
            f.kind,
            FaultKind::Status {
                status: 429,
                retry_after: Some(RetryAfter::HttpDate(3)),
                body: None,
                content_type: None
            }
        );
        let back: Fault = serde_json::from_value(serde_json::to_value(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        let d: Fault = serde_json::from_str(r#"{"kind":"delay","ms":5}"#).unwrap();
        assert_eq!(d.kind, FaultKind::Delay { ms: 5 });
        assert_eq!(d.target, FaultTarget::Api);
        assert_eq!(d.count, 1);
    }

    #[test]
    fn fault_json_errors_name_the_problem() {
        let e = serde_json::from_str::<Fault>(r#"{"kind":"explode"}"#).unwrap_err();
        assert!(e.to_string().contains("explode"), "{e}");
        let e = serde_json::from_str::<Fault>(r#"{"kind":"reset","status":500}"#).unwrap_err();
        assert!(e.to_string().contains("status"), "{e}");
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"status"}"#).is_err());
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"reset","count":0}"#).is_err());
        let e = serde_json::from_str::<Fault>(r#"{"kind":"large"}"#).unwrap_err();
        assert!(e.to_string().contains("bytes"), "{e}");
        let e = serde_json::from_str::<Fault>(r#"{"kind":"endless","bytes":5}"#).unwrap_err();
        assert!(e.to_string().contains("bytes"), "{e}");
        let e = serde_json::from_str::<Fault>(r#"{"kind":"expires_in"}"#).unwrap_err();
        assert!(e.to_string().contains("expires_in"), "{e}");
        let e = serde_json::from_str::<Fault>(r#"{"kind":"endless","status":99}"#).unwrap_err();
        assert!(e.to_string().contains("99"), "{e}");
    }

    #[test]
    fn body_fault_json() {
        let f: Fault = serde_json::from_str(r#"{"kind":"endless"}"#).unwrap();
        assert_eq!(f.kind, FaultKind::Endless { status: 200 });
        let f: Fault = serde_json::from_str(r#"{"kind":"large","bytes":1000,"status":500,"chunked":true}"#).unwrap();
        assert_eq!(f.kind, FaultKind::Large { status: 500, bytes: 1000, chunked: true });
        let f: Fault = serde_json::from_str(r#"{"target":"token","kind":"expires_in","expires_in":"-5"}"#).unwrap();
        assert_eq!(f.kind, FaultKind::ExpiresIn { value: serde_json::json!("-5") });
        for f in [
            Fault::new(FaultKind::Large { status: 200, bytes: 7, chunked: false }),
            Fault::new(FaultKind::ExpiresIn { value: serde_json::json!(1.5) }),
        ] {
            let back: Fault = serde_json::from_value(serde_json::to_value(&f).unwrap()).unwrap();
            assert_eq!(back, f);
        }
    }

    #[test]
    fn rate_limit_json() {
        let r: RateLimit = serde_json::from_str(r#"{"per_token":5}"#).unwrap();
        assert_eq!(r.window, Duration::from_secs(60));
        assert!(serde_json::from_str::<RateLimit>(r#"{"per_token":5,"window_seconds":0}"#).is_err());
    }
}
