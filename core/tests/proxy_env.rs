//! Proxy settings fail closed: a malformed proxy variable is a configuration
//! error (never a silent direct connection), `NO_PROXY=*` turns proxies off,
//! and no error or retry event shows a proxy password or a secret query field.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use purecore::{Client, Config, Environment, ErrorKind, Request, RetryEvent};

const PROXY_VARS: [&str; 8] =
    ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

/// Run as a child process by the tests below, with proxy variables in its
/// environment: logs in against `PURECORE_CHILD_BASE` and prints the outcome.
#[test]
fn child_login_with_proxy_environment() {
    let Some(base) = std::env::var_os("PURECORE_CHILD_BASE") else {
        return; // only meaningful as a child of the tests below
    };
    let base = base.into_string().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = Client::new(Config {
        environment: Environment::custom(&base, &base).unwrap(),
        retry: purecore::RetryConfig { max_retries: 0, ..Default::default() },
        live_reload_config: false,
        ..Default::default()
    })
    .expect("creating the client never fails because of proxy variables");
    match rt.block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)) {
        Ok(_) => println!("OUTCOME ok"),
        Err(e) => println!("OUTCOME {} {}", e.kind(), e),
    }
}

/// Runs the child with exactly these proxy variables; returns its outcome line.
async fn login_in_child(base: &str, vars: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = std::process::Command::new(exe);
    cmd.args(["--exact", "child_login_with_proxy_environment", "--test-threads=1", "--nocapture"])
        .env("PURECORE_CHILD_BASE", base)
        .env_remove("REQUEST_METHOD")
        .stderr(std::process::Stdio::null());
    for k in PROXY_VARS {
        cmd.env_remove(k);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    stdout
        .lines()
        .find_map(|l| l.find("OUTCOME ").map(|i| l[i + "OUTCOME ".len()..].to_owned()))
        .unwrap_or_else(|| panic!("the child printed no outcome: {stdout}"))
}

// scenario: transport.proxy_env
#[tokio::test]
async fn a_malformed_proxy_variable_is_a_configuration_error_not_a_direct_connection() {
    let emu = emulator().await;
    let base = emu.base_url();
    for (var, value) in [
        ("HTTP_PROXY", "http://proxyuser:s3cret-pw@proxy.example:notaport"),
        ("http_proxy", "http://proxyuser:s3cret-pw@[::1"),
        ("HTTPS_PROXY", "socks5://proxyuser:s3cret-pw@127.0.0.1:1080"),
        ("ALL_PROXY", "http://proxyuser:s3cret-pw@"),
        ("HTTP_PROXY", "not a url at all"),
    ] {
        let outcome = login_in_child(&base, &[(var, value)]).await;
        assert!(outcome.starts_with("configuration "), "{var}={value}: {outcome}");
        assert!(outcome.contains(&format!("the {var} environment variable")), "{outcome}");
        assert!(!outcome.contains("s3cret-pw"), "the password is never shown: {outcome}");
    }
    assert_eq!(emu.counters().token_requests, 0, "nothing went direct");
}

// scenario: transport.proxy_env
#[tokio::test]
async fn no_proxy_star_means_no_proxy() {
    let emu = emulator().await;
    let base = emu.base_url();
    // A proxy where nothing listens: going through it fails.
    let dead = "http://127.0.0.1:9";
    let outcome = login_in_child(&base, &[("HTTP_PROXY", dead)]).await;
    assert!(outcome.starts_with("connection "), "{outcome}");
    assert_eq!(emu.counters().token_requests, 0);
    for star in ["*", " * ", "example.com, *"] {
        let outcome = login_in_child(&base, &[("HTTP_PROXY", dead), ("NO_PROXY", star)]).await;
        assert_eq!(outcome, "ok", "NO_PROXY={star:?}");
    }
    let outcome = login_in_child(&base, &[("http_proxy", dead), ("no_proxy", "*")]).await;
    assert_eq!(outcome, "ok");
    assert_eq!(emu.counters().token_requests, 4, "each went direct");
}

// scenario: transport.proxy_env
#[tokio::test]
async fn a_proxy_variable_without_a_scheme_is_http_as_in_curl() {
    let emu = emulator().await;
    // The emulator answers absolute-form requests, so it stands in for the proxy.
    let proxy = emu.base_url().trim_start_matches("http://").to_owned();
    let outcome = login_in_child("http://purecore-env-proxy.localhost:9", &[("HTTP_PROXY", &proxy)]).await;
    assert_eq!(outcome, "ok");
    assert_eq!(emu.counters().token_requests, 1, "it went through the proxy");
}

#[test]
fn an_explicit_proxy_url_never_shows_its_password() {
    for url in
        ["http://proxyuser:s3cret-pw@bad host:3128", "ftp://proxyuser:s3cret-pw@proxy:21", "http://u:s3cret-pw@/"]
    {
        let err = Client::new(Config {
            proxy: Some(purecore::ProxyConfig { url: url.into(), username: None, password: None }),
            ..Config::default()
        })
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.message().contains("proxy URL"), "{err}");
        assert!(!err.to_string().contains("s3cret-pw") && !format!("{err:?}").contains("s3cret-pw"), "{err}");
    }
}

#[tokio::test]
async fn errors_through_a_proxy_with_credentials_never_show_them() {
    let emu = emulator().await;
    let mut cfg = config_for(&emu);
    cfg.retry.max_retries = 0;
    cfg.proxy = Some(purecore::ProxyConfig {
        url: "http://proxyuser:s3cret-pw@127.0.0.1:9".into(),
        username: None,
        password: None,
    });
    let client = Client::new(cfg).unwrap();
    let err = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(!err.to_string().contains("s3cret-pw") && !format!("{err:?}").contains("s3cret-pw"), "{err}");
}

// scenario: transport.proxy_env
#[tokio::test]
async fn retry_events_carry_the_redacted_url() {
    let (emu, client) = logged_in().await;
    let events = Arc::new(Mutex::new(Vec::<RetryEvent>::new()));
    let ev2 = events.clone();
    client
        .update_config(|c| c.retry.hook = Some(Arc::new(move |e: &RetryEvent| ev2.lock().unwrap().push(e.clone()))))
        .unwrap();
    emu.push_fault(status_fault(503, 1));
    client.request(Request::get("/api/v2/users/me").query("access_token", "s3cret-tok")).await.unwrap();
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert!(!events[0].url.contains("s3cret-tok"), "{}", events[0].url);
    assert!(events[0].url.contains("access_token=[REDACTED]"), "{}", events[0].url);
    assert!(events[0].url.contains("/api/v2/users/me"), "{}", events[0].url);
}
