//! Limits on reply sizes: successful API replies, error bodies and token replies
//! are read up to their limit and refused past it, never buffered further.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use purecore::{Client, Config, ErrorKind, Request};

fn body_fault(kind: FaultKind, target: FaultTarget) -> Fault {
    Fault { target, ..fault(kind) }
}

fn large(bytes: u64, chunked: bool) -> FaultKind {
    FaultKind::Large { status: 200, bytes, chunked }
}

/// A client whose calls give up after 10 s, with these body limits.
async fn client_with(emu: &Emulator, change: impl FnOnce(&mut Config)) -> Client {
    let mut cfg = config_for(emu);
    cfg.timeout = Duration::from_secs(10);
    cfg.auth_timeout = Duration::from_secs(10);
    change(&mut cfg);
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client
}

fn assert_too_large(err: &purecore::Error, setting: &str, status: u16) {
    assert_eq!(err.kind(), ErrorKind::Decoding, "{err}");
    assert!(err.message().contains("too large"), "{err}");
    assert!(err.message().contains(setting), "{err}");
    assert_eq!(err.status(), Some(status), "{err}");
    let resp = err.response().expect("the error keeps the reply's status and headers");
    assert_eq!(resp.status, status);
    assert!(resp.header("inin-correlation-id").is_some(), "headers kept");
    assert!(resp.body.is_empty());
    assert!(!err.is_retryable());
}

// scenario: limits.reply_size
#[tokio::test]
async fn an_endless_reply_stops_at_the_limit() {
    let emu = emulator().await;
    let client = client_with(&emu, |c| c.max_response_body_bytes = 4 * 1024 * 1024).await;
    emu.push_fault(fault(FaultKind::Endless { status: 200 }));
    let started = Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "stopped at the limit, not at the timeout: {err}");
    assert_too_large(&err, "max_response_body_bytes", 200);
    assert!(err.message().contains("4194304 bytes"), "{err}");
    assert_eq!(emu.counters().api_requests, 1, "not retried");
    // The client keeps working.
    assert_eq!(client.request(Request::get("/api/v2/users/me")).await.unwrap().status, 200);
}

// scenario: limits.reply_size
#[tokio::test]
async fn a_reply_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let emu = emulator().await;
    let limit = 300_000;
    let client = client_with(&emu, |c| c.max_response_body_bytes = limit).await;
    for chunked in [false, true] {
        emu.push_fault(fault(large(limit, chunked)));
        let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
        assert_eq!(resp.body.len() as u64, limit);
        emu.push_fault(fault(large(limit + 1, chunked)));
        let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
        assert_too_large(&err, "max_response_body_bytes", 200);
        let declared = err.message().contains("declares 300001 bytes");
        assert_eq!(declared, !chunked, "a Content-Length over the limit is refused unread: {err}");
    }
}

#[tokio::test]
async fn the_default_limit_is_256_mib_and_a_larger_declared_length_is_refused_unread() {
    let emu = emulator().await;
    let client = client_with(&emu, |_| {}).await;
    assert_eq!(client.config().max_response_body_bytes, 256 * 1024 * 1024);
    assert_eq!(client.config().max_error_body_bytes, 1024 * 1024);
    assert_eq!(client.config().max_token_response_bytes, 1024 * 1024);
    // 16 GB announced: refused at once.
    emu.push_fault(fault(large(16 << 30, false)));
    let started = Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "{err}");
    assert_too_large(&err, "max_response_body_bytes", 200);
    assert!(err.message().contains(&format!("declares {} bytes", 16u64 << 30)), "{err}");
    assert!(err.message().contains("268435456 bytes"), "{err}");
    // A large export under the default limit is read whole.
    emu.push_fault(fault(large(3 << 20, true)));
    assert_eq!(client.request(Request::get("/api/v2/users/me")).await.unwrap().body.len(), 3 << 20);
}

