//! Renewals never loop: tokens already due when issued, renewals that fail
//! (or break while reading the reply) back off, and a call sends at most a few
//! token requests. Back-to-back revocations lose no calls.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use purecore::{Client, ErrorKind, Request};

/// `tasks` callers each calling `/users/me` in a loop for `run`; returns (ok, failed).
async fn hammer(client: &Client, tasks: usize, run: Duration) -> (usize, usize, Option<purecore::Error>) {
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let last_err = Arc::new(std::sync::Mutex::new(None));
    let until = Instant::now() + run;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let (c, ok, failed, last_err) = (client.clone(), ok.clone(), failed.clone(), last_err.clone());
        set.spawn(async move {
            while Instant::now() < until {
                match c.request(Request::get("/api/v2/users/me")).await {
                    Ok(_) => ok.fetch_add(1, Ordering::SeqCst),
                    Err(e) => {
                        *last_err.lock().unwrap() = Some(e);
                        failed.fetch_add(1, Ordering::SeqCst)
                    }
                };
            }
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
    let e = last_err.lock().unwrap().take();
    (ok.load(Ordering::SeqCst), failed.load(Ordering::SeqCst), e)
}

fn token_fault(kind: FaultKind) -> Fault {
    Fault { target: FaultTarget::Token, count: 1_000_000, ..fault(kind) }
}

// scenario: refresh.bounded
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tokens_that_are_due_when_issued_are_not_renewed_in_a_loop() {
    for value in [serde_json::json!(0), serde_json::json!(-30), serde_json::json!("0")] {
        let emu = emulator().await;
        emu.push_fault(token_fault(FaultKind::ExpiresIn { value: value.clone() }));
        let client = client_for(&emu);
        client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
        let (ok, failed, err) = hammer(&client, 20, Duration::from_secs(3)).await;
        let tokens = emu.counters().token_requests as usize;
        // Renewals back off 0.5 s, 1 s, 2 s...: a login and about 3 renewals in 3 s.
        assert!(tokens <= 6, "expires_in {value}: {tokens} token requests for {ok} calls");
        assert_eq!(failed, 0, "expires_in {value}: the token works at the server: {err:?}");
        assert!(ok > 20, "{ok}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_renewal_that_breaks_while_reading_the_reply_backs_off() {
    // An expiry no clock can hold: reading it may fail (or be clamped); either
    // way the renewal machinery must not start again at once.
    let (emu, client) = logged_in().await;
    emu.push_fault(token_fault(FaultKind::ExpiresIn { value: serde_json::json!(1e300) }));
    emu.expire_all_tokens();
    let started = Instant::now();
    let (ok, failed, _) = hammer(&client, 20, Duration::from_secs(3)).await;
    let tokens = emu.counters().token_requests as usize;
    assert!(tokens <= 10, "{tokens} token requests for {ok} ok and {failed} failed calls");
    assert!(started.elapsed() < Duration::from_secs(15));
}

// scenario: refresh.bounded
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failing_renewals_back_off() {
    let (emu, client) = logged_in().await;
    emu.push_fault(token_fault(FaultKind::Status { status: 500, retry_after: None, body: None, content_type: None }));
    emu.expire_all_tokens();
    let (ok, failed, err) = hammer(&client, 20, Duration::from_secs(3)).await;
    assert_eq!(ok, 0);
    assert!(failed >= 20, "{failed}");
    let err = err.unwrap();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(err.message().contains("token refresh failed"), "{err}");
    let tokens = emu.counters().token_requests as usize;
    // The first renewal is retried (4 sends); later ones are sent once, 0.5 s, 1 s, 2 s, 4 s apart.
    assert!(tokens <= 1 + 4 + 5, "{tokens} token requests for {failed} failed calls");
    // Once the token endpoint is back, the next renewal (after the backoff) works.
    emu.reset();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(client.request(Request::get("/api/v2/users/me")).await.unwrap().status, 200);
}

// scenario: refresh.bounded
#[tokio::test]
async fn one_call_sends_a_bounded_number_of_token_requests() {
    // The token endpoint fails: one call renews once (with its retries).
    let (emu, client) = logged_in().await;
    emu.push_fault(token_fault(FaultKind::Status { status: 503, retry_after: None, body: None, content_type: None }));
    emu.expire_all_tokens();
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(err.message().contains("token refresh failed"), "{err}");
    assert_eq!(emu.counters().token_requests as usize, 1 + 4, "one renewal of up to 4 sends");

    // The server rejects every token, new ones too: a few renewals, then the 401 is final.
    let (emu, client) = logged_in().await;
    emu.push_fault(status_fault(401, 1_000_000));
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(emu.counters().token_requests as usize, 1 + 3, "a login and 3 renewals");
    assert_eq!(emu.counters().api_requests, 4, "sent once and again after each renewal");
}

// scenario: refresh.revocations
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn back_to_back_revocations_lose_no_call() {
    let (emu, client) = logged_in().await;
    let renewed = Arc::new(AtomicUsize::new(0));
    let r2 = renewed.clone();
    client.set_token_callback(Some(Arc::new(move |_| {
        r2.fetch_add(1, Ordering::SeqCst);
    })));
    // Slow every API answer a little so many calls are under way at each revocation.
    emu.push_fault(Fault { count: 1_000_000, ..fault(FaultKind::Delay { ms: 20 }) });
    let hammering = {
        let client = client.clone();
        tokio::spawn(async move { hammer(&client, 50, Duration::from_millis(1200)).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    emu.expire_all_tokens_repeatedly(3, Duration::from_millis(150));
    let (ok, failed, err) = hammering.await.unwrap();
    assert_eq!(failed, 0, "{failed} of {} calls failed: {err:?}", ok + failed);
    assert!(ok > 50, "{ok}");
    assert!(emu.counters().unauthorized > 0, "the revocations hit calls under way");
    let tokens = emu.counters().token_requests as usize;
    assert!((2..=4).contains(&tokens), "a login and one renewal per revoked token: {tokens}");
    assert_eq!(renewed.load(Ordering::SeqCst), tokens - 1, "one renewal per token generation");
}

#[tokio::test]
async fn a_call_rejected_again_with_each_new_token_is_resent_up_to_three_times() {
    // Three 401s in a row, each on the token the previous renewal gave: the
    // call renews each time and the fourth send succeeds.
    let (emu, client) = logged_in().await;
    emu.push_fault(status_fault(401, 3));
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.attempts, 4);
    assert_eq!(emu.counters().token_requests, 1 + 3, "one renewal per rejected token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_on_an_older_token_is_resent_with_the_newest_without_a_token_request() {
    let (emu, client) = logged_in().await;
    // The first call's answer is held while another call renews the token.
    emu.push_fault(Fault { path_contains: Some("/users/me".into()), ..fault(FaultKind::Delay { ms: 400 }) });
    let slow = {
        let client = client.clone();
        tokio::spawn(async move { client.request(Request::get("/api/v2/users/me")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    emu.expire_all_tokens();
    client.request(Request::get("/api/v2/users")).await.unwrap();
    assert_eq!(emu.counters().token_requests, 2);
    let resp = slow.await.unwrap().unwrap();
    assert_eq!(resp.attempts, 2, "sent again with the token the other call obtained");
    assert_eq!(emu.counters().token_requests, 2, "no token request of its own");
}
