//! Tokens for calls: the session, renewing it once for every caller
//! (`authorize`, `refresh`, the renewal task and its waiters), the backoff of
//! renewals that failed, and the token callback. Token requests go through the
//! request engine ([`crate::exec`]); the engine reaches back only through
//! [`TokenSource`], so neither depends on the other's types.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::auth::session::{self, Begin, Session};
use crate::auth::store::{self, StoreHandle};
use crate::auth::{parse_token_reply, AuthData, Renewal, TokenRequest};
use crate::error::{Error, ErrorKind, Result};
use crate::exec::{BoxFuture, Settings, SettingsCell, Target, Token, TokenSource, TokenState};
use crate::hooks::CatchPanic;
use crate::logging::LogLevel;
use crate::request::{Body, Request};

/// Called with every new token (login or refresh).
pub type TokenCallback = Arc<dyn Fn(&AuthData) + Send + Sync>;

/// The token side of a client, shared by its clones and its renewal tasks.
pub(crate) struct Tokens {
    pub(crate) session: Session,
    /// Backoff of renewals that failed or gave a token already due.
    renewals: Mutex<RenewalGuard>,
    on_token: RwLock<Option<TokenCallback>>,
    /// The client's current settings (a renewal uses the newest).
    settings: Arc<SettingsCell>,
    /// The token store of the `token_store` setting (`None`: memory).
    store: Mutex<Option<Arc<StoreHandle>>>,
    /// A renewal of the advisory window is running (see [`Tokens::advisory`]).
    advisory_running: std::sync::atomic::AtomicBool,
}

