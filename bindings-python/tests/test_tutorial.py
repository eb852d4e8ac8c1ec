"""The tutorial's code (PureCloudPlatformClientV2(), set_environment, login_client_credentials,
set_retry_policy...) and the official Configuration settings tutorials use (verify_ssl,
access_token, auth_timeout), against the emulator."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import purecore
from purecore import AnalyticsApi, PureCloudPlatformClientV2, RetryPolicy, UsersApi
from purecore.rest import ApiException, AuthenticationException, ConfigurationException, TimeoutException

from conftest import CLIENT_ID, CLIENT_SECRET, USER_ID, Emulator


def tutorial_client(emu, **policy):
    platform_client = PureCloudPlatformClientV2()
    platform_client.set_environment(emu.url)
    platform_client.set_retry_policy(**{"initial_delay_ms": 10, "max_delay_ms": 50, **policy})
    return platform_client


def test_the_tutorial_client_logs_in_and_returns_responses(emu, make_config):
    shared_host = purecore.configuration.host
    platform_client = PureCloudPlatformClientV2()
    platform_client.set_environment("mypurecloud.com")
    assert platform_client.configuration.host == "https://api.mypurecloud.com"
    platform_client.set_environment(emu.url)
    platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert platform_client.access_token

    response = UsersApi(platform_client).get_user(USER_ID)
    assert response.body.id == USER_ID
    assert response.body.name == "Emulator User"
    assert response.status == 200 and response.status_code == 200
    assert response.headers["inin-correlation-id"] == response.correlation_id
    query = {"interval": "2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z"}
    analytics = AnalyticsApi(platform_client).post_analytics_conversations_details_query(query)
    assert type(analytics.body).__name__ == "AnalyticsConversationQueryResponse"
    assert analytics.status == 200

    # A failed call raises as with ApiClient.
    with pytest.raises(ApiException) as e:
        UsersApi(platform_client).get_user("00000000-0000-0000-0000-00000000dead")
    assert e.value.status == 404

    # The classic style in the same process: a model, and the shared configuration untouched.
    classic = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert UsersApi(classic).get_user(USER_ID).id == USER_ID
    assert purecore.configuration.host == shared_host
    assert platform_client.configuration is not purecore.configuration


def test_a_refused_login_is_an_authentication_exception(emu):
    platform_client = tutorial_client(emu)
    with pytest.raises(AuthenticationException) as e:
        platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret="not-the-secret-123")
    assert isinstance(e.value, ApiException)
    assert e.value.status == 401 and e.value.oauth_error == "invalid_client"
    assert "not-the-secret-123" not in str(e.value) + repr(e.value) + repr(platform_client)
    assert platform_client.access_token is None


def test_the_retry_policy_covers_api_and_token_requests(emu):
    platform_client = tutorial_client(emu, max_retries=2, retry_status_codes=[503])
    assert platform_client.get_retry_policy() == RetryPolicy(2, 10, 50, [503])
    conf = platform_client.configuration
    assert conf.retry.max_retries == 2 and conf.retry.retry_wait_min == 0.01 and conf.retry.statuses == [503]

    emu.fault(target="token", kind="status", status=503, count=2)
    platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert len(emu.token_requests()) == 3, "two retries of the token request"

    emu.fault(kind="status", status=503, count=2)
    assert UsersApi(platform_client).get_user(USER_ID).body.id == USER_ID
    assert len(emu.api_requests("/api/v2/users/" + USER_ID)) == 3

    emu.fault(kind="status", status=502)  # not in retry_status_codes
    with pytest.raises(ApiException) as e:
        UsersApi(platform_client).get_user(USER_ID)
    assert e.value.status == 502
    assert len(emu.api_requests("/api/v2/users/" + USER_ID)) == 4, "502 is not retried"

    # A RetryPolicy object; max_retries=0 turns retrying off, token requests included.
    platform_client.set_retry_policy(RetryPolicy(max_retries=0))
    assert platform_client.get_retry_policy() == RetryPolicy(0, 10, 50, [503])
    emu.fault(target="token", kind="status", status=503)
    before = len(emu.token_requests())
    with pytest.raises(ApiException) as e:
        platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert e.value.status == 503
    assert len(emu.token_requests()) == before + 1


def test_bad_retry_policies_change_nothing(emu):
    platform_client = tutorial_client(emu, max_retries=2)
    with pytest.raises(ConfigurationException) as e:
        platform_client.set_retry_policy(max_retries=5, initial_delay_ms="fast")
    assert "initial_delay_ms" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        platform_client.set_retry_policy(max_retries=5, max_delay_ms=-1)
    assert "max_delay_ms" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        platform_client.set_retry_policy(max_retries=-1)
    assert "max_retries" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        platform_client.set_retry_policy(retry_status_codes=[503, "429"])
    assert "retry_status_codes" in str(e.value)
    with pytest.raises(TypeError):
        platform_client.set_retry_policy({"max_retries": 1})  # type: ignore[arg-type]
    assert platform_client.get_retry_policy().max_retries == 2, "unchanged"


def test_the_authentication_timeout_bounds_the_login(emu):
    platform_client = tutorial_client(emu)
    platform_client.set_authentication_timeout(300)
    assert platform_client.configuration.auth_timeout == pytest.approx(0.3)
    emu.fault(target="token", kind="delay", ms=3000)
    started = time.monotonic()
    with pytest.raises(TimeoutException) as e:
        platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert time.monotonic() - started < 2.5
    assert "auth_timeout" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        platform_client.set_authentication_timeout("10s")
    assert "timeout_ms" in str(e.value)

    # The same setting through Configuration (seconds), for ApiClient code.
    conf = purecore.Configuration()
    conf.host = emu.url
    conf.auth_timeout = 0.3
    emu.fault(target="token", kind="delay", ms=3000)
    with pytest.raises(TimeoutException):
        purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)


def test_set_log_level_turns_on_the_core_log(emu):
    platform_client = tutorial_client(emu)
    lines = []
    platform_client.configuration.logger.log_to_console = False
    platform_client.configuration.logger.sink = lambda level, line: lines.append(level)
    platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert lines == [], "level none by default"
    platform_client.set_log_level("debug")
    assert platform_client.configuration.logger.log_level is purecore.LogLevel.LDebug
    UsersApi(platform_client).get_user(USER_ID)
    assert "debug" in lines
    with pytest.raises(ConfigurationException):
        platform_client.set_log_level("chatty")


@pytest.fixture
def tls_emu():
    e = Emulator("--tls")
    yield e
    e.stop()


def test_verify_ssl_false_is_honoured_and_warned_about_once_per_client(tls_emu):
    conf = purecore.Configuration()
    conf.host = tls_emu.url
    assert conf.verify_ssl is True, "on by default"
    lines = []
    conf.logger.log_to_console = False
    conf.logger.sink = lambda level, line: lines.append((level, line))
    conf.retry.max_retries = 0
    first = purecore.ApiClient(conf)
    with pytest.raises(purecore.ConnectionException):
        first.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert lines == []

    conf.verify_ssl = False  # the emulator's CA is not trusted: only the opt-out lets this work
    assert conf.verify_ssl is False
    warnings = [(lvl, line) for lvl, line in lines if "verification is OFF" in line]
    assert len(warnings) == 1 and warnings[0][0] == "error", "the client made above says so once"
    first.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert UsersApi(api_client).get_users_me().id == USER_ID
    UsersApi(api_client).get_user(USER_ID)
    warnings = [(lvl, line) for lvl, line in lines if "verification is OFF" in line]
    assert len(warnings) == 2, "one more for the new client, none per call"
    assert all(lvl == "error" for lvl, _ in lines), "nothing else at log level none"

    conf.verify_ssl = True
    with pytest.raises(purecore.ConnectionException):
        UsersApi(api_client).get_users_me()
    with pytest.raises(ConfigurationException) as e:
        conf.verify_ssl = "no"  # type: ignore[assignment]
    assert "verify_ssl" in str(e.value)
    assert conf.verify_ssl is True


def test_an_empty_access_token_clears_it(emu, make_config):
    issuer = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    conf = make_config()
    conf.access_token = issuer.access_token
    api_client = purecore.ApiClient(conf)
    assert UsersApi(api_client).get_users_me().id == USER_ID
    conf.access_token = ""
    assert conf.access_token is None and api_client.access_token is None
    sent = len(emu.requests())
    with pytest.raises(ApiException):
        UsersApi(api_client).get_users_me()
    assert all(r["path"] != "/api/v2/users/me" or "authorization" not in dict(r["headers"])
               for r in emu.requests()[sent:]), "no token is sent any more"

    platform_client = tutorial_client(emu)
    platform_client.set_access_token(issuer.access_token)
    assert UsersApi(platform_client).get_users_me().body.id == USER_ID
    platform_client.set_access_token("")
    assert platform_client.access_token is None


def test_a_model_name_the_definition_lacks_names_the_closest_one():
    with pytest.raises(ImportError) as e:
        from purecore import UserCreate  # noqa: F401
    assert "'UserCreate'" in str(e.value) and "'CreateUser'" in str(e.value)
    with pytest.raises(ImportError) as e:
        from purecore import ConversationsQuery  # noqa: F401
    assert "'ConversationQuery'" in str(e.value)
    with pytest.raises(ImportError) as e:
        from purecore import UsersAPI  # noqa: F401
    assert "'UsersApi'" in str(e.value)

    # Attribute access keeps raising AttributeError (hasattr and getattr defaults work).
    assert not hasattr(purecore, "UserCreate")
    assert getattr(purecore, "UserCreate", None) is None
    with pytest.raises(AttributeError) as e:
        purecore.UserCreate
    assert "'CreateUser'" in str(e.value)
    with pytest.raises(ImportError) as e:
        from purecore import Qwzxv  # noqa: F401
    assert "Qwzxv" in str(e.value) and "closest" not in str(e.value)


def test_the_tutorial_example_runs_against_the_emulator(emu):
    script = Path(__file__).resolve().parents[1] / "examples" / "tutorial.py"
    env = dict(os.environ, GENESYS_CLOUD_ENVIRONMENT=emu.url, GENESYS_CLOUD_CLIENT_ID=CLIENT_ID,
               GENESYS_CLOUD_CLIENT_SECRET=CLIENT_SECRET)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "me: %s Emulator User" % USER_ID in lines
    assert "status: 200 id: %s" % USER_ID in lines
    assert "correlation id present: True" in lines
    assert "conversations: 3" in lines

    env["GENESYS_CLOUD_CLIENT_SECRET"] = "wrong"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1 and "login refused: invalid_client" in out.stderr
