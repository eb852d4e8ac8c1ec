//! The extended response every call returns: status, headers, body, correlation id.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

/// Rate-limit state the server reported in `inin-ratelimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitInfo {
    pub allowed: Option<u64>,
    pub count: Option<u64>,
    /// Seconds until the window resets.
    pub reset: Option<u64>,
}

/// A reply from the server, successful or not.
#[derive(Clone)]
pub struct Response {
    pub status: u16,
    pub status_text: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The `inin-correlation-id` header.
    pub correlation_id: Option<String>,
    pub rate_limit: Option<RateLimitInfo>,
    /// How many times the request was sent (1 when it was not retried).
    pub attempts: u32,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("correlation_id", &self.correlation_id)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Response {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Bytes) -> Self {
        let status_text =
            hyper::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("").to_owned();
        let find = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        let correlation_id = find("inin-correlation-id");
        let num = |name: &str| find(name).and_then(|v| v.trim().parse::<u64>().ok());
        let rl = RateLimitInfo {
            allowed: num("inin-ratelimit-allowed"),
            count: num("inin-ratelimit-count"),
            reset: num("inin-ratelimit-reset"),
        };
        let rate_limit = (rl.allowed.is_some() || rl.count.is_some() || rl.reset.is_some()).then_some(rl);
        Response { status, status_text, headers, body, correlation_id, rate_limit, attempts: 1 }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// `Retry-After` as a duration: whole or fractional seconds, or an HTTP date.
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(self.header("retry-after")?, SystemTime::now())
    }
}

/// Parses a `Retry-After` value relative to `now`: seconds (a fraction too)
/// or an HTTP date; a past date is zero. A negative, non-finite or malformed
/// value is `None` (ignored); a wait longer than [`crate::clock::MAX_DURATION`]
/// (the longest duration setting) is clamped to it, so no later sum overflows.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    let max = crate::clock::MAX_DURATION;
    if let Ok(secs) = v.parse::<f64>() {
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(secs.min(max.as_secs_f64())).unwrap_or(max));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO).min(max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
        let later = now + Duration::from_secs(10);
        let d = parse_retry_after(&httpdate::fmt_http_date(later), now).unwrap();
        assert!(d >= Duration::from_secs(9) && d <= Duration::from_secs(10), "{d:?}");
        let past = now - Duration::from_secs(10);
        assert_eq!(parse_retry_after(&httpdate::fmt_http_date(past), now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    /// Out-of-range `Retry-After` values: ignored or clamped to the longest duration setting.
    #[test]
    fn retry_after_extremes() {
        let now = SystemTime::now();
        let max = crate::clock::MAX_DURATION;
        for (v, want) in [
            ("1e30", Some(max)),
            ("1e308", Some(max)),
            ("18446744073709551616", Some(max)),
            ("10000001", Some(max)),
            ("Fri, 31 Dec 9999 23:59:59 GMT", Some(max)),
            ("-0", Some(Duration::ZERO)),
            ("0.0000000001", Some(Duration::ZERO)),
            ("1e400", None),
            ("-1e400", None),
            ("inf", None),
            ("NaN", None),
            ("-0.5", None),
            ("", None),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(Duration::ZERO)),
            ("Fri, 32 Dec 9999 23:59:59 GMT", None),
        ] {
            assert_eq!(parse_retry_after(v, now), want, "Retry-After: {v}");
        }
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", SystemTime::UNIX_EPOCH), Some(max));
    }

    /// Rate-limit headers that are not whole non-negative numbers are left out.
    #[test]
    fn odd_rate_limit_headers() {
        let r = Response::new(
            200,
            vec![
                ("inin-ratelimit-allowed".into(), "-5".into()),
                ("inin-ratelimit-count".into(), "99999999999999999999999".into()),
                ("inin-ratelimit-reset".into(), " 7 ".into()),
            ],
            Bytes::new(),
        );
        assert_eq!(r.rate_limit, Some(RateLimitInfo { allowed: None, count: None, reset: Some(7) }));
        let r = Response::new(200, vec![("inin-ratelimit-reset".into(), "1.5".into())], Bytes::new());
        assert_eq!(r.rate_limit, None);
    }

    #[test]
    fn headers_parsed() {
        let r = Response::new(
            429,
            vec![
                ("inin-correlation-id".into(), "abc".into()),
                ("inin-ratelimit-allowed".into(), "300".into()),
                ("inin-ratelimit-count".into(), "301".into()),
                ("inin-ratelimit-reset".into(), "12".into()),
                ("Retry-After".into(), "2".into()),
            ],
            Bytes::from_static(b"<html>busy</html>"),
        );
        assert_eq!(r.correlation_id.as_deref(), Some("abc"));
        assert_eq!(r.rate_limit.unwrap().allowed, Some(300));
        assert_eq!(r.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(r.status_text, "Too Many Requests");
        let e = Error::from_response(r);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert!(e.message().contains("<html>busy</html>"));
        assert_eq!(e.response().unwrap().text(), "<html>busy</html>");
    }
}
