//! `PurecoreConfig`: every setting of a client, built before `purecore_client_new` or
//! read from a client and applied back with `purecore_client_set_config`.

use std::ffi::{c_char, c_void};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use purecore::config::duration_from_millis;
use purecore::{Config, ConfigPatch, Environment, LogLevel, RetryEvent};
use serde_json::{json, Value};

use crate::{c_string, guard, invalid, FfiResult, Out, PurecoreError, PurecoreStatus, PurecoreStr};

/// Settings of a client (opaque). Thread-safe. Create with `purecore_config_new` or
/// `purecore_client_get_config`, free with `purecore_config_free`.
pub struct PurecoreConfig {
    inner: Mutex<Config>,
}

impl PurecoreConfig {
    pub(crate) fn boxed(config: Config) -> *mut PurecoreConfig {
        Box::into_raw(Box::new(PurecoreConfig { inner: Mutex::new(config) }))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Config> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The config behind a pointer, or an error naming the NULL.
    pub(crate) fn from_ptr<'a>(config: *const PurecoreConfig) -> FfiResult<&'a PurecoreConfig> {
        // SAFETY: the caller passes NULL or a live config handle.
        unsafe { config.as_ref() }.ok_or_else(|| invalid("config must not be NULL"))
    }
}

/// Log levels for `purecore_config_set_logging` (trace > debug > error > none).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub enum PurecoreLogLevel {
    None = 0,
    Error = 1,
    Debug = 2,
    Trace = 3,
}

/// Log line formats for `purecore_config_set_logging`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub enum PurecoreLogFormat {
    Text = 0,
    Json = 1,
}

/// Where `purecore_config_set_config_file` looks for the config file.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub enum PurecoreConfigFileMode {
    /// No file.
    None = 0,
    /// `~/.genesyscloud<host_language>/config`, used when it exists.
    Default = 1,
    /// The given path; it must exist.
    Path = 2,
}

/// Told before each retry; the strings are valid during the callback only.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreRetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    pub method: *const c_char,
    pub url: *const c_char,
    /// The status that caused the retry; 0 for a network error.
    pub status: u16,
    pub wait_ms: u64,
    /// Short reason: "status 429", "connect error"...
    pub reason: *const c_char,
}

/// Called before each retry, from a purecore thread; must not block for long and must
/// not call blocking purecore functions.
pub type PurecoreRetryCallback = Option<unsafe extern "C" fn(user_data: *mut c_void, event: *const PurecoreRetryEvent)>;

/// Receives each log line (`len` bytes, NUL-terminated) with its level, from any thread.
pub type PurecoreLogCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, level: PurecoreLogLevel, line: *const c_char, len: usize)>;

/// A host pointer handed back to host callbacks; the host makes it thread-safe.
#[derive(Clone, Copy)]
pub(crate) struct UserData(pub *mut c_void);
// SAFETY: purecore only passes the pointer back; the documented contract makes the host
// responsible for the thread-safety of what it points to.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

pub(crate) fn with(
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
    f: impl FnOnce(&mut Config) -> FfiResult,
) -> PurecoreStatus {
    guard(error, || {
        let cfg = PurecoreConfig::from_ptr(config)?;
        let mut guard = cfg.lock();
        let mut next = guard.clone();
        f(&mut next)?;
        *guard = next;
        Ok(())
    })
}

/// A duration setting given in milliseconds: 0 to `MAX_DURATION`, else a configuration
/// error naming the setting (the core's rule, the same words in every binding).
pub(crate) fn millis(name: &str, v: i64) -> FfiResult<Duration> {
    // Every i64 in range converts to f64 exactly; the others are refused either way.
    #[allow(clippy::cast_precision_loss)]
    Ok(duration_from_millis(name, v as f64)?)
}

/// Milliseconds as the seconds a settings patch takes. The schema checks the range, and
/// its error names the setting.
fn seconds(ms: i64) -> Value {
    // Every i64 in range converts to f64 exactly; the others are refused either way.
    #[allow(clippy::cast_precision_loss)]
    let secs = ms as f64 / 1000.0;
    json!(secs)
}

/// Builds a settings patch and applies it: every typed setter is a patch of the one
/// schema (`purecore::config::schema`), so a setting is checked with the same words as
/// in every language. On error nothing changes.
fn patch(
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
    build: impl FnOnce(&mut ConfigPatch) -> FfiResult,
) -> PurecoreStatus {
    guard(error, || {
        let cfg = PurecoreConfig::from_ptr(config)?;
        let mut p = ConfigPatch::new();
        build(&mut p)?;
        let mut guard = cfg.lock();
        let mut next = guard.clone();
        p.apply_values(&mut next)?;
        *guard = next;
        Ok(())
    })
}

