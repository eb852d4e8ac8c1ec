//! The client's request and response hooks (`purecore_client_set_request_hook`,
//! `purecore_client_set_response_hook`): the core's `Client::set_request_hook` and
//! `Client::set_response_hook` with C callbacks. The request hook gets a borrowed,
//! opaque `PurecoreHookRequest` it reads and changes with the `purecore_hook_request_*`
//! functions; the response hook gets a borrowed `PurecoreHookResponse` view.

use std::ffi::c_void;

use purecore::{Error, ErrorKind, HookRequest, HookResponse, RequestHook, ResponseHook};

use crate::call::PurecoreHeaderRef;
use crate::config::UserData;
use crate::{guard, invalid, FfiResult, Out, PurecoreClient, PurecoreError, PurecoreStatus, PurecoreStr};

/// A request as the request hook sees it (opaque, borrowed): built, before its first
/// send. Valid during the callback only, on the callback's thread. Read it with
/// `purecore_hook_request_method`, `_operation_id`, `_url`, `_header_count`,
/// `_header_at`, `_get_header`, `_body`; change it with `_set_url`, `_set_header`,
/// `_add_header`, `_remove_header`, `_set_body`, `_set_error_message`. What the getters give is
/// borrowed from the request: valid until the request is next changed or the callback
/// returns.
pub struct PurecoreHookRequest {
    req: HookRequest,
    message: Option<String>,
}

/// The request hook: called once per API call (not for token requests) with the built
/// request, from the thread running the call (the caller's thread for a blocking call,
/// a purecore thread for an async one). Returns a `PurecoreStatus` value:
/// `PURECORE_STATUS_OK` (0) sends the request as it now is (on every attempt); any other
/// value ends the call, before anything is sent, with an error of that kind naming the
/// request hook (and the message set with `purecore_hook_request_set_error_message`).
/// Must not call blocking purecore functions.
pub type PurecoreRequestHookCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, request: *mut PurecoreHookRequest) -> i32>;

/// One attempt of an API call, as the response hook sees it. Every pointer is borrowed,
/// valid during the callback only.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreHookResponse {
    /// The operation ("getUsersMe") for a call by operation id; {NULL, 0} for a request by path.
    pub operation_id: PurecoreStr,
    pub method: PurecoreStr,
    /// The URL sent, query included.
    pub url: PurecoreStr,
    /// 1 for the first send of a call.
    pub attempt: u32,
    /// The reply's status; 0 when no reply came.
    pub status: u16,
    /// The reply's headers, names in lower case; none when no reply came.
    pub headers: *const PurecoreHeaderRef,
    pub headers_len: usize,
    /// The reply's body (may be NULL when `body_len` is 0).
    pub body: *const u8,
    pub body_len: usize,
    /// `PURECORE_STATUS_OK` when the attempt succeeded (2xx); else the kind of its
    /// failure (no reply, a body too large, or a non-2xx status).
    pub error_status: PurecoreStatus,
    /// Why the attempt failed; {NULL, 0} when it succeeded.
    pub error_message: PurecoreStr,
}

/// The response hook: called after every attempt of every API call (retried ones and
/// resends after a 401 included; not token requests), from the thread running the call.
/// Returns a `PurecoreStatus` value: `PURECORE_STATUS_OK` (0) lets the call go on; any
/// other value ends it with an error of that kind naming the response hook.
/// Must not call blocking purecore functions.
pub type PurecoreResponseHookCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, response: *const PurecoreHookResponse) -> i32>;

fn str_ref(s: &str) -> PurecoreStr {
    PurecoreStr { ptr: s.as_ptr().cast(), len: s.len() }
}

const NULL_STR: PurecoreStr = PurecoreStr { ptr: std::ptr::null(), len: 0 };

/// The error a hook's non-OK status ends the call with.
fn hook_error(which: &str, status: i32, message: Option<&str>) -> Error {
    let (kind, name) = match status {
        1 => (ErrorKind::Authentication, "authentication"),
        2 => (ErrorKind::HttpStatus, "http_status"),
        3 => (ErrorKind::RateLimited, "rate_limited"),
        4 => (ErrorKind::Timeout, "timeout"),
        5 => (ErrorKind::Connection, "connection"),
        6 => (ErrorKind::InvalidArgument, "invalid_argument"),
        7 => (ErrorKind::Configuration, "configuration"),
        8 => (ErrorKind::Decoding, "decoding"),
        9 => (ErrorKind::Internal, "internal"),
        10 => (ErrorKind::Internal, "cancelled"),
        _ => (ErrorKind::Internal, "an unknown status"),
    };
    let mut text = format!("the {which} hook failed ({name}, status {status})");
    if let Some(m) = message.filter(|m| !m.is_empty()) {
        text = format!("{text}: {m}");
    }
    Error::new(kind, text)
}

