//! Fleet throughput benchmark (not a test): 4 processes under the shared rate governor
//! against one unpaced process that meets 429s and retries them, on one token each, against
//! an in-process emulator with a per-token limit and a redis-server started here (free port,
//! temporary directory, stopped by PID).
//!
//! `fleet_bench [CALLS [ALLOWED [WINDOW_SECS]]]` (defaults 1000 calls, 100 per 1 s). Needs
//! `examples/rate_worker` built beside it (`scripts/bench fleet` builds both).

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/common/redis_server.rs"]
mod redis_server;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use purecore_emulator::{creds, Emulator, EmulatorOptions, RateLimit};
use serde_json::Value;

fn arg(i: usize, default: f64) -> f64 {
    std::env::args().nth(i).map_or(default, |a| a.parse().unwrap_or_else(|_| panic!("argument {i} must be a number")))
}

async fn token(emu: &Emulator) -> String {
    let r = reqwest::Client::new()
        .post(format!("{}/oauth/token", emu.base_url()))
        .basic_auth(creds::CLIENT_ID, Some(creds::CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

/// Runs `processes` workers with `calls` in total; returns (successes, 429s served, seconds).
async fn run(emu: &Emulator, processes: usize, calls: usize, mode: &str, redis: Option<String>) -> (u64, u64, f64) {
    let worker =
        std::env::current_exe().unwrap().with_file_name(format!("rate_worker{}", std::env::consts::EXE_SUFFIX));
    assert!(worker.exists(), "{} is missing: cargo build -p purecore --example rate_worker", worker.display());
    emu.reset();
    let token = token(emu).await;
    let started = Instant::now();
    let children: Vec<Child> = (0..processes)
        .map(|_| {
            let mut cmd = Command::new(&worker);
            cmd.args([emu.base_url().as_str(), &token, &(calls / processes).to_string(), mode]);
            if let Some(url) = &redis {
                cmd.arg(url);
            }
            // The unpaced worker logs every 429 it meets: not shown.
            let stderr = if mode == "unpaced" { Stdio::null() } else { Stdio::inherit() };
            cmd.stdout(Stdio::piped()).stderr(stderr).spawn().unwrap()
        })
        .collect();
    let mut ok = 0;
    for child in children {
        let o = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("worker output: {e}"));
        ok += v["ok"].as_u64().unwrap();
    }
    (ok, emu.limit_counters().api_429, started.elapsed().as_secs_f64())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let calls = arg(1, 1000.0) as usize;
    let allowed = arg(2, 100.0) as u32;
    let window = Duration::from_secs_f64(arg(3, 1.0));
    let opts = EmulatorOptions { rate_limit: Some(RateLimit { per_token: allowed, window }), ..Default::default() };
    let emu = Emulator::start(opts).await.unwrap();
    let redis = redis_server::Redis::own();
    let url = format!("redis://127.0.0.1:{}/0", redis.port);
    // Warm up the emulator's route table.
    run(&emu, 1, 1, "local", None).await;
    let limit = f64::from(allowed) / window.as_secs_f64();
    println!("fleet throughput: {calls} calls on one token, limit {allowed} per {:?} ({limit:.1}/s)", window);
    let (ok, e429, secs) = run(&emu, 4, calls, "shared", Some(url)).await;
    println!(
        "  4 processes, rate_limit=shared: {ok} ok in {secs:.2} s = {:.1} calls/s ({:.0} % of the limit), {e429} × 429",
        ok as f64 / secs,
        100.0 * ok as f64 / secs / limit
    );
    let (ok, e429, secs) = run(&emu, 1, calls, "unpaced", None).await;
    println!(
        "  1 process, unpaced (retries 429s): {ok} ok in {secs:.2} s = {:.1} calls/s ({:.0} % of the limit), {e429} × 429",
        ok as f64 / secs,
        100.0 * ok as f64 / secs / limit
    );
}
