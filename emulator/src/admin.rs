//! The admin HTTP API (`/admin/...`): no auth, JSON in and out. Tests in every language
//! drive the emulator through it. Errors are `{"error": "<what is wrong>"}`.

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

pub(crate) fn handle(state: &State, req: &Incoming) -> Reply {
    let path = req.route_path.trim_end_matches('/');
    let m = &req.method;
    let result = match path {
        "/admin/expire-tokens" if m == Method::POST => {
            state.expire_all_tokens();
            Ok(Reply::empty(204))
        }
        "/admin/faults" if m == Method::POST => post_faults(state, req),
        "/admin/faults" if m == Method::GET => Ok(to_json(&state.faults())),
        "/admin/rate-limit" if m == Method::POST => post_rate_limit(state, req),
        "/admin/rate-limit" if m == Method::GET => Ok(match state.rate_limit() {
            Some(r) => to_json(&r),
            None => Reply::json(200, &json!({ "per_token": null })),
        }),
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
        | "/admin/counters"
        | "/admin/samples"
        | "/admin/requests"
        | "/admin/reset" => Err(error(405, &format!("method {m} is not allowed on {path}"))),
        _ => Err(error(404, &format!("unknown admin endpoint {path}"))),
    };
    result.unwrap_or_else(|e| e)
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
