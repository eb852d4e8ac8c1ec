//! Client settings: one [`Config`] value, plus reading it from a file
//! ([`file`]) and reloading it while running ([`watch`]), and from
//! `PURECORE_*` environment variables ([`env`]).

pub mod env;
pub mod file;
pub mod official;
pub mod patch;
pub mod schema;
pub(crate) mod watch;

use std::path::PathBuf;
use std::time::Duration;

use crate::environment::{Environment, Gateway};
use crate::error::{Error, Result};
use crate::logging::LogConfig;
use crate::retry::RetryConfig;

pub use patch::ConfigPatch;

/// Token refresh behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshConfig {
    /// Renew tokens automatically (before expiry and on a 401). Default true.
    pub refresh_access_token: bool,
    /// How long a call waits for another task's refresh. Default 10 s.
    pub refresh_token_wait_max: Duration,
    /// Renew this long before the token expires. Default 30 s.
    pub expiry_margin: Duration,
}

impl Default for RefreshConfig {
    fn default() -> Self {
        RefreshConfig {
            refresh_access_token: true,
            refresh_token_wait_max: Duration::from_secs(10),
            expiry_margin: Duration::from_secs(30),
        }
    }
}

/// An explicit proxy; without one, `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` apply.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// `http://host:port` or `https://host:port`.
    pub url: String,
    pub username: Option<String>,
    pub password: Option<crate::Secret>,
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("url", &crate::logging::redact::url(&self.url))
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

/// TLS trust and client identity. Verification is on unless `skip_verify` is set.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TlsConfig {
    /// Accept any server certificate. An explicit opt-out for test rigs only (the
    /// official SDKs' `verify_ssl = False`): every client built with it logs an
    /// error-level warning. Handshake signatures are still checked. Default false.
    pub skip_verify: bool,
    /// Extra CA certificates (PEM) trusted besides the system and Mozilla roots.
    pub extra_ca_pem: Vec<String>,
    /// Client certificate chain (PEM) for mTLS.
    pub client_cert_pem: Option<String>,
    /// Client private key (PEM) for mTLS.
    pub client_key_pem: Option<crate::Secret>,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig")
            .field("extra_ca_pem", &self.extra_ca_pem.len())
            .field("client_cert", &self.client_cert_pem.is_some())
            .field("skip_verify", &self.skip_verify)
            .finish()
    }
}

/// Where the configuration file is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigFile {
    /// No file.
    None,
    /// The host language's default path (`~/.genesyscloud<host>/config`), used when it exists.
    Default,
    /// This file; it must exist.
    Path(PathBuf),
}

