//! The login host: `POST /oauth/token` for every grant and `GET /oauth/authorize`.

mod authorize;
mod client;

pub(crate) use authorize::authorize;

use base64::Engine;
use hyper::Method;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::creds;
use crate::reply::{oauth_error, Reply};
use crate::request::Incoming;
use crate::state::State;
use client::{authenticate, Client};

pub(crate) const SAML2_GRANT: &str = "urn:ietf:params:oauth:grant-type:saml2-bearer";

/// The `grant_type` of a token request, for counting (`"(none)"` when absent).
pub(crate) fn grant_of(req: &Incoming) -> String {
    req.form().into_iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v).unwrap_or_else(|| "(none)".to_string())
}

/// The form fields of a token request, rejecting repeated parameters (RFC 6749 §3.2).
struct Form(Vec<(String, String)>);

impl Form {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn require(&self, key: &str) -> Result<&str, Reply> {
        match self.get(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(invalid_request(&format!("Missing required parameter: {key}"))),
        }
    }
}

fn invalid_request(msg: &str) -> Reply {
    oauth_error(400, "invalid_request", msg)
}

fn invalid_grant(msg: &str) -> Reply {
    oauth_error(400, "invalid_grant", msg)
}

/// `POST /oauth/token`.
pub(crate) fn token(state: &State, req: &Incoming) -> Reply {
    let reply = token_inner(state, req).unwrap_or_else(|e| e);
    reply.header("cache-control", "no-store").header("pragma", "no-cache")
}

fn token_inner(state: &State, req: &Incoming) -> Result<Reply, Reply> {
    if req.method != Method::POST {
        return Err(oauth_error(405, "invalid_request", &format!("Method {} is not allowed; use POST", req.method))
            .header("allow", "POST"));
    }
    if req.media_type().as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(invalid_request("Content-Type must be application/x-www-form-urlencoded"));
    }
    let pairs = req.form();
    for (i, (k, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(k2, _)| k2 == k) {
            return Err(invalid_request(&format!("Parameter {k} is repeated")));
        }
    }
    let form = Form(pairs);
    let grant = form.require("grant_type")?;
    match grant {
        "client_credentials" => client_credentials(state, req, &form),
        SAML2_GRANT => saml2(state, req, &form),
        "authorization_code" => authorization_code(state, req, &form),
        "refresh_token" => refresh(state, req, &form),
        other => Err(oauth_error(400, "unsupported_grant_type", &format!("Unsupported grant type: {other}"))),
    }
}

fn confidential(client: Client) -> Result<String, Reply> {
    match client {
        Client::Confidential(id) => Ok(id),
        Client::Public(id) => Err(client::invalid_client(&format!(
            "Client {id} is a public client and cannot use this grant without a secret"
        ))),
    }
}

fn access_only(state: &State, client_id: &str, grant: &str, user: Option<&str>) -> Reply {
    let (token, expires_in) = state.issue_access(client_id, grant, user);
    Reply::json(200, &json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in}))
}

fn client_credentials(state: &State, req: &Incoming, form: &Form) -> Result<Reply, Reply> {
    let id = confidential(authenticate(req, form)?)?;
    Ok(access_only(state, &id, "client_credentials", None))
}

fn saml2(state: &State, req: &Incoming, form: &Form) -> Result<Reply, Reply> {
    let id = confidential(authenticate(req, form)?)?;
    let org = form.require("orgName")?;
    let assertion = form.require("assertion")?;
    if org != creds::SAML_ORG {
        return Err(invalid_grant(&format!("Unknown organization: {org}")));
    }
    if assertion != creds::SAML_ASSERTION {
        return Err(invalid_grant("The SAML assertion is not valid"));
    }
    Ok(access_only(state, &id, SAML2_GRANT, Some(creds::USER_ID)))
}

/// base64url (no padding) of SHA-256 of the verifier: the S256 code challenge.
pub(crate) fn s256_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn authorization_code(state: &State, req: &Incoming, form: &Form) -> Result<Reply, Reply> {
    let client = authenticate(req, form)?;
    let code = form.require("code")?;
    let redirect_uri = form.require("redirect_uri")?;
    let verifier = form.get("code_verifier").filter(|v| !v.is_empty());
    if matches!(client, Client::Public(_)) && verifier.is_none() {
        return Err(invalid_request("Missing required parameter: code_verifier"));
    }
    let client_id = client.id().to_string();
    state.redeem_code(
        code,
        || invalid_grant("The authorization code is invalid, expired or already used"),
        |info| {
            if info.client_id != client_id {
                return Err(invalid_grant("The authorization code was issued to another client"));
            }
            if info.redirect_uri != redirect_uri {
                return Err(invalid_grant("redirect_uri does not match the one used to obtain the code"));
            }
            match (&info.code_challenge, verifier) {
                (Some(challenge), Some(v)) => {
                    if !valid_verifier(v) {
                        return Err(invalid_grant("code_verifier must be 43-128 characters of [A-Za-z0-9-._~]"));
                    }
                    if s256_challenge(v) != *challenge {
                        return Err(invalid_grant("code_verifier does not match the code_challenge"));
                    }
                    Ok(())
                }
                (Some(_), None) => {
                    Err(invalid_grant("The code was issued with a code_challenge; code_verifier is required"))
                }
                (None, Some(_)) => {
                    Err(invalid_grant("The code was issued without a code_challenge; code_verifier is not expected"))
                }
                (None, None) => Ok(()),
            }
        },
    )?;
    let (token, expires_in) = state.issue_access(&client_id, "authorization_code", Some(creds::USER_ID));
    let refresh = state.issue_refresh(&client_id, Some(creds::USER_ID));
    Ok(Reply::json(
        200,
        &json!({
            "access_token": token,
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": expires_in,
        }),
    ))
}

fn refresh(state: &State, req: &Incoming, form: &Form) -> Result<Reply, Reply> {
    let client = authenticate(req, form)?;
    let refresh_token = form.require("refresh_token")?;
    let info = state.refresh_info(refresh_token).ok_or_else(|| invalid_grant("The refresh token is invalid"))?;
    if info.client_id != client.id() {
        return Err(invalid_grant("The refresh token was issued to another client"));
    }
    let (token, expires_in) = state.issue_access(&info.client_id, "refresh_token", info.user_id.as_deref());
    Ok(Reply::json(
        200,
        &json!({
            "access_token": token,
            "refresh_token": refresh_token,
            "token_type": "bearer",
            "expires_in": expires_in,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc7636_example() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(valid_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!valid_verifier("short"));
    }
}
