//! Token state and single-flight refresh.
//!
//! The session holds the current token, the credentials needed to renew it,
//! and a generation number that grows with every new token. A caller that
//! needs a new token (expiry near, or a 401 met with the token of generation
//! `g`) calls [`Session::begin_refresh`] with `g`:
//! - if the generation already moved on, someone else refreshed: use that token;
//! - if a refresh for `g` is already running, wait for its result;
//! - otherwise this caller starts the one refresh for `g`.
//!
//! The refresh itself runs as its own task, so a caller that gives up (or is
//! cancelled) does not leave the others waiting, and its result, success or
//! error, reaches every waiter through a watch channel. A blocking caller
//! (see [`crate::blocking`]) runs it in line instead; if it is interrupted,
//! the channel closes without a result and the next caller starts again.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::auth::{AuthData, Renewal};
use crate::error::Result;

pub(crate) type RefreshResult = Option<Result<AuthData>>;

#[derive(Default)]
struct State {
    auth: Option<AuthData>,
    renewal: Renewal,
    generation: u64,
    inflight: Option<(u64, watch::Receiver<RefreshResult>)>,
    /// Counts finished refreshes; with `last_failure` it lets callers that
    /// were already under way when a refresh failed share that failure
    /// instead of starting another token request each.
    epoch: u64,
    last_failure: Option<(u64, crate::error::Error)>,
}

#[derive(Default)]
pub(crate) struct Session {
    state: Mutex<State>,
}

/// A token and the generation it belongs to.
#[derive(Clone)]
pub(crate) struct Current {
    pub auth: Option<AuthData>,
    pub generation: u64,
    pub epoch: u64,
    pub renewable: bool,
}

pub(crate) enum Begin {
    /// The token changed since generation `g`: use it.
    Done(AuthData),
    /// Another caller is refreshing: wait on this.
    Wait(watch::Receiver<RefreshResult>),
    /// This caller must run the refresh and send the result.
    Lead {
        generation: u64,
        renewal: Renewal,
        refresh_token: Option<String>,
        tx: watch::Sender<RefreshResult>,
        rx: watch::Receiver<RefreshResult>,
    },
    /// Nothing to renew with (a caller-supplied or implicit token).
    NotRenewable,
    /// A refresh of this token failed after the caller began: share its error.
    Failed(crate::error::Error),
}

impl Session {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn current(&self) -> Current {
        let s = self.lock();
        Current {
            auth: s.auth.clone(),
            generation: s.generation,
            epoch: s.epoch,
            renewable: s.renewal.can_renew(s.auth.as_ref()),
        }
    }

    /// A new token from a login: replaces everything, including any refresh under way.
    pub fn set(&self, auth: AuthData, renewal: Renewal) -> u64 {
        let mut s = self.lock();
        s.auth = Some(auth);
        s.renewal = renewal;
        s.generation = s.generation.wrapping_add(1);
        s.inflight = None;
        s.generation
    }

    pub fn clear(&self) {
        let mut s = self.lock();
        s.auth = None;
        s.renewal = Renewal::None;
        s.generation = s.generation.wrapping_add(1);
        s.inflight = None;
    }

    /// `seen_generation` and `seen_epoch` are from [`Session::current`] when the caller took its token.
    pub fn begin_refresh(&self, seen_generation: u64, seen_epoch: u64) -> Begin {
        let mut s = self.lock();
        if s.generation != seen_generation {
            if let Some(a) = &s.auth {
                return Begin::Done(a.clone());
            }
        }
        if let Some((failed_gen, err)) = &s.last_failure {
            if *failed_gen == s.generation && s.epoch > seen_epoch {
                return Begin::Failed(err.clone());
            }
        }
        if let Some((g, rx)) = &s.inflight {
            // A refresh whose runner stopped without a result (a blocking
            // caller interrupted mid-refresh) is abandoned: start another.
            let abandoned = rx.has_changed().is_err() && rx.borrow().is_none();
            if *g == s.generation && !abandoned {
                return Begin::Wait(rx.clone());
            }
        }
        if !s.renewal.can_renew(s.auth.as_ref()) {
            return Begin::NotRenewable;
        }
        let (tx, rx) = watch::channel(None);
        s.inflight = Some((s.generation, rx.clone()));
        let refresh_token = s.auth.as_ref().and_then(|a| a.refresh_token.as_ref()).map(|t| t.expose().to_owned());
        Begin::Lead { generation: s.generation, renewal: s.renewal.clone(), refresh_token, tx, rx }
    }

