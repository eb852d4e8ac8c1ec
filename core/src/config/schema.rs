//! The one description of every setting, and the one way to change them.
//!
//! [`SETTINGS`] lists each setting once: its dotted name (`retry.max_retries`),
//! its config-file section and key (`[retry] retry_max`) when the official
//! file has one, its unit, its default, the values it accepts, and one line
//! of documentation. A [`ConfigPatch`](crate::config::patch::ConfigPatch) (`patch.rs`: a JSON object of dotted names, or of
//! sections holding names, to values) is checked against it and applied onto a
//! [`Config`](crate::config::Config). The config file, the C `purecore_config_apply_json`, the Go,
//! Node and Python bindings all go through it, so every language refuses a bad
//! value with the same words: `retry.max_retries must be a whole number from
//! 0 to 100, not -1`.
//!
//! Durations are seconds (fractions allowed) everywhere in a patch. `null`
//! puts a setting back to its default.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::config::{
    body_limit_from, count_from, duration_from_secs, Config, ConfigFile, ProxyConfig, MAX_BODY_LIMIT, MAX_DURATION,
    MAX_RETRIES,
};
use crate::environment::{Environment, Gateway};
use crate::error::{Error, Result};
use crate::logging::{LogFormat, LogLevel};
use crate::Secret;

/// What a setting's value is, and so which values it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of seconds from 0 to [`MAX_DURATION`], fractions allowed.
    Seconds,
    /// A whole number from 0 to the bound.
    Count(u32),
    /// A whole number of bytes from 1 to [`MAX_BODY_LIMIT`].
    Bytes,
    /// `true` or `false` (a config file also takes yes/no, on/off, 1/0).
    Bool,
    /// Any text; `""` clears it where the doc says so.
    Text,
    /// Text that holds a secret: never shown in messages or views.
    SecretText,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A list of HTTP statuses (100 to 599).
    Statuses,
    /// A list of texts.
    TextList,
    /// An object of header names to values.
    Headers,
}

impl Unit {
    /// The unit's name, as the generated declarations show it.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Count(_) => "count",
            Unit::Bytes => "bytes",
            Unit::Bool => "bool",
            Unit::Text => "string",
            Unit::SecretText => "secret",
            Unit::Choice(_) => "enum",
            Unit::Statuses => "statuses",
            Unit::TextList => "strings",
            Unit::Headers => "headers",
        }
    }

    /// The values it accepts, in the words every error uses.
    pub fn allowed(self) -> String {
        match self {
            Unit::Seconds => format!("a number of seconds from 0 to {}", MAX_DURATION.as_secs()),
            Unit::Count(max) => format!("a whole number from 0 to {max}"),
            Unit::Bytes => format!("a whole number of bytes from 1 to {MAX_BODY_LIMIT}"),
            Unit::Bool => "true or false".into(),
            Unit::Text | Unit::SecretText => "a string".into(),
            Unit::Choice(words) => format!("one of {}", words.join(", ")),
            Unit::Statuses => "a list of HTTP statuses from 100 to 599".into(),
            Unit::TextList => "a list of strings".into(),
            Unit::Headers => "an object of header names to string values".into(),
        }
    }
}

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The dotted name every binding and every error uses.
    pub name: &'static str,
    /// `(section, key)` in the config file, when the file has it.
    pub file: Option<(&'static str, &'static str)>,
    pub unit: Unit,
    /// The default, as JSON text.
    pub default: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// The environment variable, when not the one derived from the name
    /// (`retry.max_retries` -> `PURECORE_RETRY_MAX_RETRIES`); see [`Setting::env_var`].
    pub env: Option<&'static str>,
}

impl Setting {
    /// The environment variable that sets it at client creation: the row's
    /// `env`, else `PURECORE_` and the dotted name in upper case with `_` for `.`.
    pub fn env_var(&self) -> String {
        match self.env {
            Some(name) => name.to_owned(),
            None => format!("PURECORE_{}", self.name.to_ascii_uppercase().replace('.', "_")),
        }
    }
}

const LEVELS: &[&str] = &["trace", "debug", "error", "none"];
const FORMATS: &[&str] = &["text", "json"];
const PROTOCOLS: &[&str] = &["https", "http"];
const RATE_LIMITS: &[&str] = &["off", "local", "shared"];

