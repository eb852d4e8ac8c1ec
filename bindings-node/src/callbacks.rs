//! JavaScript callbacks the core calls from its own threads: the token
//! callback, the retry hook and the log sink. Each is a *weak* threadsafe
//! function, so a registered callback never keeps the event loop alive.
//! Calls are queued (non-blocking); the facade wraps every user function so
//! that it never throws into the native layer.

use std::sync::Arc;

use napi::bindgen_prelude::{Function, Unknown};
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
