//! [`Client`]: settings, the token session, and every public operation.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::auth::implicit::{self, AuthorizeRequest, AuthorizeUrl};
use crate::auth::session::{self, Begin, Session};
use crate::auth::{AuthData, Renewal, TokenRequest};
use crate::config::file::ConfigFileContents;
use crate::config::Config;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::logging::{LogLevel, Logger};
use crate::request::Request;
use crate::response::Response;
use crate::secret::Secret;

/// Called with every new token (login or refresh).
pub type TokenCallback = Arc<dyn Fn(&AuthData) + Send + Sync>;

/// Called when the config file is rejected (read or reloaded), with the error
/// that names the file and line; the previous settings stay.
pub type ConfigErrorCallback = Arc<dyn Fn(&Error) + Send + Sync>;

/// Everything one call needs, fixed for the duration of that call.
pub(crate) struct Settings {
    pub config: Config,
    pub env: Environment,
    /// The HTTP clients, kept while the transport settings stay.
    transport: Arc<crate::transport::Transport>,
    pub logger: Logger,
}

impl Settings {
    /// The HTTP client for a request from the current thread, built on first use.
    pub(crate) fn http(&self) -> Result<crate::transport::HttpClient> {
        self.transport.client()
    }
}

pub(crate) struct Inner {
    settings: RwLock<Arc<Settings>>,
    /// Serialises configuration changes (code and file) so none is lost.
    config_lock: Mutex<()>,
    pub(crate) session: Session,
    on_token: RwLock<Option<TokenCallback>>,
    pub(crate) config_error: Mutex<Option<Error>>,
    on_config_error: RwLock<Option<ConfigErrorCallback>>,
    pub(crate) watcher: Mutex<Option<crate::config::watch::Watcher>>,
    /// Backoff of renewals that failed or gave a token already due.
    renewals: Mutex<RenewalGuard>,
}

/// A Genesys Cloud client. Cheap to clone; clones share settings and token.
/// Dropping the last clone stops its config-file watcher.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.settings();
        f.debug_struct("Client").field("api_base", &s.env.api_base().as_str()).finish_non_exhaustive()
    }
}

fn transport_differs(a: &Config, b: &Config) -> bool {
    a.tls != b.tls
        || a.proxy != b.proxy
        || a.connect_timeout != b.connect_timeout
        || a.user_agent_suffix != b.user_agent_suffix
        || a.host_language != b.host_language
}

impl Client {
    /// A client with these settings. Reads the config file when one is set
    /// (an explicit path that cannot be read or parsed is an error), and
    /// starts watching it when `live_reload_config` is on.
    pub fn new(config: Config) -> Result<Client> {
        config.validate()?;
        let settings = Self::build_settings(config.clone(), None)?;
        let client = Client {
            inner: Arc::new(Inner {
                settings: RwLock::new(Arc::new(settings)),
                config_lock: Mutex::new(()),
                session: Session::default(),
                on_token: RwLock::new(None),
                config_error: Mutex::new(None),
                on_config_error: RwLock::new(None),
                watcher: Mutex::new(None),
                renewals: Mutex::new(RenewalGuard::default()),
            }),
        };
        if let Some(path) = config.config_file_path() {
            let explicit = matches!(config.config_file, crate::config::ConfigFile::Path(_));
            match client.reload_config_file() {
                Err(e) if explicit => return Err(e),
                _ => {}
            }
            client.restart_watcher(path);
        }
        Ok(client)
    }

    fn build_settings(config: Config, previous: Option<&Settings>) -> Result<Settings> {
        let env = config.effective_environment()?;
        let transport = match previous {
            Some(p) if !transport_differs(&p.config, &config) => p.transport.clone(),
            _ => crate::transport::Transport::new(&config)?,
        };
        let logger = Logger::new(config.logging.clone());
        let fresh_transport = previous.is_none_or(|p| !Arc::ptr_eq(&p.transport, &transport));
        if fresh_transport && config.tls.skip_verify {
            logger.alert(
                "TLS certificate verification is OFF (tls.skip_verify / verify_ssl = False): any server, \
                 including an attacker's, is trusted. Use this only against a test server.",
                &[],
            );
        }
        Ok(Settings { config, env, transport, logger })
    }

