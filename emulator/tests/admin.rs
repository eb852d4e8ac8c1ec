#![allow(clippy::unwrap_used)]
//! The admin HTTP API.

mod common;

use common::*;
use serde_json::{json, Value};

async fn admin(emu: &purecore_emulator::Emulator, method: &str, path: &str, body: &str) -> Resp {
    request(emu.port(), method, path, &[("content-type", "application/json")], body.as_bytes()).await.unwrap()
}

#[tokio::test]
async fn expire_tokens_and_token_lifetime() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let r = admin(&emu, "POST", "/admin/expire-tokens", "").await;
    assert_eq!(r.status, 204);
    assert!(r.header("inin-correlation-id").is_some());
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 401);

    assert_eq!(admin(&emu, "POST", "/admin/token-lifetime", r#"{"seconds":2}"#).await.status, 204);
    let r = post_form(
        &emu,
        "/oauth/token",
        Some((purecore_emulator::creds::CLIENT_ID, purecore_emulator::creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(r.json()["expires_in"], 2);
    assert_eq!(admin(&emu, "GET", "/admin/token-lifetime", "").await.json()["seconds"], 2.0);
    assert_eq!(admin(&emu, "POST", "/admin/token-lifetime", r#"{"seconds":0}"#).await.status, 400);
    assert_eq!(admin(&emu, "POST", "/admin/token-lifetime", r#"{}"#).await.status, 400);
}

#[tokio::test]
async fn faults_over_http() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let body = json!({"faults": [
        {"kind": "status", "status": 429, "retry_after": 1},
        {"target": "api", "count": 1, "method": "GET", "path_contains": "/users", "kind": "status",
         "status": 503, "retry_after": 1, "retry_after_http_date": true, "body": "<h1>down</h1>",
         "content_type": "text/html"},
        {"kind": "delay", "ms": 10},
        {"kind": "truncate"},
        {"kind": "reset", "target": "token"}
    ]});
    assert_eq!(admin(&emu, "POST", "/admin/faults", &body.to_string()).await.status, 204);
    let listed = admin(&emu, "GET", "/admin/faults", "").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 5);
    assert_eq!(listed[1]["retry_after_http_date"], true);
    assert_eq!(listed[2], json!({"target": "api", "count": 1, "kind": "delay", "ms": 10}));

    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!((r.status, r.header("retry-after")), (429, Some("1")));
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.text(), "<h1>down</h1>");
    assert!(httpdate::parse_http_date(r.header("retry-after").unwrap()).is_ok());
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    assert!(get(&emu, "/api/v2/users/me", Some(&t)).await.truncated);
    // single fault object
    let one = r#"{"kind":"status","status":500}"#;
    assert_eq!(admin(&emu, "POST", "/admin/faults", one).await.status, 204);
    assert_eq!(admin(&emu, "GET", "/admin/faults", "").await.json().as_array().unwrap().len(), 2);

    // errors name the problem
    let r = admin(&emu, "POST", "/admin/faults", r#"{"kind":"meltdown"}"#).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("meltdown"));
    let r = admin(&emu, "POST", "/admin/faults", r#"{"kind":"status","status":503,"colour":"red"}"#).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("colour"));
    assert_eq!(admin(&emu, "POST", "/admin/faults", "{not json").await.status, 400);
}

#[tokio::test]
async fn rate_limit_over_http() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let r = admin(&emu, "POST", "/admin/rate-limit", r#"{"per_token":1,"window_seconds":60}"#).await;
    assert_eq!(r.status, 204);
    assert_eq!(
        admin(&emu, "GET", "/admin/rate-limit", "").await.json(),
        json!({"per_token": 1, "window_seconds": 60.0})
    );
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 429);
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&ra));
    assert_eq!(admin(&emu, "POST", "/admin/rate-limit", r#"{"per_token":null}"#).await.status, 204);
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    assert_eq!(admin(&emu, "POST", "/admin/rate-limit", r#"{"per_token":"x"}"#).await.status, 400);
}

#[tokio::test]
async fn counters_requests_reset_and_unknown() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    get(&emu, "/api/v2/users/me", Some(&t)).await;
    let c: Value = admin(&emu, "GET", "/admin/counters", "").await.json();
    assert_eq!(c["token_requests"], 1);
    assert_eq!(c["token_requests_by_grant"]["client_credentials"], 1);
    assert_eq!(c["api_requests"], 1);
    assert_eq!(c["api_requests_by_route"]["GET /api/v2/users/me"], 1);
    assert_eq!(c["authorize_requests"], 0);
    assert_eq!(c["unauthorized"], 0);
    assert_eq!(c["faults_served"], 0);

    let log = admin(&emu, "GET", "/admin/requests", "").await.json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2, "admin calls are not recorded");
    assert_eq!(log[1]["method"], "GET");
    assert_eq!(log[1]["path"], "/api/v2/users/me");
    assert_eq!(log[1]["status"], 200);
    assert!(log[1]["headers"].as_array().unwrap().iter().any(|h| h[0] == "authorization"));
    for k in ["at_ms", "query", "body", "prefix"] {
        assert!(log[1].get(k).is_some(), "{k}");
    }

    assert_eq!(admin(&emu, "POST", "/admin/reset", "").await.status, 204);
    let c: Value = admin(&emu, "GET", "/admin/counters", "").await.json();
    assert_eq!(c["api_requests"], 0);
    assert_eq!(admin(&emu, "GET", "/admin/requests", "").await.json(), json!([]));

    let r = admin(&emu, "GET", "/admin/nope", "").await;
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("/admin/nope"));
    assert_eq!(admin(&emu, "GET", "/admin/reset", "").await.status, 405);
}

#[tokio::test]
async fn expire_tokens_repeatedly_over_http() {
    let emu = start().await;
    let r = admin(&emu, "POST", "/admin/expire-tokens", r#"{"times":2,"interval_ms":300}"#).await;
    assert_eq!(r.status, 204);
    let t = client_credentials(&emu).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 401, "revoked a second time");
    for bad in [r#"{"times":-1}"#, r#"{"times":2,"interval_ms":"x"}"#, r#"{"every":1}"#, "[1]"] {
        let r = admin(&emu, "POST", "/admin/expire-tokens", bad).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].as_str().is_some(), "{bad}");
    }
}

#[tokio::test]
async fn body_faults_over_http() {
    let emu = start().await;
    let body = json!([
        {"kind": "large", "bytes": 10, "status": 502},
        {"target": "token", "kind": "expires_in", "expires_in": -5},
        {"kind": "endless"}
    ]);
    assert_eq!(admin(&emu, "POST", "/admin/faults", &body.to_string()).await.status, 204);
    let listed = admin(&emu, "GET", "/admin/faults", "").await.json();
    assert_eq!(listed[0]["kind"], "large");
    assert_eq!(listed[0]["bytes"], 10);
    assert_eq!(listed[1]["expires_in"], -5);
    assert_eq!(listed[2]["status"], 200);
    let r = admin(&emu, "POST", "/admin/faults", r#"{"kind":"large","ms":3,"bytes":1}"#).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("ms"));
}
