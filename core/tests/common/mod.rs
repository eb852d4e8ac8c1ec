//! Shared set-up for the core's tests: an emulator on 127.0.0.1:0 and a
//! client pointed at it with short retry waits.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use purecore::{Client, Config, Environment, RetryConfig};
#[allow(unused_imports)]
pub use purecore_emulator::{creds, Emulator, EmulatorOptions, Fault, FaultKind, FaultTarget, RetryAfter};

pub async fn emulator() -> Emulator {
    Emulator::start(EmulatorOptions::default()).await.unwrap()
}

pub fn config_for(emu: &Emulator) -> Config {
    let base = emu.base_url();
    Config {
        environment: Environment::custom(&base, &base).unwrap(),
        retry: RetryConfig {
            wait_min: Duration::from_millis(20),
            wait_max: Duration::from_millis(100),
            ..RetryConfig::default()
        },
        live_reload_config: false,
        ..Config::default()
    }
}

pub fn client_for(emu: &Emulator) -> Client {
    Client::new(config_for(emu)).unwrap()
}

/// An emulator and a client logged in with client credentials.
pub async fn logged_in() -> (Emulator, Client) {
    let emu = emulator().await;
    let client = client_for(&emu);
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    (emu, client)
}

pub fn fault(kind: FaultKind) -> Fault {
    Fault { target: FaultTarget::Api, kind, count: 1, method: None, path_contains: None }
}

pub fn status_fault(status: u16, count: u32) -> Fault {
    Fault { count, ..fault(FaultKind::Status { status, retry_after: None, body: None, content_type: None }) }
}

/// Follows nothing: returns the `Location` of a redirect.
pub async fn location_of(url: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = http.get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 302, "authorize should redirect: {}", resp.text().await.unwrap_or_default());
    resp.headers()["location"].to_str().unwrap().to_owned()
}

/// Form fields of a recorded request body.
pub fn form_fields(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes()).into_owned().collect()
}

pub fn token_requests(emu: &Emulator) -> Vec<purecore_emulator::RecordedRequest> {
    emu.requests().into_iter().filter(|r| r.path.ends_with("/oauth/token")).collect()
}
