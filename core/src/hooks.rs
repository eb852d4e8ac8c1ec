//! The host's hooks into a call: what they are told and their types. Plain
//! data and callables, so that settings can hold them without depending on the
//! request engine that calls them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::error::{Error, Result};

/// Told before each retry.
#[derive(Debug, Clone)]
pub struct RetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    pub method: String,
    /// With secret query fields and user-info removed (as logged).
    pub url: String,
    /// The status that caused the retry; None for a network error.
    pub status: Option<u16>,
    pub wait: Duration,
    /// Short reason: `status 429`, `connect error`, `read error`...
    pub reason: String,
}

pub type RetryHook = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// One HTTP exchange (one attempt of a call), as the exchange hook sees it.
/// Carries no bodies, and response headers with secret ones (cookies) masked.
#[derive(Debug, Clone)]
pub struct ExchangeEvent {
    pub method: String,
    /// With secret query fields and user-info removed.
    pub url: String,
    /// None when no reply came (connection error, timeout).
    pub status: Option<u16>,
    pub duration: Duration,
    /// 1 for the first try of a call.
    pub attempt: u32,
    pub correlation_id: Option<String>,
    /// The reply's headers (names in lower case); empty when no reply came.
    pub response_headers: Vec<(String, String)>,
    pub error: Option<String>,
    pub is_token_call: bool,
}

/// Called after every HTTP exchange (see [`ExchangeEvent`]).
#[derive(Clone)]
pub struct ExchangeHook(pub std::sync::Arc<dyn Fn(&ExchangeEvent) + Send + Sync>);

impl ExchangeHook {
    pub fn new(f: impl Fn(&ExchangeEvent) + Send + Sync + 'static) -> Self {
        ExchangeHook(std::sync::Arc::new(f))
    }
}

impl std::fmt::Debug for ExchangeHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExchangeHook")
    }
}

/// A future a hook returns: a host may answer later (a JavaScript promise, a
/// Python coroutine) without holding a thread.
pub type HookFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A request as the request hook sees it: built (URL with its query, every
/// header but the bearer token, the body), before its first send. The hook may
/// change `url`, `headers` and `body`; the call then sends what it returns,
/// retries included. `method` and `operation_id` are for reading.
#[derive(Clone)]
pub struct HookRequest {
    /// The operation (`getUsersMe`) for a call by operation id; None for a raw request.
    pub operation_id: Option<String>,
    pub method: String,
    /// The whole URL, query included. The hook may change its path and query;
    /// a URL on another host (or scheme, or port) is refused: the token goes with it.
    pub url: String,
    /// Default headers, the call's own, `accept` and `content-type`. The
    /// `authorization` header is added at each send (the newest token); one set
    /// here is replaced by it, unless the request is sent without auth.
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
}

impl std::fmt::Debug for HookRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookRequest")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("url", &crate::logging::redact::url(&self.url))
            .field("headers", &crate::logging::redact::headers(&self.headers))
            .field("body", &self.body.as_ref().map(Bytes::len))
            .finish()
    }
}

/// Called once per API call with the built request (see [`HookRequest`]);
/// resolves with the request to send, or an error that ends the call (no
/// request is sent). Token requests never reach it.
#[derive(Clone)]
pub struct RequestHook(pub Arc<dyn Fn(HookRequest) -> HookFuture<Result<HookRequest>> + Send + Sync>);

impl RequestHook {
    /// A hook that answers later (a host's promise or coroutine).
    pub fn new(f: impl Fn(HookRequest) -> HookFuture<Result<HookRequest>> + Send + Sync + 'static) -> Self {
        RequestHook(Arc::new(f))
    }

    /// A hook that changes the request in place, at once.
    pub fn sync(f: impl Fn(&mut HookRequest) -> Result<()> + Send + Sync + 'static) -> Self {
        RequestHook::new(move |mut req| {
            let out = f(&mut req).map(|()| req);
            Box::pin(std::future::ready(out))
        })
    }
}

impl std::fmt::Debug for RequestHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestHook")
    }
}

/// One attempt of an API call as the response hook sees it: every attempt,
/// including those that are retried or resent after a 401.
#[derive(Clone, Debug)]
pub struct HookResponse {
    pub operation_id: Option<String>,
    pub method: String,
    pub url: String,
    /// 1 for the first send of a call.
    pub attempt: u32,
    /// The reply's status; None when no reply came (see `error`).
    pub status: Option<u16>,
    /// The reply's headers (names in lower case); empty when no reply came.
    pub headers: Vec<(String, String)>,
    /// The reply's body (empty when none came or it was too large).
    pub body: Bytes,
    /// Why the attempt failed: no reply (connection, timeout), a body too large,
    /// or a status that is not 2xx (then `status` and `body` say it too).
    pub error: Option<Error>,
}

/// Called after every attempt of an API call (see [`HookResponse`]); an error
/// it resolves with ends the call with that error. Token requests never reach
/// it (their replies carry tokens): the exchange hook covers them.
#[derive(Clone)]
pub struct ResponseHook(pub Arc<dyn Fn(HookResponse) -> HookFuture<Result<()>> + Send + Sync>);

impl ResponseHook {
    pub fn new(f: impl Fn(HookResponse) -> HookFuture<Result<()>> + Send + Sync + 'static) -> Self {
        ResponseHook(Arc::new(f))
    }

    /// A hook that looks at each attempt at once.
    pub fn sync(f: impl Fn(&HookResponse) -> Result<()> + Send + Sync + 'static) -> Self {
        ResponseHook::new(move |resp| Box::pin(std::future::ready(f(&resp))))
    }
}

impl std::fmt::Debug for ResponseHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseHook")
    }
}

/// The request and response hooks of a client, as one call uses them.
#[derive(Clone, Debug, Default)]
pub struct CallHooks {
    pub request: Option<RequestHook>,
    pub response: Option<ResponseHook>,
}

/// Calls a hook and runs its future; a panic in either becomes an `internal`
/// error naming the hook.
pub(crate) async fn guarded<T>(which: &str, call: impl FnOnce() -> HookFuture<Result<T>>) -> Result<T> {
    let panicked = |what: String| Error::internal(format!("the {which} hook panicked: {what}"));
    let fut = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).map_err(|p| panicked(panic_text(&*p)))?;
    CatchPanic(fut).await.unwrap_or_else(|what| Err(panicked(what)))
}

/// The message of a panic.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

/// Runs a future, turning a panic in it into an error (the message of the panic).
pub(crate) struct CatchPanic<F: ?Sized>(pub(crate) std::pin::Pin<Box<F>>);

impl<F: std::future::Future + ?Sized> std::future::Future for CatchPanic<F> {
    type Output = std::result::Result<F::Output, String>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let fut = self.get_mut().0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(payload) => std::task::Poll::Ready(Err(panic_text(&*payload))),
        }
    }
}
