//! Environment variables over the settings schema.
//!
//! Every setting of [`SETTINGS`] has one variable ([`Setting::env_var`]):
//! `PURECORE_` and its dotted name in upper case, `.` as `_`
//! (`retry.max_retries` -> `PURECORE_RETRY_MAX_RETRIES`), unless its row names
//! a shorter one. Values are read as the config file reads them: seconds for
//! durations (fractions allowed), `true`/`false` (or yes/no, on/off, 1/0) for
//! switches, words for choices; lists (`retry.statuses`, `tls.extra_ca_pem`)
//! and `default_headers` are JSON. A variable set to the empty string counts
//! as unset.
//!
//! They are read once, when a client is created ([`crate::Client::new`]), and
//! fill in the settings the code left at their defaults. So the order, last
//! wins, is: built-in defaults < environment < code < config file (the file,
//! as in the official SDKs, overrides the keys it holds each time it is read).
//! A bad value fails the client's creation with a `configuration` error naming
//! the variable and the setting; a secret's value (`proxy.password`,
//! `tls.client_key_pem`) is never shown.

use std::ffi::OsString;

use serde_json::Value;

use crate::config::patch;
use crate::config::schema::{self, Setting, Unit, SETTINGS};
use crate::config::Config;
use crate::error::{Error, Result};

/// One setting given by an environment variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvSetting {
    pub setting: &'static Setting,
    /// The variable's name.
    pub var: String,
    /// Its value, as the setting's JSON value.
    pub value: Value,
}

/// A variable's text as the value its setting takes: as a config file reads
/// it, and JSON for lists and header objects.
pub fn value_of(s: &Setting, text: &str) -> Value {
    match s.unit {
        Unit::Statuses | Unit::TextList | Unit::Headers => {
            serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        _ => patch::value_from_text(s, text),
    }
}

/// The settings the variables set, in schema order; `lookup` gives a
/// variable's value. A value that is not UTF-8 is an error naming the variable.
pub fn read_from(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Vec<EnvSetting>> {
    let mut found = Vec::new();
    for s in SETTINGS {
        let var = s.env_var();
        let Some(raw) = lookup(&var) else { continue };
        let text = raw
            .into_string()
            .map_err(|_| Error::configuration(format!("environment variable {var} is not valid UTF-8 text")))?;
        if text.is_empty() {
            continue;
        }
        found.push(EnvSetting { setting: s, value: value_of(s, &text), var });
    }
    Ok(found)
}

/// The settings this process's environment sets.
pub fn read() -> Result<Vec<EnvSetting>> {
    read_from(|name| std::env::var_os(name))
}

/// `config` with each variable's setting applied where `config` still holds
/// the value of `defaults` (the settings the host starts from before its code
/// changes any): what code set wins. Each value is checked, then the whole;
/// errors name the variable.
pub fn apply(config: &Config, defaults: &Config, vars: &[EnvSetting]) -> Result<Config> {
    if vars.is_empty() {
        return Ok(config.clone());
    }
    let now = schema::view(config);
    let base = schema::view(defaults);
    let mut next = config.clone();
    let mut applied = Vec::new();
    for v in vars {
        if now.get(v.setting.name) != base.get(v.setting.name) {
            continue; // set in code
        }
        schema::apply_setting(&mut next, v.setting, &v.value)
            .map_err(|e| Error::configuration(format!("environment variable {}: {}", v.var, e.message())))?;
        applied.push(v.var.as_str());
    }
    if !applied.is_empty() {
        next.validate().map_err(|e| {
            Error::configuration(format!(
                "{} (settings from environment variables {})",
                e.message(),
                applied.join(", ")
            ))
        })?;
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::time::Duration;

    fn vars(pairs: &[(&str, &str)]) -> Vec<EnvSetting> {
        let map: HashMap<String, OsString> = pairs.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        read_from(|n| map.get(n).cloned()).unwrap()
    }

    #[test]
    fn names_derive_from_the_dotted_name() {
        let s = schema::setting("retry.max_retries").unwrap();
        assert_eq!(s.env_var(), "PURECORE_RETRY_MAX_RETRIES");
        assert_eq!(schema::setting("timeout").unwrap().env_var(), "PURECORE_TIMEOUT");
        let short = Setting { env: Some("PURECORE_SHORT"), ..*s };
        assert_eq!(short.env_var(), "PURECORE_SHORT");
    }

    #[test]
    fn values_parse_as_the_config_file_parses_them() {
        let v = vars(&[
            ("PURECORE_RETRY_MAX_RETRIES", "7"),
            ("PURECORE_TIMEOUT", "2.5"),
            ("PURECORE_LOGGING_LOG_TO_CONSOLE", "off"),
            ("PURECORE_LOGGING_LOG_LEVEL", "DEBUG"),
            ("PURECORE_RETRY_STATUSES", "[429, 503]"),
            ("PURECORE_DEFAULT_HEADERS", r#"{"X-Team": "blue"}"#),
            ("PURECORE_USER_AGENT_SUFFIX", ""),
        ]);
        assert_eq!(v.len(), 6, "an empty variable counts as unset");
        let c = apply(&Config::default(), &Config::default(), &v).unwrap();
        assert_eq!(c.retry.max_retries, 7);
        assert_eq!(c.timeout, Duration::from_millis(2500));
        assert!(!c.logging.log_to_console);
        assert_eq!(c.logging.level, crate::logging::LogLevel::Debug);
        assert_eq!(c.retry.statuses, vec![429, 503]);
        assert_eq!(c.default_headers, vec![("X-Team".to_owned(), "blue".to_owned())]);
    }

    #[test]
    fn code_wins_over_the_environment() {
        let v = vars(&[("PURECORE_RETRY_MAX_RETRIES", "7"), ("PURECORE_TIMEOUT", "3")]);
        let mut code = Config::default();
        code.retry.max_retries = 1;
        let c = apply(&code, &Config::default(), &v).unwrap();
        assert_eq!(c.retry.max_retries, 1);
        assert_eq!(c.timeout, Duration::from_secs(3));
    }

    #[test]
    fn errors_name_the_variable_and_hide_secrets() {
        let err = |pairs: &[(&str, &str)]| {
            apply(&Config::default(), &Config::default(), &vars(pairs)).unwrap_err().message().to_owned()
        };
        assert_eq!(
            err(&[("PURECORE_RETRY_MAX_RETRIES", "lots")]),
            "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole number from 0 to 100, not 'lots'"
        );
        let m = err(&[("PURECORE_PROXY_URL", "ftp://user:hunter2@proxy.example:3128")]);
        assert!(m.contains("PURECORE_PROXY_URL") && !m.contains("hunter2"), "{m}");
        let m = err(&[("PURECORE_TLS_CLIENT_KEY_PEM", "hunter2-key")]);
        assert!(m.contains("PURECORE_TLS_CLIENT_KEY_PEM") && !m.contains("hunter2"), "{m}");
        let m = err(&[("PURECORE_PROXY_PASSWORD", "hunter2")]);
        assert!(m.contains("PURECORE_PROXY_PASSWORD") && !m.contains("hunter2"), "{m}");
        let m = err(&[("PURECORE_TIMEOUT", "0")]);
        assert!(m.contains("timeout") && m.contains("PURECORE_TIMEOUT"), "{m}");
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_refused() {
        use std::os::unix::ffi::OsStringExt;
        let e = read_from(|n| (n == "PURECORE_TIMEOUT").then(|| OsString::from_vec(vec![0xff]))).unwrap_err();
        assert_eq!(e.message(), "environment variable PURECORE_TIMEOUT is not valid UTF-8 text");
    }
}
