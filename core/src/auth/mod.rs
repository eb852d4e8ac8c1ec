//! Authentication: every grant, the token session, PKCE and browser-flow helpers.
//!
//! Each grant is a `POST {login}/oauth/token` with the form fields and Basic
//! auth the platform expects (see `docs` in the repository README):
//! - client credentials: Basic `id:secret`, `grant_type=client_credentials`
//! - SAML2 bearer: Basic, `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer`, `orgName`, `assertion`
//! - authorization code: Basic, `grant_type=authorization_code`, `code`, `redirect_uri`
//! - refresh: Basic, `grant_type=refresh_token`, `refresh_token`
//! - PKCE: no secret, `grant_type=authorization_code`, `code`, `code_verifier`, `client_id`, `redirect_uri`
//!   (refresh: `grant_type=refresh_token`, `refresh_token`, `client_id`)
//!
//! # Token lifetimes
//!
//! One rule keeps every expiry in range, whichever way a token arrives:
//! - a lifetime the **server** sends (`expires_in` of a token reply or of an
//!   implicit-grant redirect) that is a number, or a string holding one, is
//!   rounded down to whole seconds and clamped to `0..=`[`MAX_TOKEN_LIFETIME`]
//!   (ten years): a negative one counts as 0 (the token is due at once), a
//!   larger one as ten years. Anything else (text, an empty string, `null`,
//!   `true`, an object or array, `NaN`) means the lifetime is unknown, as when
//!   `expires_in` is absent: the token is used until the server refuses it.
//! - a lifetime the **caller** gives ([`crate::Client::set_access_token`]) is
//!   clamped to ten years too; [`token_lifetime_from_secs`] turns a host
//!   number into one and refuses a negative or non-finite number as
//!   `invalid_argument`.
//! - the absolute expiry is `now + lifetime`, computed with `checked_add`, so
//!   no value can overflow the clock.

pub mod implicit;
pub mod pkce;
pub(crate) mod refresh;
pub(crate) mod session;
pub(crate) mod store;

pub use refresh::TokenCallback;

use std::time::{Duration, SystemTime};

use base64::Engine;
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::response::Response;
use crate::secret::Secret;

/// A token and what the server said about it.
#[derive(Debug, Clone)]
pub struct AuthData {
    pub access_token: Secret,
    pub token_type: String,
    pub refresh_token: Option<Secret>,
    /// Lifetime in whole seconds as the server gave it, clamped to
    /// `0..=`[`MAX_TOKEN_LIFETIME`] (see the module documentation); `None` when unknown.
    pub expires_in: Option<u64>,
    /// When the token expires (absolute time), if known.
    pub expires_at: Option<SystemTime>,
    /// The `state` of an implicit-grant redirect.
    pub state: Option<String>,
}

impl AuthData {
    /// Expiry in milliseconds since the Unix epoch (as the JS SDK's `tokenExpiryTime`).
    pub fn expires_at_millis(&self) -> Option<u64> {
        self.expires_at.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()).map(|d| d.as_millis() as u64)
    }
}

/// The longest lifetime a token is given: ten years (of 365 days). Longer
/// lifetimes, from a server or a caller, are clamped to it.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 60 * 60);

/// Whole seconds of a lifetime given as a float: rounded down and clamped to
/// `0..=MAX_TOKEN_LIFETIME`; `None` for NaN and infinities.
fn lifetime_from_f64(secs: f64) -> Option<u64> {
    if !secs.is_finite() {
        return None;
    }
    let max = MAX_TOKEN_LIFETIME.as_secs();
    // Finite and clamped into 0..=max first, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    Some(secs.clamp(0.0, max as f64) as u64)
}

/// A server's `expires_in` as text (a redirect fragment, a string in JSON):
/// whole seconds in `0..=MAX_TOKEN_LIFETIME`, or `None` when it is not a number.
pub(crate) fn lifetime_from_text(text: &str) -> Option<u64> {
    let t = text.trim();
    // Rust's float syntax also reads "inf" and "NaN"; only digits, sign, point
    // and exponent count as a number here (lifetime_from_f64 refuses the rest).
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E')) {
        return None;
    }
    match t.parse::<u64>() {
        Ok(n) => Some(n.min(MAX_TOKEN_LIFETIME.as_secs())),
        Err(_) => lifetime_from_f64(t.parse::<f64>().ok()?),
    }
}

