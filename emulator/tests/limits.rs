//! The fleet limits over real TCP: the API limit given at start, the token endpoint's limit
//! per client id, and the counters of token requests and 429s (`GET /admin/limits`).

mod common;

use std::time::Duration;

use common::*;
use purecore_emulator::{creds, token_key, Emulator, EmulatorOptions, RateLimit};

#[tokio::test]
async fn limits_given_at_start_count_429s_per_token_and_survive_a_reset() {
    let opts = EmulatorOptions {
        rate_limit: Some(RateLimit { per_token: 2, window: Duration::from_secs(30) }),
        ..Default::default()
    };
    let emu = Emulator::start(opts).await.unwrap();
    let t = client_credentials(&emu).await;
    for _ in 0..2 {
        assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.status, 200);
    }
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    let c = get(&emu, "/admin/limits", None).await.json();
    assert_eq!(c["api_429"], 1);
    assert_eq!(c["api_429_by_token"][token_key(&t)], 1);
    assert_eq!(c["api_requests_by_token"][token_key(&t)], 3);
    assert_eq!(c["token_requests_by_client"][creds::CLIENT_ID], 1);
    assert!(!c.to_string().contains(&t), "a counter key holds the token");
    emu.reset();
    assert_eq!(emu.limit_counters().api_429, 0);
    assert_eq!(get(&emu, "/admin/rate-limit", None).await.json()["per_token"], 2);
}

#[tokio::test]
async fn token_endpoint_limit_is_per_client_id() {
    let emu = start().await;
    let r = post_json(&emu, "/admin/token-rate-limit", None, r#"{"per_token":2,"window_seconds":30}"#).await;
    assert_eq!(r.status, 204);
    assert_eq!(get(&emu, "/admin/token-rate-limit", None).await.json()["per_token"], 2);
    let ask = |id: &'static str, secret: &'static str| {
        let emu = &emu;
        async move { post_form(emu, "/oauth/token", Some((id, secret)), &[("grant_type", "client_credentials")]).await }
    };
    assert_eq!(ask(creds::CLIENT_ID, creds::CLIENT_SECRET).await.status, 200);
    assert_eq!(ask(creds::CLIENT_ID, creds::CLIENT_SECRET).await.status, 200);
    let r = ask(creds::CLIENT_ID, creds::CLIENT_SECRET).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["error"], "temporarily_unavailable");
    let ra: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&ra));
    // Another client has its own window.
    assert_eq!(ask(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET).await.status, 200);
    let c = emu.limit_counters();
    assert_eq!(c.token_requests_by_client[creds::CLIENT_ID], 3);
    assert_eq!(c.token_429_by_client[creds::CLIENT_ID], 1);
    assert_eq!(c.token_requests_by_client[creds::CODE_CLIENT_ID], 1);
    let r = post_json(&emu, "/admin/token-rate-limit", None, r#"{"per_token":null}"#).await;
    assert_eq!(r.status, 204);
    assert_eq!(ask(creds::CLIENT_ID, creds::CLIENT_SECRET).await.status, 200);
    let r = post_json(&emu, "/admin/token-rate-limit", None, r#"{"per_token":1,"window_seconds":0}"#).await;
    assert_eq!(r.status, 400);
}
