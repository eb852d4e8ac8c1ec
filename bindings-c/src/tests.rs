//! The C ABI driven from Rust the way a C host drives it, against the emulator.
#![allow(clippy::unwrap_used)]

use std::ffi::{c_void, CStr};
use std::ptr;
use std::sync::mpsc;
use std::time::Duration;

use purecore_emulator::{creds, Emulator, EmulatorOptions};

use super::*;

#[test]
fn committed_header_matches_a_fresh_generation() {
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/purecore.h"));
    let committed = include_str!("../include/purecore.h");
    assert!(
        fresh == committed,
        "include/purecore.h is stale: run `PURECORE_UPDATE_HEADER=1 cargo build -p purecore-c` and commit it"
    );
    let go_copy = include_str!("../go/internal/native/purecore.h");
    assert!(
        fresh == go_copy,
        "go/internal/native/purecore.h differs from include/purecore.h: run scripts/build-go-lib"
    );
}

fn s(v: &str) -> PurecoreStr {
    PurecoreStr { ptr: v.as_ptr().cast(), len: v.len() }
}

const NONE: PurecoreStr = PurecoreStr { ptr: ptr::null(), len: 0 };

fn text(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: purecore returns NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

struct Emu {
    rt: tokio::runtime::Runtime,
    emu: Emulator,
}

fn emulator() -> Emu {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::start(EmulatorOptions::default())).unwrap();
    Emu { rt, emu }
}

fn client_for(e: &Emu) -> *mut PurecoreClient {
    let mut cfg = ptr::null_mut();
    assert_eq!(purecore_config_new(&mut cfg, ptr::null_mut()), PurecoreStatus::Ok);
    assert_eq!(purecore_config_set_environment(cfg, s(&e.emu.base_url()), ptr::null_mut()), PurecoreStatus::Ok);
    assert_eq!(purecore_config_set_retry(cfg, 3, 10, 50, 5000, false, ptr::null_mut()), PurecoreStatus::Ok);
    let mut client = ptr::null_mut();
    assert_eq!(purecore_client_new(cfg, &mut client, ptr::null_mut()), PurecoreStatus::Ok);
    // SAFETY: cfg is a live handle no longer used.
    unsafe { purecore_config_free(cfg) };
    client
}

