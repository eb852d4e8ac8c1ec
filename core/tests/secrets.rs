//! No public object of the core shows a secret when printed: `Debug` (plain
//! and pretty) and `Display` of the client, its settings, tokens, requests,
//! replies and errors.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use purecore::{Body, ProxyConfig, Request};

const PROXY_PASSWORD: &str = "proxy-pass-7f3a";
const HEADER_SECRET: &str = "hdr-secret-91c2";
const FORM_SECRET: &str = "form-secret-55d0";

fn renderings(name: &str, debug: &dyn std::fmt::Debug) -> Vec<(String, String)> {
    vec![(format!("{name} {{:?}}"), format!("{debug:?}")), (format!("{name} {{:#?}}"), format!("{debug:#?}"))]
}

#[tokio::test]
async fn printing_public_objects_shows_no_secret() {
    let emu = emulator().await;
    let mut cfg = config_for(&emu);
    cfg.default_headers = vec![("Authorization".into(), format!("Bearer {HEADER_SECRET}"))];
    cfg.logging.log_to_console = false;
    let client = purecore::Client::new(cfg).unwrap();
    let auth = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let token = auth.access_token.expose().to_owned();
    client
        .update_config(|c| {
            c.proxy = Some(ProxyConfig {
                url: format!("http://bob:{PROXY_PASSWORD}@127.0.0.1:9"),
                username: Some("bob".into()),
                password: Some(PROXY_PASSWORD.into()),
            })
        })
        .unwrap();

    let mut req = Request::post("/oauth/token");
    req.headers.push(("Authorization".into(), format!("Basic {HEADER_SECRET}")));
    req.query.push(("access_token".into(), token.clone()));
    req.body = Body::Form(vec![("grant_type".into(), "x".into()), ("client_secret".into(), FORM_SECRET.into())]);

    let login_error = client.login_client_credentials(creds::CLIENT_ID, FORM_SECRET).await.unwrap_err();

    let mut shown = Vec::new();
    shown.extend(renderings("client", &client));
    shown.extend(renderings("config", &client.config()));
    shown.extend(renderings("auth", &auth));
    shown.extend(renderings("auth_data", &client.auth_data()));
    shown.extend(renderings("request", &req));
    shown.extend(renderings("error", &login_error));
    shown.push(("error display".into(), login_error.to_string()));
    shown.extend(renderings("error response", &login_error.response()));

    assert!(shown.iter().any(|(_, s)| s.contains("[REDACTED]")), "the test sees masked values");
    for secret in [PROXY_PASSWORD, HEADER_SECRET, FORM_SECRET, creds::CLIENT_SECRET, token.as_str()] {
        for (what, text) in &shown {
            assert!(!text.contains(secret), "{what} shows a secret: {text}");
        }
    }
}
