//! The Redis token store (`token_store = redis://user:password@host:port/db`,
//! or `rediss://` for TLS), through the `redis` crate (tokio, rustls).
//!
//! - token: `purecore:token:<key>` = the sealed token, `PX` = its lifetime;
//! - lease: `purecore:lease:<key>` = a random owner id, `SET NX PX 5000`,
//!   extended (`PEXPIRE`) and deleted only by its owner, through
//!   compare-and-act Lua scripts.
//!
//! One multiplexed connection per store, made on first use; after an error it
//! is dropped and the next operation connects again. Messages show the URL
//! without its user and password.

use std::time::Duration;

use super::{Lease, StoreError, StoreFuture, StoreResult, TokenStore};
use crate::error::{Error, Result};

const RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

pub(crate) struct RedisStore {
    client: redis::Client,
    /// The URL without user-info, for messages.
    shown: String,
    /// The password, to scrub from error texts.
    password: Option<String>,
    conn: tokio::sync::Mutex<Option<redis::aio::MultiplexedConnection>>,
}

fn token_key(key: &str) -> String {
    format!("purecore:token:{key}")
}

fn lease_key(key: &str) -> String {
    format!("purecore:lease:{key}")
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisStore {
    pub(crate) fn new(url: &str) -> Result<RedisStore> {
        let shown = crate::logging::redact::url(url);
        let password = url::Url::parse(url).ok().and_then(|u| u.password().map(str::to_owned));
        if url.to_ascii_lowercase().starts_with("rediss://") {
            // The redis crate's TLS takes the process's default provider; make
            // it ring (the one purecore builds) unless the host set another.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let client = redis::Client::open(url).map_err(|e| {
            let mut msg = e.to_string();
            if let Some(p) = password.as_deref().filter(|p| !p.is_empty()) {
                msg = msg.replace(p, "[REDACTED]");
            }
            Error::configuration(format!("token_store '{shown}' cannot be used: {msg}"))
        })?;
        Ok(RedisStore { client, shown, password, conn: tokio::sync::Mutex::new(None) })
    }

    fn error(&self, e: &redis::RedisError) -> StoreError {
        let mut msg = e.to_string();
        if let Some(p) = self.password.as_deref().filter(|p| !p.is_empty()) {
            msg = msg.replace(p, "[REDACTED]");
        }
        StoreError(format!("Redis at {}: {msg}", self.shown))
    }

    /// The connection. A multiplexed connection is driven by a task on the
    /// runtime that made it, so it is kept only when made on a runtime that
    /// always runs; a blocking caller's runtime (see `transport::local`) runs
    /// only while that caller waits, so there each operation connects anew
    /// (operations are rare: logins and renewals only).
    async fn connection(&self) -> StoreResult<redis::aio::MultiplexedConnection> {
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(super::OP_TIMEOUT))
            .set_response_timeout(Some(super::OP_TIMEOUT));
        if crate::transport::local::on_local_runtime() {
            return self.client.get_multiplexed_async_connection_with_config(&config).await.map_err(|e| self.error(&e));
        }
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let c = self.client.get_multiplexed_async_connection_with_config(&config).await.map_err(|e| self.error(&e))?;
        *slot = Some(c.clone());
        Ok(c)
    }

    /// Runs one command; an error drops the connection (the next use reconnects).
    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> StoreResult<T> {
        let mut c = self.connection().await?;
        match cmd.query_async::<T>(&mut c).await {
            Ok(v) => Ok(v),
            Err(e) => {
                *self.conn.lock().await = None;
                Err(self.error(&e))
            }
        }
    }
}

impl TokenStore for RedisStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let mut cmd = redis::cmd("GET");
            cmd.arg(token_key(key));
            self.run(cmd).await
        })
    }

    fn put<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut cmd = redis::cmd("SET");
            cmd.arg(token_key(key)).arg(value).arg("PX").arg(millis(ttl));
            self.run::<()>(cmd).await
        })
    }

    fn try_lease<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Option<Lease>> {
        Box::pin(async move {
            let owner = format!("{:032x}", rand::random::<u128>());
            let mut cmd = redis::cmd("SET");
            cmd.arg(lease_key(key)).arg(&owner).arg("NX").arg("PX").arg(millis(ttl));
            let set: Option<String> = self.run(cmd).await?;
            Ok(set.map(|_| Lease::Redis { key: lease_key(key), owner }))
        })
    }

    fn renew<'a>(&'a self, lease: &'a Lease, ttl: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let Lease::Redis { key, owner } = lease else { return Ok(false) };
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(RENEW).arg(1).arg(key).arg(owner).arg(millis(ttl));
            let n: i64 = self.run(cmd).await?;
            Ok(n == 1)
        })
    }

    fn release(&self, lease: Lease) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let Lease::Redis { key, owner } = lease else { return Ok(()) };
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(RELEASE).arg(1).arg(key).arg(owner);
            self.run::<i64>(cmd).await.map(|_| ())
        })
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}
