//! The `shared` budget: the window of `window.rs` kept in Redis, changed only by two Lua
//! scripts, so that every process on one token takes from one budget atomically. Time is
//! Redis's own (`TIME`), so hosts with skewed clocks agree. A key is
//! `purecore:rate:<token key>` (a hash of the token, never the token) and expires an hour
//! after its last use.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use serde_json::json;
use tokio::time::Instant;

use super::window::SLACK_MS;
use super::{BoxFuture, Report, SharedBudget, Take};
use crate::error::{Error, ErrorKind, Result};
use crate::logging::{LogLevel, Logger};

/// How long one Redis operation (connecting included) may take before the call goes on
/// with the local budget.
const OP_TIMEOUT: Duration = Duration::from_secs(2);
/// While Redis is down, a new connection is tried at most this often.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);
/// A key lives this long after its last use (milliseconds).
const KEY_TTL_MS: u64 = 3_600_000;

/// KEYS[1] = the key; ARGV: slack, ttl, in_flight, probe_ms. Returns {0, generation, 0} (go),
/// {1, generation, wait_ms} (spent), {2, 0, 0} (unknown) or {3, 0, 0} (unknown: send one
/// request to learn; one caller per probe_ms across the fleet).
const TAKE: &str = r"
local k = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local w = redis.call('HMGET', k, 'allowed', 'len', 'end', 'used', 'gen', 'block')
local allowed = tonumber(w[1])
if not allowed then
  if redis.call('SET', k .. ':probe', '1', 'NX', 'PX', tonumber(ARGV[4])) then return {3, 0, 0} end
  return {2, 0, 0}
end
local len, e, used, gen = tonumber(w[2]), tonumber(w[3]), tonumber(w[4]), tonumber(w[5])
local block = tonumber(w[6]) or 0
if now < block then return {1, gen, block - now} end
if now >= e then
  gen = gen + 1
  used = tonumber(ARGV[3])
  e = now + len + tonumber(ARGV[1])
  redis.call('HSET', k, 'known', 0)
end
redis.call('PEXPIRE', k, tonumber(ARGV[2]))
if used < allowed then
  redis.call('HSET', k, 'end', e, 'used', used + 1, 'gen', gen)
  return {0, gen, 0}
end
redis.call('HSET', k, 'end', e, 'used', used, 'gen', gen)
return {1, gen, e - now}
";

/// ARGV: allowed, count, reset_ms, generation (-1: none), throttled_ms (-1: none), slack, ttl,
/// in_flight.
const LEARN: &str = r"
local k = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local allowed, count, reset = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local rgen, thr = tonumber(ARGV[4]), tonumber(ARGV[5])
local rep = now + reset + tonumber(ARGV[6])
local w = redis.call('HMGET', k, 'allowed', 'len', 'end', 'used', 'gen')
local len, e, used, gen
local known = 1
if not tonumber(w[1]) then
  len = math.max(reset, 1000)
  e = rep
  used = count + tonumber(ARGV[8])
  gen = 1
else
  len = math.max(tonumber(w[2]), reset)
  e, used, gen = tonumber(w[3]), tonumber(w[4]), tonumber(w[5])
  known = tonumber(redis.call('HGET', k, 'known')) or 1
  if rgen < 0 or rgen == gen then
    if used < count then used = count end
    if known == 0 or rep < e then e = rep end
    known = 1
  end
end
local block = tonumber(redis.call('HGET', k, 'block')) or 0
if thr >= 0 and block < now + thr then block = now + thr end
redis.call('HSET', k, 'allowed', allowed, 'len', len, 'end', e, 'used', used, 'gen', gen, 'block', block, 'known', known)
redis.call('PEXPIRE', k, tonumber(ARGV[7]))
return 1
";

/// A budget in one Redis server (one per URL in a process).
pub struct RedisBudget {
    client: redis::Client,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// No connection is tried before this (during an outage).
    retry_at: Mutex<Option<Instant>>,
    /// Down since the last warning: the next success logs that sharing is back.
    down: AtomicBool,
}

impl std::fmt::Debug for RedisBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never shown.
        f.debug_struct("RedisBudget").field("down", &self.down.load(Ordering::Relaxed)).finish()
    }
}

fn redis_error(e: &redis::RedisError) -> Error {
    // A RedisError's text does not include the URL or its password.
    Error::new(ErrorKind::Connection, format!("the shared rate budget's Redis failed: {e}"))
}

