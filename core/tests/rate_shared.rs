//! Shared pacing: 4 processes (`examples/rate_worker.rs`) on one token, 250 calls each queued
//! at once, against an emulator that allows 100 requests per second per token, with a real
//! `redis-server` started here (free port, temporary directory, stopped by PID). With
//! `rate_limit = shared` the emulator answers no 429 and the fleet uses at least 80 % of the
//! allowed rate; with the governor off the same fleet meets 429s (so this test can fail).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/redis_server.rs"]
mod redis_server;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use purecore::Request;
use purecore_emulator::RateLimit;
use redis_server::Redis;
use serde_json::Value;

const WORKERS: usize = 4;
const CALLS_EACH: usize = 250;
const ALLOWED: u32 = 100;
const WINDOW: Duration = Duration::from_secs(1);

/// The worker binary (`examples/rate_worker.rs`), built now into this test's target directory
/// (`cargo test --test rate_shared` alone does not build examples).
fn worker_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let target_dir = profile_dir.parent().unwrap();
    let status = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "purecore", "--example", "rate_worker", "--target-dir"])
        .arg(target_dir)
        .status()
        .unwrap();
    assert!(status.success(), "cargo build --example rate_worker failed");
    let path = profile_dir.join("examples").join(format!("rate_worker{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing after building it", path.display());
    path
}

async fn limited_emulator() -> Emulator {
    let opts =
        EmulatorOptions { rate_limit: Some(RateLimit { per_token: ALLOWED, window: WINDOW }), ..Default::default() };
    let emu = Emulator::start(opts).await.unwrap();
    // The first API request builds the emulator's route table (slow in a debug build).
    let other = client_for(&emu);
    other.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    other.request(Request::get("/api/v2/users/me")).await.unwrap();
    emu.reset();
    emu
}

async fn token(emu: &Emulator) -> String {
    let r = reqwest::Client::new()
        .post(format!("{}/oauth/token", emu.base_url()))
        .basic_auth(creds::CLIENT_ID, Some(creds::CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// Runs the fleet; returns each worker's JSON line.
async fn fleet(emu: &Emulator, token: &str, mode: &str, redis: Option<&str>) -> Vec<Value> {
    let worker = worker_path();
    let children: Vec<Child> = (0..WORKERS)
        .map(|_| {
            let mut cmd = Command::new(&worker);
            cmd.args([emu.base_url().as_str(), token, &CALLS_EACH.to_string(), mode]);
            if let Some(url) = redis {
                cmd.arg(url);
            }
            cmd.stdout(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    let mut out = Vec::new();
    for child in children {
        let o = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
        assert!(o.status.success(), "a worker failed: {:?}", o.status);
        let line = String::from_utf8_lossy(&o.stdout);
        out.push(serde_json::from_str::<Value>(line.trim()).unwrap_or_else(|e| panic!("worker said {line:?}: {e}")));
    }
    out
}

fn sum(results: &[Value], field: &str) -> u64 {
    results.iter().map(|v| v[field].as_u64().unwrap()).sum()
}

/// Requests per second the emulator served: from the first API request to the end of the
/// window of the last one.
fn used_rate(emu: &Emulator) -> f64 {
    let api: Vec<u64> = emu.requests().iter().filter(|r| r.path.starts_with("/api/v2")).map(|r| r.at_ms).collect();
    let span = api.iter().max().unwrap() - api.iter().min().unwrap();
    api.len() as f64 / (span as f64 / 1000.0 + WINDOW.as_secs_f64())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_budget_through_redis() {
    let redis = Redis::own();
    let emu = limited_emulator().await;
    let token = token(&emu).await;
    let results = fleet(&emu, &token, "shared", Some(&redis.url)).await;
    let limits = emu.limit_counters();
    if std::env::var("DEBUG_RATE").is_ok() {
        for r in emu.requests() {
            eprintln!("REQ {} {}", r.at_ms, r.status);
        }
    }
    let total = (WORKERS * CALLS_EACH) as u64;
    assert_eq!(sum(&results, "ok"), total, "every call succeeds: {results:?}");
    assert_eq!(limits.api_429, 0, "the shared governor let 429s through: {limits:?}");
    let rate = used_rate(&emu);
    let allowed = f64::from(ALLOWED) / WINDOW.as_secs_f64();
    eprintln!("shared pacing: {WORKERS} processes × {CALLS_EACH} calls, {rate:.1}/s of {allowed}/s allowed, 0 × 429");
    assert!(rate >= 0.8 * allowed, "only {rate:.1}/s of {allowed}/s used");

    // The budget lives in Redis under a hash of the token, never the token.
    let mut conn = redis::Client::open(redis.url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("purecore:rate:*").query_async(&mut conn).await.unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(!keys[0].contains(&token));
    let fields: Vec<String> = redis::cmd("HGETALL").arg(&keys[0]).query_async(&mut conn).await.unwrap();
    assert!(fields.iter().all(|f| !f.contains(&token)));

    // The same fleet with the governor off meets 429s.
    let emu = limited_emulator().await;
    let token = self::token(&emu).await;
    let results = fleet(&emu, &token, "off", None).await;
    let limits = emu.limit_counters();
    eprintln!("governor off: {} × 429", limits.api_429);
    assert!(limits.api_429 > 0, "no 429 without the governor: the limit is not working");
    assert_eq!(sum(&results, "rate_limited"), limits.api_429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_never_fails_a_call_and_warns_once() {
    let emu = limited_emulator().await;
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let l2 = lines.clone();
    let mut config = config_for(&emu);
    config.rate_limit = purecore::governor::RateLimitMode::Shared;
    let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
    config.rate_limit_store = Some(purecore::Secret::new(url.as_str()));
    config.logging.level = purecore::LogLevel::Error;
    config.logging.log_to_console = false;
    config.logging.sink = Some(std::sync::Arc::new(move |_, l: &str| l2.lock().unwrap().push(l.to_owned())));
    let client = purecore::Client::new(config).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    for _ in 0..150 {
        client.request(Request::get("/api/v2/users/me")).await.unwrap();
    }
    // Paced in the process instead: no 429.
    assert_eq!(emu.limit_counters().api_429, 0);
    let lines = lines.lock().unwrap();
    let warnings: Vec<_> = lines.iter().filter(|l| l.contains("Redis cannot be used")).collect();
    assert_eq!(warnings.len(), 1, "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains("hunter2")), "the Redis password was logged: {lines:?}");
}