    /// Records the result of the refresh started for `generation`.
    pub fn finish(&self, generation: u64, result: &Result<AuthData>) {
        let mut s = self.lock();
        if s.generation != generation {
            return; // a login replaced the token meanwhile; keep the newer one
        }
        s.inflight = None;
        s.epoch = s.epoch.wrapping_add(1);
        s.last_failure = result.as_ref().err().map(|e| (generation, e.clone()));
        if let Ok(new) = result {
            let mut new = new.clone();
            if new.refresh_token.is_none() {
                // Platforms may omit an unchanged refresh token; keep the one we had.
                new.refresh_token = s.auth.as_ref().and_then(|a| a.refresh_token.clone());
            }
            s.auth = Some(new);
            s.generation = s.generation.wrapping_add(1);
        }
    }
}

/// The renewal margin for this token: at most half its lifetime.
pub(crate) fn capped_margin(auth: &AuthData, margin: Duration) -> Duration {
    match auth.expires_in {
        Some(secs) => margin.min(Duration::from_secs(secs).checked_div(2).unwrap_or_default()),
        None => margin,
    }
}

/// Whether a token is due for renewal: it expires within `margin` from now.
/// The margin is at most half the token's lifetime, so a token that lives
/// shorter than the margin is not renewed on every call. No value of the
/// lifetime, expiry or margin can overflow: a deadline past the clock's end
/// counts as reached.
pub(crate) fn expires_within(auth: &AuthData, margin: Duration) -> bool {
    let margin = capped_margin(auth, margin);
    match auth.expires_at {
        Some(at) => SystemTime::now().checked_add(margin).is_none_or(|limit| at <= limit),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn token(expires_in: u64, left: Duration) -> AuthData {
        AuthData {
            access_token: Secret::new("t"),
            token_type: "bearer".into(),
            refresh_token: None,
            expires_in: Some(expires_in),
            expires_at: Some(SystemTime::now() + left),
            state: None,
        }
    }

    #[test]
    fn margin_is_capped_at_half_the_lifetime() {
        let margin = Duration::from_secs(30);
        // A 20 s token with 15 s left is not due, although 15 s < 30 s margin.
        assert!(!expires_within(&token(20, Duration::from_secs(15)), margin));
        assert!(expires_within(&token(20, Duration::from_secs(9)), margin));
        // A day-long token is renewed 30 s before it expires.
        assert!(!expires_within(&token(86_400, Duration::from_secs(31)), margin));
        assert!(expires_within(&token(86_400, Duration::from_secs(29)), margin));
    }

    /// `SystemTime::now() + margin` overflowed for a huge margin; now it saturates.
    #[test]
    fn expires_within_never_overflows() {
        let far = token(u64::MAX, crate::auth::MAX_TOKEN_LIFETIME);
        let mut unknown_lifetime = far.clone();
        unknown_lifetime.expires_in = None;
        for margin in [Duration::ZERO, Duration::from_secs(u64::MAX / 2), Duration::MAX] {
            let _ = expires_within(&far, margin);
        }
        // A margin past the clock's end: every token is due.
        assert!(expires_within(&unknown_lifetime, Duration::MAX));
        assert!(!expires_within(&unknown_lifetime, Duration::from_secs(60)));
        assert!(expires_within(&token(0, Duration::ZERO), Duration::from_secs(30)));
    }
}
