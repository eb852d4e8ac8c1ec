//! A change of settings: a [`ConfigPatch`] (dotted names, or sections holding names, to
//! values) checked against the schema's [`SETTINGS`] and applied onto a [`Config`] by
//! the schema's rules, and the config file's text read as a patch value
//! ([`value_from_text`]). The table, and each setting's rule, are in `schema.rs`.

use serde_json::{Map, Value};

use crate::config::schema::{apply_one, setting, Setting, Unit, SETTINGS};
use crate::config::Config;
use crate::error::{Error, Result};

/// A change of settings: dotted names to values, checked against [`SETTINGS`].
/// Names absent keep their value; `null` restores the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigPatch {
    entries: Vec<(&'static Setting, Value)>,
}

impl<'de> serde::Deserialize<'de> for ConfigPatch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        ConfigPatch::from_value(value).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

impl ConfigPatch {
    /// An empty patch.
    pub fn new() -> Self {
        ConfigPatch::default()
    }

    /// Parses JSON text: an object of dotted names (or sections of names) to values.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::configuration(format!("the settings are not valid JSON: {e}")))?;
        Self::from_value(value)
    }

    /// From a JSON value: an object of dotted names (or sections of names) to values.
    pub fn from_value(value: Value) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(Error::configuration("the settings must be a JSON object of setting names to values"));
        };
        let mut patch = ConfigPatch::new();
        patch.add_object("", map)?;
        Ok(patch)
    }

    fn add_object(&mut self, prefix: &str, map: Map<String, Value>) -> Result<()> {
        for (key, value) in map {
            let name = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
            match (setting(&name), value) {
                (Some(_), value) => {
                    self.set(&name, value)?;
                }
                (None, Value::Object(inner)) if SETTINGS.iter().any(|s| s.name.starts_with(&format!("{name}."))) => {
                    self.add_object(&name, inner)?
                }
                (None, _) => return Err(unknown(&name)),
            }
        }
        Ok(())
    }

    /// Adds one setting by its dotted name (a later value for the same name wins).
    pub fn set(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let s = setting(name).ok_or_else(|| unknown(name))?;
        self.entries.retain(|(e, _)| e.name != s.name);
        self.entries.push((s, value.into()));
        Ok(self)
    }

    /// True when it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Applies the patch to a copy of `config`, then checks the whole result:
    /// on error `config` is unchanged, and the error names the setting.
    pub fn apply_to(&self, config: &Config) -> Result<Config> {
        let mut next = config.clone();
        self.apply_values(&mut next)?;
        next.validate()?;
        Ok(next)
    }

    /// Applies each value (checking each one) without the whole-config check,
    /// for builders that change a few settings at a time and check the whole
    /// later (`Config::validate`, as a client does when it is made). On error
    /// `c` may hold the values before the bad one: apply to a copy.
    pub fn apply_values(&self, c: &mut Config) -> Result<()> {
        for s in SETTINGS {
            if let Some((_, v)) = self.entries.iter().find(|(e, _)| e.name == s.name) {
                apply_one(c, s, v)?;
            }
        }
        Ok(())
    }
}

fn unknown(name: &str) -> Error {
    Error::configuration(format!("unknown setting '{name}'; see purecore::config::schema::SETTINGS for the names"))
}

/// A config-file value (text) as the JSON value its setting takes: booleans
/// take yes/no, on/off and 1/0 too; numbers are parsed; a text that is not a
/// number stays text, so the error quotes it.
pub fn value_from_text(s: &Setting, text: &str) -> Value {
    let t = text.trim();
    match s.unit {
        Unit::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Value::Bool(true),
            "false" | "no" | "off" | "0" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        Unit::Seconds | Unit::Count(_) | Unit::Bytes => {
            if s.name == "gateway.port" && (t.is_empty() || t == "-1") {
                return Value::from(0);
            }
            match t.parse::<f64>() {
                Ok(n) if n.is_finite() => {
                    serde_json::Number::from_f64(n).map_or(Value::String(text.to_owned()), Value::Number)
                }
                _ => Value::String(text.to_owned()),
            }
        }
        _ => Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logging::LogLevel;
    use std::time::Duration;

    #[test]
    fn flat_and_nested_patches_agree() {
        let a = ConfigPatch::from_json(r#"{"retry.max_retries": 5, "timeout": 2.5, "logging.log_level": "debug"}"#)
            .unwrap()
            .apply_to(&Config::default())
            .unwrap();
        let b = ConfigPatch::from_json(
            r#"{"retry": {"max_retries": 5}, "timeout": 2.5, "logging": {"log_level": "debug"}}"#,
        )
        .unwrap()
        .apply_to(&Config::default())
        .unwrap();
        for c in [&a, &b] {
            assert_eq!(c.retry.max_retries, 5);
            assert_eq!(c.timeout, Duration::from_millis(2500));
            assert_eq!(c.logging.level, LogLevel::Debug);
        }
    }

    #[test]
    fn errors_name_the_setting_value_and_allowed_values() {
        let err = |json: &str| {
            ConfigPatch::from_json(json).and_then(|p| p.apply_to(&Config::default())).unwrap_err().message().to_owned()
        };
        assert_eq!(
            err(r#"{"retry.max_retries": -1}"#),
            "retry.max_retries must be a whole number from 0 to 100, not -1"
        );
        assert_eq!(err(r#"{"timeout": "soon"}"#), "timeout must be a number of seconds from 0 to 10000000, not 'soon'");
        assert_eq!(
            err(r#"{"logging": {"log_level": "loud"}}"#),
            "logging.log_level must be one of trace, debug, error, none, not 'loud'"
        );
        assert_eq!(err(r#"{"proxy.password": 3}"#), "proxy.password must be a string, not [REDACTED]");
        assert!(err(r#"{"retry.max_retry": 1}"#).starts_with("unknown setting 'retry.max_retry'"));
    }

    #[test]
    fn null_restores_the_default() {
        let c = ConfigPatch::from_json(r#"{"retry.max_retries": 9, "timeout": 1}"#)
            .unwrap()
            .apply_to(&Config::default())
            .unwrap();
        let c =
            ConfigPatch::from_json(r#"{"retry.max_retries": null, "timeout": null}"#).unwrap().apply_to(&c).unwrap();
        assert_eq!(c.retry.max_retries, 3);
        assert_eq!(c.timeout, Duration::from_secs(16));
    }
}
