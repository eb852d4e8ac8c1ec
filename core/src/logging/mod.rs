//! Logging: levels trace > debug > error > none (default none), text or JSON
//! lines of one shape for every binding, to the console (stderr) and/or a
//! file. Secrets never reach a sink: see [`redact`].
//!
//! One line per HTTP exchange: `debug` for a success, `error` for a failure
//! (non-2xx or network error). At `trace` the line also carries request and
//! response headers. Bodies are added when `log_request_body` /
//! `log_response_body` are on.

pub mod redact;

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LogLevel {
    #[default]
    None,
    Error,
    Debug,
    Trace,
}

impl LogLevel {
    pub fn parse(s: &str) -> Option<LogLevel> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "off" | "" => Some(LogLevel::None),
            "error" => Some(LogLevel::Error),
            "debug" => Some(LogLevel::Debug),
            "trace" => Some(LogLevel::Trace),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::None => "none",
            LogLevel::Error => "error",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(s: &str) -> Option<LogFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// A host-supplied destination for log lines (e.g. a binding's logger).
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

#[derive(Clone)]
pub struct LogConfig {
    pub level: LogLevel,
    pub format: LogFormat,
    /// Write to stderr. Default true (only matters once a level is set).
    pub log_to_console: bool,
    pub log_file_path: Option<PathBuf>,
    pub log_request_body: bool,
    pub log_response_body: bool,
    /// Also (or instead of the console) hand lines to the host.
    pub sink: Option<LogSink>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: LogLevel::None,
            format: LogFormat::Text,
            log_to_console: true,
            log_file_path: None,
            log_request_body: false,
            log_response_body: false,
            sink: None,
        }
    }
}

impl PartialEq for LogConfig {
    fn eq(&self, o: &Self) -> bool {
        self.level == o.level
            && self.format == o.format
            && self.log_to_console == o.log_to_console
            && self.log_file_path == o.log_file_path
            && self.log_request_body == o.log_request_body
            && self.log_response_body == o.log_response_body
            && match (&self.sink, &o.sink) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl std::fmt::Debug for LogConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogConfig")
            .field("level", &self.level)
            .field("format", &self.format)
            .field("log_to_console", &self.log_to_console)
            .field("log_file_path", &self.log_file_path)
            .field("log_request_body", &self.log_request_body)
            .field("log_response_body", &self.log_response_body)
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

/// One HTTP exchange to log.
pub struct HttpEvent<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub status: Option<u16>,
    pub duration: Duration,
    pub correlation_id: Option<&'a str>,
    pub attempt: u32,
    pub request_headers: &'a [(String, String)],
    pub response_headers: Option<&'a [(String, String)]>,
    pub request_body: Option<&'a [u8]>,
    pub request_content_type: Option<&'a str>,
    pub response_body: Option<&'a [u8]>,
    pub response_content_type: Option<&'a str>,
    pub error: Option<&'a str>,
    /// Token requests: their form bodies and replies are full of secrets.
    pub is_token_call: bool,
}

/// Writes log lines according to a [`LogConfig`].
pub struct Logger {
    config: LogConfig,
    file: Mutex<Option<File>>,
}

impl Logger {
    pub fn new(config: LogConfig) -> Self {
        let file = match (&config.log_file_path, config.level) {
            (Some(path), level) if level != LogLevel::None => open_log_file(path),
            _ => None,
        };
        Logger { config, file: Mutex::new(file) }
    }

    pub fn config(&self) -> &LogConfig {
        &self.config
    }

    pub fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::None && level <= self.config.level
    }

    /// Logs one HTTP exchange at debug (success) or error (failure).
    pub fn http(&self, ev: &HttpEvent<'_>) {
        let failed = ev.error.is_some() || ev.status.is_none_or(|s| !(200..300).contains(&s));
        let level = if failed { LogLevel::Error } else { LogLevel::Debug };
        if !self.enabled(level) {
            return;
        }
        let trace = self.enabled(LogLevel::Trace);
        let mut m = Map::new();
        m.insert("timestamp".into(), Value::String(timestamp(SystemTime::now())));
        m.insert("level".into(), Value::String(level.as_str().into()));
        m.insert("method".into(), Value::String(ev.method.into()));
        m.insert("url".into(), Value::String(redact::url(ev.url)));
        m.insert("status".into(), ev.status.map_or(Value::Null, |s| json!(s)));
        m.insert("durationMs".into(), json!(ev.duration.as_millis() as u64));
        m.insert("correlationId".into(), ev.correlation_id.map_or(Value::Null, |c| json!(c)));
        m.insert("attempt".into(), json!(ev.attempt));
        if let Some(e) = ev.error {
            m.insert("error".into(), Value::String(e.into()));
        }
        if trace {
            m.insert("requestHeaders".into(), headers_value(ev.request_headers));
            if let Some(h) = ev.response_headers {
                m.insert("responseHeaders".into(), headers_value(h));
            }
        }
        if self.config.log_request_body {
            if let Some(b) = ev.request_body.filter(|b| !b.is_empty()) {
                m.insert(
                    "requestBody".into(),
                    Value::String(redact::body(b, ev.request_content_type, ev.is_token_call)),
                );
            }
        }
        if self.config.log_response_body {
            if let Some(b) = ev.response_body.filter(|b| !b.is_empty()) {
                m.insert(
                    "responseBody".into(),
                    Value::String(redact::body(b, ev.response_content_type, ev.is_token_call)),
                );
            }
        }
        self.write(level, m);
    }