impl Tokens {
    pub(crate) fn new(settings: Arc<SettingsCell>) -> Arc<Tokens> {
        Arc::new(Tokens {
            session: Session::default(),
            renewals: Mutex::new(RenewalGuard::default()),
            on_token: RwLock::new(None),
            settings,
            store: Mutex::new(None),
            advisory_running: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub(crate) fn set_callback(&self, cb: Option<TokenCallback>) {
        *self.on_token.write().unwrap_or_else(|e| e.into_inner()) = cb;
    }

    fn notify(&self, auth: &AuthData) {
        let cb = self.on_token.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(cb) = cb {
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cb(auth))).is_err() {
                self.settings.get().logger.event(LogLevel::Error, "the token callback panicked", &[]);
            }
        }
    }

    /// Uses a new token (a login, or one set by the host): the session takes
    /// it, the renewal backoff ends, and the token callback hears of it.
    pub(crate) fn accept(&self, auth: &AuthData, renewal: Renewal) {
        self.session.set(auth.clone(), renewal);
        self.renewals().reset();
        self.notify(auth);
    }

    /// Forgets the token and stored credentials.
    pub(crate) fn clear(&self) {
        self.session.clear();
        self.renewals().reset();
    }

    /// `POST {login}/oauth/token` with the grant's form and Basic auth, retried
    /// at most `max_retries` times when given (else as the settings say).
    pub(crate) async fn token_request(&self, req: &TokenRequest, max_retries: Option<u32>) -> Result<AuthData> {
        let mut r = Request::post("/oauth/token").without_auth();
        r.body = Body::Form(req.form.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect());
        if let Some(basic) = req.basic_header() {
            r.headers.push(("Authorization".into(), basic));
        }
        let settings = self.settings.get();
        // auth_timeout bounds the whole login or refresh, retries and their waits included.
        let limit = settings.config.auth_timeout;
        let sent = crate::exec::execute(&settings, None, None, &r, Target::Login, max_retries);
        let resp = tokio::time::timeout(limit, sent).await.map_err(|_| {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "the token request ({}) took longer than auth_timeout ({:.1} s), retries included",
                    req.grant,
                    limit.as_secs_f64()
                ),
            )
        })??;
        let auth = parse_token_reply(&resp)?;
        settings.logger.event(LogLevel::Debug, "token issued", &[("grant", json!(req.grant))]);
        Ok(auth)
    }

    /// The store of the current `token_store` setting, opened again when it changed.
    fn store_for(&self, settings: &Settings) -> Option<Arc<StoreHandle>> {
        let spec = &settings.config.token_store;
        let mut slot = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = slot.as_ref().filter(|h| h.spec == *spec) {
            return Some(Arc::clone(h));
        }
        *slot = match StoreHandle::open(spec) {
            Ok(h) => h,
            Err(e) => {
                settings.logger.alert(
                    "the token store cannot be used; tokens are not shared",
                    &[("error", serde_json::Value::String(e.message().to_owned()))],
                );
                None
            }
        };
        slot.clone()
    }

    /// A token for a login or renewal: taken from the token store when it holds
    /// a usable one for these credentials, else requested once for the whole
    /// fleet (see [`store::obtain`]); with the `memory` store, simply requested.
    /// `stale` is the token being replaced.
    pub(crate) async fn obtain(
        &self,
        req: &TokenRequest,
        renewal: &Renewal,
        stale: Option<&str>,
        max_retries: Option<u32>,
    ) -> Result<AuthData> {
        let settings = self.settings.get();
        let fetch = self.token_request(req, max_retries);
        let Some(handle) = self.store_for(&settings) else { return fetch.await };
        let Some(entry) = store::Entry::of(renewal, settings.env.login_base().as_str()) else { return fetch.await };
        let refresh = &settings.config.refresh;
        store::obtain(
            &handle,
            &entry,
            stale,
            refresh.expiry_margin,
            refresh.refresh_token_wait_max,
            &settings.logger,
            fetch,
        )
        .await
    }

    /// The token to send, renewed first when it is about to expire.
    /// Returns the token with the generation and refresh epoch it was taken at.
    ///
    /// While renewals back off (see [`RenewalGuard`]) a due token is sent as
    /// it is and the server decides; one that has expired after a failed
    /// renewal gives that renewal's error at once.
    async fn authorize(self: &Arc<Self>, settings: &Settings) -> Result<Token> {
        let cur = self.session.current();
        let Some(auth) = cur.auth else {
            return Err(Error::authentication(
                "no access token: log in with a grant or set a token before calling the API",
            ));
        };
        let margin = settings.config.refresh.expiry_margin;
        if cur.renewable && settings.config.refresh.refresh_access_token && session::expires_within(&auth, margin) {
            let backoff = self.renewals().backoff();
            if backoff.is_none() && self.advisory(&auth, margin, settings) {
                self.renew_in_background(cur.generation, cur.epoch);
                return Ok(Token { secret: auth.access_token, generation: cur.generation, epoch: cur.epoch });
            }
            match backoff {
                None => {
                    let renewed = self.refresh(cur.generation, cur.epoch, settings).await?;
                    let now = self.session.current();
                    return Ok(Token { secret: renewed.access_token, generation: now.generation, epoch: now.epoch });
                }
                Some((_, Some(err))) if auth.expires_at.is_some_and(|at| at <= SystemTime::now()) => return Err(err),
                Some(_) => {}
            }
        }
        Ok(Token { secret: auth.access_token, generation: cur.generation, epoch: cur.epoch })
    }

    /// Whether a due token is only in the advisory window: a token store is
    /// set (a fleet), the token has more than half the margin left, and the
    /// runtime runs background tasks. There the token is renewed in the
    /// background while calls keep using it; in the mandatory window (the last
    /// half of the margin) calls wait for the renewal. Without a store every
    /// due token is renewed before the call, as before.
    fn advisory(&self, auth: &AuthData, margin: Duration, settings: &Settings) -> bool {
        let shared = !matches!(
            crate::config::TokenStoreSetting::parse(&settings.config.token_store),
            Ok(crate::config::TokenStoreSetting::Memory) | Err(_)
        );
        let mandatory = session::capped_margin(auth, margin).checked_div(2).unwrap_or_default();
        shared && !session::expires_within(auth, mandatory) && !crate::transport::local::on_local_runtime()
    }

    /// One background renewal at a time, for the advisory window.
    fn renew_in_background(self: &Arc<Self>, generation: u64, epoch: u64) {
        if self.advisory_running.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let me = Arc::clone(self);
        tokio::spawn(async move {
            let settings = me.settings.get();
            if let Err(e) = me.refresh(generation, epoch, &settings).await {
                settings.logger.event(
                    LogLevel::Debug,
                    "background token renewal failed; calls renew in the mandatory window",
                    &[("error", serde_json::Value::String(e.message().to_owned()))],
                );
            }
            me.advisory_running.store(false, std::sync::atomic::Ordering::SeqCst);
        });
    }

    fn renewals(&self) -> std::sync::MutexGuard<'_, RenewalGuard> {
        self.renewals.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Renews the token of generation `seen`, once for all callers.
    ///
    /// Bounded: while renewals back off it first waits for the next attempt
    /// (or fails when that is past `refresh_token_wait_max`), and a refresh
    /// whose runner stopped without a result is started again at most
    /// [`MAX_RENEWAL_RESTARTS`] times, with a pause in between.
    async fn refresh(self: &Arc<Self>, seen: u64, seen_epoch: u64, settings: &Settings) -> Result<AuthData> {
        let max = settings.config.refresh.refresh_token_wait_max;
        let deadline = crate::clock::after(max);
        let mut restarts = 0u32;
        loop {
            let backoff = self.renewals().backoff();
            if let Some((until, last_error)) = backoff {
                let cur = self.session.current();
                if cur.generation != seen {
                    if let Some(auth) = cur.auth {
                        return Ok(auth);
                    }
                }
                if until > deadline {
                    let wait = until.saturating_duration_since(tokio::time::Instant::now());
                    return Err(backing_off(last_error, wait));
                }
                tokio::time::sleep_until(until).await;
            }
            let rx = match self.session.begin_refresh(seen, seen_epoch) {
                Begin::Done(auth) => return Ok(auth),
                Begin::Failed(err) => return Err(err),
                Begin::NotRenewable => {
                    return Err(Error::authentication("the access token expired and cannot be renewed: log in again"))
                }
                Begin::Wait(rx) => rx,
                Begin::Lead { generation, renewal, refresh_token, tx, rx } => {
                    let task = renew_task(Arc::clone(self), generation, renewal, refresh_token, tx);
                    if crate::transport::local::on_local_runtime() {
                        // A blocking caller's runtime only runs while that caller
                        // waits, so it renews in line, within the same bound as
                        // any waiter; a refresh it gives up on (or is interrupted
                        // in) is taken over by a waiting caller (below).
                        if tokio::time::timeout_at(deadline, task).await.is_err() {
                            self.renewals().failed(refresh_timeout(max));
                            return Err(refresh_timeout(max));
                        }
                    } else {
                        // A task of its own: a cancelled caller leaves no one waiting.
                        tokio::spawn(task);
                    }
                    rx
                }
            };
            match wait_for_refresh(rx, deadline, max).await {
                Waited::Done(result) => return result,
                Waited::Abandoned if restarts < MAX_RENEWAL_RESTARTS && tokio::time::Instant::now() < deadline => {
                    restarts = restarts.saturating_add(1);
                    let pause = RESTART_PAUSE.saturating_mul(restarts);
                    tokio::time::sleep_until(deadline.min(crate::clock::after(pause))).await;
                }
                Waited::Abandoned => {
                    return Err(Error::authentication(
                        "token refresh failed: the renewal stopped without a result, several times",
                    ))
                }
            }
        }
    }
}