#[test]
fn login_call_and_error_fields() {
    let e = emulator();
    let client = client_for(&e);
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
    let a = unsafe { &*auth };
    assert!(!text(a.access_token).is_empty() && a.expires_in > 0 && a.expires_at_ms > 0);
    // SAFETY: freed once.
    unsafe { purecore_auth_data_free(auth) };

    let mut resp = ptr::null_mut();
    let st = purecore_client_call(
        client,
        s("getUsersMe"),
        s(r#"{"expand":["presence"]}"#),
        ptr::null(),
        0,
        ptr::null(),
        &mut resp,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: resp was just returned.
    let r = unsafe { &*resp };
    assert_eq!(r.status, 200);
    // SAFETY: body_len bytes at body.
    let body = unsafe { std::slice::from_raw_parts(r.body, r.body_len) };
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(v["id"], creds::USER_ID);
    assert!(!r.correlation_id.is_null() && r.headers_len > 0);
    // SAFETY: freed once.
    unsafe { purecore_response_free(resp) };

    let mut err = ptr::null_mut();
    let st = purecore_client_call(
        client,
        s("getUser"),
        s(r#"{"userId":"nobody"}"#),
        ptr::null(),
        0,
        ptr::null(),
        &mut resp,
        &mut err,
    );
    assert_eq!(st, PurecoreStatus::HttpStatus);
    assert!(resp.is_null());
    // SAFETY: err was just returned.
    let er = unsafe { &*err };
    assert_eq!((er.http_status, text(er.kind_name).as_str()), (404, "http_status"));
    assert!(!er.code.is_null() && !er.correlation_id.is_null() && !er.response.is_null());
    // SAFETY: the error's response lives as long as the error.
    assert_eq!(unsafe { &*er.response }.status, 404);
    // SAFETY: freed once.
    unsafe { purecore_error_free(err) };

    let st = purecore_client_call(client, s("getUser"), s("{}"), ptr::null(), 0, ptr::null(), &mut resp, &mut err);
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    // SAFETY: err was just returned.
    assert!(text(unsafe { &*err }.message).contains("userId"));
    // SAFETY: freed once; the client is not used afterwards.
    unsafe {
        purecore_error_free(err);
        purecore_client_free(client);
    }
    drop(e.emu);
}

extern "C" fn on_done(
    user_data: *mut c_void,
    status: PurecoreStatus,
    response: *mut PurecoreResponse,
    error: *mut PurecoreError,
) {
    // SAFETY: user_data is the Sender the test passed; it outlives the call.
    let tx = unsafe { &*(user_data as *const mpsc::Sender<(PurecoreStatus, u16)>) };
    // SAFETY: one of the two is set; both are owned here.
    let code = unsafe { response.as_ref() }.map(|r| r.status).unwrap_or(0);
    tx.send((status, code)).unwrap();
    // SAFETY: freed once.
    unsafe {
        purecore_response_free(response);
        purecore_error_free(error);
    }
}

#[test]
fn async_call_completes_and_cancel_stops_a_slow_call() {
    let e = emulator();
    let client = client_for(&e);
    assert_eq!(purecore_client_set_access_token(client, s("bad-token"), -1, ptr::null_mut()), PurecoreStatus::Ok);
    let (tx, rx) = mpsc::channel::<(PurecoreStatus, u16)>();
    let data = &tx as *const _ as *mut c_void;
    let st = purecore_client_call_async(
        client,
        s("getUsersMe"),
        NONE,
        ptr::null(),
        0,
        ptr::null(),
        Some(on_done),
        data,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    assert_eq!(rx.recv().unwrap(), (PurecoreStatus::Authentication, 0), "a 401 is an authentication error");

    e.emu.push_fault(purecore_emulator::Fault {
        target: purecore_emulator::FaultTarget::Api,
        kind: purecore_emulator::FaultKind::Delay { ms: 30_000 },
        count: 1,
        method: None,
        path_contains: None,
    });
    let mut cancel = ptr::null_mut();
    assert_eq!(purecore_cancel_new(&mut cancel, ptr::null_mut()), PurecoreStatus::Ok);
    let st = purecore_client_call_async(
        client,
        s("getUsersMe"),
        NONE,
        ptr::null(),
        0,
        cancel,
        Some(on_done),
        data,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "still waiting on the slow reply");
    assert_eq!(purecore_cancel_cancel(cancel, ptr::null_mut()), PurecoreStatus::Ok);
    assert_eq!(rx.recv().unwrap(), (PurecoreStatus::Cancelled, 0));
    // SAFETY: freed once.
    unsafe { purecore_cancel_free(cancel) };

    // A call still running when the client is freed gets its callback during the free.
    e.emu.push_fault(purecore_emulator::Fault {
        target: purecore_emulator::FaultTarget::Api,
        kind: purecore_emulator::FaultKind::Delay { ms: 30_000 },
        count: 1,
        method: None,
        path_contains: None,
    });
    let st = purecore_client_call_async(
        client,
        s("getUsersMe"),
        NONE,
        ptr::null(),
        0,
        ptr::null(),
        Some(on_done),
        data,
        ptr::null_mut(),
    );
    assert_eq!(st, PurecoreStatus::Ok);
    // SAFETY: not used afterwards.
    unsafe { purecore_client_free(client) };
    assert_eq!(rx.try_recv().unwrap(), (PurecoreStatus::Cancelled, 0));
    e.rt.block_on(e.emu.shutdown());
}

#[test]
fn bad_arguments_are_errors_not_crashes() {
    let mut err = ptr::null_mut();
    let st = purecore_client_login_client_credentials(ptr::null(), s("a"), s("b"), ptr::null_mut(), &mut err);
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    // SAFETY: err was just returned.
    assert!(text(unsafe { &*err }.message).contains("client must not be NULL"));
    // SAFETY: freed once.
    unsafe { purecore_error_free(err) };

    let mut cfg = ptr::null_mut();
    assert_eq!(purecore_config_new(&mut cfg, ptr::null_mut()), PurecoreStatus::Ok);
    let bad = [0xffu8, 0xfe];
    let st = purecore_config_set_environment(cfg, PurecoreStr { ptr: bad.as_ptr().cast(), len: 2 }, &mut err);
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    // SAFETY: freed once.
    unsafe { purecore_error_free(err) };
    let st = purecore_config_set_environment(cfg, s("nowhere_1"), &mut err);
    assert_eq!(st, PurecoreStatus::Configuration);
    // SAFETY: err was just returned.
    assert!(text(unsafe { &*err }.message).contains("unknown region"));
    // SAFETY: freed once.
    unsafe { purecore_error_free(err) };
    assert_eq!(
        purecore_config_set_logging(cfg, 9, 0, false, NONE, false, false, &mut err),
        PurecoreStatus::InvalidArgument
    );
    // SAFETY: freed once.
    unsafe {
        purecore_error_free(err);
        purecore_config_free(cfg);
    }
    assert_eq!(text(purecore_status_name(3)), "rate_limited");
    assert_eq!(text(purecore_status_name(99)), "unknown");
    assert_eq!(purecore_region_count(), purecore::REGIONS.len());
}

/// The status of `f` and its error message (freed).
fn outcome(f: impl FnOnce(*mut *mut PurecoreError) -> PurecoreStatus) -> (PurecoreStatus, String) {
    let mut err = ptr::null_mut();
    let st = f(&mut err);
    let message = if err.is_null() { String::new() } else { text(unsafe { &*err }.message) };
    // SAFETY: NULL or an error just returned, freed once.
    unsafe { purecore_error_free(err) };
    (st, message)
}

#[test]
fn apply_json_sets_settings_by_their_schema_names() {
    let mut cfg = ptr::null_mut();
    assert_eq!(purecore_config_new(&mut cfg, ptr::null_mut()), PurecoreStatus::Ok);
    let ok = outcome(|e| {
        purecore_config_apply_json(
            cfg,
            s(r#"{"retry.max_retries": 7, "logging": {"log_level": "debug"}, "timeout": 2.5,
                 "max_response_body_bytes": 4096}"#),
            e,
        )
    });
    assert_eq!(ok.0, PurecoreStatus::Ok, "{}", ok.1);
    let config = PurecoreConfig::from_ptr(cfg).ok().unwrap().lock().clone();
    assert_eq!(config.retry.max_retries, 7);
    assert_eq!(config.logging.level, purecore::LogLevel::Debug);
    assert_eq!(config.timeout, Duration::from_millis(2500));
    assert_eq!(config.max_response_body_bytes, 4096);
    // A bad value: the error names the setting, the value and the allowed values; nothing changes.
    let (st, message) =
        outcome(|e| purecore_config_apply_json(cfg, s(r#"{"retry.max_retries": 3, "timeout": -1}"#), e));
    assert_eq!(st, PurecoreStatus::Configuration);
    assert_eq!(message, "timeout must be a number of seconds from 0 to 10000000, not -1");
    assert_eq!(PurecoreConfig::from_ptr(cfg).ok().unwrap().lock().retry.max_retries, 7);
    for bad in ["[1]", "{", r#"{"no_such_setting": 1}"#] {
        assert_eq!(outcome(|e| purecore_config_apply_json(cfg, s(bad), e)).0, PurecoreStatus::Configuration, "{bad}");
    }
    assert_eq!(outcome(|e| purecore_config_apply_json(cfg, NONE, e)).0, PurecoreStatus::InvalidArgument);
    // SAFETY: the handle made above, freed once.
    unsafe { purecore_config_free(cfg) };
}

#[test]
fn numbers_out_of_range_are_refused_with_the_setting_name() {
    let mut cfg = ptr::null_mut();
    assert_eq!(purecore_config_new(&mut cfg, ptr::null_mut()), PurecoreStatus::Ok);
    type Setter<'a> = Box<dyn Fn(*mut *mut PurecoreError) -> PurecoreStatus + 'a>;
    let cases: Vec<(&str, Setter)> = vec![
        (
            "retry.max_retries must be a whole number from 0 to 100, not -1",
            Box::new(|e| purecore_config_set_retry(cfg, -1, 10, 50, 100, false, e)),
        ),
        (
            "retry.max_retries must be a whole number from 0 to 100, not 4294967295",
            Box::new(|e| purecore_config_set_retry(cfg, 4_294_967_295, 10, 50, 100, false, e)),
        ),
        (
            "retry.wait_min must be a number of seconds from 0 to 10000000, not -0.005",
            Box::new(|e| purecore_config_set_retry(cfg, 1, -5, 50, 100, false, e)),
        ),
        ("retry.max_total_wait", Box::new(|e| purecore_config_set_retry(cfg, 1, 1, 50, i64::MAX, false, e))),
        (
            "timeout must be a number of seconds from 0 to 10000000, not -0.001",
            Box::new(|e| purecore_config_set_timeouts(cfg, -1, 0, 0, e)),
        ),
        ("auth_timeout", Box::new(|e| purecore_config_set_timeouts(cfg, 0, 10_000_000_001, 0, e))),
        ("connect_timeout", Box::new(|e| purecore_config_set_timeouts(cfg, 0, 0, i64::MIN, e))),
        ("refresh.refresh_token_wait_max", Box::new(|e| purecore_config_set_refresh(cfg, true, -1, 0, e))),
        ("refresh.expiry_margin", Box::new(|e| purecore_config_set_refresh(cfg, true, 0, i64::MAX, e))),
        ("config_poll_interval", Box::new(|e| purecore_config_set_live_reload(cfg, true, -1000, e))),
        (
            "gateway.port must be a whole number from 0 to 65535, not -1",
            Box::new(|e| purecore_config_set_gateway(cfg, s("gw.example.com"), NONE, -1, NONE, NONE, e)),
        ),
        (
            "gateway.port",
            Box::new(|e| purecore_config_set_gateway(cfg, s("gw.example.com"), NONE, 70000, NONE, NONE, e)),
        ),
    ];
    for (want, f) in &cases {
        let (st, message) = outcome(f);
        assert_eq!(st, PurecoreStatus::Configuration, "{want}: {message}");
        assert!(message.contains(want), "want {want:?} in {message:?}");
    }
    // Nothing changed: the defaults are still there and valid.
    let config = PurecoreConfig::from_ptr(cfg).ok().unwrap().lock().clone();
    assert_eq!(config.retry.max_retries, 3);
    assert_eq!(config.timeout, Duration::from_secs(16));
    assert!(config.gateway.is_none());
    // The largest values are accepted.
    assert_eq!(
        outcome(|e| purecore_config_set_retry(cfg, 100, 0, 10_000_000_000, 10_000_000_000, false, e)).0,
        PurecoreStatus::Ok
    );
    // SAFETY: freed once.
    unsafe { purecore_config_free(cfg) };
}

#[test]
fn caller_expiries_out_of_range_are_typed_errors_not_panics() {
    let mut client = ptr::null_mut();
    assert_eq!(purecore_client_new(ptr::null(), &mut client, ptr::null_mut()), PurecoreStatus::Ok);
    for bad in [i64::MAX, 10_000_000_001, -2, i64::MIN] {
        let (st, message) = outcome(|e| purecore_client_set_access_token(client, s("tok"), bad, e));
        assert_eq!(st, PurecoreStatus::Configuration, "{bad}: {message}");
        assert!(message.contains("expires_in_ms"), "{message}");
    }
    assert_eq!(outcome(|e| purecore_client_set_access_token(client, s("tok"), -1, e)).0, PurecoreStatus::Ok);
    assert_eq!(
        outcome(|e| purecore_client_set_access_token(client, s("tok"), 10_000_000_000, e)).0,
        PurecoreStatus::Ok
    );
    // SAFETY: freed once.
    unsafe { purecore_client_free(client) };
}

#[test]
fn a_null_required_out_pointer_is_refused_before_any_work() {
    let (st, message) = outcome(|e| purecore_config_new(ptr::null_mut(), e));
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    assert!(message.contains("config_out must not be NULL"), "{message}");
    // Refused before the (bad) input is even read: the NULL is the error, not the URL.
    let (st, message) = outcome(|e| purecore_parse_code_redirect(s("not a url"), NONE, ptr::null_mut(), e));
    assert_eq!(st, PurecoreStatus::InvalidArgument);
    assert!(message.contains("code_out must not be NULL"), "{message}");
    let (st, message) = outcome(|e| purecore_pkce_generate_verifier(7, ptr::null_mut(), e));
    assert!(st == PurecoreStatus::InvalidArgument && message.contains("verifier_out"), "{message}");
}
