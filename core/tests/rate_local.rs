//! Local pacing: one process queues 1,000 calls on one token against an emulator that allows
//! 100 requests per second per token. With the governor on (`rate_limit = local`, the
//! default) the emulator answers no 429 and the run uses at least 80 % of the allowed rate;
//! with it off, the same calls meet 429s (so this test can fail).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use purecore::governor::RateLimitMode;
use purecore::{Client, ErrorKind, Request};
use purecore_emulator::RateLimit;

const CALLS: usize = 1_000;
const ALLOWED: u32 = 100;
const WINDOW: Duration = Duration::from_secs(1);

async fn limited_emulator() -> Emulator {
    let opts =
        EmulatorOptions { rate_limit: Some(RateLimit { per_token: ALLOWED, window: WINDOW }), ..Default::default() };
    Emulator::start(opts).await.unwrap()
}

/// Queues every call at once; returns the outcome of each.
async fn run(client: &Client) -> Vec<purecore::Result<purecore::Response>> {
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.request(Request::get("/api/v2/users/me")).await })
        })
        .collect();
    let mut out = Vec::with_capacity(CALLS);
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Requests per second the emulator served, over the span of the run: from the first API
/// request to the end of the window of the last one.
fn used_rate(emu: &Emulator) -> f64 {
    let api: Vec<u64> = emu.requests().iter().filter(|r| r.path.starts_with("/api/v2")).map(|r| r.at_ms).collect();
    let span = api.iter().max().unwrap() - api.iter().min().unwrap();
    api.len() as f64 / (span as f64 / 1000.0 + WINDOW.as_secs_f64())
}

/// The emulator's first API request builds its route table (slow in a debug build): done
/// here, with another token, so the run measures pacing only.
async fn warm_up(emu: &Emulator) {
    let other = client_for(emu);
    other.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    other.request(Request::get("/api/v2/users/me")).await.unwrap();
    emu.reset();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_pacing_meets_no_429_and_uses_the_allowed_rate() {
    let emu = limited_emulator().await;
    warm_up(&emu).await;
    let client = client_for(&emu);
    assert_eq!(client.config().rate_limit, RateLimitMode::Local, "local is the default");
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let results = run(&client).await;
    let limits = emu.limit_counters();
    if std::env::var("DEBUG_RATE").is_ok() {
        for r in emu.requests() {
            let h = |n: &str| r.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
            eprintln!("{} {} {}", r.at_ms, r.status, h("x-dbg"));
        }
    }
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{} calls failed, e.g. {}", failed.len(), failed[0]);
    assert_eq!(limits.api_429, 0, "the governor let 429s through: {limits:?}");
    assert_eq!(emu.counters().api_requests, CALLS as u64, "every call was sent once");
    let rate = used_rate(&emu);
    let allowed = f64::from(ALLOWED) / WINDOW.as_secs_f64();
    eprintln!("local pacing: {CALLS} calls, {rate:.1}/s of {allowed}/s allowed, 0 × 429");
    assert!(rate >= 0.8 * allowed, "only {rate:.1}/s of {allowed}/s used");

    // The same calls with the governor off, and without retries (so the run is short).
    let emu = limited_emulator().await;
    let mut config = config_for(&emu);
    config.rate_limit = RateLimitMode::Off;
    config.retry.max_retries = 0;
    let client = Client::new(config).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let results = run(&client).await;
    let limits = emu.limit_counters();
    let limited =
        results.iter().filter(|r| r.as_ref().err().is_some_and(|e| e.kind() == ErrorKind::RateLimited)).count();
    eprintln!("governor off: {} × 429", limits.api_429);
    assert!(limits.api_429 > 0, "no 429 without the governor: the limit is not working");
    assert_eq!(limited as u64, limits.api_429);
}
