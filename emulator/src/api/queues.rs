//! `/api/v2/routing/queues` with real state: 60 seeded queues plus the ones callers create.
//!
//! - `getRoutingQueues`: sorted by name (`sortOrder` asc/desc), filtered by `name` (case-
//!   insensitive; `*` matches any run of characters, so `Support*` is a prefix match; without
//!   `*` the name must match exactly), `id` and `divisionId`, then paged.
//! - `postRoutingQueues` (`CreateQueueRequest`) / `putRoutingQueue` (`QueueRequest`, a full
//!   replacement): the writable fields that `Queue` also has are kept; the server sets `id`,
//!   `selfUri`, dates, `createdBy`/`modifiedBy` and the member counts.
//! - `getRoutingQueue`, `deleteRoutingQueue` (200, no body); unknown ids → 404.

use purecore_catalog::models;
use serde_json::{json, Map, Value};

use super::paging::page;
use super::ApiCtx;
use crate::data;
use crate::directory::{now_iso, str_field, Record};
use crate::reply::{not_found, uuid_v4, Reply};

/// Fields the server owns: never taken from a request body.
const SERVER_FIELDS: [&str; 10] = [
    "id",
    "selfUri",
    "dateCreated",
    "dateModified",
    "createdBy",
    "modifiedBy",
    "memberCount",
    "userMemberCount",
    "joinedMemberCount",
    "division",
];

/// Case-insensitive match where `*` stands for any run of characters.
pub(crate) fn name_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = name.to_lowercase().chars().collect();
    // Classic wildcard matching with backtracking to the last '*'.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn queue_not_found(ctx: &ApiCtx<'_>, id: &str) -> Reply {
    not_found(&ctx.req.cid, &format!("queue {id}"))
}

/// `GET /api/v2/routing/queues`.
pub(crate) fn list(ctx: &ApiCtx<'_>) -> Reply {
    let name = ctx.req.query_first("name").filter(|n| !n.is_empty());
    let ids = ctx.req.query_list("id");
    let divisions = ctx.req.query_list("divisionId");
    let desc = ctx.req.query_first("sortOrder").is_some_and(|s| s.eq_ignore_ascii_case("desc"));
    let dir = ctx.state.directory();
    let mut queues: Vec<&Record> = dir
        .queues
        .iter()
        .filter(|q| name.as_deref().is_none_or(|n| name_matches(n, str_field(q, "name").unwrap_or_default())))
        .filter(|q| ids.is_empty() || ids.iter().any(|id| str_field(q, "id") == Some(id)))
        .filter(|q| {
            let division = q.get("division").and_then(|d| d.get("id")).and_then(Value::as_str);
            divisions.is_empty() || divisions.iter().any(|d| division == Some(d))
        })
        .collect();
    queues.sort_by_key(|q| str_field(q, "name").unwrap_or_default().to_lowercase());
    if desc {
        queues.reverse();
    }
    let items = queues.into_iter().map(|q| Value::Object(q.clone())).collect();
    drop(dir);
    match page(ctx.req, "/api/v2/routing/queues", items) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => e,
    }
}

/// The writable fields of `body` (by `request_model`) that `Queue` also declares.
fn writable_fields(body: &Map<String, Value>, request_model: &str) -> Record {
    let m = models();
    let (req_model, queue) = (m.get(request_model), m.get("Queue"));
    body.iter()
        .filter(|(k, v)| {
            !v.is_null()
                && !SERVER_FIELDS.contains(&k.as_str())
                && req_model.is_none_or(|rm| rm.property(k).is_some_and(|p| !p.read_only))
                && queue.is_none_or(|q| q.property(k).is_some())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A queue record from a request body; `previous` keeps id, creation and members on PUT.
fn build(ctx: &ApiCtx<'_>, request_model: &str, previous: Option<&Record>) -> Record {
    let body = ctx.json_body();
    let empty = Map::new();
    let fields = body.as_object().unwrap_or(&empty);
    let who = ctx.token.and_then(|t| t.user_id.clone()).unwrap_or_else(|| crate::creds::USER_ID.to_string());
    let now = now_iso();
    let id = previous.and_then(|p| str_field(p, "id")).map(str::to_string).unwrap_or_else(uuid_v4);
    let division_id = fields
        .get("division")
        .and_then(|d| d.get("id"))
        .and_then(Value::as_str)
        .or_else(|| previous.and_then(|p| p.get("division")).and_then(|d| d.get("id")).and_then(Value::as_str))
        .unwrap_or(data::DIVISION_ID)
        .to_string();
    let keep = |k: &str, default: Value| previous.and_then(|p| p.get(k)).cloned().unwrap_or(default);
    let mut q = writable_fields(fields, request_model);
    q.insert("id".into(), json!(id));
    q.insert("division".into(), data::division(&division_id));
    q.insert("dateCreated".into(), keep("dateCreated", json!(now)));
    q.insert("createdBy".into(), keep("createdBy", json!(who)));
    q.insert("dateModified".into(), json!(now));
    q.insert("modifiedBy".into(), json!(who));
    for k in ["memberCount", "userMemberCount", "joinedMemberCount"] {
        q.insert(k.into(), keep(k, json!(0)));
    }
    q.insert("selfUri".into(), json!(format!("/api/v2/routing/queues/{id}")));
    q
}

/// `POST /api/v2/routing/queues` (body `CreateQueueRequest`, `name` required).
pub(crate) fn create(ctx: &ApiCtx<'_>) -> Reply {
    let q = build(ctx, "CreateQueueRequest", None);
    let out = Value::Object(q.clone());
    ctx.state.directory().queues.push(q);
    Reply::json(200, &out)
}

/// `GET /api/v2/routing/queues/{queueId}`.
pub(crate) fn get(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("queueId");
    let dir = ctx.state.directory();
    match dir.queue_index(id) {
        Some(i) => Reply::json(200, &Value::Object(dir.queues[i].clone())),
        None => queue_not_found(ctx, id),
    }
}

/// `PUT /api/v2/routing/queues/{queueId}` (body `QueueRequest`): replaces the writable fields.
pub(crate) fn put(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("queueId");
    let previous = {
        let dir = ctx.state.directory();
        match dir.queue_index(id) {
            Some(i) => dir.queues[i].clone(),
            None => return queue_not_found(ctx, id),
        }
    };
    let q = build(ctx, "QueueRequest", Some(&previous));
    let mut dir = ctx.state.directory();
    // Deleted meanwhile: 404 rather than resurrecting it.
    let Some(i) = dir.queue_index(id) else {
        return queue_not_found(ctx, id);
    };
    dir.queues[i] = q.clone();
    Reply::json(200, &Value::Object(q))
}

/// `DELETE /api/v2/routing/queues/{queueId}` → 200 with no body.
pub(crate) fn delete(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("queueId");
    let mut dir = ctx.state.directory();
    match dir.queue_index(id) {
        Some(i) => {
            dir.queues.remove(i);
            Reply::empty(200)
        }
        None => queue_not_found(ctx, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(name_matches("Support EMEA", "support emea"));
        assert!(!name_matches("Support", "Support EMEA"));
        assert!(name_matches("Support*", "Support EMEA"));
        assert!(name_matches("*emea", "Support EMEA"));
        assert!(name_matches("*port*", "Support EMEA"));
        assert!(name_matches("S*t E*A", "Support EMEA"));
        assert!(!name_matches("*APAC*", "Support EMEA"));
        assert!(name_matches("*", ""));
    }
}
