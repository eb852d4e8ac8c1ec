//! One worker of a fleet, for the shared-pacing test and the throughput benchmark (not a
//! test by itself): it uses a token obtained elsewhere and queues CALLS calls at once.
//!
//! `rate_worker BASE_URL TOKEN CALLS off|local|shared|unpaced [REDIS_URL]`
//!
//! Retries are off, so a 429 shows as a failed call; `unpaced` is `off` with the default
//! retries (a 429 waits its Retry-After and is sent again). Warnings go to stderr. Prints one JSON line:
//! `{"ok":N,"rate_limited":N,"other_errors":N,"ms":N}`.

use std::time::{Duration, Instant};

use purecore::governor::RateLimitMode;
use purecore::{Client, Config, Environment, ErrorKind, LogConfig, LogLevel, Request, Secret};

fn usage() -> ! {
    eprintln!("usage: rate_worker BASE_URL TOKEN CALLS off|local|shared|unpaced [REDIS_URL]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, token, calls, mode, rest @ ..] = args.as_slice() else { usage() };
    let calls: usize = calls.parse().unwrap_or_else(|_| usage());
    let retries = mode == "unpaced";
    let mode = if retries { RateLimitMode::Off } else { RateLimitMode::parse(mode).unwrap_or_else(|| usage()) };
    let environment = Environment::custom(base, base).unwrap_or_else(|e| {
        eprintln!("rate_worker: {e}");
        std::process::exit(2)
    });
    let mut config = Config {
        environment,
        live_reload_config: false,
        rate_limit: mode,
        rate_limit_store: rest.first().map(|u| Secret::new(u.as_str())),
        rate_limit_wait_max: Duration::from_secs(30),
        // Warnings (such as Redis being unreachable) go to stderr.
        logging: LogConfig { level: LogLevel::Error, ..LogConfig::default() },
        ..Config::default()
    };
    if !retries {
        config.retry.max_retries = 0;
    }
    let client = Client::new(config).unwrap_or_else(|e| {
        eprintln!("rate_worker: {e}");
        std::process::exit(1)
    });
    if let Err(e) = client.set_access_token(token, None) {
        eprintln!("rate_worker: {e}");
        std::process::exit(1);
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.request(Request::get("/api/v2/users/me")).await })
        })
        .collect();
    let (mut ok, mut limited, mut other) = (0u64, 0u64, 0u64);
    for t in tasks {
        match t.await {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) if e.kind() == ErrorKind::RateLimited => limited += 1,
            Ok(Err(e)) => {
                if other == 0 {
                    eprintln!("rate_worker: {e}");
                }
                other += 1;
            }
            Err(e) => {
                eprintln!("rate_worker: a task failed: {e}");
                other += 1;
            }
        }
    }
    println!(
        "{{\"ok\":{ok},\"rate_limited\":{limited},\"other_errors\":{other},\"ms\":{}}}",
        started.elapsed().as_millis()
    );
}
