//! Entry points for the fuzz targets in `fuzz/` (not part of the API; hidden
//! from the documentation). Each takes raw bytes, feeds them to one parser that
//! the network or a user's file can reach, and checks what must always hold of
//! the result. A panic here is a bug in the parser, never in the fuzz target.
//!
//! Multi-part inputs split the bytes at newlines: the first line is one field,
//! the next line the next, and so on.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::auth::{AuthData, MAX_TOKEN_LIFETIME};
use crate::config::file::{parse_ini, parse_json, ConfigFileContents};
use crate::config::Config;
use crate::environment::{Environment, Gateway};
use crate::error::Error;
use crate::response::{parse_retry_after, Response};

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// What holds of any token, wherever it came from.
fn check_token(auth: &AuthData) {
    let now = SystemTime::now();
    if let Some(secs) = auth.expires_in {
        assert!(secs <= MAX_TOKEN_LIFETIME.as_secs(), "expires_in {secs} is over the clamp");
    }
    if let Some(at) = auth.expires_at {
        let latest = now + MAX_TOKEN_LIFETIME + Duration::from_secs(60);
        assert!(at <= latest, "expires_at is past the clamp");
    }
    let _ = auth.expires_at_millis();
    for margin in [Duration::ZERO, Duration::from_secs(30), crate::config::MAX_DURATION, Duration::MAX] {
        let _ = crate::auth::session::expires_within(auth, margin);
    }
    let _ = format!("{auth:?}");
}

/// What holds of any error: it renders, and its accessors answer.
fn check_error(err: &Error) {
    let _ = (err.to_string(), format!("{err:?}"), err.kind(), err.status(), err.code(), err.retry_after());
    let _ = (err.oauth_error(), err.oauth_error_description(), err.context_id(), err.is_retryable());
}

fn apply(contents: crate::Result<ConfigFileContents>) {
    match contents {
        Ok(c) => match c.apply_to(&Config::default(), "fuzz.cfg") {
            Ok(config) => {
                let _ = config.effective_environment();
            }
            Err(e) => check_error(&e),
        },
        Err(e) => check_error(&e),
    }
}

/// A config file read as INI, then applied to the default settings.
pub fn config_ini(data: &[u8]) {
    apply(parse_ini(&text(data), "fuzz.ini"));
}

/// A config file read as JSON, then applied to the default settings.
pub fn config_json(data: &[u8]) {
    apply(parse_json(&text(data), "fuzz.json"));
}

/// A config file with the format detected as `set_config_file` does.
pub fn config_file(data: &[u8]) {
    apply(ConfigFileContents::parse(&text(data), "fuzz.cfg"));
}

/// The body of a successful token reply.
pub fn token_reply(data: &[u8]) {
    let resp = Response::new(200, Vec::new(), Bytes::copy_from_slice(data));
    match crate::auth::parse_token_reply(&resp) {
        Ok(auth) => check_token(&auth),
        Err(e) => check_error(&e),
    }
}

/// A failed reply: the first byte picks the status, the rest is the body
/// (`Error::from_response` and `Error::from_token_response`).
pub fn error_body(data: &[u8]) {
    let (status, body) = match data.split_first() {
        Some((b, rest)) => (400 + u16::from(*b) % 200, rest),
        None => (500, data),
    };
    let resp = Response::new(status, vec![("retry-after".into(), "1".into())], Bytes::copy_from_slice(body));
    check_error(&Error::from_response(resp.clone()));
    check_error(&Error::from_token_response(resp));
}

/// An implicit-grant redirect (first line) and the expected state (second
/// line, if any); the same text as a code-grant redirect.
pub fn redirect(data: &[u8]) {
    let t = text(data);
    let (url, state) = match t.split_once('\n') {
        Some((u, s)) => (u, Some(s)),
        None => (t.as_str(), None),
    };
    match crate::auth::implicit::parse_implicit_redirect(url, state) {
        Ok(auth) => check_token(&auth),
        Err(e) => check_error(&e),
    }
    match crate::auth::implicit::parse_code_redirect(url, state) {
        Ok(code) => assert!(!code.expose().is_empty(), "an empty code was accepted"),
        Err(e) => check_error(&e),
    }
}

/// What holds of any environment: both bases join paths.
fn check_environment(env: &Environment) {
    let _ = (env.api_url("/api/v2/users/me"), env.login_url("oauth/token"), env.check_security(false));
    let _ = crate::environment::is_loopback(env.api_base());
}

