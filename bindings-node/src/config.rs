//! Settings as JavaScript objects: a patch (only the fields given change,
//! checked by the core as a whole) and a view of the current settings.
//! Times are milliseconds unless the name says seconds.

use std::collections::HashMap;
use std::path::PathBuf;

use napi_derive::napi;
use purecore::{Config, ConfigFile, Error, Gateway, LogFormat, LogLevel, ProxyConfig, Secret};

use purecore::config::{count_from, duration_from_millis, duration_from_secs, MAX_RETRIES};

use crate::convert::{invalid, setting, JsResult};

#[napi(object)]
pub struct RetryPatch {
    /// A whole number from 0 to 100.
    pub max_retries: Option<f64>,
    pub wait_min_ms: Option<f64>,
    pub wait_max_ms: Option<f64>,
    pub max_total_wait_ms: Option<f64>,
    /// HTTP statuses, 100 to 599.
    pub statuses: Option<Vec<f64>>,
    pub retry_non_idempotent: Option<bool>,
}

#[napi(object)]
pub struct ProxyPatch {
    pub url: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[napi(object)]
pub struct GatewayPatch {
    pub host: String,
    pub protocol: Option<String>,
    /// 1 to 65535.
    pub port: Option<f64>,
    pub path_params_login: Option<String>,
    pub path_params_api: Option<String>,
}

#[napi(object)]
pub struct TlsPatch {
    pub extra_ca_pem: Option<Vec<String>>,
    pub client_cert_pem: Option<String>,
    pub client_key_pem: Option<String>,
}

/// A change of settings. Absent fields keep their value.
#[napi(object)]
pub struct ConfigPatch {
    pub timeout_ms: Option<f64>,
    pub auth_timeout_ms: Option<f64>,
    pub connect_timeout_ms: Option<f64>,
    pub allow_insecure_http: Option<bool>,
    pub retry: Option<RetryPatch>,
    pub refresh_access_token: Option<bool>,
    pub refresh_token_wait_max_seconds: Option<f64>,
    pub expiry_margin_seconds: Option<f64>,
    pub log_level: Option<String>,
    pub log_format: Option<String>,
    pub log_to_console: Option<bool>,
    /// An empty string turns file logging off.
    pub log_file_path: Option<String>,
    pub log_request_body: Option<bool>,
    pub log_response_body: Option<bool>,
    pub proxy: Option<ProxyPatch>,
    pub clear_proxy: Option<bool>,
    pub gateway: Option<GatewayPatch>,
    pub clear_gateway: Option<bool>,
    /// Each field given replaces that part (an empty PEM string removes it).
    pub tls: Option<TlsPatch>,
    /// Replaces the default headers.
    pub default_headers: Option<HashMap<String, String>>,
    pub user_agent_suffix: Option<String>,
    /// `"none"`, `"default"` (~/.genesyscloudjavascript/config) or a path.
    pub config_file: Option<String>,
    pub live_reload_config: Option<bool>,
    pub config_poll_interval_ms: Option<f64>,
}

/// The current settings.
#[napi(object)]
pub struct ConfigView {
    pub api_base: String,
    pub login_base: String,
    pub timeout_ms: f64,
    pub auth_timeout_ms: f64,
    pub connect_timeout_ms: f64,
    pub max_retries: u32,
    pub retry_wait_min_ms: f64,
    pub retry_wait_max_ms: f64,
    pub retry_max_total_wait_ms: f64,
    pub retry_statuses: Vec<u32>,
    pub retry_non_idempotent: bool,
    pub refresh_access_token: bool,
    pub refresh_token_wait_max_seconds: f64,
    pub expiry_margin_seconds: f64,
    pub log_level: String,
    pub log_format: String,
    pub log_to_console: bool,
    pub log_file_path: Option<String>,
    pub log_request_body: bool,
    pub log_response_body: bool,
    pub proxy_url: Option<String>,
    pub gateway_host: Option<String>,
    pub default_headers: HashMap<String, String>,
    pub config_file: Option<String>,
    pub live_reload_config: bool,
    pub config_poll_interval_ms: f64,
}

fn level(s: &str) -> JsResult<LogLevel> {
    LogLevel::parse(s).ok_or_else(|| invalid(format!("log level must be trace, debug, error or none, not '{s}'")))
}

fn format(s: &str) -> JsResult<LogFormat> {
    LogFormat::parse(s).ok_or_else(|| invalid(format!("log format must be text or json, not '{s}'")))
}

/// Applies the patch to a copy of the settings; the core validates the result.
pub fn apply(patch: ConfigPatch, c: &mut Config) -> JsResult<()> {
    // Each number is checked with the setting's name (as the facade spells it) before use:
    // never a silent wrap, never a panic on NaN, infinity or a huge value.
    let ms = |name: &str, v: Option<f64>| v.map(|v| setting(duration_from_millis(name, v))).transpose();
    if let Some(d) = ms("timeout", patch.timeout_ms)? {
        c.timeout = d;
    }
    if let Some(d) = ms("authTimeoutMs", patch.auth_timeout_ms)? {
        c.auth_timeout = d;
    }
    if let Some(d) = ms("connectTimeoutMs", patch.connect_timeout_ms)? {
        c.connect_timeout = d;
    }
    if let Some(v) = patch.allow_insecure_http {
        c.allow_insecure_http = v;
    }
    if let Some(r) = patch.retry {
        if let Some(v) = r.max_retries {
            c.retry.max_retries = setting(count_from("maxRetries", v, MAX_RETRIES))?;
        }
        if let Some(d) = ms("retryWaitMin", r.wait_min_ms)? {
            c.retry.wait_min = d;
        }
        if let Some(d) = ms("retryWaitMax", r.wait_max_ms)? {
            c.retry.wait_max = d;
        }
        if let Some(d) = ms("maxTotalWait", r.max_total_wait_ms)? {
            c.retry.max_total_wait = d;
        }
        if let Some(s) = r.statuses {
            c.retry.statuses = s
                .into_iter()
                .map(|v| match setting(count_from("retry statuses", v, 599))? {
                    s @ 100..=599 => Ok(s as u16),
                    s => setting(Err(Error::configuration(format!(
                        "retry statuses: {s} is not an HTTP status (100 to 599)"
                    )))),
                })
                .collect::<JsResult<_>>()?;
        }
        if let Some(v) = r.retry_non_idempotent {
            c.retry.retry_non_idempotent = v;
        }
    }
    if let Some(v) = patch.refresh_access_token {
        c.refresh.refresh_access_token = v;
    }
    if let Some(v) = patch.refresh_token_wait_max_seconds {
        c.refresh.refresh_token_wait_max = setting(duration_from_secs("refresh_token_wait_max", v))?;
    }
    if let Some(v) = patch.expiry_margin_seconds {
        c.refresh.expiry_margin = setting(duration_from_secs("expiryMarginSeconds", v))?;
    }
    if let Some(v) = patch.log_level {
        c.logging.level = level(&v)?;
    }
    if let Some(v) = patch.log_format {
        c.logging.format = format(&v)?;
    }
    if let Some(v) = patch.log_to_console {
        c.logging.log_to_console = v;
    }
    if let Some(v) = patch.log_file_path {
        c.logging.log_file_path = (!v.is_empty()).then(|| PathBuf::from(v));
    }
    if let Some(v) = patch.log_request_body {
        c.logging.log_request_body = v;
    }
    if let Some(v) = patch.log_response_body {
        c.logging.log_response_body = v;
    }
    if patch.clear_proxy == Some(true) {
        c.proxy = None;
    }
    if let Some(p) = patch.proxy {
        c.proxy = Some(ProxyConfig { url: p.url, username: p.username, password: p.password.map(Secret::new) });
    }
    if patch.clear_gateway == Some(true) {
        c.gateway = None;
    }
    if let Some(g) = patch.gateway {
        let port = match g.port.map(|p| setting(count_from("gateway port", p, u32::from(u16::MAX)))).transpose()? {
            Some(0) => {
                return setting(Err(Error::configuration("gateway port must be a whole number from 1 to 65535, not 0")))
            }
            p => p.map(|p| p as u16),
        };
        c.gateway = Some(Gateway {
            host: g.host,
            protocol: g.protocol.unwrap_or_else(|| "https".into()),
            port,
            path_params_login: g.path_params_login.unwrap_or_default(),
            path_params_api: g.path_params_api.unwrap_or_default(),
        });
    }
    if let Some(t) = patch.tls {
        if let Some(ca) = t.extra_ca_pem {
            c.tls.extra_ca_pem = ca;
        }
        if let Some(cert) = t.client_cert_pem {
            c.tls.client_cert_pem = (!cert.is_empty()).then_some(cert);
        }
        if let Some(key) = t.client_key_pem {
            c.tls.client_key_pem = (!key.is_empty()).then(|| Secret::new(key));
        }
    }
    if let Some(h) = patch.default_headers {
        let mut list: Vec<(String, String)> = h.into_iter().collect();
        list.sort();
        c.default_headers = list;
    }
    if let Some(v) = patch.user_agent_suffix {
        c.user_agent_suffix = (!v.is_empty()).then_some(v);
    }
    if let Some(v) = patch.config_file {
        c.config_file = match v.as_str() {
            "none" | "" => ConfigFile::None,
            "default" => ConfigFile::Default,
            path => ConfigFile::Path(PathBuf::from(path)),
        };
    }
    if let Some(v) = patch.live_reload_config {
        c.live_reload_config = v;
    }
    if let Some(d) = ms("live_reload_interval_ms", patch.config_poll_interval_ms)? {
        c.config_poll_interval = d;
    }
    Ok(())
}

pub fn view(c: &Config, env: &purecore::Environment) -> ConfigView {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    ConfigView {
        api_base: env.api_base().as_str().trim_end_matches('/').to_owned(),
        login_base: env.login_base().as_str().trim_end_matches('/').to_owned(),
        timeout_ms: ms(c.timeout),
        auth_timeout_ms: ms(c.auth_timeout),
        connect_timeout_ms: ms(c.connect_timeout),
        max_retries: c.retry.max_retries,
        retry_wait_min_ms: ms(c.retry.wait_min),
        retry_wait_max_ms: ms(c.retry.wait_max),
        retry_max_total_wait_ms: ms(c.retry.max_total_wait),
        retry_statuses: c.retry.statuses.iter().map(|s| u32::from(*s)).collect(),
        retry_non_idempotent: c.retry.retry_non_idempotent,
        refresh_access_token: c.refresh.refresh_access_token,
        refresh_token_wait_max_seconds: c.refresh.refresh_token_wait_max.as_secs_f64(),
        expiry_margin_seconds: c.refresh.expiry_margin.as_secs_f64(),
        log_level: c.logging.level.as_str().to_owned(),
        log_format: match c.logging.format {
            LogFormat::Text => "text".into(),
            LogFormat::Json => "json".into(),
        },
        log_to_console: c.logging.log_to_console,
        log_file_path: c.logging.log_file_path.as_ref().map(|p| p.display().to_string()),
        log_request_body: c.logging.log_request_body,
        log_response_body: c.logging.log_response_body,
        proxy_url: c.proxy.as_ref().map(|p| p.url.clone()),
        gateway_host: c.gateway.as_ref().map(|g| g.host.clone()),
        default_headers: c.default_headers.iter().cloned().collect(),
        config_file: c.config_file_path().map(|p| p.display().to_string()),
        live_reload_config: c.live_reload_config,
        config_poll_interval_ms: ms(c.config_poll_interval),
    }
}
