//! Every grant, the browser-flow helpers, PKCE, and the current token.
//!
//! The grant functions block until the token request finishes (bounded by the auth
//! timeout); `purecore_client_login_async` (login_async.rs) runs them without blocking. `auth_out` may be NULL; otherwise it receives token data the caller frees
//! with `purecore_auth_data_free`.

use std::ffi::c_char;

use purecore::{AuthData, AuthorizeRequest};

use crate::values::new_auth_data;
use crate::{
    guard, invalid, owned_string, FfiResult, Out, PurecoreAuthData, PurecoreClient, PurecoreError, PurecoreStatus,
    PurecoreStr,
};

fn login(
    client: *const PurecoreClient,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
    run: impl FnOnce(&PurecoreClient) -> FfiResult<AuthData>,
) -> PurecoreStatus {
    crate::clear(auth_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let out = Out::opt(auth_out);
        let auth = run(c)?;
        if let Some(out) = out {
            out.set(new_auth_data(&auth));
        }
        Ok(())
    })
}

/// Client credentials grant (Basic auth, `grant_type=client_credentials`). The client
/// renews the token by itself. Blocks.
#[no_mangle]
pub extern "C" fn purecore_client_login_client_credentials(
    client: *const PurecoreClient,
    client_id: PurecoreStr,
    client_secret: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let (id, secret) = (client_id.req("client_id")?, client_secret.req("client_secret")?);
        Ok(c.block_on(c.client.login_client_credentials(id, secret))??)
    })
}

/// SAML2 bearer grant (`orgName` + base64 `assertion`); renewed by presenting the
/// assertion again. Blocks.
#[no_mangle]
pub extern "C" fn purecore_client_login_saml2_bearer(
    client: *const PurecoreClient,
    client_id: PurecoreStr,
    client_secret: PurecoreStr,
    org_name: PurecoreStr,
    assertion: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let id = client_id.req("client_id")?;
        let secret = client_secret.req("client_secret")?;
        let org = org_name.req("org_name")?;
        let assertion = assertion.req("assertion")?;
        Ok(c.block_on(c.client.login_saml2_bearer(id, secret, org, assertion))??)
    })
}

/// Authorization code grant (the code from the authorize redirect); renewed with the
/// refresh token. Blocks.
#[no_mangle]
pub extern "C" fn purecore_client_login_code(
    client: *const PurecoreClient,
    client_id: PurecoreStr,
    client_secret: PurecoreStr,
    code: PurecoreStr,
    redirect_uri: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let id = client_id.req("client_id")?;
        let secret = client_secret.req("client_secret")?;
        let code = code.req("code")?;
        let uri = redirect_uri.req("redirect_uri")?;
        Ok(c.block_on(c.client.login_code(id, secret, code, uri))??)
    })
}

/// Explicit refresh of a code-grant token (`grant_type=refresh_token`); the credentials
/// are kept for later automatic refreshes. Blocks.
#[no_mangle]
pub extern "C" fn purecore_client_refresh_code(
    client: *const PurecoreClient,
    client_id: PurecoreStr,
    client_secret: PurecoreStr,
    refresh_token: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let id = client_id.req("client_id")?;
        let secret = client_secret.req("client_secret")?;
        let token = refresh_token.req("refresh_token")?;
        Ok(c.block_on(c.client.refresh_code(id, secret, token))??)
    })
}

/// PKCE code exchange: no secret; sends `client_id`, `code`, `code_verifier` and
/// `redirect_uri`. Renewed with the refresh token when one is returned. Blocks.
#[no_mangle]
pub extern "C" fn purecore_client_login_pkce(
    client: *const PurecoreClient,
    client_id: PurecoreStr,
    code: PurecoreStr,
    code_verifier: PurecoreStr,
    redirect_uri: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let id = client_id.req("client_id")?;
        let code = code.req("code")?;
        let verifier = code_verifier.req("code_verifier")?;
        let uri = redirect_uri.req("redirect_uri")?;
        Ok(c.block_on(c.client.login_pkce(id, code, verifier, uri))??)
    })
}

/// Parses an implicit-grant redirect (`...#access_token=...&expires_in=...&state=...`),
/// checks `expected_state` (NULL skips the check) and uses its token, which is never
/// renewed. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_login_implicit_redirect(
    client: *const PurecoreClient,
    redirect_url: PurecoreStr,
    expected_state: PurecoreStr,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    login(client, auth_out, error, |c| {
        let url = redirect_url.req("redirect_url")?;
        Ok(c.client.login_implicit_redirect(url, expected_state.opt("expected_state")?)?)
    })
}

/// Uses a token obtained elsewhere; it is never renewed. `expires_in_ms` -1 means the
/// expiry is unknown; other negative values and values over 10,000,000,000 are refused
/// with `PURECORE_STATUS_CONFIGURATION` naming `expires_in_ms`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_set_access_token(
    client: *const PurecoreClient,
    access_token: PurecoreStr,
    expires_in_ms: i64,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let expires = match expires_in_ms {
            -1 => None,
            ms => Some(crate::config::millis("expires_in_ms", ms)?),
        };
        Ok(c.client.set_access_token(access_token.req("access_token")?, expires)?)
    })
}

