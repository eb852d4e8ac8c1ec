//! One error type for every failure, with a stable machine-readable [`ErrorKind`].
//!
//! An [`Error`] keeps everything the server said: status, Genesys error `code`,
//! message, context id, correlation id, `Retry-After`, and the whole
//! [`Response`] (headers and body) when there was one. Its `Display` and
//! `Debug` never contain a secret: messages are built from server replies and
//! our own text, never from credentials.

use std::fmt;
use std::time::Duration;

use crate::response::Response;

/// Stable category of an error; bindings map it to their own exception classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A grant failed, the token was rejected (401), or a refresh failed.
    Authentication,
    /// The server answered with a non-success status other than 401 and 429.
    HttpStatus,
    /// 429 Too Many Requests (after retries ran out or were not allowed).
    RateLimited,
    /// The request or the token refresh wait took too long.
    Timeout,
    /// The connection could not be made, or broke while reading the reply.
    Connection,
    /// The caller passed a bad argument (missing required parameter, bad header...).
    InvalidArgument,
    /// Settings are unusable (unknown region, malformed URL, bad config file...).
    Configuration,
    /// The server's reply could not be decoded (e.g. a token reply that is not JSON),
    /// or is too large: its body is over `max_response_body_bytes` (or
    /// `max_error_body_bytes`, `max_token_response_bytes`). A too-large reply is not
    /// retried; its error keeps the status and headers (the response has no body).
    Decoding,
    /// A bug in purecore or a host callback that panicked.
    Internal,
}

impl ErrorKind {
    /// The stable string used by every binding (`"authentication"`, `"rate_limited"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "authentication",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Configuration => "configuration",
            ErrorKind::Decoding => "decoding",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every purecore operation. Cheap to clone (one allocation).
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    code: Option<String>,
    context_id: Option<String>,
    correlation_id: Option<String>,
    retry_after: Option<Duration>,
    oauth_error: Option<String>,
    oauth_error_description: Option<String>,
    response: Option<Response>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A non-empty string field of a JSON reply.
fn text_field(body: Option<&serde_json::Value>, name: &str) -> Option<String> {
    body?.get(name)?.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                code: None,
                context_id: None,
                correlation_id: None,
                retry_after: None,
                oauth_error: None,
                oauth_error_description: None,
                response: None,
            }),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn configuration(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Configuration, message)
    }

    pub fn authentication(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Authentication, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// Builds the error for a non-success API reply, reading the Genesys error
    /// body (`{message, code, status, contextId}`) when it is JSON and keeping
    /// the text otherwise.
    pub fn from_response(response: Response) -> Self {
        let status = response.status;
        let kind = match status {
            401 => ErrorKind::Authentication,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::HttpStatus,
        };
        let parsed = response.json_value().ok();
        let field = |name: &str| text_field(parsed.as_ref(), name);
        let code = field("code");
        let context_id = field("contextId");
        let server_message = field("message");
        let message = match server_message {
            Some(m) => m,
            None => {
                let text = response.text();
                let snippet: String = text.trim().chars().take(200).collect();
                if snippet.is_empty() {
                    format!("HTTP {} {} with an empty body", status, response.status_text)
                } else {
                    format!("HTTP {} {}: {}", status, response.status_text, snippet)
                }
            }
        };
        let mut err = Error::new(kind, message);
        err.inner.status = Some(status);
        err.inner.code = code;
        err.inner.context_id = context_id;
        err.inner.correlation_id = response.correlation_id.clone();
        err.inner.retry_after = response.retry_after();
        err.inner.response = Some(response);
        err
    }

    /// Builds the error for a failed OAuth token request, keeping the server's
    /// `error` and `error_description`.
    pub fn from_token_response(response: Response) -> Self {
        let parsed = response.json_value().ok();
        let field = |name: &str| text_field(parsed.as_ref(), name);
        let oauth_error = field("error").or_else(|| field("code"));
        let description = field("error_description").or_else(|| field("description")).or_else(|| field("message"));
        let mut message = format!("token request failed with HTTP {}", response.status);
        if let Some(e) = &oauth_error {
            message.push_str(&format!(": {e}"));
        }
        if let Some(d) = &description {
            message.push_str(&format!(" ({d})"));
        }
        if oauth_error.is_none() && description.is_none() {
            let snippet: String = response.text().trim().chars().take(200).collect();
            if !snippet.is_empty() {
                message.push_str(&format!(": {snippet}"));
            }
        }
        let kind = if response.status == 429 { ErrorKind::RateLimited } else { ErrorKind::Authentication };
        let mut err = Error::new(kind, message);
        err.inner.status = Some(response.status);
        err.inner.code = oauth_error.clone();
        err.inner.oauth_error = oauth_error;
        err.inner.oauth_error_description = description;
        err.inner.correlation_id = response.correlation_id.clone();
        err.inner.retry_after = response.retry_after();
        err.inner.response = Some(response);
        err
    }

    pub(crate) fn with_oauth(mut self, error: String, description: Option<String>) -> Self {
        self.inner.code = Some(error.clone());
        self.inner.oauth_error = Some(error);
        self.inner.oauth_error_description = description;
        self
    }

    /// Keeps the status and headers of a reply whose body could not be read.
    pub(crate) fn with_partial_response(mut self, response: Response) -> Self {
        self.inner.status = Some(response.status);
        self.inner.correlation_id = response.correlation_id.clone();
        self.inner.response = Some(response);
        self
    }

    /// Records on the response how many times the request was sent.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        if let Some(r) = self.inner.response.as_mut() {
            r.attempts = attempts;
        }
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = message.into();
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// HTTP status of the reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// Genesys error code (`bad.credentials`, `too.many.requests.retry.after`) or OAuth `error`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    pub fn context_id(&self) -> Option<&str> {
        self.inner.context_id.as_deref()
    }
    /// Value of the `inin-correlation-id` header of the reply.
    pub fn correlation_id(&self) -> Option<&str> {
        self.inner.correlation_id.as_deref()
    }
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// OAuth `error` of a failed grant (`invalid_client`, `invalid_grant`...).
    pub fn oauth_error(&self) -> Option<&str> {
        self.inner.oauth_error.as_deref()
    }
    /// OAuth `error_description` of a failed grant.
    pub fn oauth_error_description(&self) -> Option<&str> {
        self.inner.oauth_error_description.as_deref()
    }
    /// The full reply (status, headers, body) when the server answered.
    pub fn response(&self) -> Option<&Response> {
        self.inner.response.as_ref()
    }
    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::RateLimited | ErrorKind::Timeout | ErrorKind::Connection => true,
            ErrorKind::HttpStatus => matches!(self.status(), Some(408 | 500 | 502 | 503 | 504)),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.message)?;
        if let Some(status) = self.inner.status {
            write!(f, " [status {status}")?;
            if let Some(code) = &self.inner.code {
                write!(f, ", code {code}")?;
            }
            if let Some(cid) = &self.inner.correlation_id {
                write!(f, ", correlation id {cid}")?;
            }
            write!(f, "]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field("correlation_id", &self.inner.correlation_id)
            .field("retry_after", &self.inner.retry_after)
            .finish()
    }
}

impl std::error::Error for Error {}
/// Decoding a reply's body: here, beside the error it fails with, so that
/// `response` depends on nothing.
impl Response {
    /// The body parsed as JSON; an empty body is `null`.
    pub fn json_value(&self) -> Result<serde_json::Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::new(ErrorKind::Decoding, format!("response body is not valid JSON: {e}")))
    }

    /// The body decoded into `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::new(ErrorKind::Decoding, format!("response body does not decode: {e}")))
    }
}
