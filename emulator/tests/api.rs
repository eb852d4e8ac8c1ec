#![allow(clippy::unwrap_used)]
//! API endpoints: auth, bodies, paging, gateway prefixes, headers.

mod common;

use common::*;
use purecore_emulator::creds;

fn is_uuid_v4(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[14] == b'4' && s.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn unauthorized_body_and_headers() {
    let emu = start().await;
    for token in [None, Some("not-a-token")] {
        let r = get(&emu, "/api/v2/users/me", token).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v = r.json();
        assert_eq!(v["message"], "Invalid login credentials.");
        assert_eq!(v["code"], "bad.credentials");
        assert_eq!(v["status"], 401);
        assert_eq!(v["details"], serde_json::json!([]));
        assert_eq!(v["errors"], serde_json::json!([]));
        let cid = r.header("inin-correlation-id").unwrap();
        assert!(is_uuid_v4(cid), "{cid}");
        assert_eq!(v["contextId"], cid);
        assert!(r.header("inin-ratelimit-allowed").is_some());
    }
    // wrong scheme
    let b = basic(creds::CLIENT_ID, creds::CLIENT_SECRET);
    let r = request(emu.port(), "GET", "/api/v2/users/me", &[("authorization", &b)], b"").await.unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(emu.counters().unauthorized, 3);
}

#[tokio::test]
async fn expire_all_tokens_revokes_access_tokens() {
    let emu = start().await;
    let t1 = client_credentials(&emu).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t1)).await.status, 200);
    emu.expire_all_tokens();
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t1)).await.status, 401);
    let t2 = client_credentials(&emu).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t2)).await.status, 200);
}

#[tokio::test]
async fn users_me_and_expand() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let r = get(&emu, "/api/v2/users/me", Some(&t)).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["id"], creds::USER_ID);
    assert_eq!(v["name"], "Emulator User");
    assert_eq!(v["division"]["name"], "Home");
    assert_eq!(v["email"], "emulator.user@example.test");
    assert_eq!(v["state"], "active");
    assert_eq!(v["version"], 1);
    assert_eq!(v["acdAutoAnswer"], false);
    assert_eq!(v["selfUri"], format!("/api/v2/users/{}", creds::USER_ID));
    assert!(v["chat"]["jabberId"].is_string());
    assert!(v.get("presence").is_none());
    let rl = r.header("inin-ratelimit-allowed").unwrap();
    assert_eq!(rl, "1000000");
    assert_eq!(r.header("inin-ratelimit-count"), Some("1"));
    let reset: u64 = r.header("inin-ratelimit-reset").unwrap().parse().unwrap();
    assert!((1..=60).contains(&reset));

    let v = get(&emu, "/api/v2/users/me?expand=presence", Some(&t)).await.json();
    assert_eq!(v["presence"]["presenceDefinition"]["systemPresence"], "Available");
    assert!(v["presence"]["modifiedDate"].as_str().unwrap().ends_with('Z'));
    assert!(v.get("authorization").is_none());
    for q in ["expand=presence,authorization", "expand=presence&expand=authorization"] {
        let v = get(&emu, &format!("/api/v2/users/me?{q}"), Some(&t)).await.json();
        assert!(v["presence"].is_object(), "{q}");
        assert!(v["authorization"].is_object(), "{q}");
    }
}

