//! `purecore_client_request` and `purecore_client_set_token_callback` driven as a C host
//! drives them, against the emulator.
#![allow(clippy::unwrap_used)]

use std::ffi::c_void;
use std::ptr;
use std::sync::Mutex;

use purecore_emulator::{creds, Emulator, EmulatorOptions};

use super::*;
use crate::{
    purecore_client_free, purecore_client_login_client_credentials, purecore_client_new, purecore_config_free,
    purecore_config_new, purecore_config_set_environment, purecore_error_free, purecore_response_free,
};

fn s(v: &str) -> PurecoreStr {
    PurecoreStr { ptr: v.as_ptr().cast(), len: v.len() }
}

const NONE: PurecoreStr = PurecoreStr { ptr: ptr::null(), len: 0 };

fn pair(name: &'static str, value: &'static str) -> PurecoreHeaderRef {
    PurecoreHeaderRef { name: s(name), value: s(value) }
}

unsafe extern "C" fn record_token(user_data: *mut c_void, token: PurecoreStr, expires_at_ms: i64) {
    // SAFETY: user_data is the Mutex the test registered; token is valid during the call.
    let seen = unsafe { &*(user_data as *const Mutex<Vec<(String, i64)>>) };
    let t = unsafe { std::slice::from_raw_parts(token.ptr.cast::<u8>(), token.len) };
    seen.lock().unwrap().push((String::from_utf8_lossy(t).into_owned(), expires_at_ms));
}

#[test]
fn requests_by_path_and_the_token_callback() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::start(EmulatorOptions::default())).unwrap();
    let mut cfg = ptr::null_mut();
    assert_eq!(purecore_config_new(&mut cfg, ptr::null_mut()), PurecoreStatus::Ok);
    assert_eq!(purecore_config_set_environment(cfg, s(&emu.base_url()), ptr::null_mut()), PurecoreStatus::Ok);
    let mut client = ptr::null_mut();
    assert_eq!(purecore_client_new(cfg, &mut client, ptr::null_mut()), PurecoreStatus::Ok);
    // SAFETY: cfg is a live handle no longer used.
    unsafe { purecore_config_free(cfg) };

    let seen: Box<Mutex<Vec<(String, i64)>>> = Box::default();
    let user_data = (&*seen as *const Mutex<Vec<(String, i64)>>).cast_mut().cast::<c_void>();
    assert_eq!(
        purecore_client_set_token_callback(client, Some(record_token), user_data, ptr::null_mut()),
        PurecoreStatus::Ok
    );
    let mut auth = ptr::null_mut();
    let st = purecore_client_login_client_credentials(
        client,
        s(creds::CLIENT_ID),
        s(creds::CLIENT_SECRET),
        &mut auth,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: auth was just returned.
    unsafe { crate::purecore_auth_data_free(auth) };
    assert_eq!(seen.lock().unwrap().len(), 1, "the grant's token is told");

    // GET with a query pair and a header, after the token was revoked: renewed and told.
    emu.expire_all_tokens();
    let query = [pair("expand", "presence")];
    let headers = [pair("X-Raw", "1")];
    let mut resp = ptr::null_mut();
    let st = purecore_client_request(
        client,
        s("get"),
        s("/api/v2/users/me"),
        query.as_ptr(),
        1,
        headers.as_ptr(),
        1,
        ptr::null(),
        0,
        ptr::null(),
        0,
        NONE,
        ptr::null(),
        &mut resp,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: resp was just returned.
    assert_eq!(unsafe { (*resp).status }, 200);
    unsafe { purecore_response_free(resp) };
    let last = emu.requests().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str(), last.query.as_str()),
        ("GET", "/api/v2/users/me", "expand=presence")
    );
    assert!(last.headers.iter().any(|(n, v)| n == "x-raw" && v == "1"));
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "the renewed token is told");
        assert!(seen[1].0 != seen[0].0 && !seen[1].0.is_empty() && seen[1].1 > 0);
    }

    // POST with a JSON body.
    let body = br#"{"name":"Raw C","email":"raw.c@example.test"}"#;
    let mut resp = ptr::null_mut();
    let st = purecore_client_request(
        client,
        s("POST"),
        s("/api/v2/users"),
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        body.as_ptr(),
        body.len(),
        NONE,
        ptr::null(),
        &mut resp,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: resp was just returned.
    unsafe { purecore_response_free(resp) };
    let last = emu.requests().pop().unwrap();
    assert!(last.body.contains("raw.c@example.test"));
    assert!(last.headers.iter().any(|(n, v)| n == "content-type" && v.starts_with("application/json")));

    // A 404 is an HTTP_STATUS error holding the reply; a bad path is refused by name.
    let mut err = ptr::null_mut();
    let mut resp = ptr::null_mut();
    let st = purecore_client_request(
        client,
        s("GET"),
        s("/api/v2/users/00000000-0000-4000-8000-0000000000ff"),
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        NONE,
        ptr::null(),
        &mut resp,
        &mut err,
    );
    assert_eq!(st, PurecoreStatus::HttpStatus);
    assert!(resp.is_null());
    // SAFETY: err was just returned.
    unsafe {
        assert_eq!((*err).http_status, 404);
        assert_eq!((*(*err).response).status, 404);
        purecore_error_free(err);
    }
    let mut err = ptr::null_mut();
    let st = purecore_client_request(
        client,
        s("GET"),
        s("users/me"),
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        NONE,
        ptr::null(),
        &mut resp,
        &mut err,
    );
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    // SAFETY: err was just returned.
    let msg = unsafe { std::ffi::CStr::from_ptr((*err).message) }.to_string_lossy().into_owned();
    assert!(msg.contains("users/me"), "{msg}");
    unsafe { purecore_error_free(err) };

    // Removing the callback stops it.
    assert_eq!(purecore_client_set_token_callback(client, None, ptr::null_mut(), ptr::null_mut()), PurecoreStatus::Ok);
    emu.expire_all_tokens();
    let mut resp = ptr::null_mut();
    let st = purecore_client_request(
        client,
        s("GET"),
        s("/api/v2/users/me"),
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        ptr::null(),
        0,
        NONE,
        ptr::null(),
        &mut resp,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: resp was just returned; the client is no longer used.
    unsafe {
        purecore_response_free(resp);
        purecore_client_free(client);
    }
    assert_eq!(seen.lock().unwrap().len(), 2);
}
