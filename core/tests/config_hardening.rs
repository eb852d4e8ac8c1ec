//! Config files and settings that must never hang, exhaust memory or kill
//! live reload: oversized files, devices, FIFOs, directories, bad hosts in a
//! watched file, out-of-range settings, and proxy passwords in renderings.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use purecore::{Client, Config, ConfigFile, ErrorKind, ProxyConfig};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("purecore-cfgh-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn quiet() -> Config {
    let mut c = Config::default();
    c.logging.log_to_console = false;
    c
}

fn with_file(path: &std::path::Path) -> Config {
    let mut c = quiet();
    c.config_file = ConfigFile::Path(path.to_owned());
    c.live_reload_config = false;
    c
}

fn wait_until(mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn a_huge_config_file_is_refused_quickly_without_reading_it() {
    let dir = temp_dir("huge");
    let path = dir.join("config");
    // 30 MB of valid INI: before, this cost 1.37 GB of memory and 9.7 s.
    let mut text = String::from("[logging]\nlog_level = debug\n");
    let line = "; padding padding padding padding padding padding padding padding\n";
    while text.len() < 30_000_000 {
        text.push_str(line);
    }
    std::fs::write(&path, text).unwrap();
    let started = Instant::now();
    let err = Client::new(with_file(&path)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.message().contains("at most 1048576 bytes"), "{err}");
    assert!(err.message().contains(&path.display().to_string()), "names the file: {err}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn devices_directories_and_fifos_are_refused_without_blocking() {
    let dir = temp_dir("special");
    for path in [std::path::PathBuf::from("/dev/zero"), std::path::PathBuf::from("/dev/null"), dir.clone()] {
        let err = Client::new(with_file(&path)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration, "{}", path.display());
        assert!(err.message().contains("not a regular file") || err.message().contains("directory"), "{err}");
    }
    let fifo = dir.join("fifo");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    // Run in a thread so a regression (a blocking open) fails the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let f = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(Client::new(with_file(&f)).map(|_| ()));
    });
    let result = rx.recv_timeout(Duration::from_secs(5)).expect("opening a FIFO config path must not hang");
    let err = result.unwrap_err();
    assert!(err.message().contains("not a regular file"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_names_its_line() {
    let dir = temp_dir("utf8");
    let path = dir.join("config");
    std::fs::write(&path, b"[logging]\nlog_level = debug\nhost = \xff\xfe\n").unwrap();
    let err = Client::new(with_file(&path)).unwrap_err();
    assert!(err.message().contains(":3:") && err.message().contains("UTF-8"), "{err}");
}

#[test]
fn live_reload_survives_a_bad_host_and_reports_it() {
    let dir = temp_dir("watch");
    let path = dir.join("config");
    std::fs::write(&path, "[retry]\nretry_max = 2\n").unwrap();
    let mut cfg = with_file(&path);
    cfg.live_reload_config = true;
    cfg.config_poll_interval = Duration::from_millis(20);
    let client = Client::new(cfg).unwrap();
    let reported: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = reported.clone();
    client.set_config_error_callback(Some(Arc::new(move |e: &purecore::Error| {
        sink.lock().unwrap().push(e.message().to_owned());
    })));
    assert_eq!(client.config().retry.max_retries, 2);

    // Hosts that once panicked the parser, a device swapped in, and a malformed value:
    // each is reported, the last good settings stay, and watching goes on.
    let bad = [
        "[general]\nhost = example.1\n[retry]\nretry_max = 9\n",
        "[general]\nhost = mypurecloud.xn--ie\n[retry]\nretry_max = 9\n",
        "[retry]\nretry_max = -1\n",
        "[retry]\nretry_wait_max = 1e19\n",
    ];
    for (i, text) in bad.iter().enumerate() {
        std::fs::write(&path, text).unwrap();
        assert!(wait_until(|| reported.lock().unwrap().len() > i), "bad file {i} was reported: {text}");
        assert_eq!(client.config().retry.max_retries, 2, "previous settings kept after {text}");
        assert!(client.config_file_error().is_some());
    }
    let messages = reported.lock().unwrap().clone();
    assert!(messages.iter().all(|m| m.contains(&path.display().to_string())), "{messages:?}");
    assert!(messages[2].contains(":2:") && messages[2].contains("retry_max"), "{messages:?}");

    std::fs::write(&path, "[retry]\nretry_max = 7\n").unwrap();
    assert!(wait_until(|| client.config().retry.max_retries == 7), "later edits still apply");
    assert!(client.config_file_error().is_none());
}

#[test]
fn turning_live_reload_on_with_a_broken_file_applies_and_reports() {
    let dir = temp_dir("toggle");
    let path = dir.join("config");
    std::fs::write(&path, "[retry]\nretry_max = 3\n").unwrap();
    let client = Client::new(with_file(&path)).unwrap();
    std::fs::write(&path, "[retry]\nretry_max = many\n").unwrap();
    client.update_config(|c| c.live_reload_config = true).unwrap();
    assert!(client.config().live_reload_config, "the change is applied");
    let err = client.config_file_error().expect("the file's error is kept");
    assert!(err.message().contains("retry_max"), "{err}");
}

#[test]
fn settings_out_of_range_are_refused_naming_the_setting() {
    let client = Client::new(quiet()).unwrap();
    type Change = Box<dyn FnOnce(&mut Config)>;
    let cases: Vec<(&str, Change)> = vec![
        ("timeout", Box::new(|c: &mut Config| c.timeout = Duration::from_secs_f64(1e19))),
        ("auth_timeout", Box::new(|c: &mut Config| c.auth_timeout = Duration::MAX)),
        ("retry.wait_max", Box::new(|c: &mut Config| c.retry.wait_max = Duration::from_secs(u64::MAX))),
        (
            "refresh.refresh_token_wait_max",
            Box::new(|c: &mut Config| c.refresh.refresh_token_wait_max = Duration::from_secs(20_000_000)),
        ),
        ("retry.max_retries", Box::new(|c: &mut Config| c.retry.max_retries = u32::MAX)),
    ];
    for (name, change) in cases {
        let err = client.update_config(change).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.message().contains(name), "{name}: {err}");
    }
    assert_eq!(client.config().timeout, Duration::from_secs(16), "nothing changed");

    for (value, ok) in [(-1.0, false), (f64::NAN, false), (f64::INFINITY, false), (1e19, false), (2.5, true)] {
        let r = purecore::config::duration_from_secs("timeout", value);
        assert_eq!(r.is_ok(), ok, "{value}");
        if let Err(e) = r {
            assert!(e.message().starts_with("timeout must be"), "{e}");
        }
    }
    for (value, ok) in [(-1.0, false), (1.5, false), (4294967295.0, false), (3.0, true)] {
        let r = purecore::config::count_from("retry_max", value, purecore::config::MAX_RETRIES);
        assert_eq!(r.is_ok(), ok, "{value}");
    }
}

#[test]
fn proxy_passwords_never_show_in_errors_or_debug() {
    let secret = "hunter2-proxy-secret";
    let mut cfg = quiet();
    cfg.proxy = Some(ProxyConfig {
        url: format!("http://alice:{secret}@proxy.example:3128"),
        username: Some("alice".into()),
        password: Some(secret.into()),
    });
    cfg.default_headers = vec![("Authorization".into(), format!("Bearer {secret}"))];
    let client = Client::new(cfg.clone()).unwrap();
    for shown in [format!("{cfg:?}"), format!("{cfg:#?}"), format!("{:?}", client.config())] {
        assert!(!shown.contains(secret), "{shown}");
    }
    for bad in [format!("ftp://alice:{secret}@proxy.example"), format!("http://alice:{secret}@")] {
        let err = client
            .update_config(|c| {
                c.proxy = Some(ProxyConfig { url: bad.clone(), username: None, password: None });
            })
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("proxy URL"), "{shown}");
    }
}