/// The current token: `*auth_out` receives token data (freed with
/// `purecore_auth_data_free`) or NULL when there is none. Returns OK either way.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_get_auth_data(
    client: *const PurecoreClient,
    auth_out: *mut *mut PurecoreAuthData,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(auth_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let out = Out::new(auth_out, "auth_out")?;
        if let Some(auth) = c.client.auth_data() {
            out.set(new_auth_data(&auth));
        }
        Ok(())
    })
}

/// Forgets the token and the stored credentials. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_logout(
    client: *const PurecoreClient,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        PurecoreClient::from_ptr(client)?.client.logout();
        Ok(())
    })
}

/// What to put in an `{login}/oauth/authorize` URL. Optional strings may be `{NULL, 0}`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PurecoreAuthorizeRequest {
    pub client_id: PurecoreStr,
    pub redirect_uri: PurecoreStr,
    /// "token" (implicit; the default when NULL) or "code" (code and PKCE grants).
    pub response_type: PurecoreStr,
    /// Anti-forgery value echoed back; a random one is made when NULL.
    pub state: PurecoreStr,
    /// S256 challenge for PKCE (`purecore_pkce_compute_challenge`).
    pub code_challenge: PurecoreStr,
    pub org: PurecoreStr,
    pub provider: PurecoreStr,
    pub target: PurecoreStr,
    pub login_hint: PurecoreStr,
    /// "login" forces the login page.
    pub prompt: PurecoreStr,
}

/// Builds the authorize URL for the implicit, code or PKCE flows of this client's
/// environment. `*url_out` and `*state_out` (either may be NULL) receive strings freed
/// with `purecore_string_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_authorize_url(
    client: *const PurecoreClient,
    request: *const PurecoreAuthorizeRequest,
    url_out: *mut *mut c_char,
    state_out: *mut *mut c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(url_out);
    crate::clear(state_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        // SAFETY: the caller passes NULL or a readable request.
        let r = unsafe { request.as_ref() }.ok_or_else(|| invalid("request must not be NULL"))?;
        let own =
            |s: PurecoreStr, name: &str| -> FfiResult<Option<String>> { Ok(s.non_empty(name)?.map(str::to_owned)) };
        let req = AuthorizeRequest {
            client_id: r.client_id.req("client_id")?.to_owned(),
            redirect_uri: r.redirect_uri.req("redirect_uri")?.to_owned(),
            response_type: own(r.response_type, "response_type")?.unwrap_or_default(),
            state: own(r.state, "state")?,
            code_challenge: own(r.code_challenge, "code_challenge")?,
            org: own(r.org, "org")?,
            provider: own(r.provider, "provider")?,
            target: own(r.target, "target")?,
            login_hint: own(r.login_hint, "login_hint")?,
            prompt: own(r.prompt, "prompt")?,
        };
        let out = c.client.authorize_url(&req)?;
        if let Some(url) = Out::opt(url_out) {
            url.set(owned_string(&out.url));
        }
        if let Some(state) = Out::opt(state_out) {
            state.set(owned_string(&out.state));
        }
        Ok(())
    })
}

/// Reads the `code` of a code or PKCE redirect (`...?code=...&state=...`), checking
/// `expected_state` (NULL skips the check) and reporting an `error=` redirect as an error.
/// `*code_out` is freed with `purecore_string_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_parse_code_redirect(
    redirect_url: PurecoreStr,
    expected_state: PurecoreStr,
    code_out: *mut *mut c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(code_out);
    guard(error, || {
        let out = Out::new(code_out, "code_out")?;
        let code =
            purecore::parse_code_redirect(redirect_url.req("redirect_url")?, expected_state.opt("expected_state")?)?;
        out.set(owned_string(code.expose()));
        Ok(())
    })
}

/// A new PKCE code verifier of `length` characters (43 to 128) from the OS CSPRNG.
/// `*verifier_out` is freed with `purecore_string_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_pkce_generate_verifier(
    length: usize,
    verifier_out: *mut *mut c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(verifier_out);
    guard(error, || {
        let out = Out::new(verifier_out, "verifier_out")?;
        out.set(owned_string(&purecore::generate_code_verifier(length)?));
        Ok(())
    })
}

/// The S256 challenge of a verifier: base64url(SHA-256) without padding.
/// `*challenge_out` is freed with `purecore_string_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_pkce_compute_challenge(
    verifier: PurecoreStr,
    challenge_out: *mut *mut c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(challenge_out);
    guard(error, || {
        let out = Out::new(challenge_out, "challenge_out")?;
        out.set(owned_string(&purecore::compute_code_challenge(verifier.req("verifier")?)?));
        Ok(())
    })
}
