//! Token-store benchmark (not a test; `scripts/bench store`):
//!
//! 1. **Hot path.** Two clients on one in-process emulator, one with the memory store and one
//!    with a Redis store, each with a valid token, make sequential calls in alternating
//!    rounds. Printed: the median per-call time of each, their difference, and how many
//!    commands Redis served while the Redis client made its calls (0: the hot path makes no
//!    Redis round trip).
//! 2. **Fleet refresh latency.** 8 worker processes (`examples/fleet_worker`) share one Redis
//!    store; every token is expired, then each worker makes one call. Printed: the time from
//!    the expiry to each worker's first success (median and slowest) and the token requests
//!    the refresh cost.
//!
//! `store_bench [CALLS_PER_ROUND [ROUNDS]]` (defaults 300 and 15). Needs redis-server and
//! `examples/fleet_worker` built beside it (`scripts/bench store` does both).

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/common/redis_server.rs"]
mod redis_server;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use purecore::{Client, Config, Environment, Request};
use purecore_emulator::{creds, Emulator, EmulatorOptions};

fn arg(i: usize, default: usize) -> usize {
    std::env::args().nth(i).map_or(default, |a| a.parse().unwrap_or_else(|_| panic!("argument {i} must be a number")))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Commands Redis has processed so far (its `INFO stats` counter).
fn redis_commands(url: &str) -> u64 {
    let mut con = redis::Client::open(url).unwrap().get_connection().unwrap();
    let info: String = redis::cmd("INFO").arg("stats").query(&mut con).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("total_commands_processed:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("INFO stats has total_commands_processed")
}

async fn client(emu: &Emulator, store: &str) -> Client {
    let config = Config {
        environment: Environment::custom(&emu.base_url(), &emu.base_url()).unwrap(),
        live_reload_config: false,
        token_store: store.to_owned(),
        ..Config::default()
    };
    let c = Client::new(config).unwrap();
    c.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    c
}

/// Microseconds per call over `n` sequential calls.
async fn per_call(c: &Client, n: usize) -> f64 {
    let started = Instant::now();
    for _ in 0..n {
        let r = c.request(Request::get("/api/v2/users/me")).await.unwrap();
        assert_eq!(r.status, 200);
    }
    started.elapsed().as_secs_f64() * 1e6 / n as f64
}

async fn hot_path(emu: &Emulator, url: &str, calls: usize, rounds: usize) {
    let memory = client(emu, "memory").await;
    let shared = client(emu, url).await;
    per_call(&memory, 100).await;
    per_call(&shared, 100).await;
    let (mut m, mut r) = (Vec::new(), Vec::new());
    let mut redis_during_calls = 0;
    for _ in 0..rounds {
        m.push(per_call(&memory, calls).await);
        // The INFO that reads the counter is itself one command: not counted.
        let before = redis_commands(url);
        r.push(per_call(&shared, calls).await);
        redis_during_calls += redis_commands(url) - before - 1;
    }
    let (m, r) = (median(&mut m), median(&mut r));
    println!("hot path: {rounds} rounds of {calls} sequential calls each, valid token");
    println!("  memory store: median {m:.1} µs per call");
    println!("  Redis store:  median {r:.1} µs per call ({:+.1} µs, ratio {:.3})", r - m, r / m);
    println!("  Redis commands during the Redis client's {} calls: {redis_during_calls}", rounds * calls);
}

async fn fleet_refresh(emu: &Emulator, url: &str, processes: usize) {
    let worker =
        std::env::current_exe().unwrap().with_file_name(format!("fleet_worker{}", std::env::consts::EXE_SUFFIX));
    assert!(worker.exists(), "{} is missing: cargo build -p purecore --example fleet_worker", worker.display());
    let mut children: Vec<_> = (0..processes)
        .map(|_| {
            Command::new(&worker)
                .env("FLEET_EMULATOR", emu.base_url())
                .env("FLEET_STORE", url)
                .env("FLEET_CALLS", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outs: Vec<_> = children.iter_mut().map(|c| BufReader::new(c.stdout.take().unwrap()).lines()).collect();
    for out in &mut outs {
        let line = out.next().unwrap().unwrap();
        assert_eq!(line, "FLEET READY", "a worker did not log in");
    }
    let before = emu.counters().token_requests;
    emu.expire_all_tokens();
    let started = Instant::now();
    for c in &mut children {
        writeln!(c.stdin.as_mut().unwrap(), "go").unwrap();
    }
    let waits: Vec<_> = outs
        .into_iter()
        .map(|mut out| {
            std::thread::spawn(move || {
                let line = out.next().unwrap().unwrap();
                assert!(line.starts_with("FLEET DONE ok=1 "), "a worker's call failed: {line}");
                started.elapsed()
            })
        })
        .collect();
    let mut ms: Vec<f64> = waits.into_iter().map(|w| w.join().unwrap().as_secs_f64() * 1e3).collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let slowest = ms.iter().copied().fold(0.0, f64::max);
    let med = median(&mut ms);
    println!("fleet refresh: {processes} processes on one Redis store, every token expired");
    println!("  expiry to first success: median {med:.1} ms, slowest {slowest:.1} ms");
    println!("  token requests for the refresh: {}", emu.counters().token_requests - before);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let calls = arg(1, 300);
    let rounds = arg(2, 15);
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let redis = redis_server::Redis::own();
    let url = format!("redis://127.0.0.1:{}/0", redis.port);
    hot_path(&emu, &url, calls, rounds).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    fleet_refresh(&emu, &url, 8).await;
}