/// `setting!(name, file, unit, default, doc)`, with `, env = "PURECORE_SHORT"`
/// at the end for an environment variable other than the derived one.
macro_rules! setting {
    (@env) => {
        None
    };
    (@env $env:literal) => {
        Some($env)
    };
    ($name:literal, $file:expr, $unit:expr, $default:literal, $doc:literal $(, env = $env:literal)?) => {
        Setting { name: $name, file: $file, unit: $unit, default: $default, doc: $doc, env: setting!(@env $($env)?) }
    };
}

/// Every setting, in the order a patch applies them.
pub const SETTINGS: &[Setting] = &[
    setting!(
        "environment",
        Some(("general", "host")),
        Unit::Text,
        "\"mypurecloud.com\"",
        "Where calls go: a region name (eu_west_1), a domain (mypurecloud.ie), an api./login. host, or a URL."
    ),
    setting!(
        "gateway.host",
        Some(("gateway", "host")),
        Unit::Text,
        "\"\"",
        "Route every call through this gateway host; empty for none."
    ),
    setting!(
        "gateway.protocol",
        Some(("gateway", "protocol")),
        Unit::Choice(PROTOCOLS),
        "\"https\"",
        "The gateway's scheme."
    ),
    setting!(
        "gateway.port",
        Some(("gateway", "port")),
        Unit::Count(65535),
        "0",
        "The gateway's port; 0 for the scheme's default."
    ),
    setting!(
        "gateway.path_params_login",
        Some(("gateway", "path_params_login")),
        Unit::Text,
        "\"\"",
        "Path prefix of token requests through the gateway."
    ),
    setting!(
        "gateway.path_params_api",
        Some(("gateway", "path_params_api")),
        Unit::Text,
        "\"\"",
        "Path prefix of API requests through the gateway."
    ),
    setting!("allow_insecure_http", None, Unit::Bool, "false", "Allow plain http:// to hosts other than loopback."),
    setting!("timeout", None, Unit::Seconds, "16", "Timeout of one API request."),
    setting!(
        "auth_timeout",
        None,
        Unit::Seconds,
        "16",
        "Bound on a whole login or refresh: every token request, retry and wait."
    ),
    setting!("connect_timeout", None, Unit::Seconds, "10", "Timeout of making one connection."),
    setting!(
        "retry.max_retries",
        Some(("retry", "retry_max")),
        Unit::Count(MAX_RETRIES),
        "3",
        "Retries after the first try; 0 turns retrying off."
    ),
    setting!(
        "retry.wait_min",
        Some(("retry", "retry_wait_min")),
        Unit::Seconds,
        "0.5",
        "First backoff wait, and the floor of every wait."
    ),
    setting!(
        "retry.wait_max",
        Some(("retry", "retry_wait_max")),
        Unit::Seconds,
        "30",
        "Largest backoff wait (Retry-After is never shortened)."
    ),
    setting!("retry.max_total_wait", None, Unit::Seconds, "60", "Cap on the sum of all waits of one call."),
    setting!(
        "retry.statuses",
        None,
        Unit::Statuses,
        "[408, 429, 500, 502, 503, 504]",
        "HTTP statuses that may be retried."
    ),
    setting!(
        "retry.retry_non_idempotent",
        None,
        Unit::Bool,
        "false",
        "Also retry POST and PATCH on 5xx replies and read errors."
    ),
    setting!(
        "refresh.refresh_access_token",
        Some(("reauthentication", "refresh_access_token")),
        Unit::Bool,
        "true",
        "Renew tokens by themselves, before expiry and on a 401."
    ),
    setting!(
        "refresh.refresh_token_wait_max",
        Some(("reauthentication", "refresh_token_wait_max")),
        Unit::Seconds,
        "10",
        "How long a call waits for another call's refresh."
    ),
    setting!("refresh.expiry_margin", None, Unit::Seconds, "30", "Renew a token this long before it expires."),
    setting!(
        "logging.log_level",
        Some(("logging", "log_level")),
        Unit::Choice(LEVELS),
        "\"none\"",
        "How much is logged: trace > debug > error > none."
    ),
    setting!(
        "logging.log_format",
        Some(("logging", "log_format")),
        Unit::Choice(FORMATS),
        "\"text\"",
        "Log lines as text or JSON."
    ),
    setting!(
        "logging.log_to_console",
        Some(("logging", "log_to_console")),
        Unit::Bool,
        "true",
        "Write log lines to stderr."
    ),
    setting!(
        "logging.log_file_path",
        Some(("logging", "log_file_path")),
        Unit::Text,
        "\"\"",
        "Append log lines to this file; empty for none."
    ),
    setting!(
        "logging.log_request_body",
        Some(("logging", "log_request_body")),
        Unit::Bool,
        "false",
        "Log request bodies (secrets are always redacted)."
    ),
    setting!(
        "logging.log_response_body",
        Some(("logging", "log_response_body")),
        Unit::Bool,
        "false",
        "Log response bodies (secrets are always redacted)."
    ),
    setting!(
        "proxy.url",
        None,
        Unit::Text,
        "\"\"",
        "Send every request through this proxy (http://host:port); empty for none (HTTPS_PROXY/NO_PROXY apply)."
    ),
    setting!("proxy.username", None, Unit::Text, "\"\"", "The proxy's user name; empty for none."),
    setting!("proxy.password", None, Unit::SecretText, "\"\"", "The proxy's password; empty for none."),
    setting!(
        "tls.skip_verify",
        None,
        Unit::Bool,
        "false",
        "Accept any server certificate: for test rigs only, logged as an error."
    ),
    setting!(
        "tls.extra_ca_pem",
        None,
        Unit::TextList,
        "[]",
        "CA certificates (PEM) trusted besides the system and Mozilla roots."
    ),
    setting!(
        "tls.client_cert_pem",
        None,
        Unit::Text,
        "\"\"",
        "Client certificate chain (PEM) for mTLS; empty for none."
    ),
    setting!(
        "tls.client_key_pem",
        None,
        Unit::SecretText,
        "\"\"",
        "Client private key (PEM) for mTLS; empty for none."
    ),
    setting!(
        "default_headers",
        None,
        Unit::Headers,
        "{}",
        "Headers sent with every request (per-call headers override them)."
    ),
    setting!(
        "user_agent_suffix",
        None,
        Unit::Text,
        "\"\"",
        "Appended to purecore/<version> in the User-Agent; empty for none."
    ),
    setting!(
        "host_language",
        None,
        Unit::Text,
        "\"rust\"",
        "Host language name of the default config path ~/.genesyscloud<language>/config."
    ),
    setting!(
        "config_file",
        None,
        Unit::Text,
        "\"none\"",
        "The config file: \"none\", \"default\" (~/.genesyscloud<language>/config when it exists) or a path."
    ),
    setting!(
        "live_reload_config",
        Some(("general", "live_reload_config")),
        Unit::Bool,
        "true",
        "Watch the config file and apply its changes."
    ),
    setting!("config_poll_interval", None, Unit::Seconds, "1", "How often the config file is checked for changes."),
    setting!(
        "max_response_body_bytes",
        Some(("general", "max_response_body_bytes")),
        Unit::Bytes,
        "268435456",
        "The largest body of a successful (2xx) API reply."
    ),
    setting!(
        "max_error_body_bytes",
        Some(("general", "max_error_body_bytes")),
        Unit::Bytes,
        "1048576",
        "The largest body of an unsuccessful API reply."
    ),
    setting!(
        "max_token_response_bytes",
        Some(("general", "max_token_response_bytes")),
        Unit::Bytes,
        "1048576",
        "The largest body of a token reply."
    ),
    setting!(
        "token_store",
        Some(("general", "token_store")),
        Unit::Text,
        "\"memory\"",
        "Where tokens are shared: memory (this client), file:PATH (one host) or redis://user:pass@host:port/db, rediss:// for TLS."
    ),
    setting!(
        "rate_limit",
        Some(("general", "rate_limit")),
        Unit::Choice(RATE_LIMITS),
        "\"local\"",
        "Pace calls by each token's rate budget: off, local (this process) or shared (every process, through Redis)."
    ),
    setting!(
        "rate_limit_wait_max",
        Some(("general", "rate_limit_wait_max")),
        Unit::Seconds,
        "60",
        "The longest a call waits for rate budget; past it the call fails with rate_limited, unsent."
    ),
    setting!(
        "rate_limit_store",
        Some(("general", "rate_limit_store")),
        Unit::SecretText,
        "\"\"",
        "The redis:// or rediss:// URL where rate_limit = shared keeps the budget; empty: the token_store's, when it is Redis."
    ),
];

