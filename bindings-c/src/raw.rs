//! Requests by path (for hosts that offer a raw call, like the Go `APIClient.CallAPI`),
//! and the token callback (told every new token, from logins and renewals).

use std::ffi::c_void;
use std::sync::Arc;

use purecore::{AuthData, Body, Request};

use crate::call::{subscribe, unless_cancelled, PurecoreCancel, PurecoreHeaderRef};
use crate::config::UserData;
use crate::values::new_response;
use crate::{guard, invalid, FfiResult, PurecoreClient, PurecoreError, PurecoreResponse, PurecoreStatus, PurecoreStr};

fn pairs(ptr: *const PurecoreHeaderRef, len: usize, name: &str) -> FfiResult<Vec<(String, String)>> {
    crate::borrowed(ptr, len, name)?
        .iter()
        .map(|h| Ok((h.name.req(name)?.to_owned(), h.value.req(name)?.to_owned())))
        .collect()
}

/// Sends one request to the API host: `method` ("GET", "post"...), `path` below the API
/// base starting with `/` (`/api/v2/users/me`, may carry a query), `query_len` extra
/// query pairs and `headers_len` headers (each may be NULL when its length is 0).
/// The body is `form_len` form fields when there are any (sent as
/// `application/x-www-form-urlencoded`), else `body_len` bytes at `body` (may be NULL
/// when 0) sent with `content_type` (NULL: `application/json`). Token, refresh,
/// retries and logging apply as for `purecore_client_call`. `cancel` may be NULL.
///
/// On success (2xx) `*response_out` receives the response (freed with
/// `purecore_response_free`); a non-2xx reply is an error whose `response` holds the
/// reply. Blocks until the call completes, fails or is cancelled; must not be called
/// from a purecore callback.
#[no_mangle]
pub extern "C" fn purecore_client_request(
    client: *const PurecoreClient,
    method: PurecoreStr,
    path: PurecoreStr,
    query: *const PurecoreHeaderRef,
    query_len: usize,
    headers: *const PurecoreHeaderRef,
    headers_len: usize,
    form: *const PurecoreHeaderRef,
    form_len: usize,
    body: *const u8,
    body_len: usize,
    content_type: PurecoreStr,
    cancel: *const PurecoreCancel,
    response_out: *mut *mut PurecoreResponse,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(response_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        if response_out.is_null() {
            return Err(invalid("response_out must not be NULL"));
        }
        let method = method.req("method")?.trim();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid(format!("method {method:?} is not an HTTP method")));
        }
        let path = path.req("path")?;
        if !path.starts_with('/') {
            return Err(invalid(format!("path {path:?} must start with '/' (a path below the API base URL)")));
        }
        let mut req = Request::new(method, path);
        req.query = pairs(query, query_len, "query")?;
        req.headers = pairs(headers, headers_len, "headers")?;
        let form = pairs(form, form_len, "form")?;
        let bytes = crate::borrowed(body, body_len, "body")?;
        req.body = if !form.is_empty() {
            Body::Form(form)
        } else if bytes.is_empty() {
            Body::None
        } else {
            match content_type.non_empty("content_type")? {
                None => Body::Json(bytes.to_vec().into()),
                Some(ct) => Body::Raw { content_type: ct.to_owned(), bytes: bytes.to_vec().into() },
            }
        };
        let rx = subscribe(cancel);
        let client = c.client.clone();
        let response = c.block_on(async move { unless_cancelled(rx, client.request(req)).await })??;
        crate::Out::new(response_out, "response_out")?.set(new_response(&response));
        Ok(())
    })
}

/// Told every new token: after each grant and each renewal, with the access token
/// (borrowed for the call) and its expiry in milliseconds since the Unix epoch (-1 when
/// unknown). Called from the thread that obtained the token (a purecore thread or a
/// thread inside a blocking purecore call); it must return promptly and must not call
/// blocking purecore functions.
pub type PurecoreTokenCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, access_token: PurecoreStr, expires_at_ms: i64)>;

/// Installs (or, with a NULL `callback`, removes) the client's token callback.
/// `user_data` is passed back as is and must stay valid while the callback is installed.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_set_token_callback(
    client: *const PurecoreClient,
    callback: PurecoreTokenCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let data = UserData(user_data);
        c.client.set_token_callback(callback.map(|cb| {
            Arc::new(move |a: &AuthData| {
                let user = data; // the whole wrapper (Send), not its raw pointer field
                let token = a.access_token.expose();
                let s = PurecoreStr { ptr: token.as_ptr().cast(), len: token.len() };
                let at = a.expires_at_millis().and_then(|ms| i64::try_from(ms).ok()).unwrap_or(-1);
                // SAFETY: the host registered this callback for this user_data.
                unsafe { cb(user.0, s, at) }
            }) as purecore::TokenCallback
        }));
        Ok(())
    })
}

#[cfg(test)]
#[path = "raw_tests.rs"]
mod tests;
