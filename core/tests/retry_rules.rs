//! How long retries go on: a 429 that says when to come back is retried until
//! `max_total_wait` (not `max_retries`), 5xx keep their count, and the error
//! after the last try reports how many sends were made.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use purecore::{ErrorKind, Request};

fn with_retry_after(status: u16, secs: u64, count: u32) -> Fault {
    Fault {
        kind: FaultKind::Status {
            status,
            retry_after: Some(RetryAfter::Seconds(secs)),
            body: None,
            content_type: None,
        },
        ..status_fault(status, count)
    }
}

// scenario: retry.rules
#[tokio::test]
async fn a_429_with_retry_after_is_retried_until_the_total_wait_not_the_retry_count() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.retry.max_retries = 2).unwrap();
    // Retry-After: 0, six times: more than max_retries, well within max_total_wait.
    emu.push_fault(with_retry_after(429, 0, 6));
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.attempts, 7);
    assert_eq!(emu.counters().api_requests, 7);

    // Until max_total_wait: then the 429 is returned, saying how many sends were made.
    client.update_config(|c| c.retry.max_total_wait = Duration::from_millis(300)).unwrap();
    emu.reset();
    emu.push_fault(with_retry_after(429, 0, 1000));
    let started = std::time::Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    let sent = emu.counters().api_requests as u32;
    assert!(sent > 3, "more than max_retries + 1 sends: {sent}");
    assert!(sent < 40, "bounded by max_total_wait with waits of at least wait_min: {sent}");
    assert_eq!(err.response().unwrap().attempts, sent);
    assert!(err.message().contains(&format!("after {sent} attempts")), "{err}");

    // max_retries 0 still turns retrying off.
    client.update_config(|c| c.retry.max_retries = 0).unwrap();
    emu.reset();
    emu.push_fault(with_retry_after(429, 0, 1));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(emu.counters().api_requests, 1);
}

// scenario: retry.rules
#[tokio::test]
async fn a_5xx_keeps_its_retry_count_even_with_retry_after() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.retry.max_retries = 2).unwrap();
    emu.push_fault(with_retry_after(503, 0, 10));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(emu.counters().api_requests, 3, "the first try and two retries");
    assert_eq!(err.response().unwrap().attempts, 3, "the response says how many sends were made");
}

// scenario: retry.rules
#[tokio::test]
async fn exhausted_retries_report_every_send() {
    let (emu, client) = logged_in().await;
    emu.push_fault(status_fault(502, 10));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(emu.counters().api_requests, 4);
    assert_eq!(err.response().unwrap().attempts, 4);
    // Sent once: 1.
    emu.reset();
    emu.push_fault(status_fault(404, 1));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.response().unwrap().attempts, 1);
}