/// The setting of this dotted name.
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// The setting a config-file `[section] key` sets (both lower case).
pub fn setting_of_file_key(section: &str, key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.file == Some((section, key)))
}

/// The schema as JSON (for generators): a list of objects with `name`,
/// `section`, `key`, `unit`, `allowed`, `choices`, `max`, `default`, `doc` and `env`.
pub fn describe() -> Value {
    let list = SETTINGS
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert("name".into(), s.name.into());
            o.insert("section".into(), s.file.map(|f| f.0).into());
            o.insert("key".into(), s.file.map(|f| f.1).into());
            o.insert("unit".into(), s.unit.name().into());
            o.insert("allowed".into(), s.unit.allowed().into());
            if let Unit::Choice(words) = s.unit {
                o.insert("choices".into(), words.to_vec().into());
            }
            if let Unit::Count(max) = s.unit {
                o.insert("max".into(), max.into());
            }
            o.insert("default".into(), serde_json::from_str(s.default).unwrap_or(Value::Null));
            o.insert("doc".into(), s.doc.into());
            o.insert("env".into(), s.env_var().into());
            Value::Object(o)
        })
        .collect();
    Value::Array(list)
}

fn shown(s: &Setting, v: &Value) -> String {
    match (s.unit, v) {
        (Unit::SecretText, _) => "[REDACTED]".into(),
        (_, Value::String(text)) => format!("'{text}'"),
        (_, other) => other.to_string(),
    }
}

