//! `/api/v2/users` with real state: the 57 seeded users plus the ones callers create.
//!
//! - `postUsers`: a new user (version 1, state `active` unless given); an email already in
//!   use (case-insensitive) → `409 general.conflict`.
//! - `getUser` / `getUsersMe`: `expand` adds `presence`, `authorization`, `profileSkills`;
//!   other expand values are ignored.
//! - `patchUser`: `version` must equal the current version, else `409 general.conflict`; the
//!   writable fields of `UpdateUser` are applied (`null` removes a field); version + 1.
//! - `putUserProfileskills`: stores and returns the list.
//! - `deleteUser`: `200 {}`; the user is gone (404) afterwards.
//! - `getUsers`: paging over all users in creation order; `id` and `state` filters.

use purecore_catalog::models;
use serde_json::{json, Map, Value};

use super::paging::page;
use super::ApiCtx;
use crate::data::{self, Expand};
use crate::directory::{str_field, Directory, Record};
use crate::reply::{bad_request, genesys_error, not_found, uuid_v4, Reply};

fn expand(ctx: &ApiCtx<'_>) -> Expand {
    Expand::from_list(&ctx.req.query_list("expand"))
}

/// A stored user with the asked-for expansions.
fn render(dir: &Directory, user: &Record, ex: Expand) -> Value {
    let mut u = user.clone();
    if ex.presence {
        u.insert("presence".into(), data::presence());
    }
    if ex.authorization {
        u.insert("authorization".into(), data::authorization());
    }
    if ex.profile_skills {
        let id = str_field(user, "id").unwrap_or_default();
        u.insert("profileSkills".into(), json!(dir.skills.get(id).cloned().unwrap_or_default()));
    }
    Value::Object(u)
}

fn conflict(ctx: &ApiCtx<'_>, message: &str) -> Reply {
    genesys_error(409, "general.conflict", message, &ctx.req.cid)
}

fn user_not_found(ctx: &ApiCtx<'_>, id: &str) -> Reply {
    not_found(&ctx.req.cid, &format!("user {id}"))
}

/// `GET /api/v2/users/me`: the user of the token, or the built-in user for client tokens.
pub(crate) fn me(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.token.and_then(|t| t.user_id.clone()).unwrap_or_else(|| crate::creds::USER_ID.to_string());
    let dir = ctx.state.directory();
    match dir.user(&id).or_else(|| dir.user(crate::creds::USER_ID)) {
        Some(u) => Reply::json(200, &render(&dir, u, expand(ctx))),
        None => Reply::json(200, &data::user(0, expand(ctx))),
    }
}

/// `GET /api/v2/users/{userId}`.
pub(crate) fn get(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("userId");
    let dir = ctx.state.directory();
    match dir.user(id) {
        Some(u) => Reply::json(200, &render(&dir, u, expand(ctx))),
        None => user_not_found(ctx, id),
    }
}

/// `GET /api/v2/users?pageSize&pageNumber[&id][&state][&expand]`.
pub(crate) fn list(ctx: &ApiCtx<'_>) -> Reply {
    let ex = expand(ctx);
    let ids = ctx.req.query_list("id");
    let state = ctx.req.query_first("state").unwrap_or_else(|| "active".to_string());
    let dir = ctx.state.directory();
    let users = dir
        .users
        .iter()
        .filter(|u| ids.is_empty() || ids.iter().any(|id| str_field(u, "id") == Some(id)))
        .filter(|u| state == "any" || str_field(u, "state").unwrap_or("active") == state)
        .map(|u| render(&dir, u, ex))
        .collect();
    drop(dir);
    match page(ctx.req, "/api/v2/users", users) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => e,
    }
}

/// `POST /api/v2/users` (body `CreateUser`, already validated: name and email; without a
/// `divisionId` the user goes to the home division, as on the platform).
pub(crate) fn create(ctx: &ApiCtx<'_>) -> Reply {
    let body = ctx.json_body();
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (name, email, division) = (text("name"), text("email"), text("divisionId"));
    let mut dir = ctx.state.directory();
    if dir.email_taken(&email, None) {
        return conflict(ctx, &format!("A user with the email address {email} already exists"));
    }
    let id = uuid_v4();
    let division = if division.is_empty() { data::DIVISION_ID.to_string() } else { division };
    let mut user = match data::new_user(&id, &name, &email, &division) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    for key in ["department", "title", "addresses", "state"] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            user.insert(key.to_string(), v.clone());
        }
    }
    let out = Value::Object(user.clone());
    dir.users.push(user);
    Reply::json(200, &out)
}

/// `PATCH /api/v2/users/{userId}` (body `UpdateUser` with the current `version`).
pub(crate) fn patch(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("userId");
    let body = ctx.json_body();
    let Some(fields) = body.as_object() else {
        return bad_request(&ctx.req.cid, "The request body must be a JSON object (UpdateUser)");
    };
    let mut dir = ctx.state.directory();
    let Some(idx) = dir.user_index(id) else {
        return user_not_found(ctx, id);
    };
    let current = dir.users[idx].get("version").and_then(Value::as_i64).unwrap_or(1);
    let supplied = fields.get("version").cloned().unwrap_or_default();
    let given = supplied.as_i64().or_else(|| supplied.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64));
    if given != Some(current) {
        return conflict(
            ctx,
            &format!("The version supplied ({supplied}) does not match the current version {current} of user {id}"),
        );
    }
    if let Some(email) = fields.get("email").and_then(Value::as_str) {
        if dir.email_taken(email, Some(id)) {
            return conflict(ctx, &format!("A user with the email address {email} already exists"));
        }
    }
    let model = models().get("UpdateUser");
    let writable = |k: &str| model.is_none_or(|m| m.property(k).is_some_and(|p| !p.read_only));
    let mut skills = None;
    let user = &mut dir.users[idx];
    for (k, v) in fields {
        if k == "version" || !writable(k) {
            continue;
        }
        match (k.as_str(), v) {
            (_, Value::Null) => {
                user.remove(k);
            }
            ("profileSkills", v) => skills = Some(string_list(v)),
            ("manager", Value::String(m)) => {
                user.insert(k.clone(), json!({"id": m, "selfUri": format!("/api/v2/users/{m}")}));
            }
            _ => {
                user.insert(k.clone(), v.clone());
            }
        }
    }
    user.insert("version".into(), json!(current + 1));
    let out = Value::Object(user.clone());
    if let Some(s) = skills {
        dir.skills.insert(id.to_string(), s);
    }
    Reply::json(200, &out)
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// `PUT /api/v2/users/{userId}/profileskills` (body: array of strings).
pub(crate) fn put_profile_skills(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("userId");
    let skills = string_list(&ctx.json_body());
    let mut dir = ctx.state.directory();
    if dir.user_index(id).is_none() {
        return user_not_found(ctx, id);
    }
    dir.skills.insert(id.to_string(), skills.clone());
    Reply::json(200, &json!(skills))
}

/// `DELETE /api/v2/users/{userId}` → `200 {}`.
pub(crate) fn delete(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("userId");
    let mut dir = ctx.state.directory();
    let Some(idx) = dir.user_index(id) else {
        return user_not_found(ctx, id);
    };
    dir.users.remove(idx);
    dir.skills.remove(id);
    Reply::json(200, &json!({}))
}