/// Every setting of a client. Its `Debug` shows no secret: proxy credentials,
/// the client key and secret header values are masked.
#[derive(Clone)]
pub struct Config {
    pub environment: Environment,
    pub gateway: Option<Gateway>,
    /// Allow `http://` to hosts other than loopback. Default false.
    pub allow_insecure_http: bool,
    /// Timeout of one API request. Default 16 s.
    pub timeout: Duration,
    /// Bound on a whole login or refresh: every token request, retry and wait. Default 16 s.
    pub auth_timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryConfig,
    pub refresh: RefreshConfig,
    pub logging: LogConfig,
    pub proxy: Option<ProxyConfig>,
    pub tls: TlsConfig,
    /// Sent with every request (per-call headers override them).
    pub default_headers: Vec<(String, String)>,
    /// Called after every HTTP exchange, including token requests and retries
    /// (method, URL, status, duration, attempt, correlation id): for metrics and tracing.
    pub exchange_hook: Option<crate::hooks::ExchangeHook>,
    /// Appended to `purecore/<version>` in the User-Agent (e.g. `node/20.1`).
    pub user_agent_suffix: Option<String>,
    pub config_file: ConfigFile,
    /// Host language name used for the default config path (`rust`, `javascript`, `python`, `go`).
    pub host_language: String,
    /// Watch the config file and apply changes. Default true (as the official SDKs).
    pub live_reload_config: bool,
    /// How often the config file is checked for changes. Default 1 s.
    pub config_poll_interval: Duration,
    /// The largest body of a successful (2xx) API reply, in bytes. A reply that
    /// declares a larger `Content-Length` is refused unread; one that grows past
    /// it stops being read. Either fails with a `decoding` error whose response
    /// keeps the status and headers (no body), and is not retried. Default
    /// 256 MiB ([`DEFAULT_MAX_RESPONSE_BODY_BYTES`]). Config file:
    /// `[general] max_response_body_bytes`.
    pub max_response_body_bytes: u64,
    /// The same for the body of an unsuccessful API reply (an error body).
    /// Default 1 MiB. Config file: `[general] max_error_body_bytes`.
    pub max_error_body_bytes: u64,
    /// The same for a token reply, whatever its status. Default 1 MiB.
    /// Config file: `[general] max_token_response_bytes`.
    pub max_token_response_bytes: u64,
    /// Where tokens are shared with other clients, processes and hosts:
    /// `memory` (the default: this client only), `file:PATH` or `redis://...` /
    /// `rediss://...`. See [`TokenStoreSetting`]. Its `Debug` hides a password.
    pub token_store: String,
    /// Client-side pacing by the token's rate budget (`crate::governor`). Default `Local`.
    pub rate_limit: crate::governor::RateLimitMode,
    /// The longest a call waits for room in the budget; past it the call fails with
    /// `rate_limited` unsent. Default 60 s.
    pub rate_limit_wait_max: Duration,
    /// The Redis URL (`redis://`, `rediss://`) where `shared` keeps the budget.
    pub rate_limit_store: Option<crate::Secret>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("gateway", &self.gateway)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("timeout", &self.timeout)
            .field("auth_timeout", &self.auth_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("refresh", &self.refresh)
            .field("logging", &self.logging)
            .field("proxy", &self.proxy)
            .field("tls", &self.tls)
            .field("default_headers", &crate::logging::redact::headers(&self.default_headers))
            .field("exchange_hook", &self.exchange_hook.is_some())
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("config_file", &self.config_file)
            .field("host_language", &self.host_language)
            .field("live_reload_config", &self.live_reload_config)
            .field("config_poll_interval", &self.config_poll_interval)
            .field("max_response_body_bytes", &self.max_response_body_bytes)
            .field("max_error_body_bytes", &self.max_error_body_bytes)
            .field("max_token_response_bytes", &self.max_token_response_bytes)
            .field("token_store", &crate::logging::redact::url(&self.token_store))
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_wait_max", &self.rate_limit_wait_max)
            .field("rate_limit_store", &self.rate_limit_store.is_some())
            .finish()
    }
}

/// Default of [`Config::max_response_body_bytes`]: 256 MiB (analytics exports are large).
pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: u64 = 256 * 1024 * 1024;
/// Default of [`Config::max_error_body_bytes`] and [`Config::max_token_response_bytes`]: 1 MiB.
pub const DEFAULT_MAX_SMALL_BODY_BYTES: u64 = 1024 * 1024;
/// The largest body limit a setting accepts: 2^53 bytes, the largest whole
/// number every host language holds exactly.
pub const MAX_BODY_LIMIT: u64 = 1 << 53;

impl Default for Config {
    fn default() -> Self {
        Config {
            environment: Environment::default(),
            gateway: None,
            allow_insecure_http: false,
            timeout: Duration::from_secs(16),
            auth_timeout: Duration::from_secs(16),
            connect_timeout: Duration::from_secs(10),
            retry: RetryConfig::default(),
            refresh: RefreshConfig::default(),
            logging: LogConfig::default(),
            proxy: None,
            tls: TlsConfig::default(),
            default_headers: Vec::new(),
            exchange_hook: None,
            user_agent_suffix: None,
            config_file: ConfigFile::None,
            host_language: "rust".into(),
            live_reload_config: true,
            config_poll_interval: Duration::from_secs(1),
            max_response_body_bytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
            max_error_body_bytes: DEFAULT_MAX_SMALL_BODY_BYTES,
            max_token_response_bytes: DEFAULT_MAX_SMALL_BODY_BYTES,
            token_store: "memory".into(),
            rate_limit: crate::governor::RateLimitMode::Local,
            rate_limit_wait_max: Duration::from_secs(60),
            rate_limit_store: None,
        }
    }
}

pub use crate::clock::MAX_DURATION;

/// The most retries a call may be configured for.
pub const MAX_RETRIES: u32 = 100;

/// A duration setting a host gives in seconds (a config file, Python, Go).
/// Negative, non-finite and too large values are refused with an error naming
/// the setting, in the same words in every language.
pub fn duration_from_secs(name: &str, secs: f64) -> Result<Duration> {
    let max = MAX_DURATION.as_secs_f64();
    if !secs.is_finite() || !(0.0..=max).contains(&secs) {
        return Err(Error::configuration(format!("{name} must be a number of seconds from 0 to {max}, not {secs}")));
    }
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::configuration(format!("{name} must be a number of seconds from 0 to {max}, not {secs}")))
}

