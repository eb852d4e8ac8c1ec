//! The config file: applied at start, reloaded while running, broken files
//! keep the previous settings, and the watcher never keeps a process alive.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use purecore::{Client, ConfigFile, LogLevel};

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("purecore-cfg-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("config");
    std::fs::write(&p, text).unwrap();
    p
}

async fn wait_until(mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

// scenario: config.reload
#[tokio::test]
async fn changes_apply_while_running_and_broken_files_are_rejected() {
    let emu = emulator().await;
    let path = temp_file("live", "[logging]\nlog_level = debug\n[retry]\nretry_max = 5\n");
    let mut cfg = config_for(&emu);
    cfg.config_file = ConfigFile::Path(path.clone());
    cfg.live_reload_config = true;
    cfg.config_poll_interval = Duration::from_millis(30);
    cfg.logging.log_to_console = false;
    cfg.refresh.refresh_token_wait_max = Duration::from_secs(3); // set in code, absent from the file
    let client = Client::new(cfg).unwrap();
    assert_eq!(client.config().logging.level, LogLevel::Debug);
    assert_eq!(client.config().retry.max_retries, 5);

    std::fs::write(&path, "[logging]\nlog_level = trace\n[retry]\nretry_max = 1\n").unwrap();
    assert!(wait_until(|| client.config().retry.max_retries == 1).await, "the change was applied");
    assert_eq!(client.config().logging.level, LogLevel::Trace);
    assert_eq!(client.config().refresh.refresh_token_wait_max, Duration::from_secs(3), "absent keys keep code values");

    // The new retry_max is in force for calls.
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    emu.push_fault(status_fault(500, 5));
    let err = client.request(purecore::Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(emu.requests().iter().filter(|r| r.path == "/api/v2/users/me").count(), 2);

    std::fs::write(&path, "[logging]\nlog_level = loud\n[retry]\nretry_max = 9\n").unwrap();
    assert!(wait_until(|| client.config_file_error().is_some()).await, "the broken file was noticed");
    let e = client.config_file_error().unwrap();
    assert!(e.message().contains(":2:") && e.message().contains("log_level"), "{e}");
    assert_eq!(client.config().retry.max_retries, 1, "previous settings kept");
    assert_eq!(client.config().logging.level, LogLevel::Trace);

    std::fs::write(&path, "{\n \"retry\": {\"retry_max\": 4}\n}\n").unwrap();
    assert!(wait_until(|| client.config().retry.max_retries == 4).await, "JSON applies too");
    assert!(client.config_file_error().is_none());
}

#[test]
fn an_explicit_broken_file_fails_client_creation_with_its_line() {
    let path = temp_file("broken", "[general]\nhost = mypurecloud.ie\nlive_reload_config = sometimes\n");
    let cfg = purecore::Config { config_file: ConfigFile::Path(path), ..Default::default() };
    let err = Client::new(cfg).unwrap_err();
    assert_eq!(err.kind(), purecore::ErrorKind::Configuration);
    assert!(err.message().contains(":3:"), "{err}");
}

#[test]
fn set_config_file_keeps_settings_on_error() {
    let good = temp_file("setter-good", "[general]\nhost = mypurecloud.de\n");
    let bad = temp_file("setter-bad", "[general\nhost = mypurecloud.jp\n");
    let client = Client::new(purecore::Config { live_reload_config: false, ..Default::default() }).unwrap();
    client.set_config_file(&good).unwrap();
    assert_eq!(client.environment().api_base().as_str(), "https://api.mypurecloud.de/");
    let err = client.set_config_file(&bad).unwrap_err();
    assert!(err.message().contains(":1:"), "{err}");
    assert_eq!(client.environment().api_base().as_str(), "https://api.mypurecloud.de/");
}

/// Run as a child process by the test below: makes a watching client and returns.
#[test]
fn child_process_with_live_reload() {
    let Ok(path) = std::env::var("PURECORE_CHILD_CONFIG") else {
        return; // only meaningful as a child of the test below
    };
    let cfg = purecore::Config {
        config_file: ConfigFile::Path(path.into()),
        live_reload_config: true,
        config_poll_interval: Duration::from_secs(3600),
        ..Default::default()
    };
    let client = Client::new(cfg).unwrap();
    std::mem::forget(client); // even a leaked client must not keep the process alive
}

// scenario: config.reload
#[test]
fn a_watching_client_does_not_keep_the_process_alive() {
    let path = temp_file("exit", "[general]\nlive_reload_config = true\n");
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut child = std::process::Command::new(exe)
        .args(["--exact", "child_process_with_live_reload", "--test-threads=1"])
        .env("PURECORE_CHILD_CONFIG", &path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the process did not exit: the watcher kept it alive");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