/// Applies settings given as a JSON object of dotted setting names (or sections of
/// names) to values, e.g. `{"retry.max_retries": 5, "logging": {"log_level": "debug"}}`;
/// `null` restores a setting's default. Durations are in seconds. The names, units,
/// defaults and allowed values are those of `purecore::config::schema` (see the
/// README's settings table). Each value is checked (`PURECORE_STATUS_CONFIGURATION`
/// naming the setting, the value and the allowed values) and nothing changes on error;
/// the settings as a whole are checked when a client is made (or by
/// `purecore_config_validate`). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_apply_json(
    config: *const PurecoreConfig,
    json: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        *p = ConfigPatch::from_json(json.req("json")?)?;
        Ok(())
    })
}

/// Creates a config with purecore's defaults (region us_east_1, 16 s timeouts, 3 retries,
/// refresh on, logging off, no config file). `*config_out` receives a handle the caller
/// frees with `purecore_config_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_new(
    config_out: *mut *mut PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(config_out);
    guard(error, || {
        Out::new(config_out, "config_out")?.set(PurecoreConfig::boxed(Config::default()));
        Ok(())
    })
}

/// Frees a config. NULL is ignored. Clients made from it keep their own copy. Does not block.
///
/// # Safety
/// `config` is NULL or a live handle that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn purecore_config_free(config: *mut PurecoreConfig) {
    if !config.is_null() {
        // SAFETY: handles come from PurecoreConfig::boxed.
        crate::free_guard(|| drop(unsafe { Box::from_raw(config) }));
    }
}

/// Sets the environment: a region name (`eu_west_1`, `eu-west-1`), a domain
/// (`mypurecloud.ie`), an `api.`/`login.` host, or a URL (`http://127.0.0.1:8080` for the
/// emulator: one base for API and login). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_environment(
    config: *const PurecoreConfig,
    environment: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("environment", environment.req("environment")?)?;
        Ok(())
    })
}

/// Sets explicit API and login base URLs. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_environment_custom(
    config: *const PurecoreConfig,
    api_base: PurecoreStr,
    login_base: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        c.environment = Environment::custom(api_base.req("api_base")?, login_base.req("login_base")?)?;
        Ok(())
    })
}

/// Routes every call through a gateway: `protocol://host[:port]/<path_params_api>/api/v2/...`
/// and `.../<path_params_login>/oauth/token`. `host` NULL removes the gateway; `protocol`
/// NULL means https; `port` 0 means none (1 to 65535 otherwise; others are refused);
/// the path prefixes may be NULL. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_gateway(
    config: *const PurecoreConfig,
    host: PurecoreStr,
    protocol: PurecoreStr,
    port: i32,
    path_params_login: PurecoreStr,
    path_params_api: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        let Some(host) = host.non_empty("host")? else {
            p.set("gateway.host", "")?;
            return Ok(());
        };
        p.set("gateway.host", host)?;
        p.set("gateway.protocol", protocol.non_empty("protocol")?.unwrap_or("https"))?;
        p.set("gateway.port", port)?;
        p.set("gateway.path_params_login", path_params_login.opt("path_params_login")?.unwrap_or_default())?;
        p.set("gateway.path_params_api", path_params_api.opt("path_params_api")?.unwrap_or_default())?;
        Ok(())
    })
}

/// Allows `http://` to hosts other than loopback (default false). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_allow_insecure_http(
    config: *const PurecoreConfig,
    allow: bool,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("allow_insecure_http", allow)?;
        Ok(())
    })
}

/// Sets the request, token-request and connect timeouts in milliseconds; 0 keeps the
/// current value. Defaults: 16000, 16000, 10000. A negative value or one over
/// 10,000,000,000 (`timeout`, `auth_timeout`, `connect_timeout`) is refused with
/// `PURECORE_STATUS_CONFIGURATION` naming it, and nothing changes. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_timeouts(
    config: *const PurecoreConfig,
    timeout_ms: i64,
    auth_timeout_ms: i64,
    connect_timeout_ms: i64,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        for (name, ms) in
            [("timeout", timeout_ms), ("auth_timeout", auth_timeout_ms), ("connect_timeout", connect_timeout_ms)]
        {
            if ms != 0 {
                p.set(name, seconds(ms))?;
            }
        }
        Ok(())
    })
}

