//! Owned outputs: responses, errors and token data, each with its own free function.
//!
//! Each public struct is the first field of a private box that owns the memory its
//! pointers point to, so one free releases everything.

use std::ffi::{c_char, CString};
use std::ptr;

use purecore::{AuthData, Response};

use crate::{c_string, Fail, PurecoreStatus};

/// One response header. Both strings are NUL-terminated; names are lower case.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreHeader {
    pub name: *const c_char,
    pub value: *const c_char,
}

/// A reply from the server (the "extended response"). Owned by the caller, who frees it
/// with `purecore_response_free` (or by the error that holds it). All pointers stay
/// valid until then and are read-only.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreResponse {
    /// HTTP status, e.g. 200.
    pub status: u16,
    /// The reason phrase, e.g. "OK" (may be empty).
    pub status_text: *const c_char,
    /// `headers_len` headers in the order received.
    pub headers: *const PurecoreHeader,
    pub headers_len: usize,
    /// `body_len` bytes (followed by a NUL that is not counted); NULL when empty.
    pub body: *const u8,
    pub body_len: usize,
    /// The `inin-correlation-id` header; NULL when absent.
    pub correlation_id: *const c_char,
    /// How many times the request was sent (1 when it was not retried).
    pub attempts: u32,
    /// `inin-ratelimit-allowed`, `-count`, `-reset` (seconds); -1 when absent.
    pub rate_limit_allowed: i64,
    pub rate_limit_count: i64,
    pub rate_limit_reset: i64,
}

#[repr(C)]
struct ResponseBox {
    view: PurecoreResponse,
    _strings: Vec<CString>,
    _headers: Vec<PurecoreHeader>,
    _body: Vec<u8>,
}

fn opt_i64(v: Option<u64>) -> i64 {
    v.and_then(|n| i64::try_from(n).ok()).unwrap_or(-1)
}

fn response_box(r: &Response) -> Box<ResponseBox> {
    let mut strings = Vec::with_capacity(2 + 2 * r.headers.len());
    let mut keep = |s: &str| -> *const c_char {
        let c = c_string(s);
        let p = c.as_ptr();
        strings.push(c);
        p
    };
    let status_text = keep(&r.status_text);
    let correlation_id = r.correlation_id.as_deref().map(&mut keep).unwrap_or(ptr::null());
    let headers: Vec<PurecoreHeader> =
        r.headers.iter().map(|(k, v)| PurecoreHeader { name: keep(k), value: keep(v) }).collect();
    let mut body = Vec::with_capacity(r.body.len() + 1);
    body.extend_from_slice(&r.body);
    body.push(0);
    let rl = r.rate_limit;
    Box::new(ResponseBox {
        view: PurecoreResponse {
            status: r.status,
            status_text,
            headers: if headers.is_empty() { ptr::null() } else { headers.as_ptr() },
            headers_len: headers.len(),
            body: if r.body.is_empty() { ptr::null() } else { body.as_ptr() },
            body_len: r.body.len(),
            correlation_id,
            attempts: r.attempts,
            rate_limit_allowed: opt_i64(rl.and_then(|l| l.allowed)),
            rate_limit_count: opt_i64(rl.and_then(|l| l.count)),
            rate_limit_reset: opt_i64(rl.and_then(|l| l.reset)),
        },
        _strings: strings,
        _headers: headers,
        _body: body,
    })
}

/// A new owned response for the caller.
pub(crate) fn new_response(r: &Response) -> *mut PurecoreResponse {
    Box::into_raw(response_box(r)).cast::<PurecoreResponse>()
}

/// Frees a response. NULL is ignored. Do not free a response that belongs to an error
/// (`error->response`): `purecore_error_free` frees it. Does not block.
///
/// # Safety
/// `response` is NULL or a response purecore returned that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn purecore_response_free(response: *mut PurecoreResponse) {
    if !response.is_null() {
        // SAFETY: every PurecoreResponse handed out is the first field of a ResponseBox.
        crate::free_guard(|| drop(unsafe { Box::from_raw(response.cast::<ResponseBox>()) }));
    }
}

/// What went wrong. Owned by the caller, freed with `purecore_error_free`; every pointer
/// stays valid until then. Messages never contain secrets.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreError {
    /// The kind of failure; the same value the function returned.
    pub kind: PurecoreStatus,
    /// Stable name of the kind ("rate_limited"...). Static.
    pub kind_name: *const c_char,
    /// Human-readable message.
    pub message: *const c_char,
    /// HTTP status of the reply; 0 when there was none.
    pub http_status: u16,
    /// Genesys error code (e.g. "not.found") or OAuth `error`; NULL when none.
    pub code: *const c_char,
    /// `inin-correlation-id` of the reply; NULL when none.
    pub correlation_id: *const c_char,
    /// `contextId` of a Genesys error body; NULL when none.
    pub context_id: *const c_char,
    /// OAuth `error` and `error_description` of a failed grant; NULL when none.
    pub oauth_error: *const c_char,
    pub oauth_error_description: *const c_char,
    /// `Retry-After` in milliseconds; -1 when absent.
    pub retry_after_ms: i64,
    /// Whether sending the same request again later may succeed.
    pub retryable: bool,
    /// The whole reply when the server answered; NULL otherwise. Owned by the error.
    pub response: *const PurecoreResponse,
}

