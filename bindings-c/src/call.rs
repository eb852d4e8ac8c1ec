//! Calls by operation id: blocking, and asynchronous with a completion callback; both
//! cancellable with a `PurecoreCancel`.

use std::ffi::c_void;
use std::sync::Arc;

use purecore::{Client, Response};
use serde_json::{Map, Value};
use tokio::sync::watch;

use crate::config::UserData;
use crate::values::{new_error, new_response};
use crate::{
    guard, invalid, Fail, FfiResult, Out, PurecoreClient, PurecoreError, PurecoreResponse, PurecoreStatus, PurecoreStr,
};

/// A borrowed header for one call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PurecoreHeaderRef {
    pub name: PurecoreStr,
    pub value: PurecoreStr,
}

/// A cancellation token (opaque, thread-safe). Pass it to any number of calls;
/// `purecore_cancel_cancel` stops them all. Create with `purecore_cancel_new`, free with
/// `purecore_cancel_free` (freeing does not cancel, and may happen while calls run).
pub struct PurecoreCancel {
    tx: Arc<watch::Sender<bool>>,
}

/// Completes when the token is cancelled; never when it is freed uncancelled.
async fn cancelled(rx: Option<watch::Receiver<bool>>) {
    if let Some(mut rx) = rx {
        if rx.wait_for(|c| *c).await.is_ok() {
            return;
        }
    }
    std::future::pending::<()>().await
}

/// Creates a cancellation token; `*cancel_out` is freed with `purecore_cancel_free`.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_cancel_new(
    cancel_out: *mut *mut PurecoreCancel,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(cancel_out);
    guard(error, || {
        let out = Out::new(cancel_out, "cancel_out")?;
        let (tx, _) = watch::channel(false);
        out.set(Box::into_raw(Box::new(PurecoreCancel { tx: Arc::new(tx) })));
        Ok(())
    })
}

/// Cancels every call given this token, now and later. Calls that are waiting stop
/// promptly with `PURECORE_STATUS_CANCELLED`. Idempotent. Does not block.
#[no_mangle]
pub extern "C" fn purecore_cancel_cancel(
    cancel: *const PurecoreCancel,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        // SAFETY: the caller passes NULL or a live token.
        let c = unsafe { cancel.as_ref() }.ok_or_else(|| invalid("cancel must not be NULL"))?;
        c.tx.send_replace(true);
        Ok(())
    })
}

/// Frees a cancellation token (does not cancel). NULL is ignored. Does not block.
///
/// # Safety
/// `cancel` is NULL or a live token; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn purecore_cancel_free(cancel: *mut PurecoreCancel) {
    if !cancel.is_null() {
        // SAFETY: tokens come from purecore_cancel_new.
        crate::free_guard(|| drop(unsafe { Box::from_raw(cancel) }));
    }
}

/// A call's inputs, copied out of the caller's memory.
struct CallInput {
    operation_id: String,
    params: Map<String, Value>,
    headers: Vec<(String, String)>,
    cancel: Option<watch::Receiver<bool>>,
}

fn read_input(
    operation_id: PurecoreStr,
    params_json: PurecoreStr,
    headers: *const PurecoreHeaderRef,
    headers_len: usize,
    cancel: *const PurecoreCancel,
) -> FfiResult<CallInput> {
    let operation_id = operation_id.req("operation_id")?.to_owned();
    let params = match params_json.non_empty("params_json")? {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            Ok(Value::Null) => Map::new(),
            Ok(_) => return Err(invalid("params_json must be a JSON object keyed by the spec's parameter names")),
            Err(e) => return Err(invalid(format!("params_json is not valid JSON: {e}"))),
        },
    };
    let headers = crate::borrowed(headers, headers_len, "headers")?
        .iter()
        .map(|h| Ok((h.name.req("header name")?.to_owned(), h.value.req("header value")?.to_owned())))
        .collect::<FfiResult<Vec<_>>>()?;
    Ok(CallInput { operation_id, params, headers, cancel: subscribe(cancel) })
}

async fn run(client: Client, input: CallInput) -> FfiResult<Response> {
    unless_cancelled(input.cancel, client.call_with_headers(&input.operation_id, &input.params, &input.headers)).await
}

/// Calls an operation of the Platform API by id (`getUsersMe`, `postUsers`...) with its
/// parameters as a JSON object keyed by the spec's names (`{"userId":"...","expand":["presence"]}`;
/// `params_json` NULL or empty means none) and `headers_len` extra headers (may be NULL
/// when 0). Token, refresh, retries and logging apply. `cancel` may be NULL.
///
/// On success (2xx) `*response_out` receives the response (freed with
/// `purecore_response_free`). A non-2xx reply is an error (`PURECORE_STATUS_HTTP_STATUS`,
/// `_AUTHENTICATION`, `_RATE_LIMITED`) whose `response` holds the reply. Blocks until the
/// call completes, fails or is cancelled; must not be called from a purecore callback.
#[no_mangle]
pub extern "C" fn purecore_client_call(
    client: *const PurecoreClient,
    operation_id: PurecoreStr,
    params_json: PurecoreStr,
    headers: *const PurecoreHeaderRef,
    headers_len: usize,
    cancel: *const PurecoreCancel,
    response_out: *mut *mut PurecoreResponse,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(response_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let out = Out::new(response_out, "response_out")?;
        let input = read_input(operation_id, params_json, headers, headers_len, cancel)?;
        let response = c.block_on(run(c.client.clone(), input))??;
        out.set(new_response(&response));
        Ok(())
    })
}

