//! `purecore_config_set_exchange_hook`: a callback told about every HTTP exchange (each
//! attempt of a call, token requests included): for logging and metrics, where the
//! response hook (`hooks.rs`) does not reach (token requests).

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use purecore::{ExchangeEvent, ExchangeHook};

use crate::call::PurecoreHeaderRef;
use crate::config::{with, UserData};
use crate::{c_string, PurecoreConfig, PurecoreError, PurecoreStatus, PurecoreStr};

/// One HTTP exchange; every pointer is valid during the callback only.
#[repr(C)]
#[derive(Debug)]
pub struct PurecoreExchangeEvent {
    pub method: *const c_char,
    /// Secret query fields and user-info removed.
    pub url: *const c_char,
    /// 0 when no reply came (connection error, timeout).
    pub status: u16,
    /// 1 for the first try of a call.
    pub attempt: u32,
    pub duration_us: u64,
    /// NULL when the reply had none (or no reply came).
    pub correlation_id: *const c_char,
    /// Why the exchange failed (no reply, or a reply cut short); NULL otherwise.
    pub error: *const c_char,
    /// The reply's headers, names in lower case, secret ones (cookies) masked.
    pub headers: *const PurecoreHeaderRef,
    pub headers_len: usize,
    /// True for requests to the login host (token requests).
    pub is_token_call: bool,
}

/// Called after every HTTP exchange, from the thread that made it; must return promptly
/// and must not call blocking purecore functions.
pub type PurecoreExchangeCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, event: *const PurecoreExchangeEvent)>;

fn str_ref(s: &str) -> PurecoreStr {
    PurecoreStr { ptr: s.as_ptr().cast(), len: s.len() }
}

/// Calls `callback(user_data, event)` after every HTTP exchange; NULL removes the hook.
/// `user_data` must stay valid while any client made from this config lives.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_config_set_exchange_hook(
    config: *const PurecoreConfig,
    callback: PurecoreExchangeCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    with(config, error, |c| {
        let data = UserData(user_data);
        c.exchange_hook = callback.map(|cb| {
            ExchangeHook(Arc::new(move |e: &ExchangeEvent| {
                let (method, url) = (c_string(&e.method), c_string(&e.url));
                let cid = e.correlation_id.as_deref().map(c_string);
                let err = e.error.as_deref().map(c_string);
                let headers: Vec<PurecoreHeaderRef> = e
                    .response_headers
                    .iter()
                    .map(|(k, v)| PurecoreHeaderRef { name: str_ref(k), value: str_ref(v) })
                    .collect();
                let event = PurecoreExchangeEvent {
                    method: method.as_ptr(),
                    url: url.as_ptr(),
                    status: e.status.unwrap_or(0),
                    attempt: e.attempt,
                    duration_us: u64::try_from(e.duration.as_micros()).unwrap_or(u64::MAX),
                    correlation_id: cid.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                    error: err.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                    headers: headers.as_ptr(),
                    headers_len: headers.len(),
                    is_token_call: e.is_token_call,
                };
                let d = data;
                // SAFETY: the host registered this callback for this user_data.
                unsafe { cb(d.0, &event) };
            }))
        });
        Ok(())
    })
}
