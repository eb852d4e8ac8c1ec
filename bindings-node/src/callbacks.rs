//! JavaScript callbacks the core calls from its own threads: the token
//! callback, the retry hook and the log sink. Each is a *weak* threadsafe
//! function, so a registered callback never keeps the event loop alive.
//! Calls are queued (non-blocking); the facade wraps every user function so
//! that it never throws into the native layer.

use std::sync::Arc;

use napi::bindgen_prelude::{Function, Promise, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::convert::{self, JsAuthData};

type Weak<T> = ThreadsafeFunction<T, Unknown<'static>, T, napi::Status, false, true>;

fn weak<T: 'static + napi::bindgen_prelude::ToNapiValue>(
    f: &Function<'_, T, Unknown<'static>>,
) -> napi::Result<Weak<T>> {
    f.build_threadsafe_function::<T>().weak::<true>().callee_handled::<false>().build()
}

/// What the retry hook receives before each retry.
#[napi(object)]
pub struct JsRetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    pub method: String,
    pub url: String,
    pub status: Option<u32>,
    pub wait_ms: f64,
    pub reason: String,
}

/// One log line and its level (`error`, `debug`, `trace`).
#[napi(object)]
pub struct JsLogLine {
    pub level: String,
    pub line: String,
}

pub fn retry_hook(f: &Function<'_, JsRetryEvent, Unknown<'static>>) -> napi::Result<purecore::RetryHook> {
    let tsfn = weak(f)?;
    Ok(Arc::new(move |ev: &purecore::RetryEvent| {
        let ev = JsRetryEvent {
            attempt: ev.attempt,
            method: ev.method.clone(),
            url: ev.url.clone(),
            status: ev.status.map(u32::from),
            wait_ms: ev.wait.as_secs_f64() * 1000.0,
            reason: ev.reason.clone(),
        };
        tsfn.call(ev, ThreadsafeFunctionCallMode::NonBlocking);
    }))
}

pub fn log_sink(f: &Function<'_, JsLogLine, Unknown<'static>>) -> napi::Result<purecore::logging::LogSink> {
    let tsfn = weak(f)?;
    Ok(Arc::new(move |level: purecore::LogLevel, line: &str| {
        let line = JsLogLine { level: level.as_str().to_owned(), line: line.to_owned() };
        tsfn.call(line, ThreadsafeFunctionCallMode::NonBlocking);
    }))
}

pub fn token_callback(f: &Function<'_, JsAuthData, Unknown<'static>>) -> napi::Result<purecore::TokenCallback> {
    let tsfn = weak(f)?;
    Ok(Arc::new(move |auth: &purecore::AuthData| {
        tsfn.call(convert::auth(auth), ThreadsafeFunctionCallMode::NonBlocking);
    }))
}

/// What the request hook receives: an API call's request once built (the bearer token is
/// added at each send). Headers are `[name, value]` pairs in order; the body is text.
#[napi(object)]
pub struct JsHookRequest {
    pub operation_id: Option<String>,
    pub method: String,
    pub url: String,
    pub headers: Vec<Vec<String>>,
    pub body: Option<String>,
}

/// What the request hook resolves with: the request to send, or the hook's error.
#[napi(object)]
pub struct JsHookChange {
    pub url: String,
    pub headers: Vec<Vec<String>>,
    pub body: Option<String>,
    /// The hook threw this (its message); the call fails with it and nothing is sent.
    pub error: Option<String>,
}

type HookFn = ThreadsafeFunction<JsHookRequest, Promise<JsHookChange>, JsHookRequest, napi::Status, false, true>;