/// A server's `expires_in` from a JSON reply (see the module documentation).
pub(crate) fn lifetime_from_json(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(u) => Some(u.min(MAX_TOKEN_LIFETIME.as_secs())),
            None => lifetime_from_f64(n.as_f64()?),
        },
        serde_json::Value::String(s) => lifetime_from_text(s),
        _ => None,
    }
}

/// When a token of `lifetime` taken at `now` expires. The lifetime is clamped
/// to [`MAX_TOKEN_LIFETIME`] and the sum cannot overflow: should the clock sit
/// so late that even that does not fit, the token counts as expired now.
pub(crate) fn expiry_after(now: SystemTime, lifetime: Duration) -> SystemTime {
    now.checked_add(lifetime.min(MAX_TOKEN_LIFETIME)).unwrap_or(now)
}

/// A caller's token lifetime in seconds (a host number) as a duration: a
/// negative, NaN or infinite value is refused as `invalid_argument`; one over
/// [`MAX_TOKEN_LIFETIME`] is clamped to it; fractions are kept.
pub fn token_lifetime_from_secs(secs: f64) -> Result<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return Err(Error::invalid_argument(format!(
            "expires_in must be a non-negative number of seconds, not {secs}"
        )));
    }
    let max = MAX_TOKEN_LIFETIME.as_secs_f64();
    Ok(Duration::try_from_secs_f64(secs.min(max)).unwrap_or(MAX_TOKEN_LIFETIME))
}

/// How the session renews its token.
#[derive(Clone, Default)]
pub(crate) enum Renewal {
    /// A caller-supplied or implicit token: cannot be renewed.
    #[default]
    None,
    ClientCredentials {
        client_id: String,
        secret: Secret,
    },
    Saml2 {
        client_id: String,
        secret: Secret,
        org_name: String,
        assertion: Secret,
    },
    /// Code grant: renewed with the refresh token.
    Code {
        client_id: String,
        secret: Secret,
    },
    /// PKCE: renewed with the refresh token and the client id, no secret.
    Pkce {
        client_id: String,
    },
}

impl Renewal {
    pub fn can_renew(&self, auth: Option<&AuthData>) -> bool {
        match self {
            Renewal::None => false,
            Renewal::ClientCredentials { .. } | Renewal::Saml2 { .. } => true,
            Renewal::Code { .. } | Renewal::Pkce { .. } => auth.is_some_and(|a| a.refresh_token.is_some()),
        }
    }
}

/// A token request: form fields and optional Basic credentials.
pub(crate) struct TokenRequest {
    pub form: Vec<(&'static str, String)>,
    pub basic: Option<(String, Secret)>,
    pub grant: &'static str,
}

fn required(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!("{name} is required and must not be empty")));
    }
    Ok(())
}

impl TokenRequest {
    pub fn client_credentials(client_id: &str, secret: &str) -> Result<Self> {
        required("client_id", client_id)?;
        required("client_secret", secret)?;
        Ok(TokenRequest {
            form: vec![("grant_type", "client_credentials".into())],
            basic: Some((client_id.into(), secret.into())),
            grant: "client_credentials",
        })
    }

    pub fn saml2(client_id: &str, secret: &str, org_name: &str, assertion: &str) -> Result<Self> {
        required("client_id", client_id)?;
        required("client_secret", secret)?;
        required("org_name", org_name)?;
        required("assertion", assertion)?;
        Ok(TokenRequest {
            form: vec![
                ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer".into()),
                ("orgName", org_name.into()),
                ("assertion", assertion.into()),
            ],
            basic: Some((client_id.into(), secret.into())),
            grant: "saml2_bearer",
        })
    }

    pub fn code(client_id: &str, secret: &str, code: &str, redirect_uri: &str) -> Result<Self> {
        required("client_id", client_id)?;
        required("client_secret", secret)?;
        required("code", code)?;
        required("redirect_uri", redirect_uri)?;
        Ok(TokenRequest {
            form: vec![
                ("grant_type", "authorization_code".into()),
                ("code", code.into()),
                ("redirect_uri", redirect_uri.into()),
            ],
            basic: Some((client_id.into(), secret.into())),
            grant: "authorization_code",
        })
    }