impl TokenSource for Arc<Tokens> {
    fn authorize<'a>(&'a self, settings: &'a Settings) -> BoxFuture<'a, Result<Token>> {
        Box::pin(Tokens::authorize(self, settings))
    }

    fn state(&self) -> TokenState {
        let cur = self.session.current();
        TokenState { generation: cur.generation, has_token: cur.auth.is_some(), renewable: cur.renewable }
    }

    fn refresh<'a>(&'a self, generation: u64, epoch: u64, settings: &'a Settings) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { Tokens::refresh(self, generation, epoch, settings).await.map(|_| ()) })
    }
}

/// The one refresh for `generation`, run as its own task. A named function
/// returning a boxed `Send` future: the task sends a token request, which may
/// itself reach `refresh`, and the box ends that type cycle. A panic while
/// renewing (e.g. in reading the token reply) is this refresh's error: every
/// waiter gets it, and renewals back off, instead of restarting at once.
fn renew_task(
    tokens: Arc<Tokens>,
    generation: u64,
    renewal: Renewal,
    refresh_token: Option<String>,
    tx: tokio::sync::watch::Sender<session::RefreshResult>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        // After a renewal that failed or gave a token already due, the next
        // one is sent once: retrying it at once is what the backoff prevents.
        let retries = if tokens.renewals().streak > 0 { Some(0) } else { None };
        // The token being replaced: a token store may hold it too, and must not give it back.
        let stale = tokens.session.current().auth.map(|a| a.access_token.expose().to_owned());
        let request = async {
            match TokenRequest::renewal(&renewal, refresh_token.as_deref()) {
                Ok(req) => tokens.obtain(&req, &renewal, stale.as_deref(), retries).await,
                Err(e) => Err(e),
            }
        };
        let result = match CatchPanic(Box::pin(request)).await {
            Ok(r) => r,
            Err(what) => Err(Error::internal(format!("the renewal failed unexpectedly: {what}"))),
        };
        let result = result.map_err(|e| {
            let msg = format!("token refresh failed: {}", e.message());
            e.with_message(msg)
        });
        let settings = tokens.settings.get();
        match &result {
            Ok(auth) => tokens.renewals().renewed(auth, settings.config.refresh.expiry_margin),
            Err(e) => tokens.renewals().failed(e.clone()),
        }
        tokens.session.finish(generation, &result);
        let logger = &settings.logger;
        match &result {
            Ok(auth) => {
                logger.event(LogLevel::Debug, "access token renewed", &[]);
                tokens.notify(auth);
            }
            Err(e) => logger.event(
                LogLevel::Error,
                "access token renewal failed",
                &[("error", serde_json::Value::String(e.message().to_owned()))],
            ),
        }
        let _ = tx.send(Some(result));
    })
}

