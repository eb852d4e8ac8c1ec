//! Token stores across processes (issue 15): a file store and a real
//! redis-server, against the emulator. The processes are this test binary run
//! again as a child (`child_process` below, ignored when run alone), so each
//! holds its own client, session and connections, as a fleet's workers do.
//!
//! Redis: `PURECORE_TEST_REDIS_URL` (scripts/test starts one) or, when it is
//! absent, a redis-server each test starts on 127.0.0.1 on a free port, with no
//! persistence, in a temporary directory, and stops by PID. redis-server comes
//! from Debian's package, installed when missing (as root with apt-get); without
//! it these tests fail, naming what to install. The outage test always runs its
//! own server, since it kills it.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;
#[path = "common/redis_server.rs"]
mod redis_server;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use purecore::{Client, Config, Request};
use redis_server::{free_port, Redis};

// ---------------------------------------------------------------- child processes

/// A child process: this test binary running `child_process`.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

struct Done {
    ok: usize,
    failed: usize,
    first_error: String,
}

fn spawn_worker(emu: &Emulator, store: &str, calls: usize, wait_for_go: bool) -> Worker {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process", "--ignored", "--nocapture", "--test-threads=1"])
        .env("FLEET_EMULATOR", emu.base_url())
        .env("FLEET_STORE", store)
        .env("FLEET_CALLS", calls.to_string())
        .env("FLEET_WAIT_GO", if wait_for_go { "1" } else { "0" })
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest may print "test child_process ... " before it on the same line.
            if let Some((_, rest)) = line.split_once("FLEET ") {
                let _ = tx.send(rest.to_owned());
            }
        }
    });
    let stderr = Arc::new(Mutex::new(String::new()));
    let err = child.stderr.take().unwrap();
    let sink = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    let stdin = child.stdin.take();
    Worker { child, stdin, lines: rx, stderr }
}

impl Worker {
    fn expect(&self, prefix: &str) -> String {
        match self.lines.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.starts_with(prefix) => line,
            Ok(line) => panic!("expected {prefix}, the worker said {line}; stderr: {}", self.stderr.lock().unwrap()),
            Err(_) => panic!("the worker said nothing ({prefix}); stderr: {}", self.stderr.lock().unwrap()),
        }
    }

    fn go(&mut self) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(b"go\n").unwrap();
        stdin.flush().unwrap();
    }

    fn done(mut self) -> Done {
        let mut line = self.expect("");
        if line.starts_with("READY") {
            line = self.expect("DONE");
        }
        let _ = self.child.wait();
        let field = |name: &str| {
            line.split(' ').find_map(|f| f.strip_prefix(&format!("{name}="))).unwrap_or_default().to_owned()
        };
        Done {
            ok: field("ok").parse().unwrap(),
            failed: field("failed").parse().unwrap(),
            first_error: line.split_once("first_error=").map(|(_, e)| e.to_owned()).unwrap_or_default(),
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

/// One worker of a fleet: logs in with client credentials through the token
/// store, says `READY`, waits for `go` when asked, makes its calls all at once
/// and says `DONE ok=N failed=M`. Run by the tests above, never alone.
#[test]
#[ignore = "a child process of the fleet tests, which run it themselves"]
fn child_process() {
    let emulator = std::env::var("FLEET_EMULATOR").expect("run by the fleet tests: FLEET_EMULATOR is not set");
    let store = std::env::var("FLEET_STORE").unwrap();
    let calls: usize = std::env::var("FLEET_CALLS").unwrap().parse().unwrap();
    let wait_for_go = std::env::var("FLEET_WAIT_GO").unwrap() == "1";
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let config = Config {
            environment: purecore::Environment::custom(&emulator, &emulator).unwrap(),
            live_reload_config: false,
            token_store: store,
            ..Config::default()
        };
        let client = Client::new(config).unwrap();
        client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
        println!("FLEET READY");
        if wait_for_go {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).unwrap();
        }
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..calls {
            let c = client.clone();
            set.spawn(async move { c.request(Request::get("/api/v2/users/me")).await });
        }
        let (mut ok, mut failed, mut first_error) = (0, 0, String::new());
        while let Some(r) = set.join_next().await {
            match r.unwrap() {
                Ok(resp) if resp.status == 200 => ok += 1,
                other => {
                    failed += 1;
                    if first_error.is_empty() {
                        first_error = format!("{:?}", other.map(|r| r.status));
                    }
                }
            }
        }
        println!("FLEET DONE ok={ok} failed={failed} first_error={first_error}");
    });
}

