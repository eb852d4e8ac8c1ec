//! The host's hooks into a call: what they are told and their types. Plain
//! data and callables, so that settings can hold them without depending on the
//! request engine that calls them.

use std::sync::Arc;
use std::time::Duration;

/// Told before each retry.
#[derive(Debug, Clone)]
pub struct RetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    pub method: String,
    /// With secret query fields and user-info removed (as logged).
    pub url: String,
    /// The status that caused the retry; None for a network error.
    pub status: Option<u16>,
    pub wait: Duration,
    /// Short reason: `status 429`, `connect error`, `read error`...
    pub reason: String,
}

pub type RetryHook = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// One HTTP exchange (one attempt of a call), as the exchange hook sees it.
/// Carries no bodies, and response headers with secret ones (cookies) masked.
#[derive(Debug, Clone)]
pub struct ExchangeEvent {
    pub method: String,
    /// With secret query fields and user-info removed.
    pub url: String,
    /// None when no reply came (connection error, timeout).
    pub status: Option<u16>,
    pub duration: Duration,
    /// 1 for the first try of a call.
    pub attempt: u32,
    pub correlation_id: Option<String>,
    /// The reply's headers (names in lower case); empty when no reply came.
    pub response_headers: Vec<(String, String)>,
    pub error: Option<String>,
    pub is_token_call: bool,
}

/// Called after every HTTP exchange (see [`ExchangeEvent`]).
#[derive(Clone)]
pub struct ExchangeHook(pub std::sync::Arc<dyn Fn(&ExchangeEvent) + Send + Sync>);

impl ExchangeHook {
    pub fn new(f: impl Fn(&ExchangeEvent) + Send + Sync + 'static) -> Self {
        ExchangeHook(std::sync::Arc::new(f))
    }
}

impl std::fmt::Debug for ExchangeHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExchangeHook")
    }
}
