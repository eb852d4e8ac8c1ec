//! Permissions, token introspection and the analytics conversation-details query.

use serde_json::{json, Value};

use super::paging::page;
use super::ApiCtx;
use crate::creds;
use crate::data;
use crate::reply::{bad_request, Reply};

/// `GET /api/v2/authorization/permissions`.
pub(crate) fn permissions(ctx: &ApiCtx<'_>) -> Reply {
    match page(ctx.req, "/api/v2/authorization/permissions", data::permissions()) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => e,
    }
}

/// `GET /api/v2/tokens/me`: the organization and OAuth client behind the token.
pub(crate) fn tokens_me(ctx: &ApiCtx<'_>) -> Reply {
    let org = data::organization();
    let client_id = ctx.token.map(|t| t.client_id.as_str()).unwrap_or(creds::CLIENT_ID);
    let body = json!({
        "organization": org,
        "homeOrganization": org,
        "authorizedScope": data::SCOPES,
        "OAuthClient": {
            "id": client_id,
            "name": creds::client_name(client_id),
            "organization": org,
        },
    });
    Reply::json(200, &body)
}

/// `POST /api/v2/analytics/conversations/details/query`: the body must be a JSON object.
pub(crate) fn conversation_details_query(ctx: &ApiCtx<'_>) -> Reply {
    let body = &ctx.req.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return bad_request(&ctx.req.cid, "The request body is required: a JSON query object");
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(_)) => {}
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return bad_request(&ctx.req.cid, &format!("The request body must be a JSON object, got {kind}"));
        }
        Err(e) => return bad_request(&ctx.req.cid, &format!("The request body is not valid JSON: {e}")),
    }
    let conversations = data::conversations();
    let total = conversations.len();
    Reply::json(200, &json!({"conversations": conversations, "totalHits": total}))
}
