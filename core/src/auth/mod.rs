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

pub mod implicit;
pub mod pkce;
pub(crate) mod session;

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
    /// Lifetime in seconds as the server gave it.
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
    let expires_in = match reply.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    Ok(AuthData {
        access_token: Secret::new(token),
        token_type: reply.token_type.unwrap_or_else(|| "bearer".into()),
        refresh_token: reply.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
        expires_in,
        expires_at: expires_in.map(|s| SystemTime::now() + Duration::from_secs(s)),
        state: None,
    })
}

pub(crate) fn oauth_error(kind: ErrorKind, message: String, error: String, description: Option<String>) -> Error {
    crate::error::Error::new(kind, message).with_oauth(error, description)
}
