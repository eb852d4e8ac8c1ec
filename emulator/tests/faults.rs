#![allow(clippy::unwrap_used)]
//! Fault injection, rate limiting and counters.

mod common;

use std::time::{Duration, Instant};

use common::*;
use purecore_emulator::{creds, Fault, FaultKind, FaultTarget, RateLimit, RetryAfter};
use tokio::net::TcpStream;

fn status_fault(status: u16, retry_after: Option<RetryAfter>) -> Fault {
    Fault::new(FaultKind::Status { status, retry_after, body: None, content_type: None })
}

#[tokio::test]
async fn status_faults_with_default_bodies() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    for (status, code) in [
        (429, "too.many.requests.retry.after"),
        (500, "internal.server.error"),
        (502, "bad.gateway"),
        (503, "service.unavailable"),
        (504, "gateway.timeout"),
    ] {
        emu.push_fault(status_fault(status, Some(RetryAfter::Seconds(2))));
        let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
        assert_eq!(r.status, status);
        assert_eq!(r.header("retry-after"), Some("2"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v = r.json();
        assert_eq!(v["code"], code);
        assert_eq!(v["status"], status);
        assert_eq!(v["contextId"], r.header("inin-correlation-id").unwrap());
        assert!(r.header("inin-ratelimit-allowed").is_some());
    }
    // queue drained: normal answer
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    // faults come before authentication
    emu.push_fault(status_fault(503, None));
    assert_eq!(get(&emu, "/api/v2/users/me", None).await.status, 503);
    assert_eq!(emu.counters().faults_served, 6);
    assert_eq!(emu.counters().unauthorized, 0);
}

#[tokio::test]
async fn status_fault_custom_body_http_date_and_count() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 502,
            retry_after: Some(RetryAfter::HttpDate(3)),
            body: Some("<html>bad gateway</html>".into()),
            content_type: Some("text/html".into()),
        },
        count: 2,
        ..Fault::default()
    });
    for _ in 0..2 {
        let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
        assert_eq!(r.status, 502);
        assert_eq!(r.header("content-type"), Some("text/html"));
        assert_eq!(r.text(), "<html>bad gateway</html>");
        let date = httpdate::parse_http_date(r.header("retry-after").unwrap()).unwrap();
        let ahead = date.duration_since(std::time::SystemTime::now()).unwrap_or_default();
        assert!(ahead <= Duration::from_secs(4));
    }
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
}

#[tokio::test]
async fn fault_targets_and_filters() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    // token-only fault does not hit the API
    emu.push_fault(status_fault(503, None).target(FaultTarget::Token));
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    let r = post_form(
        &emu,
        "/oauth/token",
        Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["error"], "server_error");
    // path and method filters
    emu.push_fault(Fault { path_contains: Some("/tokens".into()), ..status_fault(500, None) });
    emu.push_fault(Fault { method: Some("post".into()), ..status_fault(504, None).target(FaultTarget::Any) });
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    assert_eq!(get(&emu, "/api/v2/tokens/me", Some(&t)).await.status, 500);
    assert_eq!(post_json(&emu, "/api/v2/analytics/conversations/details/query", Some(&t), "{}").await.status, 504);
    // authorize is never faulted
    emu.push_fault(status_fault(500, None).target(FaultTarget::Any));
    let r = get(
        &emu,
        &format!(
            "/oauth/authorize?client_id={}&redirect_uri={}&response_type=token",
            creds::PUBLIC_CLIENT_ID,
            creds::REDIRECT_URI
        ),
        None,
    )
    .await;
    assert_eq!(r.status, 302);
    emu.reset();
}

#[tokio::test]
async fn delay_fault() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault::new(FaultKind::Delay { ms: 300 }));
    let t0 = Instant::now();
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    let t0 = Instant::now();
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    assert!(t0.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn reset_fault_closes_without_response() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault::new(FaultKind::Reset));
    let err = request(emu.port(), "GET", "/api/v2/users/me", &[("authorization", &format!("Bearer {t}"))], b"")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{err}");
    assert!(err.to_string().contains("after 0 bytes"), "{err}");
    let log = emu.requests();
    assert_eq!(log.last().unwrap().status, 0);
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
}

#[tokio::test]
async fn truncate_fault_sends_partial_body() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault::new(FaultKind::Truncate));
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert!(r.truncated);
    let full = r.content_length.unwrap();
    assert!(full > 100);
    assert!(r.body.len() < full, "{} of {full}", r.body.len());
    assert!(!r.body.is_empty());
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    // token endpoint too
    emu.push_fault(Fault::new(FaultKind::Truncate).target(FaultTarget::Token));
    let r = post_form(
        &emu,
        "/oauth/token",
        Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert!(r.truncated);
    assert_eq!(emu.requests().last().unwrap().status, 200);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let other = client_credentials(&emu).await;
    emu.set_rate_limit(Some(RateLimit { per_token: 3, window: Duration::from_secs(2) }));
    for i in 1..=3 {
        let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("inin-ratelimit-allowed"), Some("3"));
        assert_eq!(r.header("inin-ratelimit-count"), Some(i.to_string().as_str()));
    }
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 429);
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&ra), "{ra}");
    assert_eq!(r.header("inin-ratelimit-count"), Some("4"));
    let v = r.json();
    assert_eq!(v["code"], "too.many.requests.retry.after");
    assert_eq!(v["status"], 429);
    assert_eq!(v["message"], format!("Rate limit exceeded the maximum. Retry the request in [{ra}] seconds"));
    assert!(v["contextId"].is_string());
    // per token
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&other)).await.status, 200);
    // the window resets
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("inin-ratelimit-count"), Some("1"));
    emu.set_rate_limit(None);
    for _ in 0..5 {
        assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    }
}

