//! The raw request API: method, path, query, headers, body.

use bytes::Bytes;

use crate::error::{Error, Result};

/// A request body. Its `Debug` shows sizes and field names, never values
/// that may be secrets (form fields such as `client_secret` are masked).
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    None,
    /// Serialized JSON, sent as `application/json`.
    Json(Bytes),
    /// Form fields, sent as `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
    /// Bytes with their content type.
    Raw { content_type: String, bytes: Bytes },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Json(b) => write!(f, "Json(<{} bytes>)", b.len()),
            Body::Form(fields) => {
                let shown: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        let pair = url::form_urlencoded::Serializer::new(String::new()).append_pair(k, v).finish();
                        crate::logging::redact::form(&pair)
                    })
                    .collect();
                write!(f, "Form({})", shown.join("&"))
            }
            Body::Raw { content_type, bytes } => write!(f, "Raw({content_type}, <{} bytes>)", bytes.len()),
        }
    }
}

/// A request to the API host. Its `Debug` masks secret headers, secret query
/// fields and bodies.
#[derive(Clone)]
pub struct Request {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path below the API base, starting with `/` (`/api/v2/users/me`); may
    /// carry a query (`/api/v2/users?pageNumber=2`, as `nextUri` values do).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Send the bearer token. Default true.
    pub auth: bool,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| {
                let pair = url::form_urlencoded::Serializer::new(String::new()).append_pair(k, v).finish();
                crate::logging::redact::form(&pair)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &crate::logging::redact::url(&self.path))
            .field("query", &query)
            .field("headers", &crate::logging::redact::headers(&self.headers))
            .field("body", &self.body)
            .field("auth", &self.auth)
            .finish()
    }
}

impl Request {
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        Request {
            method: method.trim().to_ascii_uppercase(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            auth: true,
        }
    }
    pub fn get(path: impl Into<String>) -> Self {
        Self::new("GET", path)
    }
    pub fn post(path: impl Into<String>) -> Self {
        Self::new("POST", path)
    }
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn json(mut self, value: &serde_json::Value) -> Self {
        self.body = Body::Json(Bytes::from(value.to_string()));
        self
    }
    pub fn without_auth(mut self) -> Self {
        self.auth = false;
        self
    }

    /// Checks the parts a caller controls; errors name the problem.
    pub fn validate(&self) -> Result<()> {
        hyper::http::Method::from_bytes(self.method.as_bytes())
            .map_err(|_| Error::invalid_argument(format!("'{}' is not an HTTP method", self.method)))?;
        if !self.path.starts_with('/') || self.path.starts_with("//") || self.path.contains("://") {
            return Err(Error::invalid_argument(format!(
                "path '{}' must be a path on the API host starting with '/', not a URL",
                self.path
            )));
        }
        if self.path.contains('#') || self.path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_argument(format!(
                "path '{}' has characters that must be percent-encoded",
                self.path
            )));
        }
        for (k, v) in &self.headers {
            check_header(k, v)?;
        }
        Ok(())
    }
}

/// Checks a header name and value (RFC 7230 token name, no CR/LF in the value).
pub fn check_header(name: &str, value: &str) -> Result<()> {
    hyper::http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_argument(format!("'{name}' is not a valid header name")))?;
    hyper::http::HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_argument(format!("the value of header '{name}' has characters a header cannot carry"))
    })?;
    Ok(())
}