/// Installs (or, with a NULL `callback`, removes) the client's request hook (see
/// `PurecoreRequestHookCallback`); it applies to the calls that start afterwards.
/// `user_data` is passed back as is and must stay valid, and thread-safe, while the hook
/// is installed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_set_request_hook(
    client: *const PurecoreClient,
    callback: PurecoreRequestHookCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let data = UserData(user_data);
        c.client.set_request_hook(callback.map(|cb| {
            RequestHook::sync(move |req: &mut HookRequest| {
                let user = data; // the whole wrapper (Send), not its raw pointer field
                let mut view = PurecoreHookRequest { req: std::mem::replace(req, empty_request()), message: None };
                // SAFETY: the host registered this callback for this user_data; `view` lives
                // through the call.
                let status = unsafe { cb(user.0, &mut view) };
                *req = view.req;
                if status == 0 {
                    Ok(())
                } else {
                    Err(hook_error("request", status, view.message.as_deref()))
                }
            })
        }));
        Ok(())
    })
}

fn empty_request() -> HookRequest {
    HookRequest { operation_id: None, method: String::new(), url: String::new(), headers: Vec::new(), body: None }
}

/// Installs (or, with a NULL `callback`, removes) the client's response hook (see
/// `PurecoreResponseHookCallback`); it applies to the calls that start afterwards.
/// `user_data` is passed back as is and must stay valid, and thread-safe, while the hook
/// is installed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_set_response_hook(
    client: *const PurecoreClient,
    callback: PurecoreResponseHookCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let data = UserData(user_data);
        c.client.set_response_hook(callback.map(|cb| {
            ResponseHook::sync(move |r: &HookResponse| {
                let user = data;
                let headers: Vec<PurecoreHeaderRef> =
                    r.headers.iter().map(|(k, v)| PurecoreHeaderRef { name: str_ref(k), value: str_ref(v) }).collect();
                let view = PurecoreHookResponse {
                    operation_id: r.operation_id.as_deref().map_or(NULL_STR, str_ref),
                    method: str_ref(&r.method),
                    url: str_ref(&r.url),
                    attempt: r.attempt,
                    status: r.status.unwrap_or(0),
                    headers: headers.as_ptr(),
                    headers_len: headers.len(),
                    body: r.body.as_ptr(),
                    body_len: r.body.len(),
                    error_status: r.error.as_ref().map_or(PurecoreStatus::Ok, |e| PurecoreStatus::of_kind(e.kind())),
                    error_message: r.error.as_ref().map_or(NULL_STR, |e| str_ref(e.message())),
                };
                // SAFETY: the host registered this callback for this user_data; `view` and
                // what it points to live through the call.
                let status = unsafe { cb(user.0, &view) };
                if status == 0 {
                    Ok(())
                } else {
                    Err(hook_error("response", status, None))
                }
            })
        }));
        Ok(())
    })
}

/// The request behind a hook's pointer, or an error naming the NULL.
fn request<'a>(request: *mut PurecoreHookRequest) -> FfiResult<&'a mut PurecoreHookRequest> {
    // SAFETY: the caller passes NULL or the request its hook was given, during the hook.
    unsafe { request.as_mut() }.ok_or_else(|| invalid("request must not be NULL"))
}

/// Runs `f` on the request: NULL `request` is `PURECORE_STATUS_INVALID_ARGUMENT`, a panic
/// becomes `PURECORE_STATUS_INTERNAL`.
fn with_request(
    req: *mut PurecoreHookRequest,
    error: *mut *mut PurecoreError,
    f: impl FnOnce(&mut PurecoreHookRequest) -> FfiResult,
) -> PurecoreStatus {
    guard(error, || f(request(req)?))
}

/// `*method_out` receives the request's method ("GET"), borrowed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_method(
    request: *mut PurecoreHookRequest,
    method_out: *mut PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let out = Out::new(method_out, "method_out")?;
        out.set(str_ref(&r.req.method));
        Ok(())
    })
}

/// `*operation_id_out` receives the operation id ("getUsersMe"), borrowed; {NULL, 0} for a
/// request by path. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_operation_id(
    request: *mut PurecoreHookRequest,
    operation_id_out: *mut PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let out = Out::new(operation_id_out, "operation_id_out")?;
        out.set(r.req.operation_id.as_deref().map_or(NULL_STR, str_ref));
        Ok(())
    })
}