#[repr(C)]
struct ErrorBox {
    view: PurecoreError,
    _strings: Vec<CString>,
    _response: Option<Box<ResponseBox>>,
}

pub(crate) fn new_error(fail: &Fail) -> *mut PurecoreError {
    let e = &fail.error;
    let mut strings = Vec::new();
    let mut keep = |s: Option<&str>| -> *const c_char {
        match s {
            None => ptr::null(),
            Some(s) => {
                let c = c_string(s);
                let p = c.as_ptr();
                strings.push(c);
                p
            }
        }
    };
    let message = keep(Some(e.message()));
    let code = keep(e.code());
    let correlation_id = keep(e.correlation_id());
    let context_id = keep(e.context_id());
    let oauth_error = keep(e.oauth_error());
    let oauth_error_description = keep(e.oauth_error_description());
    let response = e.response().map(response_box);
    let status = fail.status;
    let boxed = Box::new(ErrorBox {
        view: PurecoreError {
            kind: status,
            kind_name: status.name().as_ptr(),
            message,
            http_status: e.status().unwrap_or(0),
            code,
            correlation_id,
            context_id,
            oauth_error,
            oauth_error_description,
            retry_after_ms: e.retry_after().map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(-1),
            retryable: status != PurecoreStatus::Cancelled && e.is_retryable(),
            response: response.as_ref().map(|b| &b.view as *const PurecoreResponse).unwrap_or(ptr::null()),
        },
        _strings: strings,
        _response: response,
    });
    Box::into_raw(boxed).cast::<PurecoreError>()
}

/// Frees an error and the response it holds. NULL is ignored. Does not block.
///
/// # Safety
/// `error` is NULL or an error purecore returned that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn purecore_error_free(error: *mut PurecoreError) {
    if !error.is_null() {
        // SAFETY: every PurecoreError handed out is the first field of an ErrorBox.
        crate::free_guard(|| drop(unsafe { Box::from_raw(error.cast::<ErrorBox>()) }));
    }
}

/// A token and what the server said about it. Owned by the caller, freed with
/// `purecore_auth_data_free`. The strings are secrets: do not log them.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreAuthData {
    pub access_token: *const c_char,
    /// Usually "bearer".
    pub token_type: *const c_char,
    /// NULL when the grant gave none.
    pub refresh_token: *const c_char,
    /// The `state` of an implicit-grant redirect; NULL otherwise.
    pub state: *const c_char,
    /// Lifetime in seconds as the server gave it; -1 when unknown.
    pub expires_in: i64,
    /// Expiry in milliseconds since the Unix epoch; -1 when unknown.
    pub expires_at_ms: i64,
}

#[repr(C)]
struct AuthBox {
    view: PurecoreAuthData,
    _strings: Vec<CString>,
}

pub(crate) fn new_auth_data(a: &AuthData) -> *mut PurecoreAuthData {
    let mut strings = Vec::new();
    let mut keep = |s: Option<&str>| -> *const c_char {
        match s {
            None => ptr::null(),
            Some(s) => {
                let c = c_string(s);
                let p = c.as_ptr();
                strings.push(c);
                p
            }
        }
    };
    let view = PurecoreAuthData {
        access_token: keep(Some(a.access_token.expose())),
        token_type: keep(Some(&a.token_type)),
        refresh_token: keep(a.refresh_token.as_ref().map(|s| s.expose())),
        state: keep(a.state.as_deref()),
        expires_in: opt_i64(a.expires_in),
        expires_at_ms: opt_i64(a.expires_at_millis()),
    };
    Box::into_raw(Box::new(AuthBox { view, _strings: strings })).cast::<PurecoreAuthData>()
}

/// Frees token data. NULL is ignored. Does not block.
///
/// # Safety
/// `auth` is NULL or token data purecore returned that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn purecore_auth_data_free(auth: *mut PurecoreAuthData) {
    if !auth.is_null() {
        // SAFETY: every PurecoreAuthData handed out is the first field of an AuthBox.
        crate::free_guard(|| drop(unsafe { Box::from_raw(auth.cast::<AuthBox>()) }));
    }
}
