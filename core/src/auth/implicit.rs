//! Browser-style flows: the authorize URL (implicit, code, PKCE) and parsing
//! of the redirect the login host sends back.

use std::time::{Duration, SystemTime};

use url::Url;

use crate::auth::{expiry_after, lifetime_from_text, AuthData};
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// What to put in an `{login}/oauth/authorize` URL.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    /// `token` (implicit) or `code` (code and PKCE grants).
    pub response_type: String,
    /// Anti-forgery value echoed back; a random one is made when None.
    pub state: Option<String>,
    /// S256 challenge for PKCE.
    pub code_challenge: Option<String>,
    pub org: Option<String>,
    pub provider: Option<String>,
    pub target: Option<String>,
    pub login_hint: Option<String>,
    /// `login` forces the login page.
    pub prompt: Option<String>,
}

/// An authorize URL and the state it carries.
#[derive(Debug, Clone)]
pub struct AuthorizeUrl {
    pub url: String,
    pub state: String,
}

/// Builds the authorize URL for an environment.
pub fn authorize_url(env: &Environment, req: &AuthorizeRequest) -> Result<AuthorizeUrl> {
    if req.client_id.trim().is_empty() {
        return Err(Error::invalid_argument("client_id is required for the authorize URL"));
    }
    crate::environment::ascii_host(&req.redirect_uri)
        .map_err(|m| Error::invalid_argument(format!("redirect_uri '{}': {m}", req.redirect_uri)))?;
    Url::parse(&req.redirect_uri)
        .map_err(|e| Error::invalid_argument(format!("redirect_uri '{}' is not a URL: {e}", req.redirect_uri)))?;
    let response_type = if req.response_type.is_empty() { "token" } else { req.response_type.as_str() };
    if response_type != "token" && response_type != "code" {
        return Err(Error::invalid_argument(format!("response_type must be 'token' or 'code', not '{response_type}'")));
    }
    let state = req.state.clone().unwrap_or_else(|| crate::auth::pkce::random_alphanumeric(32));
    let mut url = Url::parse(&env.login_url("/oauth/authorize"))
        .map_err(|e| Error::configuration(format!("login base does not form a URL: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", &req.client_id);
        q.append_pair("redirect_uri", &req.redirect_uri);
        q.append_pair("response_type", response_type);
        if let Some(c) = &req.code_challenge {
            q.append_pair("code_challenge", c);
            q.append_pair("code_challenge_method", "S256");
        }
        q.append_pair("state", &state);
        for (k, v) in [
            ("org", &req.org),
            ("provider", &req.provider),
            ("target", &req.target),
            ("login_hint", &req.login_hint),
            ("prompt", &req.prompt),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                q.append_pair(k, v);
            }
        }
    }
    Ok(AuthorizeUrl { url: url.into(), state })
}

fn pairs(s: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(s.as_bytes()).into_owned().collect()
}

/// The fields a redirect may carry once; a second value would make the first
/// one meaningless (which token? which state?), so a repeated one is refused.
const SINGLE_FIELDS: [&str; 7] =
    ["access_token", "token_type", "expires_in", "state", "code", "error", "error_description"];

fn refuse_repeats(fields: &[(String, String)]) -> Result<()> {
    for name in SINGLE_FIELDS {
        if fields.iter().filter(|(n, _)| n == name).count() > 1 {
            return Err(Error::authentication(format!("the redirect carries {name} more than once")));
        }
    }
    Ok(())
}