/// `*url_out` receives the whole URL, query included, borrowed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_url(
    request: *mut PurecoreHookRequest,
    url_out: *mut PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let out = Out::new(url_out, "url_out")?;
        out.set(str_ref(&r.req.url));
        Ok(())
    })
}

/// Sets the URL to send (copied). Its path and query may change; a URL on another
/// scheme, host or port ends the call with `PURECORE_STATUS_INVALID_ARGUMENT` once the
/// hook returns (the token goes with the request). Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_set_url(
    request: *mut PurecoreHookRequest,
    url: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        r.req.url = url.req("url")?.to_owned();
        Ok(())
    })
}

/// `*count_out` receives the number of headers. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_header_count(
    request: *mut PurecoreHookRequest,
    count_out: *mut usize,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        Out::new(count_out, "count_out")?.set(r.req.headers.len());
        Ok(())
    })
}

/// `*header_out` receives header `index` (0-based, below the count), borrowed.
/// An index out of range is `PURECORE_STATUS_INVALID_ARGUMENT`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_header_at(
    request: *mut PurecoreHookRequest,
    index: usize,
    header_out: *mut PurecoreHeaderRef,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let out = Out::new(header_out, "header_out")?;
        let count = r.req.headers.len();
        let (k, v) = r
            .req
            .headers
            .get(index)
            .ok_or_else(|| invalid(format!("header index {index} is out of range (the request has {count})")))?;
        out.set(PurecoreHeaderRef { name: str_ref(k), value: str_ref(v) });
        Ok(())
    })
}

fn header_name<'a>(name: PurecoreStr) -> FfiResult<&'a str> {
    let name = name.req("name")?;
    if name.is_empty() {
        return Err(invalid("name must not be empty"));
    }
    Ok(name)
}

/// `*value_out` receives the value of the first header called `name` (any case),
/// borrowed; {NULL, 0} when there is none. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_get_header(
    request: *mut PurecoreHookRequest,
    name: PurecoreStr,
    value_out: *mut PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let name = header_name(name)?;
        let out = Out::new(value_out, "value_out")?;
        let found = r.req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
        out.set(found.map_or(NULL_STR, |(_, v)| str_ref(v)));
        Ok(())
    })
}

/// Sets header `name` to `value` (both copied), replacing every header of that name
/// (any case). A name or value HTTP refuses ends the call with
/// `PURECORE_STATUS_INVALID_ARGUMENT` once the hook returns. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_set_header(
    request: *mut PurecoreHookRequest,
    name: PurecoreStr,
    value: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let name = header_name(name)?;
        let value = value.req("value")?;
        r.req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        r.req.headers.push((name.to_owned(), value.to_owned()));
        Ok(())
    })
}

/// Adds header `name: value` (both copied) after the others, keeping any of the same
/// name (for a header sent more than once). Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_add_header(
    request: *mut PurecoreHookRequest,
    name: PurecoreStr,
    value: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let name = header_name(name)?;
        let value = value.req("value")?;
        r.req.headers.push((name.to_owned(), value.to_owned()));
        Ok(())
    })
}

/// Removes every header called `name` (any case); none is fine. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_remove_header(
    request: *mut PurecoreHookRequest,
    name: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let name = header_name(name)?;
        r.req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        Ok(())
    })
}

/// `*body_out` and `*body_len_out` receive the body, borrowed; `*body_out` is NULL when
/// the request has none. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_body(
    request: *mut PurecoreHookRequest,
    body_out: *mut *const u8,
    body_len_out: *mut usize,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        let out = Out::new(body_out, "body_out")?;
        let len_out = Out::new(body_len_out, "body_len_out")?;
        match &r.req.body {
            Some(b) => {
                out.set(b.as_ptr());
                len_out.set(b.len());
            }
            None => {
                out.set(std::ptr::null());
                len_out.set(0);
            }
        }
        Ok(())
    })
}

/// Sets the body to `body_len` bytes at `body` (copied); NULL `body` with length 0
/// removes it. The `content-type` header is not changed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_set_body(
    request: *mut PurecoreHookRequest,
    body: *const u8,
    body_len: usize,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        r.req.body = if body.is_null() {
            if body_len != 0 {
                return Err(invalid(format!("body must not be NULL when its length is {body_len}")));
            }
            None
        } else {
            Some(crate::borrowed(body, body_len, "body")?.to_vec().into())
        };
        Ok(())
    })
}

/// Sets the message (copied) of the error the call ends with when the hook returns a
/// status other than OK. Does not block.
#[no_mangle]
pub extern "C" fn purecore_hook_request_set_error_message(
    request: *mut PurecoreHookRequest,
    message: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with_request(request, error, |r| {
        r.message = Some(message.req("message")?.to_owned());
        Ok(())
    })
}
