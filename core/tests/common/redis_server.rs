//! A real redis-server for the tests (and the benchmarks, which include this file): the
//! shared one of `PURECORE_TEST_REDIS_URL` (scripts/test starts it) or one of a test's own
//! on a free port of 127.0.0.1, with no persistence, in a temporary directory, stopped by
//! its PID. redis-server is installed from Debian's packages when missing and run as root.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Redis {
    pub url: String,
    pub port: u16,
    child: Option<Child>,
    dir: Option<PathBuf>,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn ensure_redis_server() {
    let found = || Command::new("redis-server").arg("--version").output().is_ok_and(|o| o.status.success());
    if found() {
        return;
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        let _ = Command::new("sh")
            .args(["-c", "apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null"])
            .status();
    }
    assert!(found(), "redis-server not found: install it (apt-get install redis-server) or run scripts/test");
}

impl Redis {
    /// The shared server of `PURECORE_TEST_REDIS_URL` (database `db`, emptied
    /// first: each test has its own), or one of its own.
    pub async fn for_test(db: u32) -> Redis {
        match std::env::var("PURECORE_TEST_REDIS_URL") {
            Ok(url) if !url.is_empty() => {
                let parsed = url::Url::parse(&url).expect("PURECORE_TEST_REDIS_URL is a URL");
                let base = format!("redis://{}:{}", parsed.host_str().unwrap(), parsed.port().unwrap_or(6379));
                let r =
                    Redis { url: format!("{base}/{db}"), port: parsed.port().unwrap_or(6379), child: None, dir: None };
                let mut c = r.connection().await;
                let () = redis::cmd("FLUSHDB").query_async(&mut c).await.unwrap();
                r
            }
            _ => Redis::own(),
        }
    }

    /// A redis-server of its own on a free port.
    pub fn own() -> Redis {
        ensure_redis_server();
        let port = free_port();
        let mut r = Redis { url: format!("redis://127.0.0.1:{port}/0"), port, child: None, dir: None };
        r.start();
        r
    }

    pub fn start(&mut self) {
        let dir = self.dir.get_or_insert_with(|| {
            let d = std::env::temp_dir().join(format!("purecore-redis-{}-{}", std::process::id(), self.port));
            std::fs::create_dir_all(&d).unwrap();
            d
        });
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string(), "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&*dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < until, "redis-server did not listen on port {}", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (SIGKILL, by PID).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub async fn connection(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap()
    }

    /// Every key and value of the database.
    pub async fn contents(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut c = self.connection().await;
        let keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query_async(&mut c).await.unwrap();
        let mut out = Vec::new();
        for k in keys {
            let v: Option<Vec<u8>> = redis::cmd("GET").arg(&k).query_async(&mut c).await.unwrap();
            out.push((k, v.unwrap_or_default()));
        }
        out
    }

    pub async fn has_lease(&self) -> bool {
        let mut c = self.connection().await;
        let keys: Vec<String> = redis::cmd("KEYS").arg("purecore:lease:*").query_async(&mut c).await.unwrap();
        !keys.is_empty()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
        if let Some(d) = self.dir.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
