"""Scenarios grant.*: every grant through the official method names."""

import base64
import time

import pytest

import purecore
from purecore.rest import ApiException, AuthenticationException, InvalidArgumentException

from conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
    PUBLIC_CLIENT_ID,
    REDIRECT_URI,
    SAML_ASSERTION,
    SAML_ORG,
    USER_ID,
    form,
    header,
)


def basic(client_id, secret):
    return "Basic " + base64.b64encode(("%s:%s" % (client_id, secret)).encode()).decode()


# scenario: grant.client_credentials
def test_client_credentials_sends_basic_auth_and_form(emu, make_config):
    api_client = purecore.api_client.ApiClient(make_config())
    assert api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET) is api_client
    auth = api_client.auth_data
    assert auth["refresh_token"] is None
    assert auth["expires_in"] == 86400
    assert auth["expires_at"] > time.time() + 80000, "expiry is absolute, from expires_in"
    (r,) = emu.token_requests()
    assert header(r, "authorization") == basic(CLIENT_ID, CLIENT_SECRET)
    assert header(r, "content-type") == "application/x-www-form-urlencoded"
    assert form(r) == [("grant_type", "client_credentials")]
    me = purecore.UsersApi(api_client).get_users_me()
    assert me.id == USER_ID


# scenario: grant.saml2
def test_saml2_bearer_and_wrong_org(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    api_client.get_saml2bearer_token(CLIENT_ID, CLIENT_SECRET, SAML_ORG, SAML_ASSERTION)
    f = form(emu.token_requests()[0])
    assert ("grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer") in f
    assert ("orgName", SAML_ORG) in f
    assert ("assertion", SAML_ASSERTION) in f
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID
    with pytest.raises(AuthenticationException) as e:
        api_client.get_saml2bearer_token(CLIENT_ID, CLIENT_SECRET, "other-org", SAML_ASSERTION)
    assert e.value.oauth_error == "invalid_grant"
    assert e.value.code == "invalid_grant"


# scenario: grant.code
def test_code_grant_single_use_and_explicit_refresh(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    url, state = api_client.get_authorize_url(CODE_CLIENT_ID, REDIRECT_URI, response_type="code")
    code = api_client.parse_code_redirect(emu.location_of(url), state)
    same, token = api_client.get_code_authorization_token(CODE_CLIENT_ID, CODE_CLIENT_SECRET, code, REDIRECT_URI)
    assert same is api_client
    assert token["refresh_token"] and token["access_token"]
    r = emu.token_requests()[-1]
    assert ("grant_type", "authorization_code") in form(r)
    assert ("code", code) in form(r)
    assert ("redirect_uri", REDIRECT_URI) in form(r)
    assert header(r, "authorization") == basic(CODE_CLIENT_ID, CODE_CLIENT_SECRET)

    with pytest.raises(AuthenticationException) as e:
        api_client.get_code_authorization_token(CODE_CLIENT_ID, CODE_CLIENT_SECRET, code, REDIRECT_URI)
    assert e.value.oauth_error == "invalid_grant", "a code is single use"

    _, refreshed = api_client.refresh_code_authorization_token(
        CODE_CLIENT_ID, CODE_CLIENT_SECRET, token["refresh_token"]
    )
    assert refreshed["access_token"] != token["access_token"]
    r = emu.token_requests()[-1]
    assert ("grant_type", "refresh_token") in form(r)
    assert ("refresh_token", token["refresh_token"]) in form(r)
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID


# scenario: grant.pkce
def test_pkce_sends_verifier_and_no_secret(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    verifier = purecore.generate_pkce_code_verifier(64)
    assert len(verifier) == 64
    challenge = purecore.compute_pkce_code_challenge(verifier)
    assert api_client.compute_pkce_code_challenge(verifier) == challenge
    url, state = api_client.get_authorize_url(
        PUBLIC_CLIENT_ID, REDIRECT_URI, response_type="code", code_challenge=challenge
    )
    assert "code_challenge_method=S256" in url
    code = api_client.parse_code_redirect(emu.location_of(url), state)

    with pytest.raises(AuthenticationException) as e:
        api_client.get_pkce_token(PUBLIC_CLIENT_ID, api_client.generate_pkce_code_verifier(64), code, REDIRECT_URI)
    assert e.value.oauth_error == "invalid_grant", "a wrong verifier is refused"

    url, state = api_client.get_authorize_url(
        PUBLIC_CLIENT_ID, REDIRECT_URI, response_type="code", code_challenge=challenge
    )
    code = api_client.parse_code_redirect(emu.location_of(url), state)
    _, token = api_client.get_pkce_token(PUBLIC_CLIENT_ID, verifier, code, REDIRECT_URI)
    assert token["access_token"]
    r = emu.token_requests()[-1]
    assert header(r, "authorization") is None, "PKCE sends no secret"
    for pair in [
        ("grant_type", "authorization_code"),
        ("client_id", PUBLIC_CLIENT_ID),
        ("code_verifier", verifier),
        ("redirect_uri", REDIRECT_URI),
    ]:
        assert pair in form(r)
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID


# scenario: grant.implicit
def test_implicit_grant_url_redirect_and_state(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    url, state = api_client.get_authorize_url(
        PUBLIC_CLIENT_ID, REDIRECT_URI, org="emulator-org", login_hint="emulator.user@example.test"
    )
    assert "response_type=token" in url and "login_hint=" in url and "org=emulator-org" in url
    location = emu.location_of(url)
    assert location.startswith(REDIRECT_URI)
    _, token = api_client.get_implicit_grant_token(location, state)
    assert token["state"] == state and token["expires_at"]
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID
    with pytest.raises(AuthenticationException):
        api_client.get_implicit_grant_token(location, "another-state")


# scenario: grant.token
def test_caller_supplied_token_is_used_and_never_renewed(emu, make_config):
    issuer = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    token = issuer.access_token
    conf = make_config()
    conf.access_token = token
    api_client = purecore.ApiClient(conf)
    assert api_client.access_token == token
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID
    emu.expire_tokens()
    before = emu.counters()["token_requests"]
    with pytest.raises(AuthenticationException) as e:
        purecore.UsersApi(api_client).get_users_me()
    assert e.value.status == 401
    assert emu.counters()["token_requests"] == before, "a supplied token is never renewed"
    with pytest.raises(InvalidArgumentException):
        api_client.access_token = "  "


# scenario: grant.failure
def test_failures_keep_the_oauth_error_and_never_echo_secrets(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    with pytest.raises(AuthenticationException) as e:
        api_client.get_client_credentials_token(CLIENT_ID, "wrong-secret-value")
    err = e.value
    assert isinstance(err, ApiException)
    assert err.status == 401 and err.oauth_error == "invalid_client"
    assert err.oauth_error_description and err.correlation_id
    assert "wrong-secret-value" not in str(err) and "wrong-secret-value" not in repr(err)
    assert api_client.access_token is None


# scenario: grant.failure
def test_missing_credentials_fail_before_any_request(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    with pytest.raises(InvalidArgumentException) as e:
        api_client.get_client_credentials_token(None, "x")
    assert "client_id" in str(e.value)
    with pytest.raises(InvalidArgumentException) as e:
        api_client.get_saml2bearer_token("id", "secret", "org", " ")
    assert "assertion" in str(e.value)
    with pytest.raises(AuthenticationException) as e:
        purecore.UsersApi(api_client).get_users_me()
    assert "no access token" in str(e.value)
    assert emu.requests() == [], "nothing may reach the server"


def test_token_callback_sees_every_new_token(emu, make_config):
    seen = []
    api_client = purecore.ApiClient(make_config())
    api_client.set_token_callback(lambda auth: seen.append(auth["access_token"]))
    api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    emu.expire_tokens()
    purecore.UsersApi(api_client).get_users_me()
    assert len(seen) == 2 and seen[-1] == api_client.access_token
