//! `/api/v2/users` endpoints over the seeded users.

use super::paging::page;
use super::ApiCtx;
use crate::data::{self, Expand};
use crate::reply::{not_found, Reply};

fn expand(ctx: &ApiCtx<'_>) -> Expand {
    Expand::from_list(&ctx.req.query_list("expand"))
}

/// `GET /api/v2/users/me`: the user of the token, or the built-in user for client tokens.
pub(crate) fn me(ctx: &ApiCtx<'_>) -> Reply {
    let idx = ctx.token.user_id.as_deref().and_then(data::user_index).unwrap_or(0);
    Reply::json(200, &data::user(idx, expand(ctx)))
}

/// `GET /api/v2/users/{userId}`.
pub(crate) fn by_id(ctx: &ApiCtx<'_>) -> Reply {
    let id = ctx.param("userId");
    match data::user_index(id) {
        Some(i) => Reply::json(200, &data::user(i, expand(ctx))),
        None => not_found(&ctx.req.cid, &format!("user {id}")),
    }
}

/// `GET /api/v2/users?pageSize&pageNumber[&expand]`.
pub(crate) fn list(ctx: &ApiCtx<'_>) -> Reply {
    let ex = expand(ctx);
    let users = (0..data::USER_COUNT).map(|i| data::user(i, ex)).collect();
    match page(ctx.req, "/api/v2/users", users) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => e,
    }
}