    pub fn refresh(client_id: &str, secret: Option<&str>, refresh_token: &str) -> Result<Self> {
        required("client_id", client_id)?;
        required("refresh_token", refresh_token)?;
        let mut form = vec![("grant_type", "refresh_token".into()), ("refresh_token", refresh_token.into())];
        let basic = match secret {
            Some(s) => {
                required("client_secret", s)?;
                Some((client_id.into(), s.into()))
            }
            None => {
                form.push(("client_id", client_id.into()));
                None
            }
        };
        Ok(TokenRequest { form, basic, grant: "refresh_token" })
    }

    pub fn pkce(client_id: &str, code: &str, verifier: &str, redirect_uri: &str) -> Result<Self> {
        required("client_id", client_id)?;
        required("code", code)?;
        required("code_verifier", verifier)?;
        required("redirect_uri", redirect_uri)?;
        Ok(TokenRequest {
            form: vec![
                ("grant_type", "authorization_code".into()),
                ("code", code.into()),
                ("code_verifier", verifier.into()),
                ("client_id", client_id.into()),
                ("redirect_uri", redirect_uri.into()),
            ],
            basic: None,
            grant: "pkce",
        })
    }

    /// Request for renewing with stored credentials.
    pub fn renewal(renewal: &Renewal, refresh_token: Option<&str>) -> Result<Self> {
        let rt = || refresh_token.ok_or_else(|| Error::authentication("no refresh token to renew the session with"));
        match renewal {
            Renewal::None => Err(Error::authentication("this token cannot be renewed: no credentials are stored")),
            Renewal::ClientCredentials { client_id, secret } => Self::client_credentials(client_id, secret.expose()),
            Renewal::Saml2 { client_id, secret, org_name, assertion } => {
                Self::saml2(client_id, secret.expose(), org_name, assertion.expose())
            }
            Renewal::Code { client_id, secret } => Self::refresh(client_id, Some(secret.expose()), rt()?),
            Renewal::Pkce { client_id } => Self::refresh(client_id, None, rt()?),
        }
    }

    pub fn basic_header(&self) -> Option<String> {
        self.basic.as_ref().map(|(id, secret)| {
            let raw = format!("{id}:{}", secret.expose());
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
        })
    }
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: Option<String>,
    token_type: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
}

/// Reads a successful token reply.
pub(crate) fn parse_token_reply(resp: &Response) -> Result<AuthData> {
    let reply: TokenReply = serde_json::from_slice(&resp.body).map_err(|e| {
        Error::new(ErrorKind::Decoding, format!("the token reply (HTTP {}) is not the expected JSON: {e}", resp.status))
    })?;
    let token = reply
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::new(ErrorKind::Decoding, "the token reply has no access_token"))?;
    let expires_in = reply.expires_in.as_ref().and_then(lifetime_from_json);
    Ok(AuthData {
        access_token: Secret::new(token),
        token_type: reply.token_type.unwrap_or_else(|| "bearer".into()),
        refresh_token: reply.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
        expires_in,
        expires_at: expires_in.map(|s| expiry_after(SystemTime::now(), Duration::from_secs(s))),
        state: None,
    })
}