/// How often one `refresh` starts a renewal again whose runner stopped without a result.
const MAX_RENEWAL_RESTARTS: u32 = 2;
/// The pause before such a restart (times the restart's number).
const RESTART_PAUSE: Duration = Duration::from_millis(50);
/// The first backoff after a renewal that failed or gave a token already due;
/// it doubles with each such renewal in a row, up to [`RENEWAL_BACKOFF_MAX`].
const RENEWAL_BACKOFF_MIN: Duration = Duration::from_millis(500);
const RENEWAL_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Keeps renewals from looping. After a renewal that failed, or that gave a
/// token already due for renewal (e.g. `expires_in: 0`), the next renewal waits:
/// 0.5 s, then twice as long after each such renewal in a row, up to 30 s. A
/// renewal that gives a usable token, or a new login, ends the backoff.
#[derive(Default)]
struct RenewalGuard {
    /// Renewals in a row that failed or gave a token already due.
    streak: u32,
    not_before: Option<tokio::time::Instant>,
    /// The error of the last renewal, when it failed.
    last_error: Option<Error>,
}

impl RenewalGuard {
    /// When renewals back off: the time of the next attempt and the last error.
    fn backoff(&self) -> Option<(tokio::time::Instant, Option<Error>)> {
        let until = self.not_before.filter(|t| *t > tokio::time::Instant::now())?;
        Some((until, self.last_error.clone()))
    }

    fn bump(&mut self) {
        self.streak = self.streak.saturating_add(1);
        let exp = self.streak.saturating_sub(1).min(16);
        let wait = RENEWAL_BACKOFF_MIN.saturating_mul(1 << exp).min(RENEWAL_BACKOFF_MAX);
        self.not_before = Some(crate::clock::after(wait));
    }

    fn failed(&mut self, err: Error) {
        self.bump();
        self.last_error = Some(err);
    }

    fn renewed(&mut self, auth: &AuthData, margin: Duration) {
        self.last_error = None;
        if session::expires_within(auth, margin) {
            self.bump();
        } else {
            self.reset();
        }
    }

    fn reset(&mut self) {
        *self = RenewalGuard::default();
    }
}

/// The error of a call that cannot wait for the next renewal attempt.
fn backing_off(last_error: Option<Error>, wait: Duration) -> Error {
    let next = format!("renewals back off; the next attempt is in {:.1} s", wait.as_secs_f64());
    match last_error {
        Some(e) => {
            let msg = format!("{} ({next})", e.message());
            e.with_message(msg)
        }
        None => Error::authentication(format!(
            "the access token was rejected and the last renewal gave a token that was already due: {next}"
        )),
    }
}

enum Waited {
    Done(Result<AuthData>),
    /// The caller running the refresh stopped before it finished.
    Abandoned,
}

async fn wait_for_refresh(
    mut rx: tokio::sync::watch::Receiver<session::RefreshResult>,
    deadline: tokio::time::Instant,
    max: Duration,
) -> Waited {
    let waited = tokio::time::timeout_at(deadline, rx.wait_for(|r| r.is_some())).await;
    match waited {
        Err(_) => Waited::Done(Err(refresh_timeout(max))),
        Ok(Err(_)) => Waited::Abandoned,
        Ok(Ok(r)) => match r.as_ref() {
            Some(result) => Waited::Done(result.clone()),
            None => Waited::Abandoned,
        },
    }
}

