//! Every grant against the emulator: exact request shapes, success and failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime};

use base64::Engine;
use common::*;
use purecore::{AuthorizeRequest, ErrorKind, Request};

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
}

fn header<'a>(r: &'a purecore_emulator::RecordedRequest, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

// scenario: grant.client_credentials
#[tokio::test]
async fn client_credentials_sends_basic_auth_and_form() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let auth = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    assert!(!auth.access_token.expose().is_empty());
    assert!(auth.refresh_token.is_none());
    let exp = auth.expires_at.unwrap();
    assert!(exp > SystemTime::now() + Duration::from_secs(80_000), "expiry is absolute, from expires_in");
    assert_eq!(auth.expires_in, Some(86_400));

    let reqs = token_requests(&emu);
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(header(r, "authorization"), Some(basic(creds::CLIENT_ID, creds::CLIENT_SECRET).as_str()));
    assert_eq!(header(r, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(form_fields(&r.body), vec![("grant_type".to_string(), "client_credentials".to_string())]);

    let me = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(me.status, 200);
    assert_eq!(me.json_value().unwrap()["id"], creds::USER_ID);
}

// scenario: grant.failure
#[tokio::test]
async fn failed_grant_carries_oauth_error() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let err = client.login_client_credentials(creds::CLIENT_ID, "wrong").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.oauth_error(), Some("invalid_client"));
    assert!(err.oauth_error_description().is_some());
    assert!(err.correlation_id().is_some());
    assert!(!err.to_string().contains("wrong"), "the secret must not be echoed: {err}");
    assert!(client.auth_data().is_none());
}

// scenario: grant.failure
#[tokio::test]
async fn missing_credentials_fail_before_any_request() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let err = client.login_client_credentials("", "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("client_id"), "{err}");
    let err = client.login_saml2_bearer("id", "secret", "org", " ").await.unwrap_err();
    assert!(err.message().contains("assertion"), "{err}");
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert!(err.message().contains("no access token"), "{err}");
    assert_eq!(emu.requests().len(), 0, "nothing may reach the server");
}

// scenario: grant.saml2
#[tokio::test]
async fn saml2_bearer() {
    let emu = emulator().await;
    let client = client_for(&emu);
    client
        .login_saml2_bearer(creds::CLIENT_ID, creds::CLIENT_SECRET, creds::SAML_ORG, creds::SAML_ASSERTION)
        .await
        .unwrap();
    let r = &token_requests(&emu)[0];
    assert_eq!(header(r, "authorization"), Some(basic(creds::CLIENT_ID, creds::CLIENT_SECRET).as_str()));
    let f = form_fields(&r.body);
    assert!(f.contains(&("grant_type".into(), "urn:ietf:params:oauth:grant-type:saml2-bearer".into())));
    assert!(f.contains(&("orgName".into(), creds::SAML_ORG.into())));
    assert!(f.contains(&("assertion".into(), creds::SAML_ASSERTION.into())));
    client.request(Request::get("/api/v2/users/me")).await.unwrap();

    let err = client
        .login_saml2_bearer(creds::CLIENT_ID, creds::CLIENT_SECRET, "other-org", creds::SAML_ASSERTION)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.oauth_error(), Some("invalid_grant"));
}

// scenario: grant.code
#[tokio::test]
async fn authorization_code_and_explicit_refresh() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::CODE_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            ..Default::default()
        })
        .unwrap();
    let location = location_of(&url.url).await;
    let code = purecore::parse_code_redirect(&location, Some(&url.state)).unwrap();
    let auth = client
        .login_code(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET, code.expose(), creds::REDIRECT_URI)
        .await
        .unwrap();
    let rt = auth.refresh_token.clone().expect("code grant returns a refresh token");
    let r = token_requests(&emu).pop().unwrap();
    let f = form_fields(&r.body);
    assert!(f.contains(&("grant_type".into(), "authorization_code".into())));
    assert!(f.contains(&("code".into(), code.expose().into())));
    assert!(f.contains(&("redirect_uri".into(), creds::REDIRECT_URI.into())));
    assert_eq!(header(&r, "authorization"), Some(basic(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET).as_str()));

    // The code is single use.
    let again = client
        .login_code(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET, code.expose(), creds::REDIRECT_URI)
        .await
        .unwrap_err();
    assert_eq!(again.oauth_error(), Some("invalid_grant"));

    let refreshed = client.refresh_code(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET, rt.expose()).await.unwrap();
    assert_ne!(refreshed.access_token.expose(), auth.access_token.expose());
    let r = token_requests(&emu).pop().unwrap();
    let f = form_fields(&r.body);
    assert!(f.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(f.contains(&("refresh_token".into(), rt.expose().into())));
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
}

