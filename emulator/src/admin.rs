//! The admin HTTP API (`/admin/...`): no auth, JSON in and out. Tests in every language
//! drive the emulator through it. Errors are `{"error": "<what is wrong>"}`.

use std::sync::Arc;
use std::time::Duration;

use hyper::Method;
use serde_json::{json, Value};

use crate::model::{Fault, RateLimit};
use crate::reply::Reply;
use crate::request::Incoming;
use crate::state::State;

fn error(status: u16, msg: &str) -> Reply {
    Reply::json(status, &json!({ "error": msg }))
}

fn to_json<T: serde::Serialize>(v: &T) -> Reply {
    match serde_json::to_value(v) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => error(500, &format!("cannot serialize: {e}")),
    }
}

fn body_json(req: &Incoming) -> Result<Value, Reply> {
    serde_json::from_slice(&req.body).map_err(|e| error(400, &format!("the body is not valid JSON: {e}")))
}

pub(crate) fn handle(state: &Arc<State>, req: &Incoming) -> Reply {
    let path = req.route_path.trim_end_matches('/');
    let m = &req.method;
    let result = match path {
        "/admin/expire-tokens" if m == Method::POST => post_expire_tokens(state, req),
        "/admin/faults" if m == Method::POST => post_faults(state, req),
        "/admin/faults" if m == Method::GET => Ok(to_json(&state.faults())),
        "/admin/rate-limit" if m == Method::POST => post_rate_limit(state, req),
        "/admin/rate-limit" if m == Method::GET => Ok(match state.rate_limit() {
            Some(r) => to_json(&r),
            None => Reply::json(200, &json!({ "per_token": null })),
        }),
        "/admin/token-rate-limit" if m == Method::POST => post_token_rate_limit(state, req),
        "/admin/token-rate-limit" if m == Method::GET => Ok(match state.token_rate_limit() {
            Some(r) => to_json(&r),
            None => Reply::json(200, &json!({ "per_token": null })),
        }),
        "/admin/limits" if m == Method::GET => Ok(to_json(&state.limit_counters())),
        "/admin/token-lifetime" if m == Method::POST => post_token_lifetime(state, req),
        "/admin/token-lifetime" if m == Method::GET => {
            Ok(Reply::json(200, &json!({ "seconds": state.token_lifetime().as_secs_f64() })))
        }
        "/admin/counters" if m == Method::GET => Ok(to_json(&state.counters())),
        "/admin/samples" if m == Method::GET => Ok(Reply::json(200, &crate::spec::samples::json())),
        "/admin/requests" if m == Method::GET => Ok(to_json(&state.requests())),
        "/admin/reset" if m == Method::POST => {
            state.reset();
            Ok(Reply::empty(204))
        }
        "/admin/expire-tokens"
        | "/admin/faults"
        | "/admin/rate-limit"
        | "/admin/token-lifetime"
        | "/admin/token-rate-limit"
        | "/admin/limits"
        | "/admin/counters"
        | "/admin/samples"
        | "/admin/requests"
        | "/admin/reset" => Err(error(405, &format!("method {m} is not allowed on {path}"))),
        _ => Err(error(404, &format!("unknown admin endpoint {path}"))),
    };
    result.unwrap_or_else(|e| e)
}

/// No body (or `{}`): revoke once. `{"times":3,"interval_ms":150}`: revoke now and again
/// `times - 1` more times, `interval_ms` apart.
fn post_expire_tokens(state: &Arc<State>, req: &Incoming) -> Result<Reply, Reply> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        state.expire_all_tokens();
        return Ok(Reply::empty(204));
    }
    let v = body_json(req)?;
    let Value::Object(o) = v else {
        return Err(error(400, "expected an object like {\"times\":3,\"interval_ms\":150}"));
    };
    if let Some(k) = o.keys().find(|k| !matches!(k.as_str(), "times" | "interval_ms")) {
        return Err(error(400, &format!("unknown field `{k}` (expected times, interval_ms)")));
    }
    let whole = |name: &str, default: u64, max: u64| -> Result<u64, Reply> {
        match o.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= max)
                .ok_or_else(|| error(400, &format!("`{name}` must be a whole number from 0 to {max}, got {v}"))),
        }
    };
    let times = whole("times", 1, 1000)?;
    let interval = whole("interval_ms", 150, 3_600_000)?;
    state.expire_all_tokens_repeatedly(u32::try_from(times).unwrap_or(1), Duration::from_millis(interval));
    Ok(Reply::empty(204))
}

/// `{"faults":[Fault,...]}` or a single Fault object.
fn post_faults(state: &State, req: &Incoming) -> Result<Reply, Reply> {
    let v = body_json(req)?;
    let faults: Vec<Fault> = match v {
        Value::Object(mut o) if o.contains_key("faults") => {
            if o.len() > 1 {
                return Err(error(400, "a body with \"faults\" must have no other fields"));
            }
            let list = o.remove("faults").unwrap_or(Value::Null);
            serde_json::from_value(list).map_err(|e| error(400, &format!("invalid faults: {e}")))?
        }
        Value::Array(_) => serde_json::from_value(v).map_err(|e| error(400, &format!("invalid faults: {e}")))?,
        other => vec![serde_json::from_value(other).map_err(|e| error(400, &format!("invalid fault: {e}")))?],
    };
    for f in faults {
        state.push_fault(f);
    }
    Ok(Reply::empty(204))
}

/// `{"per_token":5,"window_seconds":60}` sets, `{"per_token":null}` clears.
fn post_rate_limit(state: &State, req: &Incoming) -> Result<Reply, Reply> {
    let v = body_json(req)?;
    if !v.is_object() {
        return Err(error(400, "expected an object like {\"per_token\":5,\"window_seconds\":60}"));
    }
    if v.get("per_token").is_none_or(Value::is_null) {
        state.set_rate_limit(None);
        return Ok(Reply::empty(204));
    }
    let limit: RateLimit = serde_json::from_value(v).map_err(|e| error(400, &format!("invalid rate limit: {e}")))?;
    state.set_rate_limit(Some(limit));
    Ok(Reply::empty(204))
}

/// `{"per_token":5,"window_seconds":60}` sets the token endpoint's limit per client id
/// (`per_token` token requests per window), `{"per_token":null}` clears.
fn post_token_rate_limit(state: &State, req: &Incoming) -> Result<Reply, Reply> {
    let v = body_json(req)?;
    if !v.is_object() {
        return Err(error(400, "expected an object like {\"per_token\":5,\"window_seconds\":60}"));
    }
    if v.get("per_token").is_none_or(Value::is_null) {
        state.set_token_rate_limit(None);
        return Ok(Reply::empty(204));
    }
    let limit: RateLimit = serde_json::from_value(v).map_err(|e| error(400, &format!("invalid rate limit: {e}")))?;
    state.set_token_rate_limit(Some(limit));
    Ok(Reply::empty(204))
}

/// `{"seconds":2}` (fractions allowed).
fn post_token_lifetime(state: &State, req: &Incoming) -> Result<Reply, Reply> {
    let v = body_json(req)?;
    let secs = v
        .get("seconds")
        .and_then(Value::as_f64)
        .ok_or_else(|| error(400, "expected {\"seconds\": <positive number>}"))?;
    let lifetime = Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| error(400, &format!("seconds must be a positive number, got {secs}")))?;
    state.set_token_lifetime(lifetime);
    Ok(Reply::empty(204))
}