fn bad(s: &Setting, v: &Value) -> Error {
    Error::configuration(format!("{} must be {}, not {}", s.name, s.unit.allowed(), shown(s, v)))
}

fn number(s: &Setting, v: &Value) -> Result<f64> {
    v.as_f64().ok_or_else(|| bad(s, v))
}

fn boolean(s: &Setting, v: &Value) -> Result<bool> {
    v.as_bool().ok_or_else(|| bad(s, v))
}

fn text<'a>(s: &Setting, v: &'a Value) -> Result<&'a str> {
    v.as_str().ok_or_else(|| bad(s, v))
}

/// A text where only `""` means none (a value of blanks is kept, and refused later
/// if it is not usable, e.g. as a host name).
fn non_empty(s: &Setting, v: &Value) -> Result<Option<String>> {
    let t = text(s, v)?;
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

fn seconds(s: &Setting, v: &Value) -> Result<std::time::Duration> {
    duration_from_secs(s.name, number(s, v)?)
}

fn choice(s: &Setting, v: &Value) -> Result<String> {
    let Unit::Choice(words) = s.unit else { return Err(bad(s, v)) };
    let t = text(s, v)?.trim().to_ascii_lowercase();
    if words.contains(&t.as_str()) {
        Ok(t)
    } else {
        Err(bad(s, v))
    }
}

/// Applies one value of one setting, checking it.
pub(crate) fn apply_setting(c: &mut Config, s: &Setting, v: &Value) -> Result<()> {
    apply_one(c, s, v)
}

pub(crate) fn apply_one(c: &mut Config, s: &Setting, v: &Value) -> Result<()> {
    // Without a gateway, a gateway detail at its default changes nothing.
    if c.gateway.is_none()
        && s.name.starts_with("gateway.")
        && s.name != "gateway.host"
        && (v.is_null() || serde_json::from_str::<Value>(s.default).is_ok_and(|d| d == *v))
    {
        return Ok(());
    }
    // `null` means the default: the default's JSON takes the value's place.
    let default;
    let v = if v.is_null() {
        default = serde_json::from_str::<Value>(s.default).unwrap_or(Value::Null);
        &default
    } else {
        v
    };
    let gateway = |c: &mut Config| c.gateway.get_or_insert_with(|| Gateway::new("")).clone();
    match s.name {
        "environment" => {
            let t = text(s, v)?;
            c.environment =
                Environment::parse(t).map_err(|e| Error::configuration(format!("{}: {}", s.name, e.message())))?;
        }
        "gateway.host" => match non_empty(s, v)? {
            None => c.gateway = None,
            Some(host) => c.gateway = Some(Gateway { host, ..gateway(c) }),
        },
        "gateway.protocol" => {
            let protocol = choice(s, v)?;
            c.gateway = Some(Gateway { protocol, ..gateway(c) });
        }
        "gateway.port" => {
            let n = count_from(s.name, number(s, v)?, 65535)?;
            let port = u16::try_from(n).ok().filter(|p| *p != 0);
            c.gateway = Some(Gateway { port, ..gateway(c) });
        }
        "gateway.path_params_login" => {
            let path_params_login = text(s, v)?.trim().to_owned();
            c.gateway = Some(Gateway { path_params_login, ..gateway(c) });
        }
        "gateway.path_params_api" => {
            let path_params_api = text(s, v)?.trim().to_owned();
            c.gateway = Some(Gateway { path_params_api, ..gateway(c) });
        }
        "allow_insecure_http" => c.allow_insecure_http = boolean(s, v)?,
        "timeout" => c.timeout = seconds(s, v)?,
        "auth_timeout" => c.auth_timeout = seconds(s, v)?,
        "connect_timeout" => c.connect_timeout = seconds(s, v)?,
        "retry.max_retries" => c.retry.max_retries = count_from(s.name, number(s, v)?, MAX_RETRIES)?,
        "retry.wait_min" => c.retry.wait_min = seconds(s, v)?,
        "retry.wait_max" => c.retry.wait_max = seconds(s, v)?,
        "retry.max_total_wait" => c.retry.max_total_wait = seconds(s, v)?,
        "retry.statuses" => {
            let list = v.as_array().ok_or_else(|| bad(s, v))?;
            let mut statuses = Vec::with_capacity(list.len());
            for item in list {
                let n = item.as_u64().filter(|n| (100..=599).contains(n)).ok_or_else(|| bad(s, v))?;
                statuses.push(u16::try_from(n).map_err(|_| bad(s, v))?);
            }
            c.retry.statuses = statuses;
        }
        "retry.retry_non_idempotent" => c.retry.retry_non_idempotent = boolean(s, v)?,
        "refresh.refresh_access_token" => c.refresh.refresh_access_token = boolean(s, v)?,
        "refresh.refresh_token_wait_max" => c.refresh.refresh_token_wait_max = seconds(s, v)?,
        "refresh.expiry_margin" => c.refresh.expiry_margin = seconds(s, v)?,
        "logging.log_level" => {
            c.logging.level = LogLevel::parse(&choice(s, v)?).ok_or_else(|| bad(s, v))?;
        }
        "logging.log_format" => {
            c.logging.format = LogFormat::parse(&choice(s, v)?).ok_or_else(|| bad(s, v))?;
        }
        "logging.log_to_console" => c.logging.log_to_console = boolean(s, v)?,
        "logging.log_file_path" => c.logging.log_file_path = non_empty(s, v)?.map(PathBuf::from),
        "logging.log_request_body" => c.logging.log_request_body = boolean(s, v)?,
        "logging.log_response_body" => c.logging.log_response_body = boolean(s, v)?,
        "proxy.url" => {
            c.proxy = match non_empty(s, v)? {
                None => None,
                Some(url) => {
                    let old = c.proxy.take();
                    Some(ProxyConfig {
                        url,
                        username: old.as_ref().and_then(|p| p.username.clone()),
                        password: old.and_then(|p| p.password),
                    })
                }
            }
        }
        "proxy.username" => {
            let username = non_empty(s, v)?;
            match &mut c.proxy {
                Some(p) => p.username = username,
                None if username.is_none() => {}
                None => return Err(Error::configuration("proxy.username needs proxy.url")),
            }
        }
        "proxy.password" => {
            let password = non_empty(s, v)?.map(Secret::new);
            match &mut c.proxy {
                Some(p) => p.password = password,
                None if password.is_none() => {}
                None => return Err(Error::configuration("proxy.password needs proxy.url")),
            }
        }
        "tls.skip_verify" => c.tls.skip_verify = boolean(s, v)?,
        "tls.extra_ca_pem" => {
            let list = v.as_array().ok_or_else(|| bad(s, v))?;
            c.tls.extra_ca_pem =
                list.iter().map(|p| p.as_str().map(str::to_owned).ok_or_else(|| bad(s, v))).collect::<Result<_>>()?;
        }
        "tls.client_cert_pem" => c.tls.client_cert_pem = non_empty(s, v)?,
        "tls.client_key_pem" => c.tls.client_key_pem = non_empty(s, v)?.map(Secret::new),
        "default_headers" => {
            let map = v.as_object().ok_or_else(|| bad(s, v))?;
            c.default_headers = map
                .iter()
                .map(|(k, val)| val.as_str().map(|t| (k.clone(), t.to_owned())).ok_or_else(|| bad(s, v)))
                .collect::<Result<_>>()?;
        }
        "user_agent_suffix" => c.user_agent_suffix = non_empty(s, v)?,
        "host_language" => {
            c.host_language = non_empty(s, v)?.ok_or_else(|| Error::configuration("host_language must not be empty"))?
        }
        "config_file" => {
            c.config_file = match non_empty(s, v)?.as_deref() {
                None | Some("none") => ConfigFile::None,
                Some("default") => ConfigFile::Default,
                Some(path) => ConfigFile::Path(PathBuf::from(path)),
            }
        }
        "live_reload_config" => c.live_reload_config = boolean(s, v)?,
        "config_poll_interval" => c.config_poll_interval = seconds(s, v)?,
        "max_response_body_bytes" => c.max_response_body_bytes = body_limit_from(s.name, number(s, v)?)?,
        "max_error_body_bytes" => c.max_error_body_bytes = body_limit_from(s.name, number(s, v)?)?,
        "max_token_response_bytes" => c.max_token_response_bytes = body_limit_from(s.name, number(s, v)?)?,
        "token_store" => {
            let spec = text(s, v)?.trim();
            crate::config::TokenStoreSetting::parse(spec)?;
            c.token_store = if spec.is_empty() { "memory".into() } else { spec.to_owned() };
        }
        "rate_limit" => {
            c.rate_limit = crate::governor::RateLimitMode::parse(&choice(s, v)?).ok_or_else(|| bad(s, v))?;
        }
        "rate_limit_wait_max" => c.rate_limit_wait_max = seconds(s, v)?,
        "rate_limit_store" => {
            let url = non_empty(s, v)?;
            if let Some(u) = &url {
                crate::governor::RedisBudget::new(u)?;
            }
            c.rate_limit_store = url.map(Secret::new);
        }
        other => return Err(Error::internal(format!("setting '{other}' has no rule to apply it"))),
    }
    Ok(())
}

/// The current value of every setting, by its dotted name, in the units of a
/// patch (durations in seconds). Secrets are never shown: a set one reads
/// `"[REDACTED]"`. The environment reads as its API base URL.
pub fn view(c: &Config) -> Map<String, Value> {
    let secs = |d: std::time::Duration| Value::from(d.as_secs_f64());
    let opt = |v: Option<&str>| Value::from(v.unwrap_or_default());
    let secret = |set: bool| Value::from(if set { "[REDACTED]" } else { "" });
    let g = c.gateway.as_ref();
    let mut m = Map::new();
    for s in SETTINGS {
        let v = match s.name {
            "environment" => c.environment.api_base().as_str().trim_end_matches('/').into(),
            "gateway.host" => opt(g.map(|g| g.host.as_str())),
            "gateway.protocol" => g.map_or("https", |g| g.protocol.as_str()).into(),
            "gateway.port" => g.and_then(|g| g.port).unwrap_or(0).into(),
            "gateway.path_params_login" => opt(g.map(|g| g.path_params_login.as_str())),
            "gateway.path_params_api" => opt(g.map(|g| g.path_params_api.as_str())),
            "allow_insecure_http" => c.allow_insecure_http.into(),
            "timeout" => secs(c.timeout),
            "auth_timeout" => secs(c.auth_timeout),
            "connect_timeout" => secs(c.connect_timeout),
            "retry.max_retries" => c.retry.max_retries.into(),
            "retry.wait_min" => secs(c.retry.wait_min),
            "retry.wait_max" => secs(c.retry.wait_max),
            "retry.max_total_wait" => secs(c.retry.max_total_wait),
            "retry.statuses" => c.retry.statuses.clone().into(),
            "retry.retry_non_idempotent" => c.retry.retry_non_idempotent.into(),
            "refresh.refresh_access_token" => c.refresh.refresh_access_token.into(),
            "refresh.refresh_token_wait_max" => secs(c.refresh.refresh_token_wait_max),
            "refresh.expiry_margin" => secs(c.refresh.expiry_margin),
            "logging.log_level" => c.logging.level.as_str().into(),
            "logging.log_format" => match c.logging.format {
                LogFormat::Text => "text",
                LogFormat::Json => "json",
            }
            .into(),
            "logging.log_to_console" => c.logging.log_to_console.into(),
            "logging.log_file_path" => {
                c.logging.log_file_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default().into()
            }
            "logging.log_request_body" => c.logging.log_request_body.into(),
            "logging.log_response_body" => c.logging.log_response_body.into(),
            "proxy.url" => opt(c.proxy.as_ref().map(|p| p.url.as_str())),
            "proxy.username" => opt(c.proxy.as_ref().and_then(|p| p.username.as_deref())),
            "proxy.password" => secret(c.proxy.as_ref().is_some_and(|p| p.password.is_some())),
            "tls.skip_verify" => c.tls.skip_verify.into(),
            "tls.extra_ca_pem" => c.tls.extra_ca_pem.clone().into(),
            "tls.client_cert_pem" => opt(c.tls.client_cert_pem.as_deref()),
            "tls.client_key_pem" => secret(c.tls.client_key_pem.is_some()),
            "default_headers" => {
                Value::Object(c.default_headers.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect())
            }
            "user_agent_suffix" => opt(c.user_agent_suffix.as_deref()),
            "host_language" => c.host_language.as_str().into(),
            "config_file" => match &c.config_file {
                ConfigFile::None => "none".into(),
                ConfigFile::Default => "default".into(),
                ConfigFile::Path(p) => p.display().to_string().into(),
            },
            "live_reload_config" => c.live_reload_config.into(),
            "config_poll_interval" => secs(c.config_poll_interval),
            "max_response_body_bytes" => c.max_response_body_bytes.into(),
            "max_error_body_bytes" => c.max_error_body_bytes.into(),
            "max_token_response_bytes" => c.max_token_response_bytes.into(),
            "token_store" => crate::logging::redact::url(&c.token_store).into(),
            "rate_limit" => c.rate_limit.as_str().into(),
            "rate_limit_wait_max" => secs(c.rate_limit_wait_max),
            "rate_limit_store" => secret(c.rate_limit_store.is_some()),
            _ => Value::Null,
        };
        m.insert(s.name.to_owned(), v);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::patch::ConfigPatch;

    #[test]
    fn every_setting_applies_its_default() {
        for s in SETTINGS {
            let value: Value = serde_json::from_str(s.default).unwrap();
            let mut c = Config::default();
            apply_one(&mut c, s, &value).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            if s.name.starts_with("gateway.") {
                continue; // a gateway field alone makes a (half) gateway
            }
            let d = Config::default();
            assert_eq!(format!("{c:?}"), format!("{d:?}"), "default of {} differs from Config::default()", s.name);
        }
    }

    #[test]
    fn names_and_file_keys_are_unique() {
        for (i, a) in SETTINGS.iter().enumerate() {
            for b in SETTINGS.iter().skip(i + 1) {
                assert_ne!(a.name, b.name);
                assert!(a.file.is_none() || a.file != b.file, "{} and {}", a.name, b.name);
                assert_ne!(a.env_var(), b.env_var(), "{} and {}", a.name, b.name);
            }
            assert!(a.env_var().starts_with("PURECORE_"), "{}", a.name);
        }
    }

    #[test]
    fn the_view_reads_back_what_a_patch_set() {
        let json = r#"{"retry.max_retries": 9, "timeout": 2.5, "logging.log_level": "debug",
            "proxy.url": "http://proxy.example:3128", "proxy.password": "hunter2", "max_error_body_bytes": 77}"#;
        let c = ConfigPatch::from_json(json).unwrap().apply_to(&Config::default()).unwrap();
        let v = view(&c);
        assert_eq!(v["retry.max_retries"], 9);
        assert_eq!(v["timeout"], 2.5);
        assert_eq!(v["logging.log_level"], "debug");
        assert_eq!(v["proxy.password"], "[REDACTED]");
        assert_eq!(v["max_error_body_bytes"], 77);
        assert!(!Value::Object(v.clone()).to_string().contains("hunter2"));
        // Every setting is in the view, and the view applies back as the same settings.
        assert_eq!(v.len(), SETTINGS.len());
        let mut back = v;
        back.remove("proxy.password");
        let again = ConfigPatch::from_value(Value::Object(back)).unwrap().apply_to(&c).unwrap();
        assert_eq!(format!("{again:?}"), format!("{c:?}"));
    }

    #[test]
    fn describe_lists_every_setting() {
        let d = describe();
        assert_eq!(d.as_array().unwrap().len(), SETTINGS.len());
    }
}
