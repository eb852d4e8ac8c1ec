//! The API host (`/api/v2/...`): bearer-token check, rate limit, then the route table.
//!
//! Routes are registered in [`routes`] with Swagger-style patterns relative to `/api/v2`.
//! To add an operation, write a [`Handler`] and register it there (or register a whole
//! catalog of generated handlers the same way).

mod misc;
mod paging;
mod users;

use std::sync::OnceLock;

use crate::reply::{bad_credentials, not_found, too_many_requests, Reply};
use crate::request::Incoming;
use crate::router::{Lookup, Router};
use crate::state::{RateOutcome, State, TokenInfo};

/// Everything a handler may look at.
pub(crate) struct ApiCtx<'a> {
    /// Shared state, for handlers that keep data (none of the built-in ones do yet).
    #[allow(dead_code)]
    pub state: &'a State,
    pub req: &'a Incoming,
    pub token: &'a TokenInfo,
    /// Path parameters by name, percent-decoded.
    pub params: Vec<(String, String)>,
}

impl ApiCtx<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
}

pub(crate) type Handler = fn(&ApiCtx<'_>) -> Reply;

/// The route table, relative to `/api/v2`.
fn routes() -> Router<Handler> {
    let mut r: Router<Handler> = Router::new();
    r.add("GET", "/users/me", users::me)
        .add("GET", "/users/{userId}", users::by_id)
        .add("GET", "/users", users::list)
        .add("GET", "/authorization/permissions", misc::permissions)
        .add("GET", "/tokens/me", misc::tokens_me)
        .add("POST", "/analytics/conversations/details/query", misc::conversation_details_query);
    r
}

fn router() -> &'static Router<Handler> {
    static ROUTER: OnceLock<Router<Handler>> = OnceLock::new();
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
    let token = bearer(req);
    let info = token.and_then(|t| state.check_access(t));
    let (Some(token), Some(info)) = (token, info) else {
        state.count_unauthorized();
        let rate = state.rate_check(token, false);
        return with_rate_headers(bad_credentials(&req.cid), &rate);
    };
    let rate = state.rate_check(Some(token), true);
    if let Some(retry_after) = rate.limited {
        let reply = too_many_requests(&req.cid, retry_after).header("retry-after", retry_after.to_string());
        return with_rate_headers(reply, &rate);
    }
    let rel = req.route_path.strip_prefix("/api/v2").unwrap_or_default();
    let reply = match router().lookup(req.method.as_str(), rel) {
        Lookup::Found(m) => {
            let ctx = ApiCtx { state, req, token: &info, params: m.params };
            (m.handler)(&ctx)
        }
        Lookup::MethodNotAllowed(allowed) => not_found(
            &req.cid,
            &format!("{} {} (this path supports {})", req.method, req.route_path, allowed.join(", ")),
        ),
        Lookup::NotFound => not_found(&req.cid, &format!("{} {}", req.method, req.route_path)),
    };
    with_rate_headers(reply, &rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_builds() {
        assert_eq!(router().len(), 6);
        assert!(matches!(router().lookup("GET", "/users/me"), Lookup::Found(_)));
    }
}