/// An environment string (`Environment::parse`, `Environment::custom`), and
/// the lines as a gateway: host, protocol, port, login path, API path.
pub fn environment(data: &[u8]) {
    let t = text(data);
    match Environment::parse(&t) {
        Ok(env) => check_environment(&env),
        Err(e) => check_error(&e),
    }
    let mut lines = t.split('\n');
    let mut g = Gateway::new(lines.next().unwrap_or_default());
    g.protocol = lines.next().unwrap_or_default().to_owned();
    g.port = lines.next().and_then(|p| p.trim().parse().ok());
    g.path_params_login = lines.next().unwrap_or_default().to_owned();
    g.path_params_api = lines.next().unwrap_or_default().to_owned();
    match g.environment() {
        Ok(env) => check_environment(&env),
        Err(e) => check_error(&e),
    }
    let (api, login) = t.split_once('\n').unwrap_or((&t, &t));
    match Environment::custom(api, login) {
        Ok(env) => check_environment(&env),
        Err(e) => check_error(&e),
    }
}

/// A `Retry-After` value, against the clock and against its extremes.
pub fn retry_after(data: &[u8]) {
    let t = text(data);
    for now in
        [SystemTime::now(), SystemTime::UNIX_EPOCH, SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)]
    {
        let _ = parse_retry_after(&t, now);
    }
}

/// Response headers, one `name: value` a line (rate-limit headers, Retry-After,
/// correlation id), as the transport hands them to `Response::new`.
pub fn headers(data: &[u8]) {
    let t = text(data);
    let headers: Vec<(String, String)> = t
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_owned()),
            None => (l.trim().to_ascii_lowercase(), String::new()),
        })
        .collect();
    let resp = Response::new(429, headers, Bytes::new());
    let _ = (resp.rate_limit, resp.retry_after(), resp.header("inin-ratelimit-reset"));
    check_error(&Error::from_response(resp));
}

/// Every input the fuzz targets found crashing, as a plain test (each panicked
/// before its fix), with the known-bad values of the hardening work.
#[cfg(test)]
mod tests {
    use super::*;

    /// config_ini: a percent-encoded host in a config file's `host` reached an
    /// assertion in the IDNA adapter (`%43` decodes to an upper-case `C`).
    #[test]
    fn crash_config_ini_percent_encoded_host() {
        let file = b"[general]\nhost = 'https://api.mypurCCCCCCCCCCCCCCCCCCCC%CCCCCCCCCCCCCCCCCCCCCCCCCecloud.ie/'\n[retry]\nretry_wait_max = \"30\"\n";
        config_ini(file);
        let err = ConfigFileContents::parse(&text(file), "c.ini").unwrap().apply_to(&Config::default(), "c.ini");
        let err = err.unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Configuration);
        assert!(
            err.message().starts_with("c.ini:2:") && err.message().contains("percent-encoded"),
            "{}",
            err.message()
        );
    }

    /// environment: the same through a gateway host with control characters.
    #[test]
    fn crash_environment_percent_encoded_gateway_host() {
        environment(b"EeEE%EEEEEEtEEEEE\x13\x01\x00\x00]lg\x00o");
    }

    /// config_json: a gateway host with a newline among backslashes hid a non-ASCII,
    /// upper-case host from the ASCII check (`url` drops the newline), and it reached
    /// the same IDNA assertion.
    #[test]
    fn crash_config_json_gateway_host_with_a_newline() {
        config_json(b"{\"gateway\": {\"host\": \"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\n\\\\\\\\\\\\\\\\retvy_Z\xbf\xbd\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\w.exam\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xffraCl\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xffi\"}}");
        for host in ["\\\\\n\\Z\u{fffd}.example", "\\\tB\u{fc}cher.example", "ex\rAM\u{e9}ple.com"] {
            let err = Gateway::new(host).environment().unwrap_err();
            assert!(err.message().contains("not ASCII"), "{host:?}: {}", err.message());
        }
    }

    /// A config file's `host` of `example.1` or `mypurecloud.xn--ie` hit an `expect`.
    #[test]
    fn config_file_hosts_that_hit_an_expect() {
        for host in ["example.1", "mypurecloud.xn--ie"] {
            for (file, origin) in [
                (format!("[general]\nhost = {host}\n"), "c.ini"),
                (format!("{{\"general\": {{\"host\": \"{host}\"}}}}"), "c.json"),
            ] {
                config_file(file.as_bytes());
                let err = ConfigFileContents::parse(&file, origin).unwrap().apply_to(&Config::default(), origin);
                let err = err.unwrap_err();
                assert_eq!(err.kind(), crate::ErrorKind::Configuration);
                assert!(err.message().contains(host) && err.message().starts_with(origin), "{}", err.message());
            }
        }
    }

    /// Token replies and redirects with out-of-range lifetimes overflowed the clock.
    #[test]
    fn crash_out_of_range_lifetimes() {
        for v in ["9.2e18", "18446744073709551615", "1e19", "-1", "0", "1.5", "\"abc\"", "\"\"", "null", "{\"a\":[{}]}"]
        {
            token_reply(format!("{{\"access_token\":\"t\",\"expires_in\":{v}}}").as_bytes());
            redirect(format!("http://x/cb#access_token=t&expires_in={v}").as_bytes());
        }
    }
}