    /// Logs a message with extra fields (retries, refreshes, config reloads).
    pub fn event(&self, level: LogLevel, message: &str, fields: &[(&str, Value)]) {
        if !self.enabled(level) {
            return;
        }
        self.emit(level, message, fields);
    }

    /// An error-level line written whatever the level, even `none`: for security
    /// alerts the user must not miss (certificate checks turned off).
    pub fn alert(&self, message: &str, fields: &[(&str, Value)]) {
        self.emit(LogLevel::Error, message, fields);
    }

    fn emit(&self, level: LogLevel, message: &str, fields: &[(&str, Value)]) {
        let mut m = Map::new();
        m.insert("timestamp".into(), Value::String(timestamp(SystemTime::now())));
        m.insert("level".into(), Value::String(level.as_str().into()));
        m.insert("message".into(), Value::String(message.into()));
        for (k, v) in fields {
            m.insert((*k).into(), v.clone());
        }
        self.write(level, m);
    }

    fn write(&self, level: LogLevel, m: Map<String, Value>) {
        let line = match self.config.format {
            LogFormat::Json => Value::Object(m).to_string(),
            LogFormat::Text => text_line(&m),
        };
        if let Some(sink) = &self.config.sink {
            sink(level, &line);
        }
        if self.config.log_to_console {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = file.as_mut() {
            let _ = writeln!(f, "{line}");
        }
    }
}

fn open_log_file(path: &PathBuf) -> Option<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    match opts.open(path) {
        Ok(f) => Some(f),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "purecore: cannot open log file {}: {e}", path.display());
            None
        }
    }
}

fn headers_value(h: &[(String, String)]) -> Value {
    let mut m = Map::new();
    for (k, v) in redact::headers(h) {
        m.insert(k, Value::String(v));
    }
    Value::Object(m)
}

/// `timestamp LEVEL METHOD URL key=value ...` on one line.
fn text_line(m: &Map<String, Value>) -> String {
    let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("");
    let mut out = format!("{} {}", s("timestamp"), s("level").to_ascii_uppercase());
    if let Some(msg) = m.get("message").and_then(Value::as_str) {
        out.push(' ');
        out.push_str(msg);
    } else {
        out.push_str(&format!(" {} {}", s("method"), s("url")));
    }
    for (k, v) in m {
        if matches!(k.as_str(), "timestamp" | "level" | "message" | "method" | "url") || v.is_null() {
            continue;
        }
        match v {
            Value::String(text) => out.push_str(&format!(" {k}={}", Value::String(text.clone()))),
            other => out.push_str(&format!(" {k}={other}")),
        }
    }
    out
}

/// RFC 3339 UTC timestamp with milliseconds.
pub fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_millis(1_795_000_000_123)), "2026-11-18T11:06:40.123Z");
        assert_eq!(timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn levels_filter_and_sink_receives_redacted_lines() {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let l2 = lines.clone();
        let cfg = LogConfig {
            level: LogLevel::Trace,
            format: LogFormat::Json,
            log_to_console: false,
            log_request_body: true,
            log_response_body: true,
            sink: Some(Arc::new(move |_, line: &str| l2.lock().unwrap().push(line.to_owned()))),
            ..LogConfig::default()
        };
        let logger = Logger::new(cfg);
        let hdrs = vec![("authorization".to_string(), "Basic c2VjcmV0".to_string())];
        logger.http(&HttpEvent {
            method: "POST",
            url: "https://login.x/oauth/token",
            status: Some(200),
            duration: Duration::from_millis(5),
            correlation_id: Some("cid"),
            attempt: 1,
            request_headers: &hdrs,
            response_headers: Some(&[]),
            request_body: Some(b"grant_type=client_credentials&client_secret=hunter2"),
            request_content_type: Some("application/x-www-form-urlencoded"),
            response_body: Some(br#"{"access_token":"tok-123","expires_in":10}"#),
            response_content_type: Some("application/json"),
            error: None,
            is_token_call: true,
        });
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        for secret in ["c2VjcmV0", "hunter2", "tok-123"] {
            assert!(!line.contains(secret), "{secret} leaked: {line}");
        }
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["level"], "debug");
        assert_eq!(v["correlationId"], "cid");
        assert_eq!(v["status"], 200);

        let quiet = Logger::new(LogConfig { level: LogLevel::Error, log_to_console: false, ..LogConfig::default() });
        assert!(!quiet.enabled(LogLevel::Debug));
        assert!(quiet.enabled(LogLevel::Error));
    }
}
