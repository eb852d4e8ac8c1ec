//! Rust values to JavaScript objects and back: responses, errors, tokens.
//! Nothing here decides behaviour; it only reshapes what the core returns.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Poll;

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;

/// A reply, successful or not, as the JS facade receives it.
#[napi(object)]
pub struct JsResponse {
    pub status: u32,
    pub status_text: String,
    /// Lower-case names; repeated headers joined with ", ".
    pub headers: HashMap<String, String>,
    /// The body as text when it is UTF-8, else the bytes.
    pub body: Either<String, Buffer>,
    pub content_type: Option<String>,
    pub correlation_id: Option<String>,
    pub rate_limit: Option<JsRateLimit>,
    /// How many times the request was sent.
    pub attempts: u32,
    /// The operation declares a JSON reply and the body was checked to be JSON.
    pub json: bool,
}

#[napi(object)]
pub struct JsRateLimit {
    pub allowed: Option<f64>,
    pub count: Option<f64>,
    /// Seconds until the window resets.
    pub reset: Option<f64>,
}

/// A core error with every field the facade puts on its Error subclasses.
#[napi(object)]
pub struct ErrorFields {
    /// `authentication`, `http_status`, `rate_limited`, `timeout`, `connection`,
    /// `invalid_argument`, `configuration`, `decoding`, `internal`.
    pub kind: String,
    pub message: String,
    pub status: Option<u32>,
    pub status_text: Option<String>,
    pub code: Option<String>,
    pub context_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Seconds, from `Retry-After`.
    pub retry_after: Option<f64>,
    pub oauth_error: Option<String>,
    pub oauth_error_description: Option<String>,
    pub retryable: bool,
    pub headers: Option<HashMap<String, String>>,
    /// The reply's body as text.
    pub text: Option<String>,
}

/// The result of an API call: exactly one of the two is set.
#[napi(object)]
pub struct CallOutcome {
    pub response: Option<JsResponse>,
    pub error: Option<ErrorFields>,
}

/// The result of a grant: exactly one of the two is set.
#[napi(object)]
pub struct AuthOutcome {
    pub auth: Option<JsAuthData>,
    pub error: Option<ErrorFields>,
}

/// A token; `tokenExpiryTime` is milliseconds since the Unix epoch, as the official SDK's.
#[napi(object)]
pub struct JsAuthData {
    pub access_token: String,
    pub token_type: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<f64>,
    pub token_expiry_time: Option<f64>,
    pub state: Option<String>,
}

pub fn headers(list: &[(String, String)]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::with_capacity(list.len());
    for (k, v) in list {
        out.entry(k.clone()).and_modify(|e| {
            e.push_str(", ");
            e.push_str(v);
        });
        out.entry(k.clone()).or_insert_with(|| v.clone());
    }
    out
}

pub fn response(r: purecore::Response) -> JsResponse {
    let content_type = r.header("content-type").map(str::to_owned);
    let body = match String::from_utf8(r.body.to_vec()) {
        Ok(s) => Either::A(s),
        Err(e) => Either::B(Buffer::from(e.into_bytes())),
    };
    JsResponse {
        status: u32::from(r.status),
        status_text: r.status_text,
        headers: headers(&r.headers),
        body,
        content_type,
        correlation_id: r.correlation_id,
        rate_limit: r.rate_limit.map(|l| JsRateLimit {
            allowed: l.allowed.map(|v| v as f64),
            count: l.count.map(|v| v as f64),
            reset: l.reset.map(|v| v as f64),
        }),
        attempts: r.attempts,
        json: false,
    }
}

/// Whether an operation's reply must be JSON: it declares a body that is not text or a file,
/// and produces `application/json` (the default).
pub fn declares_json(op: &purecore::catalog::Operation) -> bool {
    use purecore::catalog::TypeRef;
    let json_media = op.produces.as_deref().is_none_or(|m| m.to_ascii_lowercase().contains("json"));
    json_media && matches!(&op.response, Some(t) if !matches!(t, TypeRef::String { .. } | TypeRef::File))
}

/// A reply to an operation that declares JSON: the reply, or a `decoding` error carrying
/// the status, headers and raw text when the body is not JSON (HTML, not UTF-8...).
pub fn checked_json(r: purecore::Response) -> CallOutcome {
    if r.body.iter().all(u8::is_ascii_whitespace) {
        return call_fields(Ok(response(r)));
    }
    let why = match std::str::from_utf8(&r.body) {
        Err(_) => Some("is not UTF-8 text".to_owned()),
        Ok(text) => {
            serde_json::from_str::<serde::de::IgnoredAny>(text).err().map(|e| format!("is not valid JSON ({e})"))
        }
    };
    match why {
        None => {
            let mut out = response(r);
            out.json = true;
            call_fields(Ok(out))
        }
        Some(why) => CallOutcome {
            response: None,
            error: Some(ErrorFields {
                kind: "decoding".into(),
                message: format!(
                    "the reply (HTTP {} {}, content-type {}) {why}; the operation declares a JSON body",
                    r.status,
                    r.status_text,
                    r.header("content-type").unwrap_or("none")
                ),
                status: Some(u32::from(r.status)),
                status_text: Some(r.status_text.clone()),
                code: None,
                context_id: None,
                correlation_id: r.correlation_id.clone(),
                retry_after: None,
                oauth_error: None,
                oauth_error_description: None,
                retryable: false,
                headers: Some(headers(&r.headers)),
                text: Some(r.text().into_owned()),
            }),
        },
    }
}