/// The core's request hook, answered by a JavaScript function that resolves with the
/// change (the facade wraps the user's hook, so it never throws into here).
pub fn request_hook(f: &Function<'_, JsHookRequest, Promise<JsHookChange>>) -> napi::Result<purecore::RequestHook> {
    let tsfn: Arc<HookFn> =
        Arc::new(f.build_threadsafe_function::<JsHookRequest>().weak::<true>().callee_handled::<false>().build()?);
    Ok(purecore::RequestHook::new(move |req: purecore::HookRequest| {
        let tsfn = tsfn.clone();
        Box::pin(async move {
            let original = req.body.clone();
            let text = original.as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
            let js = JsHookRequest {
                operation_id: req.operation_id.clone(),
                method: req.method.clone(),
                url: req.url.clone(),
                headers: req.headers.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect(),
                body: text.clone(),
            };
            let failed =
                |e: napi::Error| purecore::Error::internal(format!("the request hook could not run: {}", e.reason));
            let change = tsfn.call_async(js).await.map_err(failed)?.await.map_err(failed)?;
            if let Some(msg) = change.error {
                return Err(purecore::Error::invalid_argument(format!("the pre-hook threw: {msg}")));
            }
            let mut headers = Vec::with_capacity(change.headers.len());
            for pair in change.headers {
                match <[String; 2]>::try_from(pair) {
                    Ok([k, v]) => headers.push((k, v)),
                    Err(_) => {
                        return Err(purecore::Error::invalid_argument(
                            "the pre-hook gave a header that is not a [name, value] pair",
                        ))
                    }
                }
            }
            // An unchanged body keeps its bytes (text was lossy for non-UTF-8 bodies).
            let body = if change.body == text { original } else { change.body.map(|s| s.into_bytes().into()) };
            Ok(purecore::HookRequest { url: change.url, headers, body, ..req })
        })
    }))
}

/// What the response hook receives: one attempt of an API call (every attempt, retried
/// ones included). `response` is the reply (none when no reply came); `error` says why
/// the attempt failed (none when it succeeded).
#[napi(object)]
pub struct JsHookResponse {
    pub operation_id: Option<String>,
    pub method: String,
    pub url: String,
    /// 1 for the first send.
    pub attempt: u32,
    pub response: Option<convert::JsResponse>,
    pub error: Option<convert::ErrorFields>,
}

/// What the response hook resolves with: nothing, or the hook's error (the call fails with it).
#[napi(object)]
pub struct JsHookVerdict {
    /// The hook threw this (its message); the call fails with it.
    pub error: Option<String>,
}

type ResponseHookFn =
    ThreadsafeFunction<JsHookResponse, Promise<JsHookVerdict>, JsHookResponse, napi::Status, false, true>;

/// The core's response hook, answered by a JavaScript function that resolves once the
/// user's post-hook is done with the attempt (the facade wraps it, so it never throws into here).
pub fn response_hook(f: &Function<'_, JsHookResponse, Promise<JsHookVerdict>>) -> napi::Result<purecore::ResponseHook> {
    let tsfn: Arc<ResponseHookFn> =
        Arc::new(f.build_threadsafe_function::<JsHookResponse>().weak::<true>().callee_handled::<false>().build()?);
    Ok(purecore::ResponseHook::new(move |seen: purecore::HookResponse| {
        let tsfn = tsfn.clone();
        Box::pin(async move {
            let response = seen.status.map(|status| {
                let mut r = purecore::Response::new(status, seen.headers.clone(), seen.body.clone());
                r.attempts = seen.attempt;
                convert::response(r)
            });
            let js = JsHookResponse {
                operation_id: seen.operation_id.clone(),
                method: seen.method.clone(),
                url: seen.url.clone(),
                attempt: seen.attempt,
                response,
                error: seen.error.as_ref().map(convert::error),
            };
            let failed =
                |e: napi::Error| purecore::Error::internal(format!("the response hook could not run: {}", e.reason));
            let verdict = tsfn.call_async(js).await.map_err(failed)?.await.map_err(failed)?;
            match verdict.error {
                Some(msg) => Err(purecore::Error::invalid_argument(format!("the post-hook threw: {msg}"))),
                None => Ok(()),
            }
        })
    }))
}
