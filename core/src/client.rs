//! [`Client`]: settings, the token session, and every public operation.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::auth::implicit::{self, AuthorizeRequest, AuthorizeUrl};
use crate::auth::refresh::{TokenCallback, Tokens};
use crate::auth::{AuthData, Renewal, TokenRequest};
use crate::config::file::ConfigFileContents;
use crate::config::Config;
use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::exec::{Hooked, Settings, SettingsCell, Target};
use crate::hooks::{CallHooks, RequestHook, ResponseHook};
use crate::logging::{LogLevel, Logger};
use crate::request::Request;
use crate::response::Response;
use crate::secret::Secret;
use crate::transport::{Transport, TransportSettings};

/// Called when the config file is rejected (read or reloaded), with the error
/// that names the file and line; the previous settings stay.
pub type ConfigErrorCallback = Arc<dyn Fn(&Error) + Send + Sync>;

pub(crate) struct Inner {
    settings: Arc<SettingsCell>,
    /// Serialises configuration changes (code and file) so none is lost.
    config_lock: Mutex<()>,
    /// The token session and its renewals.
    pub(crate) auth: Arc<Tokens>,
    pub(crate) config_error: Mutex<Option<Error>>,
    on_config_error: RwLock<Option<ConfigErrorCallback>>,
    pub(crate) watcher: Mutex<Option<crate::config::watch::Watcher>>,
    /// The request and response hooks of API calls.
    hooks: RwLock<Arc<CallHooks>>,
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

impl Client {
    /// A client with these settings. Fills in the settings left at their
    /// defaults from `PURECORE_*` environment variables (see
    /// [`crate::config::env`]; a bad value is an error naming the variable),
    /// reads the config file when one is set (an explicit path that cannot be
    /// read or parsed is an error), and starts watching it when
    /// `live_reload_config` is on.
    pub fn new(config: Config) -> Result<Client> {
        Self::with_defaults(config, &Config::default())
    }

    /// [`Client::new`] for a host whose own defaults differ from
    /// `Config::default()` (a binding's host language and config file): the
    /// environment fills in the settings where `config` still equals `defaults`.
    pub fn with_defaults(config: Config, defaults: &Config) -> Result<Client> {
        config.validate()?;
        let config = crate::config::env::apply(&config, defaults, &crate::config::env::read()?)?;
        let settings = Arc::new(SettingsCell::new(Self::build_settings(config.clone(), None)?));
        let client = Client {
            inner: Arc::new(Inner {
                auth: Tokens::new(settings.clone()),
                settings,
                config_lock: Mutex::new(()),
                config_error: Mutex::new(None),
                on_config_error: RwLock::new(None),
                watcher: Mutex::new(None),
                hooks: RwLock::new(Arc::new(CallHooks::default())),
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
        // The connections stay while the transport settings do.
        let kept = previous.filter(|p| TransportSettings::of(&p.config) == TransportSettings::of(&config));
        let sender = match kept {
            Some(p) => p.sender.clone(),
            None => Transport::new(&config)?,
        };
        let logger = Logger::new(config.logging.clone());
        if kept.is_none() && config.tls.skip_verify {
            logger.alert(
                "TLS certificate verification is OFF (tls.skip_verify / verify_ssl = False): any server, \
                 including an attacker's, is trusted. Use this only against a test server.",
                &[],
            );
        }
        Ok(Settings { config, env, sender, logger })
    }

    pub(crate) fn settings(&self) -> Arc<Settings> {
        self.inner.settings.get()
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
        self.inner.settings.set(settings);
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
        self.inner.auth.set_callback(cb);
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
        self.inner.settings.set(settings);
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
        // Through the token store: a usable shared token is taken without a request.
        let auth = self.inner.auth.obtain(&req, &renewal, None, None).await?;
        self.inner.auth.accept(&auth, renewal);
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
        let mut auth = self.inner.auth.token_request(&req, None).await?;
        if auth.refresh_token.is_none() {
            auth.refresh_token = Some(Secret::new(refresh_token));
        }
        self.inner.auth.accept(&auth, renewal);
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
        self.inner.auth.accept(&auth, Renewal::None);
        Ok(())
    }

    /// Forgets the token and stored credentials.
    pub fn logout(&self) {
        self.inner.auth.clear();
    }

    /// The authorize URL for the implicit, code or PKCE flows.
    pub fn authorize_url(&self, req: &AuthorizeRequest) -> Result<AuthorizeUrl> {
        implicit::authorize_url(&self.settings().env, req)
    }

    /// Parses an implicit-grant redirect and uses its token.
    pub fn login_implicit_redirect(&self, redirect: &str, expected_state: Option<&str>) -> Result<AuthData> {
        let auth = implicit::parse_implicit_redirect(redirect, expected_state)?;
        self.inner.auth.accept(&auth, Renewal::None);
        Ok(auth)
    }

    /// The current token, if any.
    pub fn auth_data(&self) -> Option<AuthData> {
        self.inner.auth.session.current().auth
    }

    /// Sends a request to the API host (retries, refresh and logging included).
    pub async fn request(&self, req: Request) -> Result<Response> {
        self.send(req, None).await
    }

    /// Sends a request for an operation (by id, when called by one) through the hooks.
    pub(crate) async fn send(&self, req: Request, operation_id: Option<&str>) -> Result<Response> {
        let settings = self.settings();
        let hooks = self.inner.hooks.read().unwrap_or_else(|e| e.into_inner()).clone();
        let hooked = Hooked { hooks: &hooks, operation_id };
        crate::exec::execute(&settings, Some(&self.inner.auth), Some(hooked), &req, Target::Api, None).await
    }

    /// Sees every API call's request once it is built (URL, headers, body) and
    /// may change it; see [`crate::hooks::HookRequest`]. None removes it.
    pub fn set_request_hook(&self, hook: Option<RequestHook>) {
        let mut hooks = self.inner.hooks.write().unwrap_or_else(|e| e.into_inner());
        *hooks = Arc::new(CallHooks { request: hook, response: hooks.response.clone() });
    }

    /// Sees every attempt of every API call (status, headers, body or error);
    /// see [`crate::hooks::HookResponse`]. None removes it.
    pub fn set_response_hook(&self, hook: Option<ResponseHook>) {
        let mut hooks = self.inner.hooks.write().unwrap_or_else(|e| e.into_inner());
        *hooks = Arc::new(CallHooks { request: hooks.request.clone(), response: hook });
    }
}
