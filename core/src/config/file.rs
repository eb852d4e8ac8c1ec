//! The configuration file, INI or JSON (detected from the first character),
//! with the official SDKs' section and key names:
//!
//! ```ini
//! [logging]
//! log_level = trace          ; trace | debug | error | none
//! log_format = json          ; text | json
//! log_to_console = false
//! log_file_path = /var/log/purecore.log
//! log_request_body = true
//! log_response_body = true
//! [reauthentication]
//! refresh_access_token = true
//! refresh_token_wait_max = 10   ; seconds
//! [general]
//! live_reload_config = true
//! host = mypurecloud.ie         ; region name, domain or URL
//! max_response_body_bytes = 268435456   ; largest successful API reply body
//! max_error_body_bytes = 1048576        ; largest error reply body
//! max_token_response_bytes = 1048576    ; largest token reply body
//! [retry]
//! retry_wait_min = 1            ; seconds
//! retry_wait_max = 30           ; seconds
//! retry_max = 5
//! [gateway]
//! host = gateway.example.com
//! protocol = https
//! port = 8443
//! path_params_login = login
//! path_params_api = api
//! ```
//!
//! JSON files use the same sections as objects. Only keys present in the file
//! are applied: a key absent from the file leaves the value set in code.
//! Unknown sections and keys are ignored (newer SDKs' keys stay harmless);
//! a malformed value is an error naming the line.

use std::path::Path;

use crate::config::{schema, Config};
use crate::error::{Error, Result};

/// One `key = value` of the file, with the line it stands on.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// A parsed configuration file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigFileContents {
    pub entries: Vec<Entry>,
}

fn err_at(path: &str, line: usize, msg: impl std::fmt::Display) -> Error {
    Error::configuration(format!("{path}:{line}: {msg}"))
}

/// The largest config file read: 1 MiB. A config file is a few hundred bytes;
/// anything larger is a mistake (a log file named by accident, `/dev/zero`).
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// Why a config file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadFailure {
    /// The file does not exist (a watcher waits for it to come back).
    pub missing: bool,
    pub message: String,
}

/// The bytes of a config file: a regular file of at most [`MAX_CONFIG_FILE_BYTES`].
/// A FIFO, device or directory is refused without blocking (the file is opened
/// non-blocking and checked through the opened handle, so a swap between the
/// check and the read cannot make it hang), and no more than the limit is read.
pub(crate) fn read_bytes(path: &Path) -> std::result::Result<Vec<u8>, ReadFailure> {
    use std::io::Read;
    let fail = |missing: bool, what: String| ReadFailure {
        missing,
        message: format!("cannot read config file {}: {what}", path.display()),
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| fail(e.kind() == std::io::ErrorKind::NotFound, e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(false, e.to_string()))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() { "a directory" } else { "not a regular file (a pipe, socket or device)" };
        return Err(fail(false, format!("it is {kind}")));
    }
    if meta.len() > MAX_CONFIG_FILE_BYTES {
        return Err(fail(
            false,
            format!("it is {} bytes; a config file may be at most {MAX_CONFIG_FILE_BYTES} bytes", meta.len()),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read is still cut at the limit.
    file.take(MAX_CONFIG_FILE_BYTES.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fail(false, e.to_string()))?;
    if bytes.len() as u64 > MAX_CONFIG_FILE_BYTES {
        return Err(fail(false, format!("it is larger than {MAX_CONFIG_FILE_BYTES} bytes")));
    }
    Ok(bytes)
}

impl ConfigFileContents {
    /// Reads and parses a file (a regular file of at most 1 MiB of UTF-8 text).
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = read_bytes(path).map_err(|f| Error::configuration(f.message))?;
        Self::parse_bytes(&bytes, &path.display().to_string())
    }

    /// Parses the bytes of a file; text that is not UTF-8 is an error naming its line.
    pub fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text, origin),
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                let line = valid.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
                Err(err_at(origin, line, "the file is not UTF-8 text"))
            }
        }
    }

    /// Parses INI or JSON text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            parse_json(text, origin)
        } else {
            parse_ini(text, origin)
        }
    }

    /// Applies the file's values to `config` and checks the result; on error
    /// `config` is unchanged. Each `[section] key` maps onto its setting in
    /// [`crate::config::schema`]; errors name the line, the key and the setting.
    pub fn apply_to(&self, config: &Config, origin: &str) -> Result<Config> {
        let mut c = config.clone();
        let mut gateway_line = None;
        for e in &self.entries {
            let Some(setting) = schema::setting_of_file_key(&e.section, &e.key) else {
                continue; // unknown keys stay harmless
            };
            if e.section == "gateway" {
                gateway_line.get_or_insert(e.line);
            }
            let value = crate::config::patch::value_from_text(setting, &e.value);
            schema::apply_setting(&mut c, setting, &value)
                .map_err(|err| err_at(origin, e.line, format!("[{}] {}: {}", e.section, e.key, err.message())))?;
        }
        if let (Some(line), Some(g)) = (gateway_line, &c.gateway) {
            g.environment().map_err(|err| err_at(origin, line, err.message()))?;
        }
        c.validate().map_err(|err| Error::configuration(format!("{origin}: {}", err.message())))?;
        Ok(c)
    }
}