// scenario: limits.reply_size
#[tokio::test]
async fn error_bodies_have_their_own_small_limit() {
    let emu = emulator().await;
    let client = client_with(&emu, |c| c.max_error_body_bytes = 64 * 1024).await;
    // An endless 503: not read past 64 KiB, and not retried as if transient.
    emu.push_fault(fault(FaultKind::Endless { status: 503 }));
    let started = Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
    assert_too_large(&err, "max_error_body_bytes", 503);
    assert_eq!(emu.counters().api_requests, 1, "not retried");
    // The same size is fine for a successful reply.
    emu.push_fault(fault(large(200 * 1024, false)));
    assert_eq!(client.request(Request::get("/api/v2/users/me")).await.unwrap().body.len(), 200 * 1024);
    // And a 404 with a body under the limit is the usual error.
    emu.push_fault(fault(FaultKind::Large { status: 404, bytes: 1000, chunked: true }));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus, "{err}");
    assert_eq!(err.response().unwrap().body.len(), 1000);
}

// scenario: limits.reply_size
#[tokio::test]
async fn token_replies_have_their_own_small_limit() {
    let emu = emulator().await;
    let client = client_with(&emu, |c| c.max_token_response_bytes = 16 * 1024).await;
    emu.reset();
    emu.push_fault(body_fault(FaultKind::Endless { status: 200 }, FaultTarget::Token));
    let started = Instant::now();
    let err = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
    assert_too_large(&err, "max_token_response_bytes", 200);
    // An error reply of the token endpoint too, announced or not.
    for chunked in [false, true] {
        let kind = FaultKind::Large { status: 400, bytes: 20_000, chunked };
        emu.push_fault(body_fault(kind, FaultTarget::Token));
        let err = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
        assert_too_large(&err, "max_token_response_bytes", 400);
    }
    assert_eq!(emu.counters().token_requests as usize, 3, "none retried");
    // A renewal meeting an endless token reply fails the call, bounded.
    emu.expire_all_tokens();
    emu.push_fault(body_fault(FaultKind::Endless { status: 200 }, FaultTarget::Token));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decoding, "{err}");
    assert!(err.message().contains("max_token_response_bytes"), "{err}");
}

// scenario: limits.reply_size
#[test]
fn body_limits_are_checked_and_read_from_the_config_file() {
    use purecore::config::file::ConfigFileContents;
    let ini =
        "[general]\nmax_response_body_bytes = 1000000\nmax_error_body_bytes = 2048\nmax_token_response_bytes = 4096\n";
    let c = ConfigFileContents::parse(ini, "f").unwrap().apply_to(&Config::default(), "f").unwrap();
    assert_eq!(c.max_response_body_bytes, 1_000_000);
    assert_eq!(c.max_error_body_bytes, 2048);
    assert_eq!(c.max_token_response_bytes, 4096);
    let json = r#"{"general": {"max_response_body_bytes": 5000}}"#;
    let c = ConfigFileContents::parse(json, "j").unwrap().apply_to(&Config::default(), "j").unwrap();
    assert_eq!(c.max_response_body_bytes, 5000);
    for bad in ["0", "-1", "1.5", "lots", "1e300"] {
        let ini = format!("[general]\nmax_response_body_bytes = {bad}\n");
        let err = ConfigFileContents::parse(&ini, "f").unwrap().apply_to(&Config::default(), "f").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.message().contains("f:2:") && err.message().contains("max_response_body_bytes"), "{err}");
    }
    let err = Client::new(Config { max_error_body_bytes: 0, ..Config::default() }).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.message().contains("max_error_body_bytes"), "{err}");
    assert_eq!(purecore::config::body_limit_from("x", 42.0).unwrap(), 42);
    assert!(purecore::config::body_limit_from("x", f64::NAN).is_err());
}

#[tokio::test]
async fn a_limit_set_through_a_settings_patch_applies_to_operation_calls() {
    let emu = emulator().await;
    let client = client_with(&emu, |_| {}).await;
    client.call("getUsersMe", &serde_json::Map::new()).await.unwrap();
    let patch = purecore::ConfigPatch::from_json(r#"{"max_response_body_bytes": 10}"#).unwrap();
    client.update_config(|c| patch.apply_values(c).unwrap()).unwrap();
    let err = client.call("getUsersMe", &serde_json::Map::new()).await.unwrap_err();
    assert_too_large(&err, "max_response_body_bytes", 200);
}
