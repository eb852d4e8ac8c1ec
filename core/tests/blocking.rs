//! Blocking calls (`purecore::blocking::block_on`) from plain threads, as the
//! C, Go and Python bindings make them: each thread drives its own requests,
//! while the token and its single-flight refresh stay shared.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::*;
use purecore::blocking::block_on;
use purecore::{Client, Request};

/// The emulator on its own runtime; the test's threads are outside any runtime.
fn emulator_with(opts: EmulatorOptions) -> (tokio::runtime::Runtime, Emulator) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::start(opts)).unwrap();
    (rt, emu)
}

fn me(client: &Client) -> purecore::Result<purecore::Response> {
    block_on(client.request(Request::get("/api/v2/users/me"))).unwrap()
}

// scenario: blocking.threads
#[test]
fn many_threads_meeting_an_expired_token_cause_one_token_request() {
    let (_rt, emu) = emulator_with(EmulatorOptions::default());
    let client = client_for(&emu);
    block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    me(&client).unwrap();
    emu.expire_all_tokens();
    let threads = 48;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (client, start) = (client.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                (0..5).map(|_| me(&client).map(|r| r.status)).collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for status in h.join().unwrap() {
            assert_eq!(status.unwrap(), 200);
        }
    }
    assert_eq!(token_requests(&emu).len(), 2, "one login and exactly one refresh");
}

// scenario: blocking.threads
#[test]
fn blocking_and_async_callers_share_one_refresh() {
    let (rt, emu) = emulator_with(EmulatorOptions::default());
    let client = client_for(&emu);
    rt.block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap();
    emu.expire_all_tokens();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let c = client.clone();
            rt.spawn(async move { c.request(Request::get("/api/v2/users/me")).await.map(|r| r.status) })
        })
        .collect();
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || me(&c).map(|r| r.status))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), 200);
    }
    for t in tasks {
        assert_eq!(rt.block_on(t).unwrap().unwrap(), 200);
    }
    assert_eq!(token_requests(&emu).len(), 2, "one login and exactly one refresh");
}

// scenario: blocking.threads
#[test]
fn an_interrupted_refresh_is_taken_over_by_the_next_caller() {
    let (_rt, emu) = emulator_with(EmulatorOptions::default());
    let client = client_for(&emu);
    block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    emu.expire_all_tokens();
    // The next token request is slow; the caller that leads the refresh gives up first.
    emu.push_fault(Fault { target: FaultTarget::Token, ..fault(FaultKind::Delay { ms: 600 }) });
    let gave_up = block_on(async {
        tokio::time::timeout(Duration::from_millis(100), client.request(Request::get("/api/v2/users/me"))).await
    })
    .unwrap();
    assert!(gave_up.is_err(), "the first call was interrupted mid-refresh");
    // Another thread's call is not left waiting for the abandoned refresh.
    let c = client.clone();
    let status = std::thread::spawn(move || me(&c).map(|r| r.status)).join().unwrap();
    assert_eq!(status.unwrap(), 200);
    assert_eq!(client.auth_data().map(|a| a.access_token.expose().is_empty()), Some(false));
}

#[test]
fn blocking_calls_over_tls_and_after_a_transport_change() {
    let (_rt, emu) = emulator_with(EmulatorOptions { tls: true, ..Default::default() });
    let mut cfg = config_for(&emu);
    cfg.tls.extra_ca_pem.push(emu.ca_pem().unwrap());
    let client = Client::new(cfg).unwrap();
    block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    assert_eq!(me(&client).unwrap().status, 200);
    // Settings that change the transport give the thread a new connection pool
    // built from them: without the CA the server is no longer trusted.
    client.update_config(|c| c.tls.extra_ca_pem.clear()).unwrap();
    let err = me(&client).unwrap_err();
    assert_eq!(err.kind(), purecore::ErrorKind::Connection, "{err}");
}

#[test]
fn a_blocking_call_inside_a_runtime_is_refused_before_any_request() {
    let (rt, emu) = emulator_with(EmulatorOptions::default());
    let client = client_for(&emu);
    let err = rt.block_on(async { block_on(client.login_client_credentials("id", "secret")).unwrap_err() });
    assert!(err.message().contains("async runtime"), "{err}");
    assert!(token_requests(&emu).is_empty());
}

#[test]
fn a_blocking_caller_waits_for_a_slow_refresh_no_longer_than_the_bound() {
    let (_rt, emu) = emulator_with(EmulatorOptions::default());
    let mut cfg = config_for(&emu);
    cfg.refresh.refresh_token_wait_max = Duration::from_millis(300);
    let client = Client::new(cfg).unwrap();
    block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    emu.expire_all_tokens();
    emu.push_fault(Fault { target: FaultTarget::Token, ..fault(FaultKind::Delay { ms: 1500 }) });
    let started = std::time::Instant::now();
    let err = me(&client).unwrap_err();
    assert_eq!(err.kind(), purecore::ErrorKind::Timeout, "{err}");
    assert!(err.message().contains("refresh_token_wait_max"), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1400), "gave up at the bound, not after the slow reply");
}

/// A server that answers each request on a connection, then closes the
/// connection 20 ms later without saying so (as servers with a short idle
/// timeout do). Returns its base URL and the number of requests it answered.
fn closing_server(rt: &tokio::runtime::Runtime) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    rt.spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let body = br#"{"id":"me"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            });
        }
    });
    (base, served)
}

// scenario: blocking.threads
#[test]
fn a_connection_the_server_closed_while_the_thread_was_idle_is_not_reused() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (base, served) = closing_server(&rt);
    let client = Client::new(purecore::Config {
        environment: purecore::Environment::custom(&base, &base).unwrap(),
        live_reload_config: false,
        ..purecore::Config::default()
    })
    .unwrap();
    client.set_access_token("token", None).unwrap();
    assert_eq!(me(&client).unwrap().status, 200);
    std::thread::sleep(Duration::from_millis(200));
    // A POST is never resent after a failure, so it must go out on a live connection.
    let posted = block_on(client.request(Request::post("/api/v2/users/me"))).unwrap();
    assert_eq!(posted.map(|r| r.status).unwrap(), 200);
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2);
}