pub(crate) fn oauth_error(kind: ErrorKind, message: String, error: String, description: Option<String>) -> Error {
    crate::error::Error::new(kind, message).with_oauth(error, description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    const TEN_YEARS: u64 = 10 * 365 * 24 * 60 * 60;

    fn reply(expires_in: &str) -> Result<AuthData> {
        let body = format!(r#"{{"access_token":"tok","expires_in":{expires_in}}}"#);
        parse_token_reply(&Response::new(200, Vec::new(), Bytes::from(body)))
    }

    /// Every known-bad `expires_in` of a token reply: clamped into 0..=10 years or
    /// unknown, never a panic (9.2e18 and more overflowed `SystemTime + Duration`).
    #[test]
    fn token_reply_expires_in_is_clamped_or_unknown() {
        let now = SystemTime::now();
        for (raw, want) in [
            ("3600", Some(3600)),
            ("\"3600\"", Some(3600)),
            ("9.2e18", Some(TEN_YEARS)),
            ("9223372036854775807", Some(TEN_YEARS)),
            ("9223372036854775808", Some(TEN_YEARS)),
            ("18446744073709551615", Some(TEN_YEARS)),
            ("18446744073709551616", Some(TEN_YEARS)),
            ("1e19", Some(TEN_YEARS)),
            ("1e308", Some(TEN_YEARS)),
            ("\"18446744073709551615\"", Some(TEN_YEARS)),
            ("\"1e400\"", None),
            ("-1", Some(0)),
            ("-9.2e18", Some(0)),
            ("\"-5\"", Some(0)),
            ("0", Some(0)),
            ("1.5", Some(1)),
            ("\" 1.5 \"", Some(1)),
            ("\"abc\"", None),
            ("\"\"", None),
            ("\"inf\"", None),
            ("\"NaN\"", None),
            ("null", None),
            ("true", None),
            ("[3600]", None),
            (r#"{"a":{"b":[1,{"c":2}]}}"#, None),
        ] {
            let auth = reply(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(auth.expires_in, want, "expires_in {raw}");
            match want {
                Some(secs) => {
                    let at = auth.expires_at.unwrap_or_else(|| panic!("{raw}: no expires_at"));
                    assert!(at >= now + Duration::from_secs(secs), "expires_in {raw}");
                    assert!(at <= SystemTime::now() + Duration::from_secs(secs), "expires_in {raw}");
                    assert!(auth.expires_at_millis().is_some());
                }
                None => assert!(auth.expires_at.is_none(), "expires_in {raw}"),
            }
        }
    }

    #[test]
    fn the_clamp_is_ten_years() {
        assert_eq!(MAX_TOKEN_LIFETIME.as_secs(), TEN_YEARS);
        assert_eq!(lifetime_from_text("315360000"), Some(TEN_YEARS));
        assert_eq!(lifetime_from_text("315360001"), Some(TEN_YEARS));
        assert_eq!(lifetime_from_text("315359999"), Some(TEN_YEARS - 1));
    }

    #[test]
    fn expiry_arithmetic_saturates() {
        let now = SystemTime::now();
        assert_eq!(expiry_after(now, Duration::MAX), now + MAX_TOKEN_LIFETIME);
        assert_eq!(expiry_after(now, Duration::from_secs(5)), now + Duration::from_secs(5));
        // A clock so late that even ten years do not fit: expired now, no panic.
        let mut late = now;
        for bit in (0..64).rev() {
            if let Some(t) = late.checked_add(Duration::from_secs(1 << bit)) {
                late = t;
            }
        }
        assert_eq!(late.checked_add(Duration::from_secs(1)), None, "the clock's last second");
        assert_eq!(expiry_after(late, Duration::MAX), late);
        assert_eq!(expiry_after(late, Duration::from_secs(5)), late);
    }

    /// A caller's lifetime: negative, NaN and infinite are refused naming the value;
    /// above ten years is clamped; fractions are kept.
    #[test]
    fn a_callers_token_lifetime() {
        for bad in [-1.0, -0.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = token_lifetime_from_secs(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad}");
            assert!(err.message().contains("expires_in"), "{}", err.message());
        }
        assert_eq!(token_lifetime_from_secs(0.0).unwrap(), Duration::ZERO);
        assert_eq!(token_lifetime_from_secs(1.5).unwrap(), Duration::from_millis(1500));
        for big in [9.2e18, 1e19, 18446744073709551615.0, 1e300, f64::MAX] {
            assert_eq!(token_lifetime_from_secs(big).unwrap(), MAX_TOKEN_LIFETIME, "{big}");
        }
    }

    /// `setAccessToken('tok', 1e19)` aborted Node: the binding's duration went
    /// unchecked into `SystemTime::now() + d`.
    #[test]
    fn set_access_token_clamps_a_huge_lifetime() {
        let client =
            crate::Client::new(crate::Config { config_file: crate::ConfigFile::None, ..crate::Config::default() })
                .unwrap();
        for d in [Duration::MAX, Duration::from_secs_f64(1e19), Duration::from_secs(u64::MAX)] {
            client.set_access_token("tok", Some(d)).unwrap();
            let auth = client.auth_data().unwrap();
            assert_eq!(auth.expires_in, Some(TEN_YEARS));
            assert!(auth.expires_at.unwrap() <= SystemTime::now() + MAX_TOKEN_LIFETIME);
        }
        client.set_access_token("tok", Some(Duration::from_millis(1500))).unwrap();
        assert_eq!(client.auth_data().unwrap().expires_in, Some(1));
        client.set_access_token("tok", Some(Duration::ZERO)).unwrap();
        assert_eq!(client.auth_data().unwrap().expires_in, Some(0));
        let redirect = "http://x/cb#access_token=a&expires_in=18446744073709551615";
        assert_eq!(client.login_implicit_redirect(redirect, None).unwrap().expires_in, Some(TEN_YEARS));
    }
}
