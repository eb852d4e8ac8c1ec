//! Core benchmark (not a test): the core's request path beside a raw reqwest
//! client, against an in-process emulator, in the same run.
//!
//! `cargo run --release -p purecore --example bench [-- N]`
//! Prints sequential latency medians and p99 for a raw GET, `Client::request`
//! and `Client::call("getUsersMe")`, and throughput with 64 calls in flight.

#![allow(clippy::panic, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use purecore::{Client, Config, Environment, Request};
use purecore_emulator::{creds, Emulator, EmulatorOptions};
use serde_json::Map;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn time_seq<F, Fut>(n: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f().await;
        v.push(t.elapsed());
    }
    v.sort();
    (percentile(&v, 0.5), percentile(&v, 0.99))
}

async fn throughput<F, Fut>(total: usize, in_flight: usize, f: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let f = Arc::new(f);
    let sem = Arc::new(tokio::sync::Semaphore::new(in_flight));
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..total {
        let permit = sem.clone().acquire_owned().await.expect("semaphore open");
        let f = f.clone();
        set.spawn(async move {
            f().await;
            drop(permit);
        });
    }
    while set.join_next().await.is_some() {}
    total as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let emu = Emulator::start(EmulatorOptions::default()).await.expect("emulator starts");
    let base = emu.base_url();
    let client = Client::new(Config {
        environment: Environment::custom(&base, &base).expect("valid base"),
        live_reload_config: false,
        ..Config::default()
    })
    .expect("client");
    let token = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.expect("login");
    let bearer = format!("Bearer {}", token.access_token.expose());
    let raw = reqwest::Client::new();
    let url = format!("{base}/api/v2/users/me");

    let raw_get = {
        let (raw, url, bearer) = (raw.clone(), url.clone(), bearer.clone());
        move || {
            let (raw, url, bearer) = (raw.clone(), url.clone(), bearer.clone());
            async move {
                let r = raw.get(&url).header("authorization", bearer).send().await.expect("raw send");
                let _ = r.bytes().await.expect("raw body");
            }
        }
    };
    let core_request = {
        let c = client.clone();
        move || {
            let c = c.clone();
            async move {
                c.request(Request::get("/api/v2/users/me")).await.expect("request");
            }
        }
    };
    let core_call = {
        let c = client.clone();
        move || {
            let c = c.clone();
            async move {
                c.call("getUsersMe", &Map::new()).await.expect("call");
            }
        }
    };
    // Warm up connections and the catalog.
    time_seq(50, &raw_get).await;
    time_seq(50, &core_call).await;

    println!("sequential, {n} calls each (median / p99):");
    let (rm, rp) = time_seq(n, &raw_get).await;
    println!("  raw reqwest        {:>8.1} us / {:>8.1} us", rm.as_secs_f64() * 1e6, rp.as_secs_f64() * 1e6);
    let (qm, qp) = time_seq(n, &core_request).await;
    println!(
        "  Client::request    {:>8.1} us / {:>8.1} us   ({:.2}x raw median)",
        qm.as_secs_f64() * 1e6,
        qp.as_secs_f64() * 1e6,
        qm.as_secs_f64() / rm.as_secs_f64()
    );
    let (cm, cp) = time_seq(n, &core_call).await;
    println!(
        "  Client::call       {:>8.1} us / {:>8.1} us   ({:.2}x raw median)",
        cm.as_secs_f64() * 1e6,
        cp.as_secs_f64() * 1e6,
        cm.as_secs_f64() / rm.as_secs_f64()
    );
    let total = n * 4;
    let rt = throughput(total, 64, raw_get).await;
    let ct = throughput(total, 64, core_call).await;
    println!("64 in flight, {total} calls: raw {rt:.0}/s, Client::call {ct:.0}/s ({:.2}x raw)", ct / rt);
}
