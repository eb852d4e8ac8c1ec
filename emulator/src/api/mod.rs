//! The API host (`/api/v2/...`): routing over the whole catalog, bearer-token check, rate
//! limit, validation, then a stateful handler or the generated answer.
//!
//! Every catalog operation is registered in one segment-trie router by its method and path
//! template. The stateful handlers in [`STATEFUL`] replace the generic answer of their
//! operation. A request goes: route → auth (unless the operation says `security: []`) →
//! rate limit → validation against the operation (`spec::validate`) → the stateful handler,
//! or the generated response (`spec::generate`). Path values starting with `sample-` always
//! get the generated response (see README.md, "Sample ids").

mod misc;
pub(crate) mod paging;
mod queues;
mod users;

use std::sync::OnceLock;

use purecore_catalog::{models, Operation};

use crate::reply::{bad_credentials, bad_request, not_found, too_many_requests, Reply};
use crate::request::Incoming;
use crate::router::{Lookup, Router};
use crate::spec::{generate, validate, SAMPLE_PREFIX};
use crate::state::{RateOutcome, State, TokenInfo};

/// Everything a handler may look at.
pub(crate) struct ApiCtx<'a> {
    pub state: &'a State,
    pub req: &'a Incoming,
    /// The caller's token; `None` only on operations that need no authentication.
    pub token: Option<&'a TokenInfo>,
    /// Path parameters by name, percent-decoded.
    pub params: Vec<(String, String)>,
}

impl ApiCtx<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    /// The request body as JSON (already validated for routes that check their body).
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.req.body).unwrap_or_default()
    }
}

pub(crate) type Handler = fn(&ApiCtx<'_>) -> Reply;

/// A stateful handler and how much of the generic validation it gets.
#[derive(Clone, Copy)]
pub(crate) struct Stateful {
    pub handler: Handler,
    /// False when the handler checks the body itself (kept for its historical behaviour).
    pub check_body: bool,
}

/// One routed (method, path): the catalog operation and the stateful handler, if any.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    pub op: Option<&'static Operation>,
    pub stateful: Option<Stateful>,
}

/// Stateful handlers: (operation id, method, path relative to `/api/v2`, handler, check body).
/// They take precedence over the generic answer of their operation.
pub(crate) const STATEFUL: &[(&str, &str, &str, Handler, bool)] = &[
    ("getUsersMe", "GET", "/users/me", users::me, true),
    ("getUsers", "GET", "/users", users::list, true),
    ("postUsers", "POST", "/users", users::create, true),
    ("getUser", "GET", "/users/{userId}", users::get, true),
    ("patchUser", "PATCH", "/users/{userId}", users::patch, true),
    ("deleteUser", "DELETE", "/users/{userId}", users::delete, true),
    ("putUserProfileskills", "PUT", "/users/{userId}/profileskills", users::put_profile_skills, true),
    ("getRoutingQueues", "GET", "/routing/queues", queues::list, true),
    ("postRoutingQueues", "POST", "/routing/queues", queues::create, true),
    ("getRoutingQueue", "GET", "/routing/queues/{queueId}", queues::get, true),
    ("putRoutingQueue", "PUT", "/routing/queues/{queueId}", queues::put, true),
    ("deleteRoutingQueue", "DELETE", "/routing/queues/{queueId}", queues::delete, true),
    ("getAuthorizationPermissions", "GET", "/authorization/permissions", misc::permissions, true),
    ("getTokensMe", "GET", "/tokens/me", misc::tokens_me, true),
    (
        "postAnalyticsConversationsDetailsQuery",
        "POST",
        "/analytics/conversations/details/query",
        misc::conversation_details_query,
        false,
    ),
];

/// The route table, relative to `/api/v2`: every catalog operation, then the stateful ones.
fn routes() -> Router<Route> {
    let catalog = purecore_catalog::catalog();
    let mut r: Router<Route> = Router::new();
    for op in catalog.operations() {
        let rel = op.path.strip_prefix("/api/v2").unwrap_or(&op.path);
        r.add(&op.method, rel, Route { op: Some(op), stateful: None });
    }
    for &(id, method, pattern, handler, check_body) in STATEFUL {
        r.add(method, pattern, Route { op: catalog.get(id), stateful: Some(Stateful { handler, check_body }) });
    }
    r
}

pub(crate) fn router() -> &'static Router<Route> {
    static ROUTER: OnceLock<Router<Route>> = OnceLock::new();
    ROUTER.get_or_init(routes)
}

