//! A response under construction, error bodies in the platform's shapes, and ids.

use bytes::Bytes;
use rand::RngCore;
use serde_json::{json, Value};

/// A response before it becomes a hyper response (the server adds `inin-correlation-id`).
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

pub(crate) const JSON: &str = "application/json";
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";

impl Reply {
    pub fn new(status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Reply {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("content-type".to_string(), ct.to_string()));
        }
        Reply { status, headers, body: body.into() }
    }

    pub fn json(status: u16, value: &Value) -> Reply {
        Reply::new(status, Some(JSON), value.to_string())
    }

    pub fn text(status: u16, text: impl Into<String>) -> Reply {
        Reply::new(status, Some(TEXT), text.into())
    }

    pub fn empty(status: u16) -> Reply {
        Reply::new(status, None, Bytes::new())
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::empty(302).header("location", location)
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// A Genesys Platform API error body: `{message, code, status, messageParams, contextId, details, errors}`.
pub(crate) fn genesys_error(status: u16, code: &str, message: &str, context_id: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "message": message,
            "code": code,
            "status": status,
            "messageParams": {},
            "contextId": context_id,
            "details": [],
            "errors": [],
        }),
    )
}

/// The 401 the API answers for a missing, unknown, expired or revoked token.
pub(crate) fn bad_credentials(context_id: &str) -> Reply {
    Reply::json(
        401,
        &json!({
            "message": "Invalid login credentials.",
            "code": "bad.credentials",
            "status": 401,
            "contextId": context_id,
            "details": [],
            "errors": [],
        }),
    )
}

pub(crate) fn not_found(context_id: &str, what: &str) -> Reply {
    genesys_error(404, "not.found", &format!("The requested resource was not found: {what}"), context_id)
}

pub(crate) fn bad_request(context_id: &str, message: &str) -> Reply {
    genesys_error(400, "bad.request", message, context_id)
}

/// The platform's normalised 429 body.
pub(crate) fn too_many_requests(context_id: &str, retry_after_secs: u64) -> Reply {
    genesys_error(
        429,
        "too.many.requests.retry.after",
        &format!("Rate limit exceeded the maximum. Retry the request in [{retry_after_secs}] seconds"),
        context_id,
    )
}

/// An OAuth error body as the login host sends it: `{error, description, error_description}`.
pub(crate) fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "error": error,
            "description": description,
            "error_description": description,
        }),
    )
}

/// Genesys error code and message for a status (used by status faults).
pub(crate) fn code_for_status(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("bad.request", "The request could not be understood by the server due to malformed syntax."),
        401 => ("bad.credentials", "Invalid login credentials."),
        403 => ("missing.permissions", "You are not authorized to perform the requested action."),
        404 => ("not.found", "The requested resource was not found."),
        408 => ("request.timeout", "The client did not produce a request within the server timeout limit."),
        409 => ("conflict", "The request conflicts with the current state of the resource."),
        429 => ("too.many.requests.retry.after", "Rate limit exceeded the maximum."),
        500 => (
            "internal.server.error",
            "The server encountered an unexpected condition which prevented it from fulfilling the request.",
        ),
        501 => ("not.implemented", "The server does not support the functionality required to fulfill the request."),
        502 => ("bad.gateway", "The server received an invalid response from an upstream server."),
        503 => ("service.unavailable", "Service is currently unavailable."),
        504 => ("gateway.timeout", "The server did not receive a timely response from an upstream server."),
        s if s >= 500 => ("server.error", "The server failed to fulfill the request."),
        s if s >= 400 => ("bad.request", "The request was rejected."),
        _ => ("ok", "Injected response."),
    }
}

/// A random UUID version 4 string from the thread CSPRNG.
pub(crate) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// `n` random bytes from the thread CSPRNG as base64url without padding.
pub(crate) fn random_token(n: usize) -> String {
    use base64::Engine;
    let mut b = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid_v4());
    }
}