/// Parses the implicit-grant redirect (`...#access_token=...&expires_in=...&state=...`
/// or `...#error=...&error_description=...`); also accepts the bare fragment.
/// When `expected_state` is given, a different or missing state is an error.
/// `expires_in` follows the rule of [`crate::auth`] (clamped to ten years; not a
/// number: unknown); a field given twice is an error.
pub fn parse_implicit_redirect(redirect: &str, expected_state: Option<&str>) -> Result<AuthData> {
    let fragment = match redirect.split_once('#') {
        Some((_, f)) => f,
        None if !redirect.contains("://") => redirect.trim_start_matches('#'),
        None => {
            // Errors may come back in the query instead of the fragment.
            redirect.split_once('?').map(|(_, q)| q).unwrap_or("")
        }
    };
    let fields = pairs(fragment);
    refuse_repeats(&fields)?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if let Some(e) = get("error") {
        let desc = get("error_description");
        let mut msg = format!("authorization failed: {e}");
        if let Some(d) = &desc {
            msg.push_str(&format!(" ({d})"));
        }
        return Err(crate::auth::oauth_error(ErrorKind::Authentication, msg, e, desc));
    }
    let state = get("state");
    if let Some(expected) = expected_state {
        if state.as_deref() != Some(expected) {
            return Err(Error::authentication(
                "the redirect's state does not match the state sent; the redirect may be forged",
            ));
        }
    }
    let token = get("access_token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::authentication("the redirect carries neither access_token nor error"))?;
    let expires_in = get("expires_in").as_deref().and_then(lifetime_from_text);
    Ok(AuthData {
        access_token: Secret::new(token),
        token_type: get("token_type").unwrap_or_else(|| "bearer".into()),
        refresh_token: None,
        expires_in,
        expires_at: expires_in.map(|s| expiry_after(SystemTime::now(), Duration::from_secs(s))),
        state,
    })
}

/// Parses the code-grant redirect (`...?code=...&state=...`) into the code.
pub fn parse_code_redirect(redirect: &str, expected_state: Option<&str>) -> Result<Secret> {
    let query = redirect.split_once('?').map(|(_, q)| q).unwrap_or(redirect);
    let query = query.split('#').next().unwrap_or("");
    let fields = pairs(query);
    refuse_repeats(&fields)?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if let Some(e) = get("error") {
        let desc = get("error_description");
        return Err(crate::auth::oauth_error(ErrorKind::Authentication, format!("authorization failed: {e}"), e, desc));
    }
    if let Some(expected) = expected_state {
        if get("state").as_deref() != Some(expected) {
            return Err(Error::authentication("the redirect's state does not match the state sent"));
        }
    }
    get("code")
        .filter(|c| !c.is_empty())
        .map(Secret::new)
        .ok_or_else(|| Error::authentication("the redirect carries no code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_uri_with_a_non_ascii_host_is_refused() {
        let env = Environment::region("eu_west_1").unwrap();
        let req = AuthorizeRequest {
            client_id: "cid".into(),
            redirect_uri: "https://bücher.example/cb".into(),
            ..Default::default()
        };
        let err = authorize_url(&env, &req).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert!(err.message().contains("not ASCII"), "{}", err.message());
    }

    #[test]
    fn url_has_all_parts() {
        let env = Environment::region("eu_west_1").unwrap();
        let u = authorize_url(
            &env,
            &AuthorizeRequest {
                client_id: "cid".into(),
                redirect_uri: "http://localhost:8085/cb".into(),
                response_type: "token".into(),
                org: Some("myorg".into()),
                provider: Some("okta".into()),
                login_hint: Some("a@b.c".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(u.url.starts_with("https://login.mypurecloud.ie/oauth/authorize?client_id=cid&"), "{}", u.url);
        for part in [
            "redirect_uri=http%3A%2F%2Flocalhost%3A8085%2Fcb",
            "response_type=token",
            "org=myorg",
            "provider=okta",
            "login_hint=a%40b.c",
        ] {
            assert!(u.url.contains(part), "{part} missing in {}", u.url);
        }
        assert_eq!(u.state.len(), 32);
        assert!(u.url.contains(&format!("state={}", u.state)));
    }

    #[test]
    fn redirect_parsing() {
        let a = parse_implicit_redirect(
            "http://x/cb#access_token=t0k&token_type=bearer&expires_in=3600&state=s1",
            Some("s1"),
        )
        .unwrap();
        assert_eq!(a.access_token.expose(), "t0k");
        assert_eq!(a.expires_in, Some(3600));
        assert_eq!(a.state.as_deref(), Some("s1"));
        assert!(a.expires_at.unwrap() > SystemTime::now() + Duration::from_secs(3500));
        let e = parse_implicit_redirect("http://x/cb#error=access_denied&error_description=nope&state=s1", None)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert_eq!(e.oauth_error(), Some("access_denied"));
        assert_eq!(e.oauth_error_description(), Some("nope"));
        let forged = parse_implicit_redirect("#access_token=t&state=evil", Some("s1")).unwrap_err();
        assert!(forged.message().contains("state"));
        assert_eq!(parse_code_redirect("http://x/cb?code=abc&state=s", Some("s")).unwrap().expose(), "abc");
    }

    const TEN_YEARS: u64 = 10 * 365 * 24 * 60 * 60;

    /// `handleImplicitGrantRedirect('…#access_token=a&expires_in=18446744073709551615')`
    /// aborted Node; every `expires_in` is now clamped or unknown (the rule of `auth`).
    #[test]
    fn redirect_expires_in_is_clamped_or_unknown() {
        for (raw, want) in [
            ("3600", Some(3600)),
            ("9200000000000000000", Some(TEN_YEARS)),
            ("9.2e18", Some(TEN_YEARS)),
            ("18446744073709551615", Some(TEN_YEARS)),
            ("18446744073709551616", Some(TEN_YEARS)),
            ("1e19", Some(TEN_YEARS)),
            ("-1", Some(0)),
            ("0", Some(0)),
            ("1.5", Some(1)),
            ("%31%30", Some(10)),
            ("abc", None),
            ("", None),
            ("null", None),
            ("inf", None),
            ("NaN", None),
            ("%7B%22a%22%3A1%7D", None),
            ("%zz", None),
        ] {
            let auth = parse_implicit_redirect(&format!("http://x/cb#access_token=a&expires_in={raw}"), None)
                .unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(auth.expires_in, want, "expires_in={raw}");
            assert_eq!(auth.expires_at.is_some(), want.is_some(), "expires_in={raw}");
            if let Some(at) = auth.expires_at {
                assert!(at <= SystemTime::now() + Duration::from_secs(TEN_YEARS), "expires_in={raw}");
            }
        }
    }

    /// Empty, repeated and broken fragments: a clear error or a defined result.
    #[test]
    fn odd_redirects() {
        for (redirect, needle) in [
            ("http://x/cb#", "neither access_token nor error"),
            ("http://x/cb", "neither access_token nor error"),
            ("", "neither access_token nor error"),
            ("#", "neither access_token nor error"),
            ("##", "neither access_token nor error"),
            ("http://x/cb#&&&=&", "neither access_token nor error"),
            ("http://x/cb#access_token=", "neither access_token nor error"),
            ("http://x/cb#access_token=a&access_token=b", "access_token more than once"),
            ("http://x/cb#access_token=a&state=s&state=evil", "state more than once"),
            ("http://x/cb#access_token=a&expires_in=1&expires_in=9", "expires_in more than once"),
            ("http://x/cb#error=a&error=b", "error more than once"),
        ] {
            let err = parse_implicit_redirect(redirect, None).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Authentication, "{redirect}");
            assert!(err.message().contains(needle), "{redirect}: {}", err.message());
        }
        // Broken percent-escapes stay as written; invalid UTF-8 becomes U+FFFD.
        let a =
            parse_implicit_redirect("http://x/cb#access_token=%zz%f&state=%ff%fe", Some("\u{fffd}\u{fffd}")).unwrap();
        assert_eq!(a.access_token.expose(), "%zz%f");
        let a = parse_implicit_redirect("http://x/cb#access_token=a%2", None).unwrap();
        assert_eq!(a.access_token.expose(), "a%2");
        // The code redirect follows the same rules.
        assert!(parse_code_redirect("http://x/cb?code=a&code=b", None)
            .unwrap_err()
            .message()
            .contains("code more than once"));
        assert!(parse_code_redirect("http://x/cb?", None).unwrap_err().message().contains("no code"));
        assert!(parse_code_redirect("", None).unwrap_err().message().contains("no code"));
        assert_eq!(parse_code_redirect("?code=%zz", None).unwrap().expose(), "%zz");
    }
}