    pub(crate) fn settings(&self) -> Arc<Settings> {
        self.inner.settings.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A copy of the current settings.
    pub fn config(&self) -> Config {
        self.settings().config.clone()
    }

    /// Changes settings. The change is checked first; on error nothing changes.
    pub fn update_config(&self, change: impl FnOnce(&mut Config)) -> Result<()> {
        let _guard = self.inner.config_lock.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.settings();
        let mut next = current.config.clone();
        change(&mut next);
        next.validate()?;
        let next_file = next.config_file.clone();
        let file_changed = next.config_file != current.config.config_file
            || next.live_reload_config != current.config.live_reload_config;
        let settings = Self::build_settings(next, Some(&current))?;
        *self.inner.settings.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(settings);
        drop(_guard);
        if file_changed {
            let path_changed = next_file != current.config.config_file;
            let read = self.config_file_changed();
            // A new file named in code must be readable; turning live reload on or
            // off is applied whatever the file holds, and a broken file is reported
            // through the logger and the config-error callback instead.
            if path_changed {
                read?;
            }
        }
        Ok(())
    }

    /// Region name, domain or URL (see [`Environment::parse`]).
    pub fn set_environment(&self, value: &str) -> Result<()> {
        let env = Environment::parse(value)?;
        self.update_config(|c| c.environment = env)
    }

    /// The environment calls go to (the gateway's when one is set).
    pub fn environment(&self) -> Environment {
        self.settings().env.clone()
    }

    /// Called with every new token, from logins and refreshes.
    pub fn set_token_callback(&self, cb: Option<TokenCallback>) {
        *self.inner.on_token.write().unwrap_or_else(|e| e.into_inner()) = cb;
    }

    fn notify_token(&self, auth: &AuthData) {
        let cb = self.inner.on_token.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(cb) = cb {
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cb(auth))).is_err() {
                self.settings().logger.event(LogLevel::Error, "the token callback panicked", &[]);
            }
        }
    }

    // ---- configuration file ----

    /// Called whenever the config file is rejected, from a reload in code or by
    /// the watcher: the host's way to hear of a broken file it did not load itself.
    pub fn set_config_error_callback(&self, cb: Option<ConfigErrorCallback>) {
        *self.inner.on_config_error.write().unwrap_or_else(|e| e.into_inner()) = cb;
    }

    /// Reads the config file now and applies it. On error the previous
    /// settings stay, the error is logged, passed to the config-error callback,
    /// and kept for [`Client::config_file_error`].
    pub fn reload_config_file(&self) -> Result<()> {
        let Some(path) = self.settings().config.config_file_path() else {
            return Ok(());
        };
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ConfigFileContents::read(&path).and_then(|contents| self.apply_config_file(&contents, &path))
        }));
        let result = read.unwrap_or_else(|_| {
            Err(Error::internal(format!(
                "reading config file {} failed unexpectedly (a bug in purecore)",
                path.display()
            )))
        });
        {
            let mut slot = self.inner.config_error.lock().unwrap_or_else(|e| e.into_inner());
            *slot = result.as_ref().err().cloned();
        }
        if let Err(e) = &result {
            self.settings().logger.event(
                LogLevel::Error,
                "config file rejected; previous settings kept",
                &[("error", serde_json::Value::String(e.message().to_owned()))],
            );
            let cb = self.inner.on_config_error.read().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(cb) = cb {
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cb(e))).is_err() {
                    self.settings().logger.event(LogLevel::Error, "the config-error callback panicked", &[]);
                }
            }
        }
        result
    }

    fn apply_config_file(&self, contents: &ConfigFileContents, path: &std::path::Path) -> Result<()> {
        let _guard = self.inner.config_lock.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.settings();
        let next = contents.apply_to(&current.config, &path.display().to_string())?;
        let settings = Self::build_settings(next, Some(&current))?;
        *self.inner.settings.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(settings);
        Ok(())
    }

    /// Uses this config file from now on (read at once; watched if live reload is on).
    pub fn set_config_file(&self, path: impl Into<std::path::PathBuf>) -> Result<()> {
        let path = path.into();
        self.update_config(|c| c.config_file = crate::config::ConfigFile::Path(path))
    }

    fn config_file_changed(&self) -> Result<()> {
        let config = self.config();
        match config.config_file_path() {
            Some(path) => {
                let r = self.reload_config_file();
                self.restart_watcher(path);
                r
            }
            None => {
                self.stop_watcher();
                Ok(())
            }
        }
    }

    fn restart_watcher(&self, path: std::path::PathBuf) {
        let config = self.config();
        let mut slot = self.inner.watcher.lock().unwrap_or_else(|e| e.into_inner());
        *slot = None;
        if config.live_reload_config {
            use crate::config::watch::{Next, Poll, Watcher};
            let client = Arc::downgrade(&self.inner);
            *slot = Watcher::start(path, config.config_poll_interval, move |poll| {
                let Some(inner) = client.upgrade() else {
                    return Next::Stop;
                };
                if poll == Poll::Changed {
                    // Errors are logged, reported and kept by reload_config_file; the old settings stay.
                    let _ = Client { inner }.reload_config_file();
                }
                Next::Continue
            });
        }
    }

    fn stop_watcher(&self) {
        *self.inner.watcher.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The last config-file error, if the file is currently rejected.
    pub fn config_file_error(&self) -> Option<Error> {
        self.inner.config_error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    // ---- grants ----

    async fn grant(&self, req: TokenRequest, renewal: Renewal) -> Result<AuthData> {
        let auth = self.token_request(&req).await?;
        self.inner.session.set(auth.clone(), renewal);
        self.renewals().reset();
        self.notify_token(&auth);
        Ok(auth)
    }

    /// Client credentials grant; the session renews it by itself.
    pub async fn login_client_credentials(&self, client_id: &str, client_secret: &str) -> Result<AuthData> {
        let req = TokenRequest::client_credentials(client_id, client_secret)?;
        let renewal = Renewal::ClientCredentials { client_id: client_id.into(), secret: client_secret.into() };
        self.grant(req, renewal).await
    }

    /// SAML2 bearer grant; renewed by presenting the assertion again.
    pub async fn login_saml2_bearer(
        &self,
        client_id: &str,
        client_secret: &str,
        org_name: &str,
        assertion: &str,
    ) -> Result<AuthData> {
        let req = TokenRequest::saml2(client_id, client_secret, org_name, assertion)?;
        let renewal = Renewal::Saml2 {
            client_id: client_id.into(),
            secret: client_secret.into(),
            org_name: org_name.into(),
            assertion: assertion.into(),
        };
        self.grant(req, renewal).await
    }

    /// Authorization code grant; renewed with the refresh token.
    pub async fn login_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<AuthData> {
        let req = TokenRequest::code(client_id, client_secret, code, redirect_uri)?;
        let renewal = Renewal::Code { client_id: client_id.into(), secret: client_secret.into() };
        self.grant(req, renewal).await
    }

    /// Explicit refresh of a code-grant token; the credentials are kept for later refreshes.
    pub async fn refresh_code(&self, client_id: &str, client_secret: &str, refresh_token: &str) -> Result<AuthData> {
        let req = TokenRequest::refresh(client_id, Some(client_secret), refresh_token)?;
        let renewal = Renewal::Code { client_id: client_id.into(), secret: client_secret.into() };
        let mut auth = self.token_request(&req).await?;
        if auth.refresh_token.is_none() {
            auth.refresh_token = Some(Secret::new(refresh_token));
        }
        self.inner.session.set(auth.clone(), renewal);
        self.renewals().reset();
        self.notify_token(&auth);
        Ok(auth)
    }

    /// PKCE code exchange (no secret); renewed with the refresh token when one is returned.
    pub async fn login_pkce(
        &self,
        client_id: &str,
        code: &str,
        code_verifier: &str,
        redirect_uri: &str,
    ) -> Result<AuthData> {
        let req = TokenRequest::pkce(client_id, code, code_verifier, redirect_uri)?;
        self.grant(req, Renewal::Pkce { client_id: client_id.into() }).await
    }

    /// Uses a token obtained elsewhere; it is never renewed. A lifetime over
    /// [`crate::auth::MAX_TOKEN_LIFETIME`] (ten years) is clamped to it (see
    /// [`crate::auth::token_lifetime_from_secs`] for a host number of seconds).
    pub fn set_access_token(&self, token: &str, expires_in: Option<Duration>) -> Result<()> {
        if token.trim().is_empty() {
            return Err(Error::invalid_argument("access token is empty"));
        }
        let lifetime = expires_in.map(|d| d.min(crate::auth::MAX_TOKEN_LIFETIME));
        let auth = AuthData {
            access_token: Secret::new(token.trim()),
            token_type: "bearer".into(),
            refresh_token: None,
            expires_in: lifetime.map(|d| d.as_secs()),
            expires_at: lifetime.map(|d| crate::auth::expiry_after(SystemTime::now(), d)),
            state: None,
        };
        self.inner.session.set(auth.clone(), Renewal::None);
        self.renewals().reset();
        self.notify_token(&auth);
        Ok(())
    }

    /// Forgets the token and stored credentials.
    pub fn logout(&self) {
        self.inner.session.clear();
        self.renewals().reset();
    }

    /// The authorize URL for the implicit, code or PKCE flows.
    pub fn authorize_url(&self, req: &AuthorizeRequest) -> Result<AuthorizeUrl> {
        implicit::authorize_url(&self.settings().env, req)
    }

    /// Parses an implicit-grant redirect and uses its token.
    pub fn login_implicit_redirect(&self, redirect: &str, expected_state: Option<&str>) -> Result<AuthData> {
        let auth = implicit::parse_implicit_redirect(redirect, expected_state)?;
        self.inner.session.set(auth.clone(), Renewal::None);
        self.renewals().reset();
        self.notify_token(&auth);
        Ok(auth)
    }

    /// The current token, if any.
    pub fn auth_data(&self) -> Option<AuthData> {
        self.inner.session.current().auth
    }

    // ---- tokens for calls ----

    /// The token to send, renewed first when it is about to expire.
    /// Returns the token with the generation and refresh epoch it was taken at.
    ///
    /// While renewals back off (see [`RenewalGuard`]) a due token is sent as
    /// it is and the server decides; one that has expired after a failed
    /// renewal gives that renewal's error at once.
    pub(crate) async fn authorize(&self, settings: &Settings) -> Result<(Secret, u64, u64)> {
        let cur = self.inner.session.current();
        let Some(auth) = cur.auth else {
            return Err(Error::authentication(
                "no access token: log in with a grant or set a token before calling the API",
            ));
        };
        if cur.renewable
            && settings.config.refresh.refresh_access_token
            && session::expires_within(&auth, settings.config.refresh.expiry_margin)
        {
            let backoff = self.renewals().backoff();
            match backoff {
                None => {
                    let renewed = self.refresh(cur.generation, cur.epoch, settings).await?;
                    let now = self.inner.session.current();
                    return Ok((renewed.access_token, now.generation, now.epoch));
                }
                Some((_, Some(err))) if auth.expires_at.is_some_and(|at| at <= SystemTime::now()) => return Err(err),
                Some(_) => {}
            }
        }
        Ok((auth.access_token, cur.generation, cur.epoch))
    }

    fn renewals(&self) -> std::sync::MutexGuard<'_, RenewalGuard> {
        self.inner.renewals.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Renews the token of generation `seen`, once for all callers.
    ///
    /// Bounded: while renewals back off it first waits for the next attempt
    /// (or fails when that is past `refresh_token_wait_max`), and a refresh
    /// whose runner stopped without a result is started again at most
    /// [`MAX_RENEWAL_RESTARTS`] times, with a pause in between.
    pub(crate) async fn refresh(&self, seen: u64, seen_epoch: u64, settings: &Settings) -> Result<AuthData> {
        let max = settings.config.refresh.refresh_token_wait_max;
        let deadline = tokio::time::Instant::now() + max;
        let mut restarts = 0u32;
        loop {
            let backoff = self.renewals().backoff();
            if let Some((until, last_error)) = backoff {
                let cur = self.inner.session.current();
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
            let rx = match self.inner.session.begin_refresh(seen, seen_epoch) {
                Begin::Done(auth) => return Ok(auth),
                Begin::Failed(err) => return Err(err),
                Begin::NotRenewable => {
                    return Err(Error::authentication("the access token expired and cannot be renewed: log in again"))
                }
                Begin::Wait(rx) => rx,
                Begin::Lead { generation, renewal, refresh_token, tx, rx } => {
                    let task = renew_task(self.clone(), generation, renewal, refresh_token, tx);
                    if crate::blocking::on_local_runtime() {
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
                    restarts += 1;
                    let pause = RESTART_PAUSE * restarts;
                    tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + pause)).await;
                }
                Waited::Abandoned => {
                    return Err(Error::authentication(
                        "token refresh failed: the renewal stopped without a result, several times",
                    ))
                }
            }
        }
    }

    /// Sends a request to the API host (retries, refresh and logging included).
    pub async fn request(&self, req: Request) -> Result<Response> {
        crate::exec::execute(self, &req, crate::exec::Target::Api).await
    }
}

/// The one refresh for `generation`, run as its own task. A named function
/// returning a boxed `Send` future: the task sends a token request, which may
/// itself reach `refresh`, and the box ends that type cycle. A panic while
/// renewing (e.g. in reading the token reply) is this refresh's error: every
/// waiter gets it, and renewals back off, instead of restarting at once.
fn renew_task(
    client: Client,
    generation: u64,
    renewal: Renewal,
    refresh_token: Option<String>,
    tx: tokio::sync::watch::Sender<session::RefreshResult>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        // After a renewal that failed or gave a token already due, the next
        // one is sent once: retrying it at once is what the backoff prevents.
        let retries = if client.renewals().streak > 0 { Some(0) } else { None };
        let request = async {
            match TokenRequest::renewal(&renewal, refresh_token.as_deref()) {
                Ok(req) => client.token_request_with(&req, retries).await,
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
        let settings = client.settings();
        match &result {
            Ok(auth) => client.renewals().renewed(auth, settings.config.refresh.expiry_margin),
            Err(e) => client.renewals().failed(e.clone()),
        }
        client.inner.session.finish(generation, &result);
        let logger = &settings.logger;
        match &result {
            Ok(auth) => {
                logger.event(LogLevel::Debug, "access token renewed", &[]);
                client.notify_token(auth);
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
        self.not_before = Some(tokio::time::Instant::now() + wait);
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

/// Runs a future, turning a panic in it into an error (the message of the panic).
struct CatchPanic<F>(std::pin::Pin<Box<F>>);

impl<F: std::future::Future> std::future::Future for CatchPanic<F> {
    type Output = std::result::Result<F::Output, String>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let fut = self.get_mut().0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(payload) => {
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                std::task::Poll::Ready(Err(what))
            }
        }
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
