//! Deadlines that never overflow: a duration past the clock's end gives the
//! latest instant the clock holds instead of a panic.

use std::time::Duration;

use tokio::time::Instant;

/// The longest duration any setting accepts: 10,000,000 s (about 115 days).
/// Longer values would overflow clock arithmetic, and no timeout or wait needs them.
pub const MAX_DURATION: Duration = Duration::from_secs(10_000_000);

/// `Instant::now() + d`, saturating.
pub(crate) fn after(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).or_else(|| now.checked_add(MAX_DURATION)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_durations_saturate() {
        assert!(after(Duration::MAX) > Instant::now());
        assert!(after(Duration::from_secs(1)) > Instant::now());
    }
}