pub(crate) fn parse_ini(text: &str, origin: &str) -> Result<ConfigFileContents> {
    let mut entries = Vec::new();
    let mut section: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i.saturating_add(1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| err_at(origin, line_no, format!("section header '{line}' is missing its ']'")))?;
            section = Some(name.trim().to_ascii_lowercase());
            continue;
        }
        let Some(sec) = &section else {
            return Err(err_at(origin, line_no, "expected a [section] header or a JSON object before this line"));
        };
        let pos = line
            .find(['=', ':'])
            .ok_or_else(|| err_at(origin, line_no, format!("expected 'key = value', found '{line}'")))?;
        let key = line[..pos].trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(err_at(origin, line_no, "missing key before '='"));
        }
        let mut value = line.get(pos.saturating_add(1)..).unwrap_or_default().trim();
        // Inline comments after a value: ` ; comment` or ` # comment`.
        for marker in [" ;", " #", "\t;", "\t#"] {
            if let Some(p) = value.find(marker) {
                value = value[..p].trim_end();
            }
        }
        let value = strip_quotes(value);
        entries.push(Entry { section: sec.clone(), key, value: value.to_owned(), line: line_no });
    }
    Ok(ConfigFileContents { entries })
}

fn strip_quotes(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v.get(1..v.len().saturating_sub(1)).unwrap_or_default();
        }
    }
    v
}

pub(crate) fn parse_json(text: &str, origin: &str) -> Result<ConfigFileContents> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err_at(origin, e.line(), format!("invalid JSON: {e}")))?;
    let line_of = |needle: &str| {
        let quoted = format!("\"{needle}\"");
        text.lines().position(|l| l.contains(&quoted)).map_or(1, |p| p.saturating_add(1))
    };
    let obj = value.as_object().ok_or_else(|| err_at(origin, 1, "the JSON config must be an object of sections"))?;
    let mut entries = Vec::new();
    for (section, body) in obj {
        let Some(fields) = body.as_object() else {
            // Top-level scalars are not settings; ignore them like unknown keys.
            continue;
        };
        for (key, v) in fields {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Null => continue,
                _ => {
                    return Err(err_at(
                        origin,
                        line_of(key),
                        format!("{section}.{key} must be a string, number or boolean"),
                    ))
                }
            };
            entries.push(Entry {
                section: section.to_ascii_lowercase(),
                key: key.to_ascii_lowercase(),
                value,
                line: line_of(key),
            });
        }
    }
    Ok(ConfigFileContents { entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::Environment;
    use crate::logging::{LogFormat, LogLevel};
    use std::time::Duration;

    #[test]
    fn ini_and_json_give_the_same_settings() {
        let ini = "# comment\n[logging]\nlog_level = trace\nlog_format = json ; inline\nlog_request_body = true\n\n[reauthentication]\nrefresh_token_wait_max = 2.5\n[general]\nhost = mypurecloud.ie\n[retry]\nretry_max = 7\nretry_wait_min = 0.25\n[unknown]\nx = y\n";
        let json = r#"{"logging": {"log_level": "trace", "log_format": "json", "log_request_body": true},
            "reauthentication": {"refresh_token_wait_max": 2.5}, "general": {"host": "mypurecloud.ie"},
            "retry": {"retry_max": 7, "retry_wait_min": 0.25}}"#;
        let base = Config::default();
        let a = ConfigFileContents::parse(ini, "a.ini").unwrap().apply_to(&base, "a.ini").unwrap();
        let b = ConfigFileContents::parse(json, "b.json").unwrap().apply_to(&base, "b.json").unwrap();
        for c in [&a, &b] {
            assert_eq!(c.logging.level, LogLevel::Trace);
            assert_eq!(c.logging.format, LogFormat::Json);
            assert!(c.logging.log_request_body);
            assert!(!c.logging.log_response_body, "absent key keeps the code value");
            assert_eq!(c.refresh.refresh_token_wait_max, Duration::from_millis(2500));
            assert_eq!(c.environment, Environment::region("eu_west_1").unwrap());
            assert_eq!(c.retry.max_retries, 7);
            assert_eq!(c.retry.wait_min, Duration::from_millis(250));
        }
    }

    #[test]
    fn errors_name_the_line() {
        let ini = "[logging]\nlog_level = trace\nlog_to_console = perhaps\n";
        let err = ConfigFileContents::parse(ini, "cfg").unwrap().apply_to(&Config::default(), "cfg").unwrap_err();
        assert!(err.message().starts_with("cfg:3:"), "{}", err.message());
        assert!(err.message().contains("log_to_console"), "{}", err.message());

        let err = ConfigFileContents::parse("log_level = trace\n", "cfg").unwrap_err();
        assert!(err.message().starts_with("cfg:1:"), "{}", err.message());

        let err = ConfigFileContents::parse("{\n \"logging\": {\n  \"log_level\": \n}", "j").unwrap_err();
        assert!(err.message().starts_with("j:4:"), "{}", err.message());

        let err = ConfigFileContents::parse("[general]\nhost = atlantis_1\n", "c")
            .unwrap()
            .apply_to(&Config::default(), "c")
            .unwrap_err();
        assert!(err.message().contains("c:2:") && err.message().contains("unknown region"), "{}", err.message());
    }

    #[test]
    fn gateway_section() {
        let ini = "[gateway]\nhost = gw.example.com\nport = 8443\npath_params_login = login\npath_params_api = api\n";
        let c = ConfigFileContents::parse(ini, "g").unwrap().apply_to(&Config::default(), "g").unwrap();
        let env = c.effective_environment().unwrap();
        assert_eq!(env.login_url("/oauth/token"), "https://gw.example.com:8443/login/oauth/token");
    }
}
