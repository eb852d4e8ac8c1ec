//! Pacing when the server sends no `inin-ratelimit-*` headers: a token bucket whose rate
//! adapts to throttles, after the AWS SDKs' adaptive retry mode. It is off until the first
//! 429. A 429 cuts the rate to `BETA` times what was being sent (multiplicative decrease);
//! successes then grow it back along a cubic curve that passes the rate of the last
//! throttle after `k` seconds and probes above it slowly (as CUBIC congestion control
//! does), never above twice the rate actually measured.

use std::time::Duration;

use tokio::time::Instant;

/// The rate kept after a throttle, as a fraction of the rate before it.
const BETA: f64 = 0.7;
/// How fast the rate grows back (requests/s per s³).
const SCALE: f64 = 0.4;
/// The lowest rate: one request every two seconds.
const MIN_RATE: f64 = 0.5;
/// The measured send rate is averaged over buckets of this length.
const MEASURE_BUCKET: f64 = 0.5;
/// Weight of the newest bucket in the measured rate.
const SMOOTH: f64 = 0.8;

#[derive(Debug, Clone)]
pub(crate) struct Adaptive {
    /// Pacing is on (after the first throttle).
    enabled: bool,
    /// Requests per second allowed now.
    pub(crate) fill_rate: f64,
    tokens: f64,
    last_refill: Instant,
    /// The send rate measured, smoothed.
    pub(crate) measured: f64,
    bucket_start: Instant,
    bucket_sent: f64,
    last_max: f64,
    last_throttle: Instant,
    k: f64,
}

impl Adaptive {
    pub(crate) fn new(now: Instant) -> Adaptive {
        Adaptive {
            enabled: false,
            fill_rate: 0.0,
            tokens: 0.0,
            last_refill: now,
            measured: 0.0,
            bucket_start: now,
            bucket_sent: 0.0,
            last_max: 0.0,
            last_throttle: now,
            k: 0.0,
        }
    }

    fn refill(&mut self, now: Instant) {
        let dt = now.saturating_duration_since(self.last_refill).as_secs_f64();
        let capacity = self.fill_rate.max(1.0);
        self.tokens = (self.tokens + dt * self.fill_rate).min(capacity);
        self.last_refill = now;
    }

    /// `None`: send now (one token taken); `Some(at)`: come back at `at`.
    pub(crate) fn acquire(&mut self, now: Instant) -> Option<Instant> {
        self.measure(now);
        if !self.enabled {
            return None;
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return None;
        }
        let secs = (1.0 - self.tokens) / self.fill_rate.max(MIN_RATE);
        let wait = Duration::try_from_secs_f64(secs).unwrap_or(Duration::from_secs(2));
        Some(now.checked_add(wait).unwrap_or(now))
    }

    fn measure(&mut self, now: Instant) {
        self.bucket_sent += 1.0;
        let dt = now.saturating_duration_since(self.bucket_start).as_secs_f64();
        if dt >= MEASURE_BUCKET {
            let rate = self.bucket_sent / dt;
            self.measured = SMOOTH * rate + (1.0 - SMOOTH) * self.measured;
            self.bucket_sent = 0.0;
            self.bucket_start = now;
        }
    }

    /// A 429: cut the rate.
    pub(crate) fn throttled(&mut self, now: Instant) {
        let before = if self.enabled { self.measured.min(self.fill_rate) } else { self.measured };
        let before = before.max(MIN_RATE);
        self.last_max = before;
        self.k = (before * (1.0 - BETA) / SCALE).cbrt();
        self.refill(now);
        self.fill_rate = (before * BETA).max(MIN_RATE);
        self.tokens = self.tokens.min(self.fill_rate.max(1.0));
        self.enabled = true;
        self.last_throttle = now;
    }

    /// Any other reply: grow the rate back along the cubic.
    pub(crate) fn succeeded(&mut self, now: Instant) {
        if !self.enabled {
            return;
        }
        let t = now.saturating_duration_since(self.last_throttle).as_secs_f64();
        let cubic = SCALE * (t - self.k).powi(3) + self.last_max;
        let cap = (2.0 * self.measured).max(MIN_RATE);
        self.refill(now);
        self.fill_rate = cubic.min(cap).max(MIN_RATE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_until_a_throttle_then_cut_and_recovered() {
        let t0 = Instant::now();
        let mut a = Adaptive::new(t0);
        // 100 requests in one second: measured about 100/s, and never held.
        for i in 0..100u64 {
            assert!(a.acquire(t0 + Duration::from_millis(i * 10)).is_none());
        }
        let t1 = t0 + Duration::from_secs(1);
        assert!(a.measured > 50.0, "{}", a.measured);
        a.throttled(t1);
        // Multiplicative decrease: 70 % of the rate before the throttle.
        let cut = a.fill_rate;
        assert!((a.measured * BETA * 0.99..=a.measured * BETA * 1.01).contains(&cut), "{cut} vs {}", a.measured);
        // Paced now: a burst is held back.
        let held = (0..200).filter(|_| a.acquire(t1).is_some()).count();
        assert!(held > 100, "{held}");
        // A second throttle cuts again.
        a.throttled(t1 + Duration::from_millis(10));
        assert!(a.fill_rate < cut);
        let low = a.fill_rate;
        // Recovery is gradual: a little after the throttle the rate is still below the old
        // maximum, and later it is back above the cut.
        a.succeeded(t1 + Duration::from_millis(500));
        assert!(a.fill_rate <= a.last_max + 1e-9);
        a.succeeded(t1 + Duration::from_secs(6));
        assert!(a.fill_rate > low, "{} <= {low}", a.fill_rate);
    }

    #[test]
    fn the_rate_never_falls_below_the_floor() {
        let t0 = Instant::now();
        let mut a = Adaptive::new(t0);
        for i in 0..50 {
            a.throttled(t0 + Duration::from_millis(i));
        }
        assert!(a.fill_rate >= MIN_RATE);
        let at = a.acquire(t0 + Duration::from_secs(1)).or_else(|| a.acquire(t0 + Duration::from_secs(1)));
        assert!(at.is_some_and(|at| at <= t0 + Duration::from_secs(4)));
    }
}