/// A duration setting a host gives in milliseconds (Node, C). Same rule as
/// [`duration_from_secs`].
pub fn duration_from_millis(name: &str, ms: f64) -> Result<Duration> {
    let max = MAX_DURATION.as_millis();
    if !ms.is_finite() || !(0.0..=max as f64).contains(&ms) {
        return Err(Error::configuration(format!("{name} must be a number of milliseconds from 0 to {max}, not {ms}")));
    }
    duration_from_secs(name, ms / 1000.0)
}

/// A whole-number setting from a host number: `0..=max`, no fraction. Host
/// integers (negative ones too) convert to `f64` exactly in this range.
pub fn count_from(name: &str, value: f64, max: u32) -> Result<u32> {
    if !value.is_finite() || value.fract() != 0.0 || !(0.0..=f64::from(max)).contains(&value) {
        return Err(Error::configuration(format!("{name} must be a whole number from 0 to {max}, not {value}")));
    }
    // In range and whole: the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(value as u32)
}

/// A body-size limit from a host number: a whole number of bytes from 1 to
/// [`MAX_BODY_LIMIT`].
pub fn body_limit_from(name: &str, value: f64) -> Result<u64> {
    let max = MAX_BODY_LIMIT;
    if !value.is_finite() || value.fract() != 0.0 || !(1.0..=max as f64).contains(&value) {
        return Err(Error::configuration(format!(
            "{name} must be a whole number of bytes from 1 to {max}, not {value}"
        )));
    }
    // In range and whole: the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(value as u64)
}

fn check_duration(name: &str, d: Duration) -> Result<()> {
    if d > MAX_DURATION {
        return Err(Error::configuration(format!(
            "{name} must be a number of seconds from 0 to {}, not {}",
            MAX_DURATION.as_secs(),
            d.as_secs_f64()
        )));
    }
    Ok(())
}

/// A proxy URL the transport can use: `http://` or `https://` with a host.
/// Errors quote the URL without its user-info: a proxy password never shows.
pub(crate) fn check_proxy_url(url: &str) -> Result<()> {
    // Messages never show the URL's user and password.
    let shown = crate::logging::redact::proxy_url(url);
    crate::environment::ascii_host(url).map_err(|m| Error::configuration(format!("proxy URL '{shown}': {m}")))?;
    let parsed =
        url::Url::parse(url).map_err(|e| Error::configuration(format!("proxy URL '{shown}' is malformed: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::configuration(format!("proxy URL '{shown}' must be http://host:port or https://host:port")));
    }
    Ok(())
}

impl Config {
    /// Where `rate_limit = shared` keeps the budget: `rate_limit_store`, or else the
    /// `token_store` when it is a Redis URL (one Redis for the whole fleet's sharing).
    pub fn shared_budget_url(&self) -> Option<&str> {
        self.rate_limit_store.as_ref().map(|s| s.expose()).or_else(|| {
            let t = self.token_store.as_str();
            (t.starts_with("redis://") || t.starts_with("rediss://")).then_some(t)
        })
    }

    /// The environment calls really go to: the gateway when set.
    pub fn effective_environment(&self) -> Result<Environment> {
        match &self.gateway {
            Some(g) => g.environment(),
            None => Ok(self.environment.clone()),
        }
    }

    /// Checks the settings as a whole; every error names the setting.
    pub fn validate(&self) -> Result<()> {
        let env = self.effective_environment()?;
        env.check_security(self.allow_insecure_http)?;
        if self.timeout.is_zero() || self.auth_timeout.is_zero() {
            return Err(Error::configuration("timeout and auth_timeout must be greater than zero"));
        }
        for (name, d) in [
            ("timeout", self.timeout),
            ("auth_timeout", self.auth_timeout),
            ("connect_timeout", self.connect_timeout),
            ("retry.wait_min", self.retry.wait_min),
            ("retry.wait_max", self.retry.wait_max),
            ("retry.max_total_wait", self.retry.max_total_wait),
            ("refresh.refresh_token_wait_max", self.refresh.refresh_token_wait_max),
            ("refresh.expiry_margin", self.refresh.expiry_margin),
            ("config_poll_interval", self.config_poll_interval),
            ("rate_limit_wait_max", self.rate_limit_wait_max),
        ] {
            check_duration(name, d)?;
        }
        if self.retry.max_retries > MAX_RETRIES {
            return Err(Error::configuration(format!(
                "retry.max_retries must be a whole number from 0 to {MAX_RETRIES}, not {}",
                self.retry.max_retries
            )));
        }
        self.retry.validate()?;
        for (name, n) in [
            ("max_response_body_bytes", self.max_response_body_bytes),
            ("max_error_body_bytes", self.max_error_body_bytes),
            ("max_token_response_bytes", self.max_token_response_bytes),
        ] {
            if !(1..=MAX_BODY_LIMIT).contains(&n) {
                return Err(Error::configuration(format!(
                    "{name} must be a whole number of bytes from 1 to {MAX_BODY_LIMIT}, not {n}"
                )));
            }
        }
        for (name, value) in &self.default_headers {
            crate::request::check_header(name, value)?;
        }
        if let Some(p) = &self.proxy {
            check_proxy_url(&p.url)?;
        }
        TokenStoreSetting::parse(&self.token_store)?;
        if self.tls.client_cert_pem.is_some() != self.tls.client_key_pem.is_some() {
            return Err(Error::configuration("mTLS needs both a client certificate and its private key"));
        }
        Ok(())
    }

    /// The path of the config file to read, if any.
    pub fn config_file_path(&self) -> Option<PathBuf> {
        match &self.config_file {
            ConfigFile::None => None,
            ConfigFile::Path(p) => Some(p.clone()),
            ConfigFile::Default => {
                let path = default_config_path(&self.host_language)?;
                path.exists().then_some(path)
            }
        }
    }
}

/// The `token_store` setting, read: where tokens are shared.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenStoreSetting {
    /// This client only (no sharing).
    Memory,
    /// A file for the processes of one host (`file:PATH`).
    File(PathBuf),
    /// A Redis server (`redis://` or `rediss://`, with user, password and database).
    Redis(String),
}

impl std::fmt::Debug for TokenStoreSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenStoreSetting::Memory => f.write_str("Memory"),
            TokenStoreSetting::File(p) => f.debug_tuple("File").field(p).finish(),
            TokenStoreSetting::Redis(u) => f.debug_tuple("Redis").field(&crate::logging::redact::url(u)).finish(),
        }
    }
}