/// Receives the outcome of `purecore_client_call_async`, exactly once, from a purecore
/// thread (or from the thread calling `purecore_client_free`). On success `status` is OK,
/// `response` is set and `error` is NULL; otherwise `response` is NULL and `error` is
/// set. The callback owns both and frees them (`purecore_response_free`,
/// `purecore_error_free`), now or later from any thread. It must return promptly and
/// must not call blocking purecore functions.
pub type PurecoreCallCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: PurecoreStatus,
        response: *mut PurecoreResponse,
        error: *mut PurecoreError,
    ),
>;

/// Calls `callback` exactly once: with the result (converted to its owned C value), or
/// with CANCELLED when the task is dropped first (the client was freed).
pub(crate) struct Completion<T, P> {
    callback: unsafe extern "C" fn(*mut c_void, PurecoreStatus, *mut P, *mut PurecoreError),
    user_data: UserData,
    convert: fn(&T) -> *mut P,
    done: bool,
}

impl<T: Send + 'static, P: 'static> Completion<T, P> {
    pub(crate) fn new(
        callback: unsafe extern "C" fn(*mut c_void, PurecoreStatus, *mut P, *mut PurecoreError),
        user_data: *mut c_void,
        convert: fn(&T) -> *mut P,
    ) -> Self {
        Completion { callback, user_data: UserData(user_data), convert, done: false }
    }

    /// Runs `work` on `runtime` and completes with its result (or with CANCELLED
    /// if the task is dropped first).
    pub(crate) fn spawn(
        mut self,
        runtime: &tokio::runtime::Runtime,
        work: impl std::future::Future<Output = FfiResult<T>> + Send + 'static,
    ) {
        runtime.spawn(async move {
            let result = work.await;
            self.finish(result);
        });
    }
}

impl<T, P> Completion<T, P> {
    fn finish(&mut self, result: FfiResult<T>) {
        self.done = true;
        let data = self.user_data;
        match result {
            // SAFETY: the host registered this callback for this user_data.
            Ok(v) => unsafe { (self.callback)(data.0, PurecoreStatus::Ok, (self.convert)(&v), std::ptr::null_mut()) },
            Err(fail) => {
                let status = fail.status;
                // SAFETY: as above.
                unsafe { (self.callback)(data.0, status, std::ptr::null_mut(), new_error(&fail)) }
            }
        }
    }
}

impl<T, P> Drop for Completion<T, P> {
    fn drop(&mut self) {
        if !self.done {
            let fail = if std::thread::panicking() {
                Fail::from(purecore::Error::internal("panic inside purecore while the call ran"))
            } else {
                Fail::cancelled("the client was freed before the call completed")
            };
            self.finish(Err(fail));
        }
    }
}

/// Runs `fut` unless `cancel` fires first (or already has).
pub(crate) async fn unless_cancelled<T>(
    cancel: Option<watch::Receiver<bool>>,
    fut: impl std::future::Future<Output = purecore::Result<T>>,
) -> FfiResult<T> {
    if cancel.as_ref().is_some_and(|rx| *rx.borrow()) {
        return Err(Fail::cancelled("the call was cancelled before it started"));
    }
    tokio::select! {
        r = fut => Ok(r?),
        () = cancelled(cancel) => Err(Fail::cancelled("the call was cancelled")),
    }
}

/// The receiving end of a cancel token (NULL: none).
pub(crate) fn subscribe(cancel: *const PurecoreCancel) -> Option<watch::Receiver<bool>> {
    // SAFETY: the caller passes NULL or a live token.
    unsafe { cancel.as_ref() }.map(|c| c.tx.subscribe())
}

/// Starts the same call as `purecore_client_call` on the client's runtime and returns at
/// once. When it returns OK, `callback(user_data, ...)` will be called exactly once (see
/// `PurecoreCallCallback`); `user_data` must stay valid until then. When it returns an
/// error (bad arguments), the callback is never called. Inputs are copied before it
/// returns. `cancel` (may be NULL) stops the call promptly, and the callback then gets
/// `PURECORE_STATUS_CANCELLED`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_call_async(
    client: *const PurecoreClient,
    operation_id: PurecoreStr,
    params_json: PurecoreStr,
    headers: *const PurecoreHeaderRef,
    headers_len: usize,
    cancel: *const PurecoreCancel,
    callback: PurecoreCallCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let callback = callback.ok_or_else(|| invalid("callback must not be NULL"))?;
        let input = read_input(operation_id, params_json, headers, headers_len, cancel)?;
        // The runtime first: once the completion exists, it always calls back.
        let runtime = c.runtime()?;
        let completion = Completion::new(callback, user_data, new_response);
        completion.spawn(runtime, run(c.client.clone(), input));
        Ok(())
    })
}