fn refresh_timeout(max: Duration) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!("token refresh took longer than {:.1} s (refresh_token_wait_max)", max.as_secs_f64()),
    )
}

#[cfg(test)]
mod tests {
    //! The refresh rules, against a scripted server (no sockets).
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use crate::config::Config;
    use crate::logging::{LogConfig, Logger};
    use crate::secret::Secret;
    use crate::transport::scripted::{reply, Scripted};

    /// A server that issues `tok-1`, `tok-2`... and accepts only the newest.
    fn server(issued: Arc<AtomicU32>) -> Arc<Scripted> {
        Scripted::new(move |seen, _| {
            if seen.url.ends_with("/oauth/token") {
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                let body = format!("{{\"access_token\":\"tok-{n}\",\"token_type\":\"bearer\",\"expires_in\":3600}}");
                return Ok(reply(200, &[("content-type", "application/json")], &body));
            }
            let newest = format!("Bearer tok-{}", issued.load(Ordering::SeqCst));
            Ok(if seen.header("authorization") == Some(newest.as_str()) {
                reply(200, &[], "{}")
            } else {
                reply(401, &[], "{\"code\":\"bad.credentials\"}")
            })
        })
    }

    fn tokens(sender: Arc<Scripted>) -> Arc<Tokens> {
        let config = Config::default();
        let settings =
            Settings { env: config.environment.clone(), config, sender, logger: Logger::new(LogConfig::default()) };
        let tokens = Tokens::new(Arc::new(SettingsCell::new(settings)));
        let stale = AuthData {
            access_token: Secret::new("revoked"),
            token_type: "bearer".into(),
            refresh_token: None,
            expires_in: Some(3600),
            expires_at: Some(SystemTime::now() + Duration::from_secs(3600)),
            state: None,
        };
        tokens.accept(&stale, Renewal::ClientCredentials { client_id: "id".into(), secret: "secret".into() });
        tokens
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_concurrent_401s_make_one_refresh_and_every_call_succeeds() {
        let issued = Arc::new(AtomicU32::new(0));
        let server = server(issued.clone());
        let tokens = tokens(server.clone());
        let renewed = Arc::new(AtomicU32::new(0));
        let seen = renewed.clone();
        tokens.set_callback(Some(Arc::new(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        })));
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let tokens = tokens.clone();
            calls.spawn(async move {
                let settings = tokens.settings.get();
                let req = Request::get("/api/v2/users/me");
                crate::exec::execute(&settings, Some(&tokens), None, &req, Target::Api, None).await
            });
        }
        while let Some(done) = calls.join_next().await {
            assert_eq!(done.unwrap().unwrap().status, 200);
        }
        assert_eq!(issued.load(Ordering::SeqCst), 1, "one refresh for all twenty 401s");
        assert_eq!(renewed.load(Ordering::SeqCst), 1, "the token callback heard of it once");
        let token_calls = server.requests().iter().filter(|r| r.url.ends_with("/oauth/token")).count();
        assert_eq!(token_calls, 1);
        let form = server.requests().into_iter().find(|r| r.url.ends_with("/oauth/token")).unwrap();
        assert!(form.header("authorization").is_some_and(|v| v.starts_with("Basic ")));
    }

    #[tokio::test]
    async fn a_401_that_no_refresh_cures_is_final_after_three_resends() {
        // The server accepts no token at all.
        let server = Scripted::new(|seen, n| {
            if seen.url.ends_with("/oauth/token") {
                let body = format!("{{\"access_token\":\"t{n}\",\"expires_in\":3600}}");
                return Ok(reply(200, &[], &body));
            }
            Ok(reply(401, &[], "{}"))
        });
        let tokens = tokens(server.clone());
        let settings = tokens.settings.get();
        let req = Request::get("/api/v2/users/me");
        let err = crate::exec::execute(&settings, Some(&tokens), None, &req, Target::Api, None).await.unwrap_err();
        assert_eq!((err.kind(), err.status()), (ErrorKind::Authentication, Some(401)));
        let api_calls = server.requests().iter().filter(|r| !r.url.ends_with("/oauth/token")).count();
        assert_eq!(api_calls, 4, "the first try and MAX_AUTH_RESENDS (3) resends");
    }
}