#[tokio::test]
async fn counters_and_reset() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    get(&emu, "/api/v2/users/me", Some(&t)).await;
    get(&emu, "/api/v2/users/me?expand=presence", Some(&t)).await;
    get(&emu, "/api/v2/users", Some(&t)).await;
    get(&emu, "/api/v2/users/me", None).await;
    emu.push_fault(Fault::new(FaultKind::Reset));
    let _ = request(emu.port(), "GET", "/api/v2/users", &[], b"").await;
    let c = emu.counters();
    assert_eq!(c.token_requests, 1);
    assert_eq!(c.token_requests_by_grant["client_credentials"], 1);
    assert_eq!(c.api_requests, 5);
    assert_eq!(c.api_requests_by_route["GET /api/v2/users/me"], 3);
    assert_eq!(c.api_requests_by_route["GET /api/v2/users"], 2);
    assert_eq!(c.unauthorized, 1);
    assert_eq!(c.faults_served, 1);
    assert_eq!(emu.requests().len(), 6);

    emu.push_fault(status_fault(500, None));
    emu.set_rate_limit(Some(RateLimit { per_token: 1, window: Duration::from_secs(60) }));
    emu.reset();
    assert_eq!(emu.counters(), purecore_emulator::Counters::default());
    assert!(emu.requests().is_empty());
    // faults and rate limit are gone, tokens still valid
    for _ in 0..3 {
        assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    }
}

#[tokio::test]
async fn request_log_is_capped() {
    let emu = start().await;
    let mut s = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
    for _ in 0..2_050 {
        let r = exchange(&mut s, "GET", "/api/v2/users/me", &[], b"").await.unwrap();
        assert_eq!(r.status, 401);
    }
    let log = emu.requests();
    assert_eq!(log.len(), 2_000);
    assert_eq!(emu.counters().api_requests, 2_050);
}

/// Reads from `s` until `n` bytes (head included) arrived or the stream ends.
async fn read_at_least(s: &mut TcpStream, n: usize) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    while out.len() < n {
        let got = tokio::time::timeout(Duration::from_secs(5), s.read(&mut chunk)).await.unwrap().unwrap();
        if got == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..got]);
    }
    out
}

#[tokio::test]
async fn endless_fault_streams_a_chunked_body_that_never_ends() {
    use tokio::io::AsyncWriteExt;
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault::new(FaultKind::Endless { status: 500 }));
    let mut s = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
    let auth = format!("Bearer {t}");
    s.write_all(&request_bytes("GET", "/api/v2/users/me", &[("authorization", &auth)], b"")).await.unwrap();
    // 8 MB arrive and it keeps going: never a last chunk.
    let got = read_at_least(&mut s, 8 * 1024 * 1024).await;
    assert!(got.len() >= 8 * 1024 * 1024, "the body ended after {} bytes", got.len());
    let head = String::from_utf8_lossy(&got[..512]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 500"), "{head}");
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert!(!got.windows(5).any(|w| w == b"\r\n0\r\n"), "no last chunk");
    drop(s);
    assert_eq!(emu.requests().last().unwrap().status, 500);
    // The next request is answered normally.
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
}

#[tokio::test]
async fn large_fault_sends_exactly_the_given_size() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(Fault::new(FaultKind::Large { status: 200, bytes: 300_000, chunked: false }));
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_length, Some(300_000));
    assert_eq!(r.body.len(), 300_000);
    let s: String = serde_json::from_slice(&r.body).unwrap();
    assert!(s.len() == 299_998 && s.bytes().all(|b| b == b'x'));

    // Chunked: no Content-Length, same bytes.
    use tokio::io::AsyncWriteExt;
    emu.push_fault(Fault::new(FaultKind::Large { status: 503, bytes: 200_000, chunked: true }));
    let mut c = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
    let auth = format!("Bearer {t}");
    c.write_all(&request_bytes("GET", "/api/v2/users/me", &[("authorization", &auth)], b"")).await.unwrap();
    let got = read_at_least(&mut c, 200_000).await;
    let head = String::from_utf8_lossy(&got[..256]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 503") && head.contains("transfer-encoding: chunked"), "{head}");
}

#[tokio::test]
async fn expires_in_fault_changes_only_the_reported_lifetime() {
    let emu = start().await;
    let values = [json_value("0"), json_value("-30"), json_value("1.5"), json_value("\"3600\""), json_value("1e300")];
    for v in &values {
        emu.push_fault(Fault::new(FaultKind::ExpiresIn { value: v.clone() }).target(FaultTarget::Token));
        let r = post_form(
            &emu,
            "/oauth/token",
            Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
            &[("grant_type", "client_credentials")],
        )
        .await;
        assert_eq!(r.status, 200);
        let body = r.json();
        assert_eq!(&body["expires_in"], v);
        // The token itself works as usual.
        let t = body["access_token"].as_str().unwrap();
        assert_eq!(get(&emu, "/api/v2/users/me", Some(t)).await.status, 200);
    }
    // Without the fault the lifetime is the configured one again.
    let r = post_form(
        &emu,
        "/oauth/token",
        Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(r.json()["expires_in"], 86_400);
}

fn json_value(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[tokio::test]
async fn repeated_revocations() {
    let emu = start().await;
    let first = client_credentials(&emu).await;
    // 400 ms apart (rather than 150) leaves room for a slow machine.
    emu.expire_all_tokens_repeatedly(3, Duration::from_millis(400));
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&first)).await.status, 401, "the first revocation is immediate");
    let second = client_credentials(&emu).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&second)).await.status, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&second)).await.status, 401, "revoked again 400 ms later");
    let third = client_credentials(&emu).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&third)).await.status, 401, "and a third time");
    let fourth = client_credentials(&emu).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&fourth)).await.status, 200, "no more than 3 times");
}
