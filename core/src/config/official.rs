//! The official SDKs' names of settings, where the official name is a pure
//! one-setting patch: reading it reads the setting, assigning it applies
//! `{setting: value}` (after a conversion the binding names by a word).
//!
//! The Node and Python bindings build these accessors from the generated
//! tables (`bindings-node/lib/official-names.js`, `OFFICIAL_NAMES` in
//! `bindings-python/python/purecore/_settings_schema.py`, both written by
//! `core/tests/settings_declarations.rs`), so a new setting with an official
//! name needs a row here and no binding edit. Official names that do more than
//! one patch (`setEnvironment`, `setProxy`, `gateway_configuration`, hooks,
//! sinks, file paths read into PEM text) stay hand-written in the bindings.
//!
//! Kept beside [`crate::config::schema::SETTINGS`] rather than as a column of it,
//! so that adding a setting does not mean touching every row.

/// The binding an official name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Node,
    Python,
}

/// One official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialName {
    pub language: Language,
    /// The object holding it: Node `Configuration` (`apiClient.config`) or
    /// `Logger` (`apiClient.config.logger`); Python `Configuration`, `Logger`
    /// (`configuration.logger`) or `RetryConfiguration` (`configuration.retry`).
    pub owner: &'static str,
    /// The official attribute name.
    pub name: &'static str,
    /// The setting's dotted name in the schema.
    pub setting: &'static str,
    /// How the binding converts the value, by a word the binding defines:
    /// Node `bool`, `number`, `text`, `path`, `millis`; Python `same`, `host`,
    /// `level`, `format`.
    pub conversion: &'static str,
    /// What the official name means when it differs from the setting's doc
    /// (units, for example); empty to use the setting's doc.
    pub note: &'static str,
}

const fn node(
    owner: &'static str,
    name: &'static str,
    setting: &'static str,
    conversion: &'static str,
) -> OfficialName {
    OfficialName { language: Language::Node, owner, name, setting, conversion, note: "" }
}

const fn python(
    owner: &'static str,
    name: &'static str,
    setting: &'static str,
    conversion: &'static str,
) -> OfficialName {
    OfficialName { language: Language::Python, owner, name, setting, conversion, note: "" }
}

const fn noted(o: OfficialName, note: &'static str) -> OfficialName {
    OfficialName { note, ..o }
}

/// Every official name that is a one-setting patch.
pub const OFFICIAL_NAMES: &[OfficialName] = &[
    // Node: apiClient.config.*
    node("Configuration", "refresh_access_token", "refresh.refresh_access_token", "bool"),
    noted(
        node("Configuration", "refresh_token_wait_max", "refresh.refresh_token_wait_max", "number"),
        "Seconds a call waits for another call's refresh (the official SDK says milliseconds and waits that many seconds).",
    ),
    node("Configuration", "live_reload_config", "live_reload_config", "bool"),
    noted(
        node("Configuration", "live_reload_interval_ms", "config_poll_interval", "millis"),
        "How often the config file is checked for changes, in milliseconds (default 1000).",
    ),
    noted(
        node("Configuration", "auth_timeout", "auth_timeout", "millis"),
        "Bound on a whole login or renewal, retries included, in milliseconds (default 16000).",
    ),
    noted(
        node("Configuration", "token_expiry_margin", "refresh.expiry_margin", "number"),
        "Seconds before expiry a token is renewed (default 30; at most half its lifetime).",
    ),
    // Node: apiClient.config.logger.*
    node("Logger", "log_level", "logging.log_level", "text"),
    node("Logger", "log_format", "logging.log_format", "text"),
    node("Logger", "log_to_console", "logging.log_to_console", "bool"),
    node("Logger", "log_file_path", "logging.log_file_path", "path"),
    node("Logger", "log_request_body", "logging.log_request_body", "bool"),
    node("Logger", "log_response_body", "logging.log_response_body", "bool"),
    // Python: Configuration.*
    noted(
        python("Configuration", "host", "environment", "host"),
        "API base URL, region domain or region name.",
    ),
    python("Configuration", "should_refresh_access_token", "refresh.refresh_access_token", "same"),
    python("Configuration", "refresh_token_wait_time", "refresh.refresh_token_wait_max", "same"),
    python("Configuration", "live_reload_config", "live_reload_config", "same"),
    python("Configuration", "timeout", "timeout", "same"),
    python("Configuration", "auth_timeout", "auth_timeout", "same"),
    python("Configuration", "connect_timeout", "connect_timeout", "same"),
    python("Configuration", "token_expiry_margin", "refresh.expiry_margin", "same"),
    python("Configuration", "config_poll_interval", "config_poll_interval", "same"),
    python("Configuration", "allow_insecure_http", "allow_insecure_http", "same"),
    // Python: configuration.logger.*
    noted(python("Logger", "log_level", "logging.log_level", "level"), "LogLevel or 'trace'|'debug'|'error'|'none'."),
    noted(python("Logger", "log_format", "logging.log_format", "format"), "LogFormat or 'text'|'json'."),
    python("Logger", "log_to_console", "logging.log_to_console", "same"),
    python("Logger", "log_file_path", "logging.log_file_path", "same"),
    python("Logger", "log_request_body", "logging.log_request_body", "same"),
    python("Logger", "log_response_body", "logging.log_response_body", "same"),
    // Python: configuration.retry.*
    python("RetryConfiguration", "max_retries", "retry.max_retries", "same"),
    python("RetryConfiguration", "retry_wait_min", "retry.wait_min", "same"),
    python("RetryConfiguration", "retry_wait_max", "retry.wait_max", "same"),
    python("RetryConfiguration", "max_total_wait", "retry.max_total_wait", "same"),
    python("RetryConfiguration", "statuses", "retry.statuses", "same"),
    python("RetryConfiguration", "retry_non_idempotent", "retry.retry_non_idempotent", "same"),
];

/// The official names of one binding's object, in table order.
pub fn of(language: Language, owner: &str) -> impl Iterator<Item = &'static OfficialName> + '_ {
    OFFICIAL_NAMES.iter().filter(move |o| o.language == language && o.owner == owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema::setting;

    #[test]
    fn every_official_name_names_a_setting_once() {
        for (i, a) in OFFICIAL_NAMES.iter().enumerate() {
            assert!(setting(a.setting).is_some(), "{} names no setting '{}'", a.name, a.setting);
            for b in OFFICIAL_NAMES.iter().skip(i + 1) {
                assert!(a.language != b.language || a.owner != b.owner || a.name != b.name, "{} twice", a.name);
            }
        }
    }
}
