//! Settings between Python and [`purecore::Config`]: a dict of dotted keys
//! (`"retry.max_retries"`, `"logging.level"`) applied onto a config, and the
//! current config read back as such a dict. Durations are seconds (float).
//! Host callables (retry hook, log sink) are wrapped so they run with the GIL.

use std::sync::Arc;
use std::time::Duration;

use purecore::logging::redact;
use purecore::{Config, ConfigFile, Environment, Gateway, LogFormat, LogLevel, ProxyConfig, RetryEvent, Secret};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyTuple};

/// A bad setting: raised as `ConfigurationException` naming the setting.
fn bad(key: &str, why: impl std::fmt::Display) -> PyErr {
    crate::errors::to_py_err(purecore::Error::configuration(format!("setting '{key}': {why}")))
}

/// A Python `int` or `float` (`bool` included) as `f64`, or None for any
/// other type. An `int` too large for a float becomes an infinity of its sign,
/// which every range check then refuses.
pub fn host_number(v: &Bound<'_, PyAny>) -> Option<f64> {
    if !(v.is_instance_of::<PyFloat>() || v.is_instance_of::<PyInt>()) {
        return None;
    }
    Some(v.extract::<f64>().unwrap_or_else(
        |_| {
            if v.lt(0).unwrap_or(false) {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        },
    ))
}

/// A duration setting in seconds, by the core's one range rule (naming `key`).
fn seconds(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let s = host_number(v).ok_or_else(|| bad(key, "expected a number of seconds"))?;
    purecore::config::duration_from_secs(key, s).map_err(crate::errors::to_py_err)
}

/// A whole-number setting `0..=max`, by the core's one range rule (naming `key`).
fn count(key: &str, v: &Bound<'_, PyAny>, max: u32) -> PyResult<u32> {
    let n = host_number(v).ok_or_else(|| bad(key, "expected a whole number"))?;
    purecore::config::count_from(key, n, max).map_err(crate::errors::to_py_err)
}

fn opt_string(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if v.is_none() {
        return Ok(None);
    }
    v.extract::<String>().map(Some).map_err(|_| bad(key, "expected a string or None"))
}

fn get_str(key: &str, d: &Bound<'_, PyDict>, field: &str) -> PyResult<Option<String>> {
    match d.get_item(field)? {
        Some(v) => opt_string(&format!("{key}.{field}"), &v),
        None => Ok(None),
    }
}

/// Calls a Python callable from any thread with the arguments `build` makes;
/// its exception goes to `sys.unraisablehook` (it cannot reach the caller of
/// the request).
pub fn call_host(cb: &Py<PyAny>, build: impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyTuple>>) {
    crate::runtime::with_python(|py| {
        let result = build(py).and_then(|args| cb.bind(py).call1(args));
        if let Err(e) = result {
            e.write_unraisable(py, Some(cb.bind(py)));
        }
    });
}

fn callable(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
    if v.is_none() {
        return Ok(None);
    }
    if !v.is_callable() {
        return Err(bad(key, "expected a callable or None"));
    }
    Ok(Some(v.clone().unbind()))
}

fn gateway(v: &Bound<'_, PyAny>) -> PyResult<Option<Gateway>> {
    if v.is_none() {
        return Ok(None);
    }
    let d = v.cast::<PyDict>().map_err(|_| bad("gateway", "expected a dict or None"))?;
    for k in d.keys() {
        let k: String = k.extract().map_err(|_| bad("gateway", "keys must be strings"))?;
        if !["host", "protocol", "port", "path_params_login", "path_params_api"].contains(&k.as_str()) {
            return Err(bad("gateway", format!("unknown key '{k}'")));
        }
    }
    let mut g = Gateway::new(get_str("gateway", d, "host")?.unwrap_or_default());
    if let Some(p) = get_str("gateway", d, "protocol")? {
        g.protocol = p;
    }
    if let Some(port) = d.get_item("port")? {
        g.port = match port.extract::<Option<i64>>().map_err(|_| bad("gateway.port", "expected an integer"))? {
            None | Some(-1) => None,
            Some(p) => Some(u16::try_from(p).map_err(|_| bad("gateway.port", format!("{p} is not a port")))?),
        };
    }
    g.path_params_login = get_str("gateway", d, "path_params_login")?.unwrap_or_default();
    g.path_params_api = get_str("gateway", d, "path_params_api")?.unwrap_or_default();
    Ok(Some(g))
}

fn proxy(v: &Bound<'_, PyAny>) -> PyResult<Option<ProxyConfig>> {
    if v.is_none() {
        return Ok(None);
    }
    let d = v.cast::<PyDict>().map_err(|_| bad("proxy", "expected a dict or None"))?;
    let url = get_str("proxy", d, "url")?.ok_or_else(|| bad("proxy.url", "is required"))?;
    Ok(Some(ProxyConfig {
        url,
        username: get_str("proxy", d, "username")?,
        password: get_str("proxy", d, "password")?.map(Secret::new),
    }))
}

fn config_file(v: &Bound<'_, PyAny>) -> PyResult<ConfigFile> {
    if v.is_none() {
        return Ok(ConfigFile::None);
    }
    if let Ok(b) = v.extract::<bool>() {
        return Ok(if b { ConfigFile::Default } else { ConfigFile::None });
    }
    let path: std::path::PathBuf =
        v.extract().map_err(|_| bad("config_file", "expected a path, True (the default path) or None"))?;
    Ok(ConfigFile::Path(path))
}

/// Applies one setting.
fn apply_one(c: &mut Config, key: &str, v: &Bound<'_, PyAny>) -> PyResult<()> {
    let b = || v.extract::<bool>().map_err(|_| bad(key, "expected True or False"));
    match key {
        "environment" => {
            let s: String = v.extract().map_err(|_| bad(key, "expected a string"))?;
            c.environment = Environment::parse(&s).map_err(crate::errors::to_py_err)?;
        }
        "gateway" => c.gateway = gateway(v)?,
        "allow_insecure_http" => c.allow_insecure_http = b()?,
        "timeout" => c.timeout = seconds(key, v)?,
        "auth_timeout" => c.auth_timeout = seconds(key, v)?,
        "connect_timeout" => c.connect_timeout = seconds(key, v)?,
        "retry.max_retries" => c.retry.max_retries = count(key, v, purecore::config::MAX_RETRIES)?,
        "retry.wait_min" => c.retry.wait_min = seconds(key, v)?,
        "retry.wait_max" => c.retry.wait_max = seconds(key, v)?,
        "retry.max_total_wait" => c.retry.max_total_wait = seconds(key, v)?,
        "retry.statuses" => c.retry.statuses = v.extract().map_err(|_| bad(key, "expected a list of statuses"))?,
        "retry.retry_non_idempotent" => c.retry.retry_non_idempotent = b()?,
        "retry.hook" => {
            c.retry.hook = callable(key, v)?.map(|cb| -> purecore::RetryHook {
                Arc::new(move |ev: &RetryEvent| {
                    call_host(&cb, |py| {
                        let d = PyDict::new(py);
                        d.set_item("attempt", ev.attempt)?;
                        d.set_item("method", &ev.method)?;
                        d.set_item("url", &ev.url)?;
                        d.set_item("status", ev.status)?;
                        d.set_item("wait", ev.wait.as_secs_f64())?;
                        d.set_item("reason", &ev.reason)?;
                        PyTuple::new(py, [d])
                    })
                })
            })
        }
        "refresh.refresh_access_token" => c.refresh.refresh_access_token = b()?,
        "refresh.refresh_token_wait_max" => c.refresh.refresh_token_wait_max = seconds(key, v)?,
        "refresh.expiry_margin" => c.refresh.expiry_margin = seconds(key, v)?,
        "logging.level" => {
            let s: String = v.extract().map_err(|_| bad(key, "expected a string"))?;
            c.logging.level =
                LogLevel::parse(&s).ok_or_else(|| bad(key, format!("'{s}' is not trace, debug, error or none")))?;
        }
        "logging.format" => {
            let s: String = v.extract().map_err(|_| bad(key, "expected a string"))?;
            c.logging.format = LogFormat::parse(&s).ok_or_else(|| bad(key, format!("'{s}' is not text or json")))?;
        }
        "logging.log_to_console" => c.logging.log_to_console = b()?,
        "logging.log_file_path" => c.logging.log_file_path = opt_string(key, v)?.map(Into::into),
        "logging.log_request_body" => c.logging.log_request_body = b()?,
        "logging.log_response_body" => c.logging.log_response_body = b()?,
        "logging.sink" => {
            c.logging.sink = callable(key, v)?.map(|cb| -> purecore::logging::LogSink {
                Arc::new(move |level: LogLevel, line: &str| {
                    call_host(&cb, |py| (level.as_str(), line).into_pyobject(py))
                })
            })
        }
        "proxy" => c.proxy = proxy(v)?,
        "tls.skip_verify" => c.tls.skip_verify = b()?,
        "tls.extra_ca_pem" => c.tls.extra_ca_pem = v.extract().map_err(|_| bad(key, "expected a list of PEM texts"))?,
        "tls.client_cert_pem" => c.tls.client_cert_pem = opt_string(key, v)?,
        "tls.client_key_pem" => c.tls.client_key_pem = opt_string(key, v)?.map(Secret::new),
        "default_headers" => {
            c.default_headers = v.extract().map_err(|_| bad(key, "expected a list of (name, value) pairs"))?
        }
        "user_agent_suffix" => c.user_agent_suffix = opt_string(key, v)?,
        "config_file" => c.config_file = config_file(v)?,
        "live_reload_config" => c.live_reload_config = b()?,
        "config_poll_interval" => c.config_poll_interval = seconds(key, v)?,
        other => return Err(bad(other, "unknown setting")),
    }
    Ok(())
}

/// Applies every key of `settings`; on error `c` may be half changed, so
/// callers apply onto a copy.
pub fn apply(c: &mut Config, settings: &Bound<'_, PyDict>) -> PyResult<()> {
    for (k, v) in settings.iter() {
        let key: String = k.extract().map_err(|_| PyTypeError::new_err("setting names must be strings"))?;
        apply_one(c, &key, &v)?;
    }
    Ok(())
}

/// A config for a Python client: the default config file is
/// `~/.genesyscloudpython/config`, and the User-Agent names Python.
pub fn from_settings(settings: &Bound<'_, PyDict>) -> PyResult<Config> {
    let mut c = Config { host_language: "python".into(), config_file: ConfigFile::Default, ..Config::default() };
    let v = settings.py().version_info();
    c.user_agent_suffix = Some(format!("python/{}.{}", v.major, v.minor));
    apply(&mut c, settings)?;
    Ok(c)
}

/// The current settings, secrets left out: no proxy password (nor one in
/// the proxy URL), no TLS key, no token, no credential header values.
pub fn to_dict<'py>(py: Python<'py>, c: &Config, env: &Environment) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let secs = |x: Duration| x.as_secs_f64();
    d.set_item("api_base", env.api_base().as_str().trim_end_matches('/'))?;
    d.set_item("login_base", env.login_base().as_str().trim_end_matches('/'))?;
    d.set_item("environment", c.environment.api_base().as_str().trim_end_matches('/'))?;
    d.set_item(
        "gateway",
        c.gateway.as_ref().map(|g| {
            let gd = PyDict::new(py);
            let _ = gd.set_item("host", &g.host);
            let _ = gd.set_item("protocol", &g.protocol);
            let _ = gd.set_item("port", g.port);
            let _ = gd.set_item("path_params_login", &g.path_params_login);
            let _ = gd.set_item("path_params_api", &g.path_params_api);
            gd
        }),
    )?;
    d.set_item("allow_insecure_http", c.allow_insecure_http)?;
    d.set_item("timeout", secs(c.timeout))?;
    d.set_item("auth_timeout", secs(c.auth_timeout))?;
    d.set_item("connect_timeout", secs(c.connect_timeout))?;
    d.set_item("retry.max_retries", c.retry.max_retries)?;
    d.set_item("retry.wait_min", secs(c.retry.wait_min))?;
    d.set_item("retry.wait_max", secs(c.retry.wait_max))?;
    d.set_item("retry.max_total_wait", secs(c.retry.max_total_wait))?;
    d.set_item("retry.statuses", c.retry.statuses.clone())?;
    d.set_item("retry.retry_non_idempotent", c.retry.retry_non_idempotent)?;
    d.set_item("refresh.refresh_access_token", c.refresh.refresh_access_token)?;
    d.set_item("refresh.refresh_token_wait_max", secs(c.refresh.refresh_token_wait_max))?;
    d.set_item("refresh.expiry_margin", secs(c.refresh.expiry_margin))?;
    d.set_item("logging.level", c.logging.level.as_str())?;
    d.set_item("logging.format", if c.logging.format == LogFormat::Json { "json" } else { "text" })?;
    d.set_item("logging.log_to_console", c.logging.log_to_console)?;
    d.set_item("logging.log_file_path", c.logging.log_file_path.as_ref().map(|p| p.display().to_string()))?;
    d.set_item("logging.log_request_body", c.logging.log_request_body)?;
    d.set_item("logging.log_response_body", c.logging.log_response_body)?;
    d.set_item("tls.skip_verify", c.tls.skip_verify)?;
    // A password written into the proxy URL, and credential headers, are secrets too.
    d.set_item("proxy", c.proxy.as_ref().map(|p| (redact::url(&p.url), p.username.clone())))?;
    d.set_item("default_headers", redact::headers(&c.default_headers))?;
    d.set_item("config_file", c.config_file_path().map(|p| p.display().to_string()))?;
    d.set_item("live_reload_config", c.live_reload_config)?;
    d.set_item("config_poll_interval", secs(c.config_poll_interval))?;
    Ok(d)
}

/// A number argument of a call (not a setting): a wrong type is a
/// `TypeError`; a value out of range an `InvalidArgumentException` naming it.
fn argument_number(name: &str, v: &Bound<'_, PyAny>) -> PyResult<f64> {
    host_number(v).ok_or_else(|| {
        let ty = v.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        PyTypeError::new_err(format!("{name} must be a number, not {ty}"))
    })
}

fn as_argument_error(e: &purecore::Error) -> PyErr {
    crate::errors::to_py_err(purecore::Error::invalid_argument(e.message()))
}

/// A duration argument in seconds (same range as the settings).
pub fn argument_seconds(name: &str, v: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let s = argument_number(name, v)?;
    purecore::config::duration_from_secs(name, s).map_err(|e| as_argument_error(&e))
}

/// A whole-number argument `0..=max`.
pub fn argument_count(name: &str, v: &Bound<'_, PyAny>, max: u32) -> PyResult<u32> {
    let n = argument_number(name, v)?;
    purecore::config::count_from(name, n, max).map_err(|e| as_argument_error(&e))
}