#[tokio::test]
async fn users_by_id_and_paging() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let p1 = get(&emu, "/api/v2/users?pageSize=25&pageNumber=1", Some(&t)).await.json();
    assert_eq!(p1["entities"].as_array().unwrap().len(), 25);
    assert_eq!(p1["pageSize"], 25);
    assert_eq!(p1["pageNumber"], 1);
    assert_eq!(p1["total"], 57);
    assert_eq!(p1["pageCount"], 3);
    assert_eq!(p1["firstUri"], "/api/v2/users?pageSize=25&pageNumber=1");
    assert_eq!(p1["selfUri"], "/api/v2/users?pageSize=25&pageNumber=1");
    assert_eq!(p1["lastUri"], "/api/v2/users?pageSize=25&pageNumber=3");
    assert_eq!(p1["nextUri"], "/api/v2/users?pageSize=25&pageNumber=2");
    assert!(p1.get("previousUri").is_none());
    let p3 = get(&emu, "/api/v2/users?pageSize=25&pageNumber=3", Some(&t)).await.json();
    assert_eq!(p3["entities"].as_array().unwrap().len(), 7);
    assert!(p3.get("nextUri").is_none());
    assert_eq!(p3["previousUri"], "/api/v2/users?pageSize=25&pageNumber=2");
    // default paging, and walking nextUri covers every user exactly once
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Some("/api/v2/users?pageSize=10".to_string());
    while let Some(uri) = next {
        let page = get(&emu, &uri, Some(&t)).await.json();
        for u in page["entities"].as_array().unwrap() {
            assert!(seen.insert(u["id"].as_str().unwrap().to_string()));
        }
        next = page["nextUri"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), 57);
    assert!(seen.contains(creds::USER_ID));

    let r = get(&emu, "/api/v2/users?pageSize=501", Some(&t)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "bad.request");
    assert!(r.json()["message"].as_str().unwrap().contains("pageSize"));
    assert_eq!(get(&emu, "/api/v2/users?pageNumber=abc", Some(&t)).await.status, 400);

    let other = p1["entities"][5]["id"].as_str().unwrap().to_string();
    let r = get(&emu, &format!("/api/v2/users/{other}"), Some(&t)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], other.as_str());
    let r = get(&emu, "/api/v2/users/00000000-0000-4000-8000-ffffffffffff", Some(&t)).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "not.found");
}

#[tokio::test]
async fn permissions_tokens_me_and_analytics() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let v = get(&emu, "/api/v2/authorization/permissions?pageSize=10&pageNumber=2", Some(&t)).await.json();
    assert_eq!(v["total"], 30);
    assert_eq!(v["pageCount"], 3);
    let e = &v["entities"][0];
    for k in ["id", "domain", "entityType", "action", "label"] {
        assert!(e[k].is_string(), "{k}");
    }
    assert_eq!(e["allowsConditions"], false);
    assert_eq!(e["divisionAware"], true);

    let v = get(&emu, "/api/v2/tokens/me", Some(&t)).await.json();
    assert_eq!(v["organization"]["name"], "Emulator Org");
    assert_eq!(v["homeOrganization"]["name"], "Emulator Org");
    assert_eq!(v["OAuthClient"]["id"], creds::CLIENT_ID);
    assert!(v["authorizedScope"].as_array().unwrap().len() > 1);

    let path = "/api/v2/analytics/conversations/details/query";
    let r = post_json(&emu, path, Some(&t), r#"{"interval":"2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"}"#).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let n = v["conversations"].as_array().unwrap().len();
    assert!(n >= 2);
    assert_eq!(v["totalHits"], n);
    let again = post_json(&emu, path, Some(&t), "{}").await.json();
    assert_eq!(again, v, "deterministic");
    for bad in ["[1,2]", "not json", ""] {
        let r = post_json(&emu, path, Some(&t), bad).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()["code"], "bad.request");
    }
}

#[tokio::test]
async fn unknown_routes_are_404_everywhere() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    for path in ["/api/v2/nothing/here", "/api/v2", "/elsewhere", "/oauth/nothing"] {
        let r = get(&emu, path, Some(&t)).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(r.header("inin-correlation-id").is_some());
    }
    let r = request(emu.port(), "DELETE", "/api/v2/users/me", &[("authorization", &format!("Bearer {t}"))], b"")
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "not.found");
    let h = get(&emu, "/health", None).await;
    assert_eq!((h.status, h.text().as_str()), (200, "ok"));
}

#[tokio::test]
async fn gateway_prefixes_are_stripped_and_recorded() {
    let emu = start().await;
    let r = post_form(
        &emu,
        "/login/oauth/token",
        Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(r.status, 200);
    let t = r.json()["access_token"].as_str().unwrap().to_string();
    let r = get(&emu, "/gw/api/api/v2/users/me?expand=presence", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["presence"].is_object());

    let log = emu.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].prefix, "/login");
    assert_eq!(log[0].path, "/login/oauth/token");
    assert_eq!(log[0].body, "grant_type=client_credentials");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].prefix, "/gw/api");
    assert_eq!(log[1].path, "/gw/api/api/v2/users/me");
    assert_eq!(log[1].query, "expand=presence");
    assert!(log[1].headers.iter().any(|(n, v)| n == "authorization" && v.starts_with("Bearer ")));
    assert!(log[1].at_ms >= log[0].at_ms);
    let c = emu.counters();
    assert_eq!(c.api_requests_by_route["GET /api/v2/users/me"], 1);
    assert_eq!(c.token_requests_by_grant["client_credentials"], 1);
}