/// Sets the retry policy: `max_retries` after the first try (0 = off; default 3), the
/// backoff bounds (defaults 500 and 30000 ms), the cap on all waits of one call (default
/// 60000 ms), and whether POST/PATCH are retried on 5xx and read errors (default false).
/// `max_retries` above 100 or negative, and waits that are negative or over
/// 10,000,000,000 ms, are refused with `PURECORE_STATUS_CONFIGURATION` naming the setting
/// (`retry.max_retries`, `retry.wait_min`...), and nothing changes. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_retry(
    config: *const PurecoreConfig,
    max_retries: i64,
    wait_min_ms: i64,
    wait_max_ms: i64,
    max_total_wait_ms: i64,
    retry_non_idempotent: bool,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("retry.max_retries", max_retries)?;
        p.set("retry.wait_min", seconds(wait_min_ms))?;
        p.set("retry.wait_max", seconds(wait_max_ms))?;
        p.set("retry.max_total_wait", seconds(max_total_wait_ms))?;
        p.set("retry.retry_non_idempotent", retry_non_idempotent)?;
        Ok(())
    })
}

/// Sets which statuses may be retried (default 408, 429, 500, 502, 503, 504). `statuses`
/// points to `len` values, read during the call. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_retry_statuses(
    config: *const PurecoreConfig,
    statuses: *const u16,
    len: usize,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("retry.statuses", crate::borrowed(statuses, len, "statuses")?.to_vec())?;
        Ok(())
    })
}

/// Calls `callback(user_data, event)` before each retry; NULL removes the hook.
/// `user_data` must stay valid while any client made from this config lives.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_retry_hook(
    config: *const PurecoreConfig,
    callback: PurecoreRetryCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        let data = UserData(user_data);
        c.retry.hook = callback.map(|cb| {
            Arc::new(move |e: &RetryEvent| {
                let (method, url, reason) = (c_string(&e.method), c_string(&e.url), c_string(&e.reason));
                let event = PurecoreRetryEvent {
                    attempt: e.attempt,
                    method: method.as_ptr(),
                    url: url.as_ptr(),
                    status: e.status.unwrap_or(0),
                    wait_ms: u64::try_from(e.wait.as_millis()).unwrap_or(u64::MAX),
                    reason: reason.as_ptr(),
                };
                let d = data;
                // SAFETY: the host registered this callback for this user_data.
                unsafe { cb(d.0, &event) };
            }) as purecore::RetryHook
        });
        Ok(())
    })
}

/// Sets token refresh: renew automatically before expiry and on a 401 (default true), how
/// long a call waits for another call's refresh (default 10000 ms), and how long before
/// expiry a token is renewed (default 30000 ms). 0 keeps the current wait or margin;
/// negative values and values over 10,000,000,000 ms are refused with
/// `PURECORE_STATUS_CONFIGURATION` naming the setting. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_refresh(
    config: *const PurecoreConfig,
    refresh_access_token: bool,
    refresh_wait_max_ms: i64,
    expiry_margin_ms: i64,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("refresh.refresh_access_token", refresh_access_token)?;
        for (name, ms) in
            [("refresh.refresh_token_wait_max", refresh_wait_max_ms), ("refresh.expiry_margin", expiry_margin_ms)]
        {
            if ms != 0 {
                p.set(name, seconds(ms))?;
            }
        }
        Ok(())
    })
}

/// Sets logging: a `PurecoreLogLevel`, a `PurecoreLogFormat`, console (stderr) output, a
/// log file (NULL for none), and whether request and response bodies are logged.
/// Secrets are always redacted. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_logging(
    config: *const PurecoreConfig,
    level: u32,
    format: u32,
    log_to_console: bool,
    log_file_path: PurecoreStr,
    log_request_body: bool,
    log_response_body: bool,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        let level = match level {
            0 => "none",
            1 => "error",
            2 => "debug",
            3 => "trace",
            n => return Err(invalid(format!("log level {n} is not a PurecoreLogLevel"))),
        };
        let format = match format {
            0 => "text",
            1 => "json",
            n => return Err(invalid(format!("log format {n} is not a PurecoreLogFormat"))),
        };
        p.set("logging.log_level", level)?;
        p.set("logging.log_format", format)?;
        p.set("logging.log_to_console", log_to_console)?;
        p.set("logging.log_file_path", log_file_path.non_empty("log_file_path")?.unwrap_or_default())?;
        p.set("logging.log_request_body", log_request_body)?;
        p.set("logging.log_response_body", log_response_body)?;
        Ok(())
    })
}

/// Hands every log line to `callback(user_data, level, line, len)` besides the console
/// and file; NULL removes it. `user_data` must stay valid while any client made from this
/// config lives. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_log_callback(
    config: *const PurecoreConfig,
    callback: PurecoreLogCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        let data = UserData(user_data);
        c.logging.sink = callback.map(|cb| {
            Arc::new(move |level: LogLevel, line: &str| {
                let level = match level {
                    LogLevel::None => PurecoreLogLevel::None,
                    LogLevel::Error => PurecoreLogLevel::Error,
                    LogLevel::Debug => PurecoreLogLevel::Debug,
                    LogLevel::Trace => PurecoreLogLevel::Trace,
                };
                let text = c_string(line);
                let d = data;
                // SAFETY: the host registered this callback for this user_data.
                unsafe { cb(d.0, level, text.as_ptr(), text.as_bytes().len()) };
            }) as purecore::logging::LogSink
        });
        Ok(())
    })
}

