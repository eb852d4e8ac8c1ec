"""Scenario logging.redaction: trace with bodies, every grant, no secret in any log line."""

import json

import pytest

import purecore
from purecore.logger import LogFormat, LogLevel
from purecore.rest import ApiException

from conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
    PUBLIC_CLIENT_ID,
    REDIRECT_URI,
    SAML_ASSERTION,
    SAML_ORG,
)


def exercise_every_secret(emu, conf):
    api_client = purecore.ApiClient(conf)
    secrets = [CLIENT_SECRET, CODE_CLIENT_SECRET, SAML_ASSERTION]
    secrets.append(api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET).access_token)
    secrets.append(api_client.get_saml2bearer_token(CLIENT_ID, CLIENT_SECRET, SAML_ORG, SAML_ASSERTION).access_token)

    url, state = api_client.get_authorize_url(CODE_CLIENT_ID, REDIRECT_URI, response_type="code")
    code = api_client.parse_code_redirect(emu.location_of(url), state)
    _, token = api_client.get_code_authorization_token(CODE_CLIENT_ID, CODE_CLIENT_SECRET, code, REDIRECT_URI)
    secrets += [code, token["access_token"], token["refresh_token"]]
    emu.expire_tokens()  # the 401 path logs a refresh-token request too
    purecore.UsersApi(api_client).get_users_me()
    secrets.append(api_client.access_token)

    verifier = purecore.generate_pkce_code_verifier(50)
    url, state = api_client.get_authorize_url(
        PUBLIC_CLIENT_ID, REDIRECT_URI, response_type="code",
        code_challenge=purecore.compute_pkce_code_challenge(verifier),
    )
    code = api_client.parse_code_redirect(emu.location_of(url), state)
    _, token = api_client.get_pkce_token(PUBLIC_CLIENT_ID, verifier, code, REDIRECT_URI)
    secrets += [code, verifier, token["access_token"], token["refresh_token"]]

    url, state = api_client.get_authorize_url(PUBLIC_CLIENT_ID, REDIRECT_URI)
    _, token = api_client.get_implicit_grant_token(emu.location_of(url), state)
    secrets.append(token["access_token"])

    with pytest.raises(ApiException):
        api_client.get_client_credentials_token(CLIENT_ID, "wrong-secret-value")
    secrets.append("wrong-secret-value")
    purecore.UsersApi(api_client).get_users_me()
    purecore.TokensApi(api_client).get_tokens_me()
    return secrets


# scenario: logging.redaction
@pytest.mark.parametrize("fmt", [LogFormat.JSON, LogFormat.TEXT])
def test_trace_log_with_bodies_has_no_secret(emu, make_config, tmp_path, fmt):
    lines = []
    conf = make_config()
    conf.logger.log_level = LogLevel.LTrace
    conf.logger.log_format = fmt
    conf.logger.log_to_console = False
    conf.logger.log_file_path = str(tmp_path / "purecore.log")
    conf.logger.log_request_body = True
    conf.logger.log_response_body = True
    conf.logger.sink = lambda level, line: lines.append((level, line))
    assert conf.logger.log_level is LogLevel.LTrace

    secrets = exercise_every_secret(emu, conf)
    file_text = (tmp_path / "purecore.log").read_text()
    sink_text = "\n".join(line for _, line in lines)
    assert len(lines) >= 10
    for secret in secrets:
        assert secret not in file_text, "secret %r in the log file" % secret[:12]
        assert secret not in sink_text, "secret %r in a sink line" % secret[:12]
    if fmt is LogFormat.JSON:
        records = [json.loads(line) for _, line in lines]
        me = [r for r in records if r.get("url", "").endswith("/api/v2/tokens/me")][-1]
        assert me["status"] == 200 and me["method"] == "GET" and me["correlationId"]
        assert me["requestHeaders"]["authorization"] == "[REDACTED]"
        assert any(r.get("level") == "error" and r.get("status") == 401 for r in records)
        assert sum(1 for r in records if r.get("url", "").endswith("/oauth/token")) >= 6
    else:
        assert any(" DEBUG GET " in line and "/api/v2/tokens/me" in line for _, line in lines)


def test_error_level_logs_only_failures(emu, make_config):
    lines = []
    conf = make_config()
    conf.logger.log_level = "error"
    conf.logger.log_to_console = False
    conf.logger.sink = lambda level, line: lines.append((level, line))
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    purecore.UsersApi(api_client).get_users_me()
    assert lines == []
    with pytest.raises(ApiException):
        purecore.UsersApi(api_client).get_user("not-a-user")
    assert len(lines) == 1 and lines[0][0] == "error" and "status=404" in lines[0][1]


def test_a_raising_sink_does_not_break_calls(emu, make_config, monkeypatch):
    unraisable = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    conf = make_config()
    conf.logger.log_level = "debug"
    conf.logger.log_to_console = False

    def sink(level, line):
        raise RuntimeError("sink failure")

    conf.logger.sink = sink
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert purecore.UsersApi(api_client).get_users_me().id
    assert unraisable and isinstance(unraisable[0].exc_value, RuntimeError)
