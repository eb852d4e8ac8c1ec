//! Session renewal: proactive, on 401, single-flight under concurrency, failures.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use purecore::{Client, ErrorKind, Request};

async fn concurrent_gets(client: &Client, n: usize) -> Vec<purecore::Result<purecore::Response>> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = client.clone();
        set.spawn(async move { c.request(Request::get("/api/v2/users/me")).await });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap());
    }
    out
}

// scenario: refresh.concurrent
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_calls_meeting_an_expired_token_cause_one_token_request() {
    let (emu, client) = logged_in().await;
    let renewed = Arc::new(AtomicUsize::new(0));
    let r2 = renewed.clone();
    client.set_token_callback(Some(Arc::new(move |_| {
        r2.fetch_add(1, Ordering::SeqCst);
    })));
    emu.expire_all_tokens();
    let results = concurrent_gets(&client, 200).await;
    let ok = results.iter().filter(|r| matches!(r, Ok(resp) if resp.status == 200)).count();
    assert_eq!(ok, 200, "every caller succeeds: {:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(token_requests(&emu).len(), 2, "one login and exactly one refresh");
    assert_eq!(renewed.load(Ordering::SeqCst), 1, "the token callback saw the new token");
    // Each call was sent at most twice (once with the old token, once with the new).
    let api_calls = emu.counters().api_requests;
    assert!((200..=400).contains(&api_calls), "{api_calls}");
}

// scenario: refresh.proactive
#[tokio::test]
async fn token_is_renewed_before_expiry() {
    let emu = emulator().await;
    emu.set_token_lifetime(Duration::from_secs(4));
    // The default 30 s margin is capped at half the token's lifetime (2 s here).
    let client = client_for(&emu);
    let first = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(token_requests(&emu).len(), 1, "a fresh token is used, not renewed on every call");
    tokio::time::sleep(Duration::from_millis(2300)).await;
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(token_requests(&emu).len(), 2, "renewed within the margin, before the server saw an expired token");
    assert_eq!(emu.counters().unauthorized, 0);
    assert_ne!(client.auth_data().unwrap().access_token.expose(), first.access_token.expose());
}

#[tokio::test]
async fn code_grant_renews_with_its_refresh_token() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let url = client
        .authorize_url(&purecore::AuthorizeRequest {
            client_id: creds::CODE_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            ..Default::default()
        })
        .unwrap();
    let code = purecore::parse_code_redirect(&location_of(&url.url).await, None).unwrap();
    let auth = client
        .login_code(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET, code.expose(), creds::REDIRECT_URI)
        .await
        .unwrap();
    emu.expire_all_tokens();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    let last = token_requests(&emu).pop().unwrap();
    let f = form_fields(&last.body);
    assert!(f.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(f.contains(&("refresh_token".into(), auth.refresh_token.unwrap().expose().into())));
}

// scenario: refresh.off
#[tokio::test]
async fn refresh_switched_off_lets_the_401_through() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.refresh.refresh_access_token = false).unwrap();
    emu.expire_all_tokens();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("bad.credentials"));
    assert!(err.correlation_id().is_some());
    assert_eq!(token_requests(&emu).len(), 1);
}

// scenario: grant.token
#[tokio::test]
async fn a_caller_supplied_token_is_not_renewed() {
    let (emu, issuer) = logged_in().await;
    let client = client_for(&emu);
    client.set_access_token(issuer.auth_data().unwrap().access_token.expose(), None).unwrap();
    emu.expire_all_tokens();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.kind(), ErrorKind::Authentication);
}

// scenario: refresh.failure
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_reaches_every_waiting_caller() {
    let (emu, client) = logged_in().await;
    emu.expire_all_tokens();
    // Hold every API answer (a 401) for a moment so all 20 callers are under
    // way with the old token before the refresh fails.
    emu.push_fault(Fault { count: 20, ..fault(FaultKind::Delay { ms: 500 }) });
    emu.push_fault(Fault {
        target: FaultTarget::Token,
        kind: FaultKind::Status {
            status: 400,
            retry_after: None,
            body: Some(r#"{"error":"invalid_client","error_description":"client disabled"}"#.into()),
            content_type: None,
        },
        count: 1,
        method: None,
        path_contains: None,
    });
    let results = concurrent_gets(&client, 20).await;
    for r in &results {
        let Err(e) = r else { panic!("a caller succeeded; token requests: {}", token_requests(&emu).len()) };
        assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
        assert_eq!(e.oauth_error(), Some("invalid_client"));
        assert!(e.message().contains("token refresh failed"), "{e}");
    }
    assert_eq!(token_requests(&emu).len(), 2, "one login, one failed refresh shared by all");
    // The next call tries again and succeeds.
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
}

// scenario: refresh.failure
#[tokio::test]
async fn waiting_for_a_slow_refresh_is_bounded() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.refresh.refresh_token_wait_max = Duration::from_millis(300)).unwrap();
    emu.expire_all_tokens();
    emu.push_fault(Fault { target: FaultTarget::Token, ..fault(FaultKind::Delay { ms: 1500 }) });
    let started = std::time::Instant::now();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.message().contains("refresh_token_wait_max"), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1400), "gave up at the bound, not after the slow refresh");
    // The refresh finishes in the background and later calls use its token.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(token_requests(&emu).len(), 2);
}
