//! Retry policy against real faults: Retry-After, idempotency, exhaustion.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use purecore::{Client, ErrorKind, Request, RetryEvent};

fn api_requests(emu: &Emulator, path: &str) -> Vec<purecore_emulator::RecordedRequest> {
    emu.requests().into_iter().filter(|r| r.path == path).collect()
}

// scenario: retry.429
#[tokio::test]
async fn a_429_with_retry_after_is_retried_no_sooner() {
    let (emu, client) = logged_in().await;
    let events = Arc::new(Mutex::new(Vec::<RetryEvent>::new()));
    let ev2 = events.clone();
    client
        .update_config(|c| c.retry.hook = Some(Arc::new(move |e: &RetryEvent| ev2.lock().unwrap().push(e.clone()))))
        .unwrap();
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(RetryAfter::Seconds(1)),
            body: None,
            content_type: None,
        },
        ..status_fault(429, 1)
    });
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.attempts, 2);
    let sent = api_requests(&emu, "/api/v2/users/me");
    assert_eq!(sent.len(), 2);
    assert!(sent[1].at_ms - sent[0].at_ms >= 1000, "retried after {} ms", sent[1].at_ms - sent[0].at_ms);
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].attempt, 1);
    assert_eq!(events[0].status, Some(429));
    assert!(events[0].wait >= Duration::from_secs(1));
}

// scenario: retry.429
#[tokio::test]
async fn retry_after_as_http_date_and_for_post() {
    let (emu, client) = logged_in().await;
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(RetryAfter::HttpDate(1)),
            body: None,
            content_type: None,
        },
        ..status_fault(429, 1)
    });
    let path = "/api/v2/analytics/conversations/details/query";
    let resp = client
        .request(
            Request::post(path).json(&serde_json::json!({"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"})),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200, "a 429 is retried even for POST: the server did not act");
    assert_eq!(api_requests(&emu, path).len(), 2);
}

// scenario: retry.post_not_resent
#[tokio::test]
async fn a_post_meeting_a_500_is_not_resent() {
    let (emu, client) = logged_in().await;
    emu.push_fault(status_fault(500, 1));
    let path = "/api/v2/analytics/conversations/details/query";
    let err = client.request(Request::post(path).json(&serde_json::json!({}))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), Some("internal.server.error"));
    assert!(err.correlation_id().is_some());
    assert_eq!(api_requests(&emu, path).len(), 1, "the POST was sent once");

    // Opting in resends it.
    client.update_config(|c| c.retry.retry_non_idempotent = true).unwrap();
    emu.push_fault(status_fault(500, 1));
    client.request(Request::post(path).json(&serde_json::json!({}))).await.unwrap();
}

#[tokio::test]
async fn idempotent_calls_retry_5xx_and_read_errors() {
    let (emu, client) = logged_in().await;
    emu.push_fault(status_fault(503, 1));
    emu.push_fault(status_fault(502, 1));
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.attempts, 3);

    emu.push_fault(fault(FaultKind::Reset));
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.status, 200);

    emu.push_fault(fault(FaultKind::Truncate));
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.json_value().unwrap()["id"], creds::USER_ID);
}

// scenario: retry.post_not_resent
#[tokio::test]
async fn a_post_meeting_a_reset_is_not_resent() {
    let (emu, client) = logged_in().await;
    emu.push_fault(fault(FaultKind::Reset));
    let path = "/api/v2/analytics/conversations/details/query";
    let err = client.request(Request::post(path).json(&serde_json::json!({}))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert_eq!(api_requests(&emu, path).len(), 1);
}

// scenario: retry.exhausted
#[tokio::test]
async fn exhausted_retries_keep_the_last_response() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.retry.max_retries = 2).unwrap();
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: Some(
                r#"{"message":"try later","code":"service.unavailable","status":503,"contextId":"ctx-1"}"#.into(),
            ),
            content_type: None,
        },
        ..status_fault(503, 10)
    });
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("service.unavailable"));
    assert_eq!(err.context_id(), Some("ctx-1"));
    assert!(err.message().contains("try later"), "{err}");
    let resp = err.response().unwrap();
    assert!(resp.text().contains("try later"));
    assert!(resp.header("inin-correlation-id").is_some());
    assert_eq!(err.correlation_id(), resp.header("inin-correlation-id"));
    assert_eq!(api_requests(&emu, "/api/v2/users/me").len(), 3, "first try and two retries");
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_cap_is_returned_at_once() {
    let (emu, client) = logged_in().await;
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(RetryAfter::Seconds(120)),
            body: None,
            content_type: None,
        },
        ..status_fault(429, 1)
    });
    let started = std::time::Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.code(), Some("too.many.requests.retry.after"));
}

#[tokio::test]
async fn the_emulator_rate_limit_is_met_with_waits_not_errors() {
    let (emu, client) = logged_in().await;
    // The rate governor would pace these calls before any 429 (core/tests/rate_local.rs):
    // off here, so the 429s come and are retried.
    client.update_config(|c| c.rate_limit = purecore::governor::RateLimitMode::Off).unwrap();
    emu.set_rate_limit(Some(purecore_emulator::RateLimit { per_token: 3, window: Duration::from_secs(1) }));
    for _ in 0..5 {
        client.request(Request::get("/api/v2/users/me")).await.unwrap();
    }
    assert!(emu.counters().api_requests >= 6, "at least one 429 was met and retried");
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new(purecore::Config {
        environment: purecore::Environment::custom(&base, &base).unwrap(),
        retry: purecore::RetryConfig {
            wait_min: Duration::from_millis(10),
            wait_max: Duration::from_millis(20),
            ..Default::default()
        },
        live_reload_config: false,
        ..Default::default()
    })
    .unwrap();
    let tries = Arc::new(Mutex::new(0u32));
    let t2 = tries.clone();
    client.update_config(|c| c.retry.hook = Some(Arc::new(move |_| *t2.lock().unwrap() += 1))).unwrap();
    let err = client.login_client_credentials("id", "secret").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert_eq!(*tries.lock().unwrap(), 3, "a connection that was never made is retried, even for POST");
}

#[tokio::test]
async fn timeouts_are_their_own_kind() {
    let (emu, client) = logged_in().await;
    client
        .update_config(|c| {
            c.timeout = Duration::from_millis(200);
            c.retry.max_retries = 0;
        })
        .unwrap();
    emu.push_fault(fault(FaultKind::Delay { ms: 1000 }));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn the_exchange_hook_sees_every_attempt() {
    let emu = emulator().await;
    let seen = Arc::new(Mutex::new(Vec::<purecore::ExchangeEvent>::new()));
    let s2 = seen.clone();
    let mut cfg = config_for(&emu);
    cfg.exchange_hook = Some(purecore::ExchangeHook::new(move |e| s2.lock().unwrap().push(e.clone())));
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    emu.push_fault(status_fault(503, 1));
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    let seen = seen.lock().unwrap();
    let summary: Vec<(bool, Option<u16>, u32)> = seen.iter().map(|e| (e.is_token_call, e.status, e.attempt)).collect();
    assert_eq!(summary, vec![(true, Some(200), 1), (false, Some(503), 1), (false, Some(200), 2)]);
    assert!(seen.iter().all(|e| e.correlation_id.is_some()));
    assert!(seen[2].url.ends_with("/api/v2/users/me"));
    let header = |e: &purecore::ExchangeEvent, name: &str| {
        e.response_headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    assert_eq!(header(&seen[2], "inin-correlation-id"), seen[2].correlation_id, "the reply's headers come along");
    assert_eq!(header(&seen[2], "content-type").as_deref(), Some("application/json"));
}
