//! purecore quickstart.
//!
//! Against the local emulator (default; `scripts/demo` starts one and passes
//! `PURECORE_EMULATOR_URL`): client credentials, GET users/me, a forced token
//! expiry that is refreshed transparently, and a 429 that is retried.
//!
//! Against a real org when `GENESYS_CLOUD_REGION`, `GENESYS_CLOUD_CLIENT_ID`
//! and `GENESYS_CLOUD_CLIENT_SECRET` are set: client credentials, then the
//! organization and the token's own details.

use std::time::Instant;

use purecore::{Client, Config, Environment, Request};
use serde_json::{json, Value};

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("quickstart failed: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let real = ["GENESYS_CLOUD_REGION", "GENESYS_CLOUD_CLIENT_ID", "GENESYS_CLOUD_CLIENT_SECRET"]
        .map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    if let [Some(region), Some(id), Some(secret)] = real {
        return real_org(&region, &id, &secret).await;
    }
    let url = std::env::var("PURECORE_EMULATOR_URL")
        .map_err(|_| "set PURECORE_EMULATOR_URL (scripts/demo does) or the GENESYS_CLOUD_* variables")?;
    emulator(&url).await
}

async fn real_org(region: &str, id: &str, secret: &str) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(Config { environment: Environment::parse(region)?, ..Config::default() })?;
    let auth = client.login_client_credentials(id, secret).await?;
    println!("logged in to {}; token expires in {:?} s", client.environment().api_base(), auth.expires_in);
    let org = client.request(Request::get("/api/v2/organizations/me")).await?;
    let org: Value = org.json()?;
    println!("organization: {} ({})", org["name"].as_str().unwrap_or("?"), org["id"].as_str().unwrap_or("?"));
    let me = client.request(Request::get("/api/v2/tokens/me")).await?;
    println!("token of OAuth client: {}", me.json::<Value>()?["OAuthClient"]["name"].as_str().unwrap_or("?"));
    Ok(())
}

async fn emulator(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let admin = reqwest::Client::new();
    let client = Client::new(Config { environment: Environment::custom(url, url)?, ..Config::default() })?;

    // START quickstart (README.md shows this part; scripts/check-parity keeps it equal)
    // 1. Log in with client credentials.
    let auth = client.login_client_credentials("emulator-client", "emulator-secret").await?;
    println!("1. logged in; token expires in {} s", auth.expires_in.unwrap_or_default());

    // 2. GET /api/v2/users/me with an expand.
    let me = client.request(Request::get("/api/v2/users/me").query("expand", "presence")).await?;
    let body: Value = me.json()?;
    println!(
        "2. users/me: {} <{}>, presence {} (status {}, correlation id {})",
        body["name"].as_str().unwrap_or("?"),
        body["email"].as_str().unwrap_or("?"),
        body["presence"]["presenceDefinition"]["systemPresence"].as_str().unwrap_or("?"),
        me.status,
        me.correlation_id.as_deref().unwrap_or("-")
    );
    // END quickstart

    // 3. The server expires every token; the next call refreshes once and goes through.
    admin.post(format!("{url}/admin/expire-tokens")).send().await?.error_for_status()?;
    let before = token_requests(&admin, url).await?;
    let me = client.request(Request::get("/api/v2/users/me")).await?;
    let after = token_requests(&admin, url).await?;
    println!("3. after a forced expiry: status {}, {} new token request(s), no error seen", me.status, after - before);

    // 4. The next answer is a 429 with Retry-After: 1; the call waits and succeeds.
    let fault = json!({"kind": "status", "status": 429, "retry_after": 1, "count": 1});
    admin.post(format!("{url}/admin/faults")).json(&fault).send().await?.error_for_status()?;
    let started = Instant::now();
    let me = client.request(Request::get("/api/v2/users/me")).await?;
    println!(
        "4. after a 429 with Retry-After 1: status {} in {} attempts, {:.1} s",
        me.status,
        me.attempts,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn token_requests(admin: &reqwest::Client, url: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let counters: Value = admin.get(format!("{url}/admin/counters")).send().await?.json().await?;
    Ok(counters["token_requests"].as_u64().unwrap_or_default())
}