// scenario: grant.pkce
#[tokio::test]
async fn pkce_exchange_sends_verifier_and_no_secret() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let verifier = purecore::generate_code_verifier(64).unwrap();
    let challenge = purecore::compute_code_challenge(&verifier).unwrap();
    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::PUBLIC_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            code_challenge: Some(challenge.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(url.url.contains("code_challenge_method=S256"));
    let code = purecore::parse_code_redirect(&location_of(&url.url).await, Some(&url.state)).unwrap();

    // A wrong verifier is refused by the server.
    let other = purecore::generate_code_verifier(64).unwrap();
    let err = client.login_pkce(creds::PUBLIC_CLIENT_ID, code.expose(), &other, creds::REDIRECT_URI).await.unwrap_err();
    assert_eq!(err.oauth_error(), Some("invalid_grant"));

    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::PUBLIC_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            code_challenge: Some(challenge),
            ..Default::default()
        })
        .unwrap();
    let code = purecore::parse_code_redirect(&location_of(&url.url).await, Some(&url.state)).unwrap();
    let auth = client.login_pkce(creds::PUBLIC_CLIENT_ID, code.expose(), &verifier, creds::REDIRECT_URI).await.unwrap();
    assert!(auth.refresh_token.is_some(), "PKCE keeps the refresh token so the session can renew");
    let r = token_requests(&emu).pop().unwrap();
    assert_eq!(header(&r, "authorization"), None, "PKCE sends no secret");
    let f = form_fields(&r.body);
    for (k, v) in [
        ("grant_type", "authorization_code"),
        ("client_id", creds::PUBLIC_CLIENT_ID),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", creds::REDIRECT_URI),
    ] {
        assert!(f.contains(&(k.into(), v.into())), "{k} missing in {f:?}");
    }
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
}

// scenario: grant.implicit
#[tokio::test]
async fn implicit_grant_url_and_redirect() {
    let emu = emulator().await;
    let client = client_for(&emu);
    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::PUBLIC_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "token".into(),
            org: Some("emulator-org".into()),
            login_hint: Some("emulator.user@example.test".into()),
            ..Default::default()
        })
        .unwrap();
    let location = location_of(&url.url).await;
    assert!(location.starts_with(creds::REDIRECT_URI), "{location}");
    let auth = client.login_implicit_redirect(&location, Some(&url.state)).unwrap();
    assert!(auth.expires_at.is_some());
    assert_eq!(auth.state.as_deref(), Some(url.state.as_str()));
    client.request(Request::get("/api/v2/users/me")).await.unwrap();

    let err = client.login_implicit_redirect(&location, Some("another-state")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
}

// scenario: grant.token
#[tokio::test]
async fn caller_supplied_token() {
    let emu = emulator().await;
    let issuer = client_for(&emu);
    let token = issuer.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let client = client_for(&emu);
    client.set_access_token(token.access_token.expose(), None).unwrap();
    let me = client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert_eq!(me.status, 200);
    assert!(client.set_access_token("  ", None).is_err());
}

#[tokio::test]
async fn malformed_token_reply_is_a_decoding_error() {
    let emu = emulator().await;
    emu.push_fault(Fault { target: FaultTarget::Token, ..status_fault(200, 1) });
    emu.push_fault(Fault {
        target: FaultTarget::Token,
        kind: FaultKind::Status {
            status: 200,
            retry_after: None,
            body: Some("<html>hello</html>".into()),
            content_type: Some("text/html".into()),
        },
        count: 1,
        method: None,
        path_contains: None,
    });
    let client = client_for(&emu);
    // The first fault answers 200 with the emulator's default (non-token) body.
    let e1 = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(e1.kind(), ErrorKind::Decoding, "{e1}");
    let e2 = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(e2.kind(), ErrorKind::Decoding, "{e2}");
    assert!(e2.message().contains("token reply"), "{e2}");
}
