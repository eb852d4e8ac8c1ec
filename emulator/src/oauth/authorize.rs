//! `GET /oauth/authorize`: the built-in user is signed in automatically, so the answer is
//! a redirect carrying a code (code and PKCE flows) or a token (implicit flow).

use hyper::Method;

use crate::creds;
use crate::reply::Reply;
use crate::request::Incoming;
use crate::state::State;

/// Clients allowed to use the browser flows.
const AUTHORIZE_CLIENTS: [&str; 2] = [creds::CODE_CLIENT_ID, creds::PUBLIC_CLIENT_ID];

/// `redirect_uri` plus parameters, in the query (`?`/`&`) or the fragment (`#`).
fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)], fragment: bool) -> Reply {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let params = ser.finish();
    let sep = if fragment {
        "#"
    } else if redirect_uri.contains('?') {
        "&"
    } else {
        "?"
    };
    Reply::redirect(&format!("{redirect_uri}{sep}{params}"))
}

fn redirect_error(redirect_uri: &str, error: &str, description: &str, state: Option<&str>, fragment: bool) -> Reply {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_with(redirect_uri, &pairs, fragment)
}

pub(crate) fn authorize(st: &State, req: &Incoming) -> Reply {
    if req.method != Method::GET {
        return Reply::text(405, format!("Method {} is not allowed; use GET", req.method)).header("allow", "GET");
    }
    let q = |k: &str| req.query_first(k).filter(|v| !v.is_empty());
    let Some(client_id) = q("client_id") else {
        return Reply::text(400, "Missing required parameter: client_id");
    };
    if !AUTHORIZE_CLIENTS.contains(&client_id.as_str()) {
        if client_id == creds::CLIENT_ID {
            return Reply::text(
                400,
                format!("client_id {client_id} is a client-credentials client and cannot use /oauth/authorize"),
            );
        }
        return Reply::text(400, format!("Unknown client_id: {client_id}"));
    }
    let Some(redirect_uri) = q("redirect_uri") else {
        return Reply::text(400, "Missing required parameter: redirect_uri");
    };
    if !creds::REDIRECT_URIS.contains(&redirect_uri.as_str()) {
        return Reply::text(400, format!("redirect_uri {redirect_uri} is not registered for client {client_id}"));
    }
    let state = q("state");
    let state = state.as_deref();
    let Some(response_type) = q("response_type") else {
        return redirect_error(
            &redirect_uri,
            "invalid_request",
            "Missing required parameter: response_type",
            state,
            false,
        );
    };
    match response_type.as_str() {
        "code" => code_flow(st, req, &client_id, &redirect_uri, state),
        "token" => {
            let (token, expires_in) = st.issue_access(&client_id, "implicit", Some(creds::USER_ID));
            let expires_in = expires_in.to_string();
            let mut pairs =
                vec![("access_token", token.as_str()), ("token_type", "bearer"), ("expires_in", expires_in.as_str())];
            if let Some(s) = state {
                pairs.push(("state", s));
            }
            redirect_with(&redirect_uri, &pairs, true)
        }
        other => redirect_error(
            &redirect_uri,
            "unsupported_response_type",
            &format!("Unsupported response_type: {other}; use code or token"),
            state,
            other.split(' ').any(|t| t == "token"),
        ),
    }
}

fn code_flow(st: &State, req: &Incoming, client_id: &str, redirect_uri: &str, state: Option<&str>) -> Reply {
    let challenge = req.query_first("code_challenge").filter(|v| !v.is_empty());
    let method = req.query_first("code_challenge_method");
    if let Some(m) = method.as_deref().filter(|m| !m.is_empty()) {
        if m != "S256" {
            return redirect_error(
                redirect_uri,
                "invalid_request",
                &format!("Unsupported code_challenge_method: {m}; only S256 is supported"),
                state,
                false,
            );
        }
        if challenge.is_none() {
            return redirect_error(
                redirect_uri,
                "invalid_request",
                "code_challenge_method given without code_challenge",
                state,
                false,
            );
        }
    }
    if client_id == creds::PUBLIC_CLIENT_ID && challenge.is_none() {
        return redirect_error(
            redirect_uri,
            "invalid_request",
            "The public client must send a PKCE code_challenge (S256)",
            state,
            false,
        );
    }
    let code = st.issue_code(client_id, redirect_uri, challenge.as_deref());
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_with(redirect_uri, &pairs, false)
}
