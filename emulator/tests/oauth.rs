#![allow(clippy::unwrap_used)]
//! Token endpoint (every grant, success and failure) and /oauth/authorize redirects.

mod common;

use base64::Engine;
use common::*;
use purecore_emulator::creds;
use sha2::{Digest, Sha256};

const CC: Option<(&str, &str)> = Some((creds::CLIENT_ID, creds::CLIENT_SECRET));
const CODE: Option<(&str, &str)> = Some((creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET));
const SAML2: &str = "urn:ietf:params:oauth:grant-type:saml2-bearer";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-extra~chars.ok";

fn challenge(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()))
}

fn assert_oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"], error, "{v}");
    assert!(v["error_description"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(v["description"], v["error_description"]);
    assert!(r.header("inin-correlation-id").is_some());
}

/// Runs /oauth/authorize and returns the Location header.
async fn authorize(emu: &purecore_emulator::Emulator, query: &[(&str, &str)]) -> Resp {
    let path = format!("/oauth/authorize?{}", form(query));
    get(emu, &path, None).await
}

async fn code_for(emu: &purecore_emulator::Emulator, client: &str, challenge: Option<&str>) -> String {
    let mut q =
        vec![("client_id", client), ("redirect_uri", creds::REDIRECT_URI), ("response_type", "code"), ("state", "xyz")];
    if let Some(c) = challenge {
        q.push(("code_challenge", c));
        q.push(("code_challenge_method", "S256"));
    }
    let r = authorize(emu, &q).await;
    assert_eq!(r.status, 302, "{}", r.text());
    let loc = r.header("location").unwrap();
    assert!(loc.starts_with(&format!("{}?", creds::REDIRECT_URI)), "{loc}");
    let p = params_after(loc, '?');
    assert_eq!(param(&p, "state"), Some("xyz"));
    param(&p, "code").unwrap().to_string()
}

#[tokio::test]
async fn client_credentials_success_and_failures() {
    let emu = start().await;
    let r = post_form(&emu, "/oauth/token", CC, &[("grant_type", "client_credentials")]).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 86_400);
    assert!(v["access_token"].as_str().unwrap().len() >= 40);
    assert!(v.get("refresh_token").is_none());
    assert_eq!(r.header("content-type"), Some("application/json"));
    // the code client may use client credentials too
    let r = post_form(&emu, "/oauth/token", CODE, &[("grant_type", "client_credentials")]).await;
    assert_eq!(r.status, 200);

    let r = post_form(&emu, "/oauth/token", Some((creds::CLIENT_ID, "wrong")), &[("grant_type", "client_credentials")])
        .await;
    assert_oauth_error(&r, 401, "invalid_client");
    let r = post_form(&emu, "/oauth/token", None, &[("grant_type", "client_credentials")]).await;
    assert_oauth_error(&r, 401, "invalid_client");
    let r = post_form(&emu, "/oauth/token", Some(("nobody", "x")), &[("grant_type", "client_credentials")]).await;
    assert_oauth_error(&r, 401, "invalid_client");
    let r = post_form(&emu, "/oauth/token", CC, &[("grant_type", "password")]).await;
    assert_oauth_error(&r, 400, "unsupported_grant_type");
    let r = post_form(&emu, "/oauth/token", CC, &[]).await;
    assert_oauth_error(&r, 400, "invalid_request");
    // not a form
    let b = basic(creds::CLIENT_ID, creds::CLIENT_SECRET);
    let r = request(
        emu.port(),
        "POST",
        "/oauth/token",
        &[("content-type", "application/json"), ("authorization", &b)],
        br#"{"grant_type":"client_credentials"}"#,
    )
    .await
    .unwrap();
    assert_oauth_error(&r, 400, "invalid_request");
    // form with a charset parameter is fine
    let r = request(
        emu.port(),
        "POST",
        "/oauth/token",
        &[("content-type", "application/x-www-form-urlencoded; charset=UTF-8"), ("authorization", &b)],
        b"grant_type=client_credentials",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    // GET is not allowed
    let r = get(&emu, "/oauth/token", None).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn saml2_bearer() {
    let emu = start().await;
    let ok = [("grant_type", SAML2), ("orgName", creds::SAML_ORG), ("assertion", creds::SAML_ASSERTION)];
    let r = post_form(&emu, "/oauth/token", CC, &ok).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&token)).await.status, 200);

    let r = post_form(
        &emu,
        "/oauth/token",
        CC,
        &[("grant_type", SAML2), ("orgName", "other-org"), ("assertion", creds::SAML_ASSERTION)],
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_grant");
    let r = post_form(
        &emu,
        "/oauth/token",
        CC,
        &[("grant_type", SAML2), ("orgName", creds::SAML_ORG), ("assertion", "bm9wZQ==")],
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_grant");
    let r = post_form(&emu, "/oauth/token", CC, &[("grant_type", SAML2), ("orgName", creds::SAML_ORG)]).await;
    assert_oauth_error(&r, 400, "invalid_request");
    let r = post_form(&emu, "/oauth/token", None, &ok).await;
    assert_oauth_error(&r, 401, "invalid_client");
}

#[tokio::test]
async fn authorization_code_confidential_and_refresh() {
    let emu = start().await;
    let code = code_for(&emu, creds::CODE_CLIENT_ID, None).await;
    let exchange =
        [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", creds::REDIRECT_URI)];
    // wrong redirect_uri, wrong client: refused, code still usable
    let bad_redirect = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://example.test/callback"),
    ];
    assert_oauth_error(&post_form(&emu, "/oauth/token", CODE, &bad_redirect).await, 400, "invalid_grant");
    assert_oauth_error(&post_form(&emu, "/oauth/token", CC, &exchange).await, 400, "invalid_grant");
    let r = post_form(&emu, "/oauth/token", Some((creds::CODE_CLIENT_ID, "bad")), &exchange).await;
    assert_oauth_error(&r, 401, "invalid_client");

    let r = post_form(&emu, "/oauth/token", CODE, &exchange).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["token_type"], "bearer");
    assert!(v["expires_in"].as_u64().unwrap() > 0);
    let access = v["access_token"].as_str().unwrap().to_string();
    let refresh = v["refresh_token"].as_str().unwrap().to_string();
    // single use
    assert_oauth_error(&post_form(&emu, "/oauth/token", CODE, &exchange).await, 400, "invalid_grant");
    // missing fields
    let r = post_form(&emu, "/oauth/token", CODE, &[("grant_type", "authorization_code"), ("code", &code)]).await;
    assert_oauth_error(&r, 400, "invalid_request");

    // refresh after revocation
    emu.expire_all_tokens();
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&access)).await.status, 401);
    let r =
        post_form(&emu, "/oauth/token", CODE, &[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert!(v["refresh_token"].as_str().is_some());
    let new_access = v["access_token"].as_str().unwrap();
    assert_ne!(new_access, access);
    assert_eq!(get(&emu, "/api/v2/users/me", Some(new_access)).await.status, 200);

    let r = post_form(&emu, "/oauth/token", CODE, &[("grant_type", "refresh_token"), ("refresh_token", "nope")]).await;
    assert_oauth_error(&r, 400, "invalid_grant");
    // refresh token of the confidential client cannot be used by another client
    let r = post_form(&emu, "/oauth/token", CC, &[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
    assert_oauth_error(&r, 400, "invalid_grant");
    let c = emu.counters();
    assert_eq!(c.token_requests_by_grant["refresh_token"], 3);
    assert_eq!(c.authorize_requests, 1);
}

async fn pkce_exchange(emu: &purecore_emulator::Emulator, code: &str, verifier: Option<&str>) -> Resp {
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", creds::REDIRECT_URI),
        ("client_id", creds::PUBLIC_CLIENT_ID),
    ];
    if let Some(v) = verifier {
        pairs.push(("code_verifier", v));
    }
    post_form(emu, "/oauth/token", None, &pairs).await
}

#[tokio::test]
async fn pkce_public_client() {
    let emu = start().await;
    let code = code_for(&emu, creds::PUBLIC_CLIENT_ID, Some(&challenge(VERIFIER))).await;
    // wrong verifier, missing verifier
    let wrong = "A".repeat(43);
    assert_oauth_error(&pkce_exchange(&emu, &code, Some(&wrong)).await, 400, "invalid_grant");
    assert_oauth_error(&pkce_exchange(&emu, &code, None).await, 400, "invalid_request");
    // malformed verifier
    assert_oauth_error(&pkce_exchange(&emu, &code, Some("short")).await, 400, "invalid_grant");
    // right verifier
    let r = pkce_exchange(&emu, &code, Some(VERIFIER)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let refresh = r.json()["refresh_token"].as_str().unwrap().to_string();
    // used
    assert_oauth_error(&pkce_exchange(&emu, &code, Some(VERIFIER)).await, 400, "invalid_grant");
    // public refresh with client_id only
    let r = post_form(
        &emu,
        "/oauth/token",
        None,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh), ("client_id", creds::PUBLIC_CLIENT_ID)],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // the confidential client id without a secret is refused
    let r = post_form(
        &emu,
        "/oauth/token",
        None,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh), ("client_id", creds::CODE_CLIENT_ID)],
    )
    .await;
    assert_oauth_error(&r, 401, "invalid_client");

    // the public client must use PKCE
    let r = authorize(
        &emu,
        &[("client_id", creds::PUBLIC_CLIENT_ID), ("redirect_uri", creds::REDIRECT_URI), ("response_type", "code")],
    )
    .await;
    assert_eq!(r.status, 302);
    let p = params_after(r.header("location").unwrap(), '?');
    assert_eq!(param(&p, "error"), Some("invalid_request"));
    // plain is not supported
    let r = authorize(
        &emu,
        &[
            ("client_id", creds::PUBLIC_CLIENT_ID),
            ("redirect_uri", creds::REDIRECT_URI),
            ("response_type", "code"),
            ("code_challenge", VERIFIER),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    let p = params_after(r.header("location").unwrap(), '?');
    assert_eq!(param(&p, "error"), Some("invalid_request"));
}

#[tokio::test]
async fn confidential_client_with_pkce_needs_the_verifier() {
    let emu = start().await;
    let code = code_for(&emu, creds::CODE_CLIENT_ID, Some(&challenge(VERIFIER))).await;
    let base = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", creds::REDIRECT_URI)];
    assert_oauth_error(&post_form(&emu, "/oauth/token", CODE, &base).await, 400, "invalid_grant");
    let mut with = base.to_vec();
    with.push(("code_verifier", VERIFIER));
    assert_eq!(post_form(&emu, "/oauth/token", CODE, &with).await.status, 200);
}

#[tokio::test]
async fn authorize_implicit_and_errors() {
    let emu = start().await;
    let r = authorize(
        &emu,
        &[
            ("client_id", creds::PUBLIC_CLIENT_ID),
            ("redirect_uri", "https://example.test/callback"),
            ("response_type", "token"),
            ("state", "s 1"),
            ("org", "emulator-org"),
            ("provider", "okta"),
            ("prompt", "login"),
        ],
    )
    .await;
    assert_eq!(r.status, 302);
    let loc = r.header("location").unwrap();
    assert!(loc.starts_with("https://example.test/callback#"), "{loc}");
    let p = params_after(loc, '#');
    assert_eq!(param(&p, "token_type"), Some("bearer"));
    assert_eq!(param(&p, "expires_in"), Some("86400"));
    assert_eq!(param(&p, "state"), Some("s 1"));
    let token = param(&p, "access_token").unwrap();
    let me = get(&emu, "/api/v2/users/me", Some(token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["id"], creds::USER_ID);

    // unregistered redirect: 400 text, no redirect
    let r = authorize(
        &emu,
        &[("client_id", creds::PUBLIC_CLIENT_ID), ("redirect_uri", "https://evil.test/cb"), ("response_type", "token")],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.header("location").is_none());
    assert!(r.text().contains("https://evil.test/cb"), "{}", r.text());
    // unknown client
    let r = authorize(&emu, &[("client_id", "who"), ("redirect_uri", creds::REDIRECT_URI), ("response_type", "code")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("who"));
    // unsupported response type: query for code-style, fragment for token-style
    let r = authorize(
        &emu,
        &[
            ("client_id", creds::CODE_CLIENT_ID),
            ("redirect_uri", creds::REDIRECT_URI),
            ("response_type", "id_token"),
            ("state", "q"),
        ],
    )
    .await;
    assert_eq!(r.status, 302);
    let loc = r.header("location").unwrap();
    assert!(loc.contains('?') && !loc.contains('#'), "{loc}");
    let p = params_after(loc, '?');
    assert_eq!(param(&p, "error"), Some("unsupported_response_type"));
    assert_eq!(param(&p, "state"), Some("q"));
    let r = authorize(
        &emu,
        &[
            ("client_id", creds::CODE_CLIENT_ID),
            ("redirect_uri", creds::REDIRECT_URI),
            ("response_type", "id_token token"),
        ],
    )
    .await;
    let p = params_after(r.header("location").unwrap(), '#');
    assert_eq!(param(&p, "error"), Some("unsupported_response_type"));
    assert!(param(&p, "error_description").is_some());
}

#[tokio::test]
async fn token_lifetime_and_expiry() {
    let emu = start().await;
    emu.set_token_lifetime(std::time::Duration::from_millis(800));
    let r = post_form(&emu, "/oauth/token", CC, &[("grant_type", "client_credentials")]).await;
    assert_eq!(r.json()["expires_in"], 1);
    let token = r.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&token)).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&token)).await.status, 401);
}
