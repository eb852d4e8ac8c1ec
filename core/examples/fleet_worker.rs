//! A fleet worker in Rust (tests/fleet/run.py starts it; see "Running a fleet" in the
//! README): logs in with client credentials through the token store `FLEET_STORE`, says
//! `FLEET READY`, waits for a line on stdin, makes `FLEET_CALLS` calls at once and says
//! `FLEET DONE ok=N failed=M`.

use purecore::{Client, Config, Environment, Request};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = std::env::var("FLEET_EMULATOR")?;
    let config = Config {
        environment: Environment::custom(&emulator, &emulator)?,
        live_reload_config: false,
        token_store: std::env::var("FLEET_STORE")?,
        ..Config::default()
    };
    let client = Client::new(config)?;
    client.login_client_credentials("emulator-client", "emulator-secret").await?;
    println!("FLEET READY");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let n: usize = std::env::var("FLEET_CALLS")?.parse()?;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = client.clone();
        set.spawn(async move { c.request(Request::get("/api/v2/users/me")).await });
    }
    let (mut failed, mut first) = (0usize, String::new());
    while let Some(r) = set.join_next().await {
        let outcome = match r {
            Ok(Ok(resp)) if resp.status == 200 => None,
            Ok(Ok(resp)) => Some(format!("status {}", resp.status)),
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let Some(e) = outcome {
            failed += 1;
            if first.is_empty() {
                first = e;
            }
        }
    }
    println!("FLEET DONE ok={} failed={failed} first_error={first}", n - failed);
    Ok(())
}