/// A temporary directory, removed when dropped (a failing test too).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A store file's path in a temporary directory of its own.
fn temp_store_file(name: &str) -> (TempDir, PathBuf) {
    let dir = std::env::temp_dir().join(format!("purecore-fleet-{}-{name}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tokens.json");
    (TempDir(dir), file)
}

fn assert_all_ok(done: &Done, calls: usize) {
    assert_eq!((done.ok, done.failed), (calls, 0), "every call succeeds: {}", done.first_error);
}

// ---------------------------------------------------------------- file store

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_store_two_runs_one_after_the_other_make_one_token_request() {
    let emu = emulator().await;
    let (_dir, path) = temp_store_file("two-runs");
    let store = format!("file:{}", path.display());
    for _ in 0..2 {
        assert_all_ok(&spawn_worker(&emu, &store, 5, false).done(), 5);
    }
    assert_eq!(token_requests(&emu).len(), 1, "the second run took the first run's token from the file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the token file is the owner's only");
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(creds::CLIENT_SECRET) && !text.contains(creds::CLIENT_ID));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_store_ignores_a_garbled_file_with_one_warning_and_replaces_it() {
    let emu = emulator().await;
    let (_dir, path) = temp_store_file("garbled");
    std::fs::write(&path, b"\x00not json at all {{{").unwrap();
    let store = format!("file:{}", path.display());
    let w = spawn_worker(&emu, &store, 5, false);
    let log = w.stderr.clone();
    let done = w.done();
    std::thread::sleep(Duration::from_millis(100)); // the stderr reader's last lines
    let stderr = log.lock().unwrap().clone();
    assert_all_ok(&done, 5);
    assert_eq!(stderr.matches("is not a purecore token store").count(), 1, "one warning: {stderr}");
    assert_eq!(token_requests(&emu).len(), 1);
    // The garbled file was replaced by a store the next run uses.
    assert_all_ok(&spawn_worker(&emu, &store, 5, false).done(), 5);
    assert_eq!(token_requests(&emu).len(), 1, "the replaced file serves the next run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_store_two_processes_racing_make_one_token_request() {
    let emu = emulator().await;
    // Hold token requests a little, so both processes are logging in at once.
    emu.push_fault(Fault { target: FaultTarget::Token, count: 1, ..fault(FaultKind::Delay { ms: 300 }) });
    let (_dir, path) = temp_store_file("race");
    let store = format!("file:{}", path.display());
    let a = spawn_worker(&emu, &store, 20, false);
    let b = spawn_worker(&emu, &store, 20, false);
    assert_all_ok(&a.done(), 20);
    assert_all_ok(&b.done(), 20);
    assert_eq!(token_requests(&emu).len(), 1, "one process requested, the other waited for its token");
}

// ---------------------------------------------------------------- Redis store

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_six_processes_logging_in_at_once_make_one_token_request() {
    let emu = emulator().await;
    emu.push_fault(Fault { target: FaultTarget::Token, count: 1, ..fault(FaultKind::Delay { ms: 300 }) });
    let redis = Redis::for_test(2).await;
    let workers: Vec<Worker> = (0..6).map(|_| spawn_worker(&emu, &redis.url, 10, false)).collect();
    for w in workers {
        assert_all_ok(&w.done(), 10);
    }
    assert_eq!(token_requests(&emu).len(), 1, "six logins, one token request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_forced_expiry_with_many_calls_in_flight_makes_one_token_request() {
    let emu = emulator().await;
    let redis = Redis::for_test(3).await;
    let mut workers: Vec<Worker> = (0..4).map(|_| spawn_worker(&emu, &redis.url, 100, true)).collect();
    for w in &workers {
        w.expect("READY");
    }
    assert_eq!(token_requests(&emu).len(), 1, "one login for the four");
    emu.expire_all_tokens();
    for w in &mut workers {
        w.go();
    }
    for w in workers {
        assert_all_ok(&w.done(), 100);
    }
    assert_eq!(token_requests(&emu).len(), 2, "the login and exactly one renewal for 400 calls in 4 processes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_holds_no_token_secret_or_assertion_in_plain() {
    let emu = emulator().await;
    let redis = Redis::for_test(1).await;
    let config = Config { token_store: redis.url.clone(), ..config_for(&emu) };
    let cc = Client::new(config.clone()).unwrap();
    let cc_auth = cc.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let saml = Client::new(config).unwrap();
    let saml_auth = saml
        .login_saml2_bearer(creds::CLIENT_ID, creds::CLIENT_SECRET, creds::SAML_ORG, creds::SAML_ASSERTION)
        .await
        .unwrap();
    let contents = redis.contents().await;
    assert_eq!(contents.len(), 2, "one entry per grant: {:?}", contents.iter().map(|(k, _)| k).collect::<Vec<_>>());
    let forbidden: Vec<&str> = vec![
        cc_auth.access_token.expose(),
        saml_auth.access_token.expose(),
        creds::CLIENT_SECRET,
        creds::CLIENT_ID,
        creds::SAML_ASSERTION,
        creds::SAML_ORG,
        "emulator.user@example.test",
    ];
    for (k, v) in &contents {
        for f in &forbidden {
            let contains = |hay: &[u8]| hay.windows(f.len()).any(|w| w == f.as_bytes());
            assert!(!contains(k) && !contains(v), "'{f}' appears in plain in Redis");
        }
        assert!(k.starts_with(b"purecore:token:"), "{}", String::from_utf8_lossy(k));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_a_leader_killed_mid_request_is_taken_over_by_another_process() {
    let emu = emulator().await;
    let redis = Redis::for_test(4).await;
    // The leader's token request is held 8 s: it dies holding the lease.
    emu.push_fault(Fault { target: FaultTarget::Token, count: 1, ..fault(FaultKind::Delay { ms: 8000 }) });
    let mut leader = spawn_worker(&emu, &redis.url, 1, false);
    let until = Instant::now() + Duration::from_secs(20);
    while !redis.has_lease().await {
        assert!(Instant::now() < until, "the leader never took the lease; stderr: {}", leader.stderr());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    leader.child.kill().unwrap(); // SIGKILL
    let _ = leader.child.wait();
    let started = Instant::now();
    let others: Vec<Worker> = (0..2).map(|_| spawn_worker(&emu, &redis.url, 20, false)).collect();
    for w in others {
        assert_all_ok(&w.done(), 20);
    }
    // The lease lives 5 s after its last renewal; process start-up on a loaded machine adds some.
    assert!(started.elapsed() < Duration::from_secs(20), "taken over after {:?}", started.elapsed());
    let n = token_requests(&emu).len();
    assert!((1..=2).contains(&n), "the dead leader's request and one more at most, not {n}");
}

/// Log lines of a client, by a sink.
fn capture() -> (purecore::LogConfig, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let config = purecore::LogConfig {
        log_to_console: false,
        sink: Some(Arc::new(move |_, line: &str| sink.lock().unwrap().push(line.to_owned()))),
        ..purecore::LogConfig::default()
    };
    (config, lines)
}

fn count(lines: &Arc<Mutex<Vec<String>>>, what: &str) -> usize {
    lines.lock().unwrap().iter().filter(|l| l.contains(what)).count()
}

async fn calls_ok(client: &Client, n: usize) -> usize {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = client.clone();
        set.spawn(async move { c.request(Request::get("/api/v2/users/me")).await });
    }
    let mut ok = 0;
    while let Some(r) = set.join_next().await {
        match r.unwrap() {
            Ok(resp) if resp.status == 200 => ok += 1,
            other => panic!("a call failed: {:?}", other.map(|r| r.status)),
        }
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_fails_no_call_warns_once_and_shares_again_after() {
    let emu = emulator().await;
    let mut redis = Redis::own();
    let (log_a, lines_a) = capture();
    let (log_b, lines_b) = capture();
    let a = Client::new(Config { token_store: redis.url.clone(), logging: log_a, ..config_for(&emu) }).unwrap();
    let b = Client::new(Config { token_store: redis.url.clone(), logging: log_b, ..config_for(&emu) }).unwrap();
    a.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    b.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    assert_eq!(token_requests(&emu).len(), 1, "shared before the outage");

    redis.kill();
    for round in 0..2 {
        emu.expire_all_tokens();
        assert_eq!(calls_ok(&a, 20).await, 20);
        assert_eq!(calls_ok(&b, 20).await, 20);
        tokio::time::sleep(Duration::from_millis(1200)).await; // past the store's retry pause
        let _ = round;
    }
    assert_eq!(token_requests(&emu).len(), 5, "each client renews by itself while Redis is down");
    for lines in [&lines_a, &lines_b] {
        assert_eq!(count(lines, "token_store_down"), 1, "one warning for the outage: {:?}", lines.lock().unwrap());
    }
    for line in lines_a.lock().unwrap().iter() {
        assert!(!line.contains(creds::CLIENT_SECRET));
    }

    redis.start();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    emu.expire_all_tokens();
    assert_eq!(calls_ok(&a, 20).await, 20);
    assert_eq!(calls_ok(&b, 20).await, 20);
    assert_eq!(token_requests(&emu).len(), 6, "shared again: one renewal for both clients");
    assert_eq!(count(&lines_a, "token_store_up"), 1, "{:?}", lines_a.lock().unwrap());

    // A second outage warns once more.
    redis.kill();
    emu.expire_all_tokens();
    assert_eq!(calls_ok(&a, 10).await, 10);
    assert_eq!(count(&lines_a, "token_store_down"), 2);
}

/// With a token store, a due token in the advisory window (more than half the
/// margin left) is renewed in the background while calls keep using it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_store_the_advisory_window_renews_in_the_background() {
    let emu = emulator().await;
    // 8 s tokens: the 30 s margin is capped at 4 s; the mandatory window is the last 2 s.
    emu.set_token_lifetime(Duration::from_secs(8));
    let (_dir, path) = temp_store_file("advisory");
    let store = format!("file:{}", path.display());
    let client = Client::new(Config { token_store: store, ..config_for(&emu) }).unwrap();
    let first = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    tokio::time::sleep(Duration::from_millis(4600)).await; // about 3.4 s left: advisory
    emu.push_fault(Fault { target: FaultTarget::Token, count: 1, ..fault(FaultKind::Delay { ms: 1500 }) });
    let started = Instant::now();
    let resp = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(resp.status, 200);
    assert!(started.elapsed() < Duration::from_millis(1000), "the call waited {:?}", started.elapsed());
    let until = Instant::now() + Duration::from_secs(5);
    while client.auth_data().unwrap().access_token.expose() == first.access_token.expose() {
        assert!(Instant::now() < until, "the background renewal never finished");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(token_requests(&emu).len(), 2, "the login and one background renewal");
    assert_eq!(emu.counters().unauthorized, 0);
}

/// Blocking callers (as Python's and Go's synchronous APIs) run each call on
/// their thread's own runtime: a Redis connection made at login on the main
/// thread must not be reused by other threads (its driver would not run), or
/// every store operation times out and the store counts as down.
#[test]
fn redis_serves_blocking_callers_on_many_threads() {
    use purecore::blocking::block_on;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(emulator());
    let redis = rt.block_on(Redis::for_test(5));
    let (log, lines) = capture();
    let config = Config { token_store: redis.url.clone(), logging: log, ..config_for(&emu) };
    let client = Client::new(config.clone()).unwrap();
    block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    let other = Client::new(config).unwrap();
    block_on(other.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap().unwrap();
    assert_eq!(token_requests(&emu).len(), 1, "the second client took the stored token");
    emu.expire_all_tokens();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let c = if i % 2 == 0 { client.clone() } else { other.clone() };
            std::thread::spawn(move || block_on(c.request(Request::get("/api/v2/users/me"))).unwrap().unwrap().status)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert_eq!(count(&lines, "token_store_down"), 0, "{:?}", lines.lock().unwrap());
    assert_eq!(token_requests(&emu).len(), 2, "one renewal for both clients");
}

/// The Redis password never shows: not in `Debug`, the settings view, a setting's
/// error, nor the alert of a store that is down (the login still works).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redis_password_never_shows() {
    let emu = emulator().await;
    let secret = "hunter2-redis-pass";
    let url = format!("redis://fleet:{secret}@127.0.0.1:{}/0", free_port()); // nothing listens
    let (log, lines) = capture();
    let config = Config { token_store: url.clone(), logging: log, ..config_for(&emu) };
    assert!(!format!("{config:?}").contains(secret));
    let patch = purecore::ConfigPatch::from_json(&format!(r#"{{"token_store": "{url}"}}"#)).unwrap();
    let applied = patch.apply_to(&Config::default()).unwrap();
    let view = purecore::config::schema::view(&applied);
    assert!(!serde_json::Value::Object(view).to_string().contains(secret));
    for bad in [
        format!("redis://fleet:{secret}@/0"),
        format!("redis://fleet:{secret}@host/db"),
        format!("mongodb://u:{secret}@h"),
    ] {
        let err = purecore::ConfigPatch::from_json(&format!(r#"{{"token_store": "{bad}"}}"#))
            .unwrap()
            .apply_to(&Config::default())
            .unwrap_err();
        assert!(err.message().starts_with("token_store"), "{}", err.message());
        assert!(!err.message().contains(secret), "{}", err.message());
    }
    let client = Client::new(config).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    assert_eq!(calls_ok(&client, 3).await, 3);
    assert_eq!(count(&lines, "token_store_down"), 1, "{:?}", lines.lock().unwrap());
    assert!(lines.lock().unwrap().iter().all(|l| !l.contains(secret)), "{:?}", lines.lock().unwrap());
}
