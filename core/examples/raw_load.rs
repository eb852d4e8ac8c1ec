//! Raw Rust load generator for the binding benchmarks (not a test): a plain
//! reqwest client on a multi-threaded runtime, `in_flight` GETs at a time.
//!
//! `raw_load URL BEARER_TOKEN TOTAL IN_FLIGHT ROUNDS` prints the median calls/s.

use std::sync::Arc;
use std::time::Instant;

fn arg(i: usize) -> String {
    std::env::args().nth(i).unwrap_or_else(|| {
        eprintln!("usage: raw_load URL BEARER_TOKEN TOTAL IN_FLIGHT ROUNDS");
        std::process::exit(2)
    })
}

fn number(i: usize) -> usize {
    arg(i).parse().unwrap_or_else(|_| {
        eprintln!("argument {i} must be a number");
        std::process::exit(2)
    })
}

#[tokio::main]
async fn main() {
    let (url, bearer) = (arg(1), format!("Bearer {}", arg(2)));
    let (total, in_flight, rounds) = (number(3), number(4), number(5).max(1));
    let http = reqwest::Client::new();
    let mut rates = Vec::new();
    for round in 0..=rounds {
        let sem = Arc::new(tokio::sync::Semaphore::new(in_flight));
        let start = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..total {
            let Ok(permit) = sem.clone().acquire_owned().await else { break };
            let (http, url, bearer) = (http.clone(), url.clone(), bearer.clone());
            set.spawn(async move {
                let ok = match http.get(&url).header("authorization", bearer).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                drop(permit);
                ok
            });
        }
        while let Some(done) = set.join_next().await {
            if !matches!(done, Ok(true)) {
                eprintln!("a raw request failed");
                std::process::exit(1);
            }
        }
        if round > 0 {
            // Round 0 warms up the connections.
            rates.push(total as f64 / start.elapsed().as_secs_f64());
        }
    }
    rates.sort_by(f64::total_cmp);
    println!("{:.0}", rates[rates.len() / 2]);
}
