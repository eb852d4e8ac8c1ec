//! Client authentication for the token endpoint: HTTP Basic (or `client_id` +
//! `client_secret` form fields) for confidential clients, `client_id` alone for the
//! public client.

use base64::Engine;

use super::Form;
use crate::creds;
use crate::reply::{oauth_error, Reply};
use crate::request::Incoming;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Client {
    Confidential(String),
    Public(String),
}

impl Client {
    pub fn id(&self) -> &str {
        match self {
            Client::Confidential(id) | Client::Public(id) => id,
        }
    }
}

pub(super) fn invalid_client(msg: &str) -> Reply {
    oauth_error(401, "invalid_client", msg).header("www-authenticate", "Basic realm=\"oauth\"")
}

/// Decodes `Basic base64(id:secret)`; the id and secret may be form-encoded (RFC 6749 §2.3.1).
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    let decode = |s: &str| -> String {
        url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
    };
    Some((decode(id), decode(secret)))
}

fn check_secret(id: &str, secret: &str) -> Result<Client, Reply> {
    match creds::secret_of(id) {
        Some(expected) if expected == secret => Ok(Client::Confidential(id.to_string())),
        Some(_) => Err(invalid_client("Client authentication failed: bad client secret")),
        None if id == creds::PUBLIC_CLIENT_ID => Err(invalid_client(
            "Client authentication failed: the public client has no secret; send client_id without an Authorization header",
        )),
        None => Err(invalid_client(&format!(
            "Client authentication failed: unknown client {id}"
        ))),
    }
}

pub(super) fn authenticate(req: &Incoming, form: &Form) -> Result<Client, Reply> {
    let form_id = form.get("client_id").filter(|s| !s.is_empty());
    if let Some(header) = req.header("authorization") {
        let Some((id, secret)) = parse_basic(header) else {
            return Err(invalid_client(
                "Client authentication failed: the Authorization header must be Basic base64(client_id:client_secret)",
            ));
        };
        if form_id.is_some_and(|f| f != id) {
            return Err(invalid_client(
                "Client authentication failed: client_id does not match the Authorization header",
            ));
        }
        return check_secret(&id, &secret);
    }
    if req.headers.contains_key("authorization") {
        return Err(invalid_client("Client authentication failed: unreadable Authorization header"));
    }
    let Some(id) = form_id else {
        return Err(invalid_client("Client authentication failed: no Authorization header and no client_id"));
    };
    if let Some(secret) = form.get("client_secret") {
        return check_secret(id, secret);
    }
    if id == creds::PUBLIC_CLIENT_ID {
        return Ok(Client::Public(id.to_string()));
    }
    if creds::secret_of(id).is_some() {
        return Err(invalid_client(&format!(
            "Client authentication failed: client {id} is confidential; use HTTP Basic authentication"
        )));
    }
    Err(invalid_client(&format!("Client authentication failed: unknown client {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_parsing() {
        let h =
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("emulator-client:emulator-secret"));
        assert_eq!(parse_basic(&h), Some(("emulator-client".into(), "emulator-secret".into())));
        assert_eq!(parse_basic("Bearer abc"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
    }
}
