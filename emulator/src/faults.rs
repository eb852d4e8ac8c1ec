//! The reply a `Status` fault produces.

use std::time::{Duration, SystemTime};

use crate::model::RetryAfter;
use crate::reply::{code_for_status, genesys_error, oauth_error, too_many_requests, Reply, JSON};
use crate::state::Area;

/// The `Retry-After` header value.
pub(crate) fn retry_after_value(r: RetryAfter) -> String {
    match r {
        RetryAfter::Seconds(s) => s.to_string(),
        RetryAfter::HttpDate(s) => httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(s)),
    }
}

/// OAuth `error` code for an injected token-endpoint status.
fn oauth_code(status: u16) -> &'static str {
    match status {
        401 => "invalid_client",
        429 => "temporarily_unavailable",
        s if s >= 500 => "server_error",
        _ => "invalid_request",
    }
}

/// Builds the answer of a status fault hitting a request in `area`.
pub(crate) fn status_reply(
    area: Area,
    status: u16,
    retry_after: Option<RetryAfter>,
    body: Option<String>,
    content_type: Option<String>,
    cid: &str,
) -> Reply {
    let mut reply = match body {
        Some(b) => Reply::new(status, Some(content_type.as_deref().unwrap_or(JSON)), b),
        None => {
            let mut r = match (area, status) {
                (Area::Token, s) => {
                    oauth_error(s, oauth_code(s), &format!("Injected fault: HTTP {s} from the token endpoint"))
                }
                (Area::Api, 429) => too_many_requests(cid, retry_after.map_or(1, |r| r.seconds())),
                (Area::Api, s) => {
                    let (code, message) = code_for_status(s);
                    genesys_error(s, code, message, cid)
                }
            };
            if let Some(ct) = content_type {
                r.headers.retain(|(n, _)| n != "content-type");
                r.headers.push(("content-type".into(), ct));
            }
            r
        }
    };
    if let Some(r) = retry_after {
        reply = reply.header("retry-after", retry_after_value(r));
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bodies() {
        let r = status_reply(Area::Api, 503, None, None, None, "cid");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["code"], "service.unavailable");
        assert_eq!(v["status"], 503);
        assert_eq!(v["contextId"], "cid");
        let r = status_reply(Area::Token, 500, None, None, None, "cid");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"], "server_error");
        let r = status_reply(Area::Api, 429, Some(RetryAfter::Seconds(7)), None, None, "c");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["code"], "too.many.requests.retry.after");
        assert!(v["message"].as_str().unwrap().contains("[7]"));
        assert!(r.headers.contains(&("retry-after".into(), "7".into())));
        let r = status_reply(
            Area::Api,
            502,
            Some(RetryAfter::HttpDate(5)),
            Some("<html/>".into()),
            Some("text/html".into()),
            "c",
        );
        assert!(r.headers.contains(&("content-type".into(), "text/html".into())));
        let date = &r.headers.iter().find(|(n, _)| n == "retry-after").unwrap().1;
        assert!(httpdate::parse_http_date(date).is_ok());
    }
}