impl TokenStoreSetting {
    /// Reads `memory`, `file:PATH`, `redis://...` or `rediss://...`. Errors never show a
    /// password: the URL's user-info is replaced.
    pub fn parse(value: &str) -> Result<TokenStoreSetting> {
        let v = value.trim();
        let shown = crate::logging::redact::proxy_url(v);
        if v.is_empty() || v.eq_ignore_ascii_case("memory") {
            return Ok(TokenStoreSetting::Memory);
        }
        if let Some(path) = v.strip_prefix("file:") {
            if path.trim().is_empty() {
                return Err(Error::configuration("token_store 'file:' needs a path, as in file:/var/tmp/tokens"));
            }
            return Ok(TokenStoreSetting::File(PathBuf::from(path)));
        }
        let lower = v.to_ascii_lowercase();
        if lower.starts_with("redis://") || lower.starts_with("rediss://") {
            let parsed = url::Url::parse(v)
                .map_err(|e| Error::configuration(format!("token_store '{shown}' is not a valid Redis URL: {e}")))?;
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(Error::configuration(format!("token_store '{shown}' has no host")));
            }
            let db = parsed.path().trim_start_matches('/');
            if !db.is_empty() && db.parse::<u32>().is_err() {
                return Err(Error::configuration(format!(
                    "token_store '{shown}': the database after the host must be a number"
                )));
            }
            return Ok(TokenStoreSetting::Redis(v.to_owned()));
        }
        Err(Error::configuration(format!(
            "token_store must be memory, file:PATH, redis://... or rediss://..., not '{shown}'"
        )))
    }
}

/// `~/.genesyscloud<language>/config`, as the official SDKs use.
pub fn default_config_path(host_language: &str) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(format!(".genesyscloud{host_language}")).join("config"))
}

#[cfg(test)]
mod shared_budget_tests {
    use super::*;

    #[test]
    fn the_shared_budget_uses_its_own_store_or_else_a_redis_token_store() {
        let mut c = Config::default();
        assert_eq!(c.shared_budget_url(), None);
        c.token_store = "file:/tmp/tokens".into();
        assert_eq!(c.shared_budget_url(), None, "a file token store is not a place for the budget");
        c.token_store = "rediss://:pw@cache:6380/2".into();
        assert_eq!(c.shared_budget_url(), Some("rediss://:pw@cache:6380/2"));
        c.rate_limit_store = Some(crate::Secret::new("redis://budget:6379/0"));
        assert_eq!(c.shared_budget_url(), Some("redis://budget:6379/0"));
    }
}