impl RedisBudget {
    /// The budget for `url` (`redis://` or `rediss://`), one per URL in the process.
    pub fn for_url(url: &str) -> Result<Arc<RedisBudget>> {
        static ALL: OnceLock<Mutex<HashMap<String, Arc<RedisBudget>>>> = OnceLock::new();
        let mut all = ALL.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = all.get(url) {
            return Ok(b.clone());
        }
        let b = Arc::new(RedisBudget::new(url)?);
        all.insert(url.to_owned(), b.clone());
        Ok(b)
    }

    pub fn new(url: &str) -> Result<RedisBudget> {
        if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
            return Err(Error::configuration("rate_limit_store must be a redis:// or rediss:// URL"));
        }
        let client = redis::Client::open(url)
            .map_err(|e| Error::configuration(format!("rate_limit_store is not a usable Redis URL: {e}")))?;
        Ok(RedisBudget {
            client,
            conn: tokio::sync::Mutex::new(None),
            retry_at: Mutex::new(None),
            down: AtomicBool::new(false),
        })
    }

    async fn connection(&self) -> Result<MultiplexedConnection> {
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let now = Instant::now();
        if self.retry_at.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|at| at > now) {
            return Err(Error::new(ErrorKind::Connection, "the shared rate budget's Redis is down"));
        }
        let connected = tokio::time::timeout(OP_TIMEOUT, self.client.get_multiplexed_async_connection()).await;
        match connected {
            Ok(Ok(c)) => {
                *slot = Some(c.clone());
                Ok(c)
            }
            failed => {
                *self.retry_at.lock().unwrap_or_else(|e| e.into_inner()) = now.checked_add(RECONNECT_EVERY);
                Err(match failed {
                    Ok(Err(e)) => redis_error(&e),
                    _ => Error::new(ErrorKind::Timeout, "connecting to the shared rate budget's Redis timed out"),
                })
            }
        }
    }

    async fn eval<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T> {
        let mut conn = self.connection().await?;
        match tokio::time::timeout(OP_TIMEOUT, cmd.query_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            failed => {
                // Drop the connection: the next call reconnects (at most once a second).
                *self.conn.lock().await = None;
                *self.retry_at.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now().checked_add(RECONNECT_EVERY);
                Err(match failed {
                    Ok(Err(e)) => redis_error(&e),
                    _ => Error::new(ErrorKind::Timeout, "the shared rate budget's Redis did not answer in time"),
                })
            }
        }
    }

    fn redis_key(key: &str) -> String {
        format!("purecore:rate:{key}")
    }

    /// Logs one warning when an outage starts.
    pub(crate) fn down(&self, logger: &Logger, e: &Error) {
        if !self.down.swap(true, Ordering::Relaxed) {
            logger.event(
                LogLevel::Error,
                "warning: the shared rate budget's Redis cannot be used; pacing in this process only until it is back",
                &[("reason", json!(e.message()))],
            );
        }
    }

    /// Logs once when sharing is back after an outage (a success during the outage's hold
    /// time, from a request sent before it began, does not end it).
    pub(crate) fn up(&self, logger: &Logger) {
        if !self.down.load(Ordering::Relaxed) {
            return;
        }
        if self.retry_at.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|at| at > Instant::now()) {
            return;
        }
        if self.down.swap(false, Ordering::Relaxed) {
            logger.event(LogLevel::Debug, "the shared rate budget's Redis is back; sharing again", &[]);
        }
    }
}

impl SharedBudget for RedisBudget {
    fn take<'a>(&'a self, key: &'a str, in_flight: u64) -> BoxFuture<'a, Result<Take>> {
        Box::pin(async move {
            let probe_ms = u64::try_from(super::PROBE_WAIT.as_millis()).unwrap_or(500);
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(TAKE).arg(1).arg(Self::redis_key(key)).arg(SLACK_MS).arg(KEY_TTL_MS).arg(in_flight).arg(probe_ms);
            let v: Vec<i64> = self.eval(cmd).await?;
            let at = |i: usize| v.get(i).copied().unwrap_or_default();
            Ok(match at(0) {
                0 => Take::Go { generation: u64::try_from(at(1)).unwrap_or_default() },
                1 => Take::Wait(Duration::from_millis(u64::try_from(at(2)).unwrap_or_default())),
                3 => Take::Probe,
                _ => Take::Unknown,
            })
        })
    }

    fn learn<'a>(&'a self, key: &'a str, report: Report) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
            let num = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(LEARN)
                .arg(1)
                .arg(Self::redis_key(key))
                .arg(num(report.allowed))
                .arg(num(report.count))
                .arg(ms(report.reset))
                .arg(report.generation.map_or(-1, num))
                .arg(report.throttled_for.map_or(-1, ms))
                .arg(SLACK_MS)
                .arg(KEY_TTL_MS)
                .arg(num(report.in_flight));
            self.eval::<i64>(cmd).await.map(|_| ())
        })
    }
}
