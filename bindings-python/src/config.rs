//! Settings between Python and [`purecore::Config`]: a dict of the core's dotted
//! setting names (`purecore::config::schema`, e.g. `"retry.max_retries"`) goes into one
//! `ConfigPatch`, checked by the core with the same words as every language; the
//! Python-shaped keys (`gateway` and `proxy` dicts, `config_file`, header pairs,
//! `logging.level`/`logging.format`) are spelled out as schema names first. Durations
//! are seconds. Host callables (retry hook, log sink) are wrapped so they run with the GIL.

use std::sync::Arc;
use std::time::Duration;

use purecore::logging::redact;
use purecore::{Config, ConfigFile, ConfigPatch, Environment, LogFormat, LogLevel, RetryEvent};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyTuple};
use serde_json::Value;

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

/// A Python value as the JSON a setting of the core's schema takes: None, bool, int,
/// float, str, list/tuple and dict convert; anything else (and a non-finite float)
/// becomes its text, which the core then refuses naming the setting and the value.
fn to_json(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(n) = v.extract::<i64>() {
            return Ok(n.into());
        }
        if let Ok(n) = v.extract::<u64>() {
            return Ok(n.into());
        }
    }
    if let Some(n) = host_number(v) {
        return Ok(serde_json::Number::from_f64(n).map_or_else(|| Value::String(n.to_string()), Value::Number));
    }
    if let Ok(text) = v.extract::<String>() {
        return Ok(Value::String(text));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, x) in d.iter() {
            m.insert(k.str()?.to_string(), to_json(&x)?);
        }
        return Ok(Value::Object(m));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        return Ok(Value::Array(v.try_iter()?.map(|x| to_json(&x?)).collect::<PyResult<_>>()?));
    }
    Ok(Value::String(v.str()?.to_string()))
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

/// Adds a Python-shaped setting to a patch of the core's schema: the official
/// `gateway` and `proxy` dicts, `config_file` (True for the default path), default
/// headers as (name, value) pairs, and the `logging.level`/`logging.format` aliases.
/// Every other key is a setting name of the schema, checked by the core.
fn add(p: &mut ConfigPatch, key: &str, v: &Bound<'_, PyAny>) -> PyResult<()> {
    let core = |e: purecore::Error| crate::errors::to_py_err(e);
    match key {
        "gateway" | "proxy" => {
            let first = if key == "gateway" { "host" } else { "url" };
            if v.is_none() {
                p.set(&format!("{key}.{first}"), "").map_err(core)?;
                return Ok(());
            }
            let d = v.cast::<PyDict>().map_err(|_| bad(key, "expected a dict or None"))?;
            let fields: &[&str] = if key == "gateway" {
                &["host", "protocol", "port", "path_params_login", "path_params_api"]
            } else {
                &["url", "username", "password"]
            };
            for (k, x) in d.iter() {
                let k: String = k.extract().map_err(|_| bad(key, "keys must be strings"))?;
                if !fields.contains(&k.as_str()) {
                    return Err(bad(key, format!("unknown key '{k}'")));
                }
                let mut value = to_json(&x)?;
                if k == "port" && (value.is_null() || value == -1) {
                    value = 0.into();
                }
                p.set(&format!("{key}.{k}"), if value.is_null() { "".into() } else { value }).map_err(core)?;
            }
            if key == "proxy" && d.get_item("url")?.is_none() {
                return Err(bad("proxy.url", "is required"));
            }
            for k in fields {
                if d.get_item(*k)?.is_none() && *k != "port" && *k != "protocol" {
                    p.set(&format!("{key}.{k}"), "").map_err(core)?;
                }
            }
        }
        "config_file" => {
            let value = match v.extract::<bool>() {
                Ok(true) => Value::from("default"),
                Ok(false) => Value::from("none"),
                Err(_) if v.is_none() => Value::from("none"),
                Err(_) => {
                    let path: std::path::PathBuf =
                        v.extract().map_err(|_| bad(key, "expected a path, True (the default path) or None"))?;
                    Value::from(path.display().to_string())
                }
            };
            p.set(key, value).map_err(core)?;
        }
        "default_headers" => {
            let pairs: Vec<(String, String)> =
                v.extract().map_err(|_| bad(key, "expected a list of (name, value) pairs"))?;
            p.set(key, Value::Object(pairs.into_iter().map(|(k, x)| (k, Value::from(x))).collect())).map_err(core)?;
        }
        "logging.level" => add(p, "logging.log_level", v)?,
        "logging.format" => add(p, "logging.log_format", v)?,
        name => {
            let value = to_json(v)?;
            if let Some(s) = purecore::config::schema::setting(name) {
                use purecore::config::schema::Unit;
                // In Python, None is no value for a number, flag or choice (the official
                // SDK's attributes never take it); text settings take None for "none".
                let text = matches!(s.unit, Unit::Text | Unit::SecretText | Unit::TextList | Unit::Headers);
                if value.is_null() && !text {
                    return Err(core(purecore::Error::configuration(format!(
                        "{name} must be {}, not None",
                        s.unit.allowed()
                    ))));
                }
                // An empty PEM is a mistake (None removes the identity).
                if name.starts_with("tls.client_") && value == "" {
                    return Err(core(purecore::Error::configuration(format!(
                        "{name} must be PEM text, not an empty string (None removes it)"
                    ))));
                }
            }
            p.set(name, value).map_err(core)?;
        }
    }
    Ok(())
}

/// Applies one host setting that is not data (a callable), or returns false.
fn apply_callable(c: &mut Config, key: &str, v: &Bound<'_, PyAny>) -> PyResult<bool> {
    match key {
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
        "logging.sink" => {
            c.logging.sink = callable(key, v)?.map(|cb| -> purecore::logging::LogSink {
                Arc::new(move |level: LogLevel, line: &str| {
                    call_host(&cb, |py| (level.as_str(), line).into_pyobject(py))
                })
            })
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Applies every key of `settings`; on error `c` may be half changed, so
/// callers apply onto a copy.
pub fn apply(c: &mut Config, settings: &Bound<'_, PyDict>) -> PyResult<()> {
    let mut patch = ConfigPatch::new();
    for (k, v) in settings.iter() {
        let key: String = k.extract().map_err(|_| PyTypeError::new_err("setting names must be strings"))?;
        if !apply_callable(c, &key, &v)? {
            add(&mut patch, &key, &v)?;
        }
    }
    patch.apply_values(c).map_err(crate::errors::to_py_err)
}

/// A config for a Python client: the default config file is
/// `~/.genesyscloudpython/config`, and the User-Agent names Python.
pub fn from_settings(settings: &Bound<'_, PyDict>) -> PyResult<Config> {
    let mut c = defaults(settings.py());
    apply(&mut c, settings)?;
    Ok(c)
}

/// The settings a Python client starts from before code changes any (the
/// `PURECORE_*` environment variables fill in those still at these values).
pub fn defaults(py: Python<'_>) -> Config {
    let v = py.version_info();
    Config {
        host_language: "python".into(),
        config_file: ConfigFile::Default,
        user_agent_suffix: Some(format!("python/{}.{}", v.major, v.minor)),
        ..Config::default()
    }
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
