//! A fully read request, and which endpoint family its path belongs to.

use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::Method;

/// A request with its body read, its gateway prefix split off and its correlation id.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub method: Method,
    /// The path as received.
    pub path: String,
    /// The path with the gateway prefix removed (`/oauth/...`, `/api/v2/...`, ...).
    pub route_path: String,
    pub prefix: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The `inin-correlation-id` of the answer (also used as `contextId`).
    pub cid: String,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_bytes()).into_owned().collect()
    }

    /// All values of a query key, with comma-separated values split.
    pub fn query_list(&self, key: &str) -> Vec<String> {
        self.query_pairs()
            .into_iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>())
            .collect()
    }

    /// The first value of a query key.
    pub fn query_first(&self, key: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The body parsed as `application/x-www-form-urlencoded`.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The media type of `Content-Type` in lowercase, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|ct| ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    }
}

/// What a path addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Token,
    Authorize,
    /// Another path under `/oauth/`.
    OauthOther,
    Api,
    Admin,
    Health,
    Other,
}

/// Splits a gateway prefix off `path`: everything before the first `/oauth/` or `/api/v2`
/// segment. Returns `(prefix, rest)`; the prefix is empty when there is none.
pub(crate) fn split_prefix(path: &str) -> (&str, &str) {
    for (i, _) in path.match_indices('/') {
        let rest = &path[i..];
        let api = rest.strip_prefix("/api/v2").is_some_and(|after| after.is_empty() || after.starts_with('/'));
        if api || rest.starts_with("/oauth/") {
            return (&path[..i], rest);
        }
    }
    ("", path)
}

pub(crate) fn classify(prefix: &str, route_path: &str) -> Endpoint {
    if route_path == "/oauth/token" {
        Endpoint::Token
    } else if route_path == "/oauth/authorize" {
        Endpoint::Authorize
    } else if route_path.starts_with("/oauth/") {
        Endpoint::OauthOther
    } else if route_path == "/api/v2" || route_path.starts_with("/api/v2/") {
        Endpoint::Api
    } else if !prefix.is_empty() {
        Endpoint::Other
    } else if route_path == "/admin" || route_path.starts_with("/admin/") {
        Endpoint::Admin
    } else if route_path == "/health" {
        Endpoint::Health
    } else {
        Endpoint::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(split_prefix("/oauth/token"), ("", "/oauth/token"));
        assert_eq!(split_prefix("/login/oauth/token"), ("/login", "/oauth/token"));
        assert_eq!(split_prefix("/gw/api/api/v2/users/me"), ("/gw/api", "/api/v2/users/me"));
        assert_eq!(split_prefix("/api/v2/users/x/oauth/y"), ("", "/api/v2/users/x/oauth/y"));
        assert_eq!(split_prefix("/api/v20/x"), ("", "/api/v20/x"));
        assert_eq!(split_prefix("/admin/counters"), ("", "/admin/counters"));
        assert_eq!(split_prefix("/x/api/v2"), ("/x", "/api/v2"));
    }

    #[test]
    fn endpoints() {
        assert_eq!(classify("", "/oauth/token"), Endpoint::Token);
        assert_eq!(classify("/login", "/oauth/authorize"), Endpoint::Authorize);
        assert_eq!(classify("", "/api/v2/users"), Endpoint::Api);
        assert_eq!(classify("", "/admin/reset"), Endpoint::Admin);
        assert_eq!(classify("", "/health"), Endpoint::Health);
        assert_eq!(classify("", "/nope"), Endpoint::Other);
    }
}