pub fn error(e: &purecore::Error) -> ErrorFields {
    let resp = e.response();
    ErrorFields {
        kind: e.kind().as_str().to_owned(),
        message: e.message().to_owned(),
        status: e.status().map(u32::from),
        status_text: resp.map(|r| r.status_text.clone()),
        code: e.code().map(str::to_owned),
        context_id: e.context_id().map(str::to_owned),
        correlation_id: e.correlation_id().map(str::to_owned),
        retry_after: e.retry_after().map(|d| d.as_secs_f64()),
        oauth_error: e.oauth_error().map(str::to_owned),
        oauth_error_description: e.oauth_error_description().map(str::to_owned),
        retryable: e.is_retryable(),
        headers: resp.map(|r| headers(&r.headers)),
        text: resp.map(|r| r.text().into_owned()),
    }
}

pub fn call_outcome(r: purecore::Result<purecore::Response>) -> CallOutcome {
    call_fields(r.map(response))
}

/// An outcome from a reply already converted (or the error of the call).
pub fn call_fields(r: purecore::Result<JsResponse>) -> CallOutcome {
    match r {
        Ok(r) => CallOutcome { response: Some(r), error: None },
        Err(e) => CallOutcome { response: None, error: Some(error(&e)) },
    }
}

pub fn auth(a: &purecore::AuthData) -> JsAuthData {
    JsAuthData {
        access_token: a.access_token.expose().to_owned(),
        token_type: a.token_type.clone(),
        refresh_token: a.refresh_token.as_ref().map(|s| s.expose().to_owned()),
        expires_in: a.expires_in.map(|v| v as f64),
        token_expiry_time: a.expires_at_millis().map(|v| v as f64),
        state: a.state.clone(),
    }
}

pub fn auth_outcome(r: purecore::Result<purecore::AuthData>) -> AuthOutcome {
    match r {
        Ok(a) => AuthOutcome { auth: Some(auth(&a)), error: None },
        Err(e) => AuthOutcome { auth: None, error: Some(error(&e)) },
    }
}

/// The status string a thrown error carries as its `code`: the core's error kind.
pub struct Kind(pub String);

impl AsRef<str> for Kind {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<napi::Status> for Kind {
    fn from(s: napi::Status) -> Self {
        Kind(format!("napi_{}", s.as_ref()))
    }
}

/// A thrown error: `code` is the core's error kind, the message is the core's.
pub type Thrown = napi::Error<Kind>;
pub type JsResult<T> = std::result::Result<T, Thrown>;

pub fn thrown(e: purecore::Error) -> Thrown {
    napi::Error::new(Kind(e.kind().as_str().to_owned()), e.message().to_owned())
}

/// A failure of napi itself (e.g. creating a threadsafe function): an `internal` error.
pub fn napi_error(e: napi::Error) -> Thrown {
    napi::Error::new(Kind("internal".into()), format!("internal error in the Node addon: {}", e.reason))
}

pub fn invalid(message: impl Into<String>) -> Thrown {
    thrown(purecore::Error::invalid_argument(message))
}

/// The `internal` error a panic becomes: a bug, reported instead of aborting the process.
pub fn panic_error(payload: Box<dyn Any + Send>) -> purecore::Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    purecore::Error::internal(format!("internal error in purecore (a bug; please report it): {what}"))
}

/// Runs the body of a synchronous entry point: a panic becomes a thrown `internal` error
/// (unwinding into Node would abort the process).
pub fn sync<T>(body: impl FnOnce() -> JsResult<T>) -> JsResult<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(thrown(panic_error(p))))
}

/// Runs the future of an asynchronous entry point: a panic while polling it becomes an
/// `internal` error instead of napi's untyped "Panic in async function".
pub async fn caught<T>(fut: impl Future<Output = T>) -> Result<T, purecore::Error> {
    let mut fut = Box::pin(fut);
    std::future::poll_fn(move |cx| match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
        Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(p) => Poll::Ready(Err(panic_error(p))),
    })
    .await
}

/// A setting's error as thrown: the core's range rule, with its wording.
pub fn setting<T>(r: purecore::Result<T>) -> JsResult<T> {
    r.map_err(thrown)
}