/// The bearer token of a request, if any.
pub(crate) fn bearer(req: &Incoming) -> Option<&str> {
    let h = req.header("authorization")?.trim();
    let (scheme, token) = h.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Adds the `inin-ratelimit-*` headers.
pub(crate) fn with_rate_headers(reply: Reply, rate: &RateOutcome) -> Reply {
    reply
        .header("inin-ratelimit-allowed", rate.allowed.to_string())
        .header("inin-ratelimit-count", rate.count.to_string())
        .header("inin-ratelimit-reset", rate.reset_secs.to_string())
}

/// Answers one API request.
pub(crate) fn handle(state: &State, req: &Incoming) -> Reply {
    let rel = req.route_path.strip_prefix("/api/v2").unwrap_or_default();
    let found = router().lookup(req.method.as_str(), rel);
    let needs_auth = match &found {
        Lookup::Found(m) => m.handler.op.is_none_or(|op| op.auth),
        _ => true,
    };
    let token = bearer(req);
    let info = token.and_then(|t| state.check_access(t));
    let counted = match (token, &info) {
        (Some(t), Some(_)) => Some(t),
        _ if needs_auth => {
            state.count_unauthorized();
            let rate = state.rate_check(token, false);
            return with_rate_headers(bad_credentials(&req.cid), &rate);
        }
        // An operation without authentication: nothing to count against.
        _ => None,
    };
    let rate = state.rate_check(counted, counted.is_some());
    if let Some(t) = counted {
        state.count_api_limit(t, rate.limited.is_some());
    }
    if let Some(retry_after) = rate.limited {
        let reply = too_many_requests(&req.cid, retry_after).header("retry-after", retry_after.to_string());
        return with_rate_headers(reply, &rate);
    }
    let reply = match found {
        Lookup::Found(m) => {
            let ctx = ApiCtx { state, req, token: info.as_ref(), params: m.params };
            answer(&ctx, m.handler)
        }
        Lookup::MethodNotAllowed(allowed) => not_found(
            &req.cid,
            &format!("{} {} (this path supports {})", req.method, req.route_path, allowed.join(", ")),
        ),
        Lookup::NotFound => not_found(&req.cid, &format!("{} {}", req.method, req.route_path)),
    };
    with_rate_headers(reply, &rate)
}

/// Validation, then the stateful handler or the generated answer.
fn answer(ctx: &ApiCtx<'_>, route: &Route) -> Reply {
    let check_body = route.stateful.is_none_or(|s| s.check_body);
    if let Some(op) = route.op {
        if let Err(message) = validate::request(op, models(), ctx.req, &ctx.params, check_body) {
            return bad_request(&ctx.req.cid, &message);
        }
    }
    let sample_id = ctx.params.iter().any(|(_, v)| v.starts_with(SAMPLE_PREFIX));
    match (route.stateful, route.op) {
        (Some(s), _) if !sample_id => (s.handler)(ctx),
        (_, Some(op)) => generate::answer(op, models(), ctx.req),
        (Some(s), None) => (s.handler)(ctx),
        (None, None) => not_found(&ctx.req.cid, &format!("{} {}", ctx.req.method, ctx.req.route_path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_covers_the_catalog() {
        let catalog = purecore_catalog::catalog();
        assert_eq!(router().len(), catalog.len());
        for op in catalog.operations() {
            let rel = op.path.strip_prefix("/api/v2").unwrap_or(&op.path);
            match router().lookup(&op.method, rel) {
                Lookup::Found(m) => assert_eq!(m.handler.op.map(|o| o.id.as_str()), Some(op.id.as_str())),
                _ => panic!("{} does not route", op.id),
            }
        }
    }

    #[test]
    fn stateful_routes_match_their_operations() {
        for &(id, method, pattern, _, _) in STATEFUL {
            let op = purecore_catalog::catalog().get(id).unwrap_or_else(|| panic!("{id} is not in the catalog"));
            assert_eq!(op.method, method, "{id}");
            assert_eq!(op.path, format!("/api/v2{pattern}"), "{id}");
            match router().lookup(method, pattern) {
                Lookup::Found(m) => assert!(m.handler.stateful.is_some(), "{id}"),
                _ => panic!("{id} does not route"),
            }
        }
    }

    #[test]
    fn every_sample_routes_to_its_operation() {
        const SEGMENT: &percent_encoding::AsciiSet =
            &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
        for s in crate::spec::samples::all() {
            let mut path = s.path.clone();
            for (k, v) in &s.params {
                let text = match v {
                    serde_json::Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                let encoded = percent_encoding::utf8_percent_encode(&text, SEGMENT).to_string();
                path = path.replace(&format!("{{{k}}}"), &encoded);
            }
            let rel = path.strip_prefix("/api/v2").unwrap_or(&path);
            match router().lookup(&s.method, rel) {
                Lookup::Found(m) => assert_eq!(m.handler.op.map(|o| o.id.as_str()), Some(s.id.as_str()), "{path}"),
                _ => panic!("{} ({path}) does not route", s.id),
            }
        }
    }
}
