#![allow(clippy::unwrap_used)]
//! The conformance sweep: every catalog operation, called through `Client::call` with the
//! emulator's sample parameters, must pass the emulator's validation and get a 2xx.

use std::sync::Arc;
use std::time::{Duration, Instant};

use purecore::{Client, Config, Environment, RetryConfig};
use purecore_emulator::{creds, Emulator, EmulatorOptions};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Calls in flight at once.
const IN_FLIGHT: usize = 32;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_its_sample() {
    let emu = Emulator::start(EmulatorOptions::default()).await.unwrap();
    let base = emu.base_url();
    let config = Config {
        environment: Environment::custom(&base, &base).unwrap(),
        // A failure must show as it is, not be retried away.
        retry: RetryConfig { max_retries: 0, ..RetryConfig::default() },
        live_reload_config: false,
        ..Config::default()
    };
    let client = Client::new(config).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();

    let samples = purecore_emulator::samples();
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut calls = JoinSet::new();
    for sample in samples.iter().cloned() {
        let client = client.clone();
        let gate = gate.clone();
        calls.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let outcome = tokio::time::timeout(Duration::from_secs(30), client.call(&sample.id, &sample.params)).await;
            let failure = match outcome {
                Err(_) => Some("timed out after 30 s".to_string()),
                Ok(Ok(resp)) if resp.is_success() => None,
                Ok(Ok(resp)) => Some(format!("status {}: {}", resp.status, snippet(&resp.text()))),
                Ok(Err(e)) => Some(match e.response() {
                    Some(resp) => format!("status {}: {}", resp.status, snippet(&resp.text())),
                    None => format!("{:?}: {}", e.kind(), snippet(e.message())),
                }),
            };
            failure.map(|f| format!("{} ({} {}): {f}", sample.id, sample.method, sample.path))
        });
    }
    let mut failures = Vec::new();
    let mut n = 0usize;
    while let Some(done) = calls.join_next().await {
        n += 1;
        if let Some(f) = done.unwrap() {
            failures.push(f);
        }
    }
    failures.sort();
    println!("conformance: {n} operations, {} failures ({:.1?})", failures.len(), started.elapsed());
    assert_eq!(n, purecore::catalog::catalog().len(), "the sweep must cover every catalog operation");
    assert!(failures.is_empty(), "{} of {n} operations failed:\n{}", failures.len(), failures.join("\n"));
    emu.shutdown().await;
}

fn snippet(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= 300 {
        return one_line;
    }
    let cut: String = one_line.chars().take(300).collect();
    format!("{cut}...")
}