/// Sends every request through a proxy (`http://host:port`), with optional credentials;
/// `url` NULL removes it (then `HTTPS_PROXY`/`NO_PROXY` apply). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_proxy(
    config: *const PurecoreConfig,
    url: PurecoreStr,
    username: PurecoreStr,
    password: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        match url.non_empty("url")? {
            None => p.set("proxy.url", "")?,
            Some(u) => p
                .set("proxy.url", u)?
                .set("proxy.username", username.non_empty("username")?.unwrap_or_default())?
                .set("proxy.password", password.non_empty("password")?.unwrap_or_default())?,
        };
        Ok(())
    })
}

/// Trusts the CA certificates in `pem` besides the system roots. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_add_ca_pem(
    config: *const PurecoreConfig,
    pem: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        c.tls.extra_ca_pem.push(pem.req("pem")?.to_owned());
        Ok(())
    })
}

/// Forgets the CA certificates added with `purecore_config_add_ca_pem`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_clear_ca_pems(
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("tls.extra_ca_pem", Value::Array(Vec::new()))?;
        Ok(())
    })
}

/// Sets the mTLS client certificate chain and private key (PEM); both NULL removes them.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_client_identity(
    config: *const PurecoreConfig,
    cert_pem: PurecoreStr,
    key_pem: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("tls.client_cert_pem", cert_pem.non_empty("cert_pem")?.unwrap_or_default())?;
        p.set("tls.client_key_pem", key_pem.non_empty("key_pem")?.unwrap_or_default())?;
        Ok(())
    })
}

/// Sends header `name: value` with every request (replacing one of the same name);
/// `value` NULL removes it. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_default_header(
    config: *const PurecoreConfig,
    name: PurecoreStr,
    value: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        let name = name.req("name")?;
        c.default_headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        if let Some(v) = value.opt("value")? {
            c.default_headers.push((name.to_owned(), v.to_owned()));
        }
        Ok(())
    })
}

/// Removes every default header. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_clear_default_headers(
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("default_headers", json!({}))?;
        Ok(())
    })
}

/// Appends `suffix` to `purecore/<version>` in the User-Agent; NULL removes it.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_user_agent_suffix(
    config: *const PurecoreConfig,
    suffix: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("user_agent_suffix", suffix.non_empty("suffix")?.unwrap_or_default())?;
        Ok(())
    })
}

/// Chooses the config file (INI or JSON with the official SDKs' keys): a
/// `PurecoreConfigFileMode`, and the path for `PURECORE_CONFIG_FILE_MODE_PATH`.
/// The file is read when a client is made (and watched if live reload is on); its values
/// override these settings. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_config_file(
    config: *const PurecoreConfig,
    mode: u32,
    path: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        let file = match mode {
            0 => "none".to_owned(),
            1 => "default".to_owned(),
            2 => {
                let path = path
                    .non_empty("path")?
                    .ok_or_else(|| invalid("path is required for PURECORE_CONFIG_FILE_MODE_PATH"))?;
                // A file named like a mode word is still that file.
                if matches!(path, "none" | "default") {
                    format!("./{path}")
                } else {
                    path.to_owned()
                }
            }
            n => return Err(invalid(format!("config file mode {n} is not a PurecoreConfigFileMode"))),
        };
        p.set("config_file", file)?;
        Ok(())
    })
}

/// Names the host language for the default config path `~/.genesyscloud<lang>/config`
/// (e.g. "go", "c"). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_host_language(
    config: *const PurecoreConfig,
    language: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("host_language", language.req("language")?)?;
        Ok(())
    })
}

/// Turns watching the config file on or off (default on) and sets how often it is checked
/// (milliseconds; 0 keeps the current interval, default 1000; negative values and values
/// over 10,000,000,000 are refused naming `config_poll_interval`). Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_live_reload(
    config: *const PurecoreConfig,
    enabled: bool,
    poll_interval_ms: i64,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    patch(config, error, |p| {
        p.set("live_reload_config", enabled)?;
        if poll_interval_ms != 0 {
            p.set("config_poll_interval", seconds(poll_interval_ms))?;
        }
        Ok(())
    })
}

/// Checks the settings as a whole (the same check `purecore_client_new` makes); the
/// error names the setting. Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_validate(
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || Ok(PurecoreConfig::from_ptr(config)?.lock().validate()?))
}
