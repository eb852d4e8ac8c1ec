//! `PURECORE_*` environment variables at client creation. Environment variables are
//! process-wide, so this file holds one test that changes them in sequence (and no
//! other test shares its process).

use std::time::Duration;

use purecore::{Client, Config, ConfigFile, ErrorKind};

fn set(pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        std::env::set_var(k, v);
    }
}

fn unset(names: &[&str]) {
    for k in names {
        std::env::remove_var(k);
    }
}

// scenario: config.env
#[test]
fn environment_variables_fill_in_what_code_left_at_default() {
    // Read at creation, with the config file's units and words.
    set(&[
        ("PURECORE_RETRY_MAX_RETRIES", "7"),
        ("PURECORE_TIMEOUT", "2.5"),
        ("PURECORE_LOGGING_LOG_TO_CONSOLE", "no"),
        ("PURECORE_ENVIRONMENT", "mypurecloud.ie"),
    ]);
    let client = Client::new(Config::default()).unwrap();
    let c = client.config();
    assert_eq!(c.retry.max_retries, 7);
    assert_eq!(c.timeout, Duration::from_millis(2500));
    assert!(!c.logging.log_to_console);
    assert_eq!(client.environment().api_base().as_str(), "https://api.mypurecloud.ie/");

    // What code set wins; what it left at its default comes from the environment.
    let code = Config { timeout: Duration::from_secs(9), ..Config::default() };
    let c = Client::new(code).unwrap().config();
    assert_eq!(c.timeout, Duration::from_secs(9));
    assert_eq!(c.retry.max_retries, 7);

    // Changes later (code) win, and the environment is not read again.
    client.update_config(|c| c.retry.max_retries = 2).unwrap();
    set(&[("PURECORE_RETRY_MAX_RETRIES", "8")]);
    assert_eq!(client.config().retry.max_retries, 2);

    // The config file (named by a variable too) overrides the keys it holds.
    let dir = std::env::temp_dir().join(format!("purecore-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config");
    std::fs::write(&file, "[retry]\nretry_max = 5\n").unwrap();
    set(&[("PURECORE_CONFIG_FILE", file.to_str().unwrap()), ("PURECORE_LIVE_RELOAD_CONFIG", "false")]);
    let c = Client::new(Config::default()).unwrap().config();
    assert_eq!(c.config_file, ConfigFile::Path(file.clone()));
    assert_eq!(c.retry.max_retries, 5, "the file's key wins");
    assert_eq!(c.timeout, Duration::from_millis(2500), "the environment fills in the rest");
    unset(&["PURECORE_CONFIG_FILE", "PURECORE_LIVE_RELOAD_CONFIG"]);
    let _ = std::fs::remove_dir_all(&dir);

    // A bad value fails creation with a configuration error naming the variable.
    set(&[("PURECORE_RETRY_MAX_RETRIES", "-1")]);
    let e = Client::new(Config::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Configuration);
    assert_eq!(
        e.message(),
        "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole number from 0 to 100, not -1"
    );
    unset(&["PURECORE_RETRY_MAX_RETRIES"]);

    // Secrets may come from the environment, and an error never shows them.
    set(&[("PURECORE_PROXY_URL", "http://127.0.0.1:9"), ("PURECORE_PROXY_PASSWORD", "hunter2")]);
    let c = Client::new(Config::default()).unwrap().config();
    assert_eq!(
        c.proxy.as_ref().and_then(|p| p.password.as_ref()).map(|p| p.expose().to_owned()).as_deref(),
        Some("hunter2")
    );
    unset(&["PURECORE_PROXY_URL"]);
    let e = Client::new(Config::default()).unwrap_err();
    assert!(e.message().contains("PURECORE_PROXY_PASSWORD") && !e.message().contains("hunter2"), "{}", e.message());
    set(&[("PURECORE_PROXY_URL", "ftp://user:hunter2@127.0.0.1:9")]);
    unset(&["PURECORE_PROXY_PASSWORD"]);
    let e = Client::new(Config::default()).unwrap_err();
    assert!(e.message().contains("PURECORE_PROXY_URL") && !e.message().contains("hunter2"), "{}", e.message());
    unset(&["PURECORE_PROXY_URL", "PURECORE_TIMEOUT", "PURECORE_LOGGING_LOG_TO_CONSOLE", "PURECORE_ENVIRONMENT"]);

    // The fleet's token store, as the README's "Running a fleet" sets it; its Redis password
    // never shows in an error.
    set(&[("PURECORE_TOKEN_STORE", "file:/var/tmp/purecore-tokens")]);
    assert_eq!(Client::new(Config::default()).unwrap().config().token_store, "file:/var/tmp/purecore-tokens");
    set(&[("PURECORE_TOKEN_STORE", "redis://fleet:s3cr3tpw@127.0.0.1:6379/zero")]);
    let e = Client::new(Config::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Configuration);
    assert!(
        e.message().contains("PURECORE_TOKEN_STORE")
            && e.message().contains("database")
            && !e.message().contains("s3cr3tpw"),
        "{}",
        e.message()
    );
    unset(&["PURECORE_TOKEN_STORE"]);

    // Client-side pacing, by the name the README gives.
    set(&[("PURECORE_RATE_LIMIT", "off")]);
    assert_eq!(Client::new(Config::default()).unwrap().config().rate_limit, purecore::governor::RateLimitMode::Off);
    set(&[("PURECORE_RATE_LIMIT", "fast")]);
    let e = Client::new(Config::default()).unwrap_err();
    assert!(e.message().starts_with("environment variable PURECORE_RATE_LIMIT: rate_limit"), "{}", e.message());
    unset(&["PURECORE_RATE_LIMIT"]);

    // Without variables, the defaults.
    assert_eq!(Client::new(Config::default()).unwrap().config().retry.max_retries, 3);
}
