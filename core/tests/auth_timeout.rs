//! The auth timeout bounds a whole login or refresh, retries and their waits included.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use purecore::{Client, ErrorKind};

/// A 1 s auth timeout bounds the whole login: 503s with `Retry-After: 1` would
/// otherwise take three retries and about 3 s before the token came.
#[tokio::test]
async fn the_auth_timeout_bounds_the_whole_login_with_retries() {
    let emu = emulator().await;
    let mut cfg = config_for(&emu);
    cfg.logging.log_to_console = false;
    cfg.auth_timeout = Duration::from_secs(1);
    let client = Client::new(cfg).unwrap();
    let slow =
        FaultKind::Status { status: 503, retry_after: Some(RetryAfter::Seconds(1)), body: None, content_type: None };
    emu.push_fault(Fault { target: FaultTarget::Token, count: 3, ..fault(slow) });
    let started = Instant::now();
    let err = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.message().contains("auth_timeout"), "{err}");
    assert!(took < Duration::from_millis(1900), "took {took:?}");
    assert!(token_requests(&emu).len() <= 2, "{} token requests", token_requests(&emu).len());
}
