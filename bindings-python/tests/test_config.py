"""Scenarios config.reload and bad_input, plus settings through the official names."""

import subprocess
import sys
import textwrap
import time

import pytest

import purecore
from purecore.logger import LogLevel
from purecore.rest import ApiException, ConfigurationException, InvalidArgumentException

from conftest import CLIENT_ID, CLIENT_SECRET


def wait_until(cond, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


# scenario: config.reload
def test_config_file_changes_apply_while_running(emu, make_config, tmp_path):
    path = tmp_path / "config"
    path.write_text("[logging]\nlog_level = debug\nlog_to_console = false\n[retry]\nretry_max = 5\n")
    conf = make_config(config_poll_interval=0.03, refresh_token_wait_time=3)
    conf.config_file_path = str(path)
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert conf.config_file_path == str(path)
    assert conf.logger.log_level is LogLevel.LDebug
    assert conf.retry.max_retries == 5

    path.write_text("[logging]\nlog_level = trace\nlog_to_console = false\n[retry]\nretry_max = 1\n")
    assert wait_until(lambda: conf.retry.max_retries == 1), "the change was applied"
    assert conf.logger.log_level is LogLevel.LTrace
    assert conf.refresh_token_wait_time == 3, "keys absent from the file keep the values set in code"

    emu.fault(kind="status", status=500, count=5)
    with pytest.raises(ApiException) as e:
        purecore.UsersApi(api_client).get_users_me()
    assert e.value.status == 500
    assert len(emu.api_requests("/api/v2/users/me")) == 2, "the file's retry_max is in force"

    path.write_text("[logging]\nlog_level = loud\n[retry]\nretry_max = 9\n")
    assert wait_until(lambda: api_client.config_file_error is not None), "the broken file was noticed"
    assert ":2:" in api_client.config_file_error and "log_level" in api_client.config_file_error
    assert conf.retry.max_retries == 1, "previous settings kept"

    path.write_text('{\n "retry": {"retry_max": 4}\n}\n')
    assert wait_until(lambda: conf.retry.max_retries == 4), "JSON applies too"
    assert api_client.config_file_error is None


def test_an_explicit_broken_file_fails_with_its_line(make_config, tmp_path):
    path = tmp_path / "config"
    path.write_text("[general]\nhost = mypurecloud.ie\nlive_reload_config = sometimes\n")
    conf = make_config()
    conf.config_file_path = str(path)
    with pytest.raises(ConfigurationException) as e:
        purecore.ApiClient(conf)
    assert ":3:" in str(e.value)


def test_the_default_path_is_genesyscloudpython(make_config, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".genesyscloudpython").mkdir()
    (tmp_path / ".genesyscloudpython" / "config").write_text("[reauthentication]\nrefresh_token_wait_max = 7\n")
    conf = purecore.Configuration()
    conf.live_reload_config = False
    api_client = purecore.ApiClient(conf)
    assert api_client.configuration is conf
    assert conf.config_file_path == str(tmp_path / ".genesyscloudpython" / "config")
    assert conf.refresh_token_wait_time == 7


# scenario: config.reload
def test_a_watching_client_never_keeps_the_process_alive(emu, tmp_path):
    path = tmp_path / "config"
    path.write_text("[general]\nlive_reload_config = true\n")
    script = textwrap.dedent(
        """
        import purecore
        conf = purecore.Configuration()
        conf.host = %r
        conf.config_file_path = %r
        client = purecore.ApiClient(conf).get_client_credentials_token("emulator-client", "emulator-secret")
        purecore.UsersApi(client).get_users_me()
        print("done")
        """
        % (emu.url, str(path))
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"


# scenario: bad_input
def test_bad_settings_raise_and_change_nothing(emu, make_config):
    conf = make_config()
    api_client = purecore.ApiClient(conf)
    with pytest.raises(ConfigurationException) as e:
        conf.host = "moon_base_1"
    assert "unknown region" in str(e.value)
    assert conf.host == emu.url, "unchanged after a bad value"
    with pytest.raises(ConfigurationException) as e:
        conf.timeout = 0
    assert "timeout" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        conf.proxy = "not a url"
    assert "proxy" in str(e.value)
    with pytest.raises(ConfigurationException) as e:
        conf.retry.retry_wait_min = 60
    assert "wait_min" in str(e.value)
    with pytest.raises(ConfigurationException):
        conf.logger.log_level = "loud"
    with pytest.raises(ConfigurationException):
        conf.verify_ssl = "off"  # only True or False (False is honoured: see test_tutorial.py)
    with pytest.raises(ConfigurationException):
        purecore.Configuration().host = "http://api.example.com"  # plain http only for loopback
    with pytest.raises(InvalidArgumentException) as e:
        api_client.set_default_header("Bad Header", "x")
    assert "Bad Header" in str(e.value)
    conf.host = "eu_central_2"
    assert conf.host == "https://api.euc2.pure.cloud"
    conf.host = purecore.PureCloudRegionHosts.eu_west_1.get_api_host()
    assert api_client.host == "https://api.mypurecloud.ie"


# scenario: bad_input
def test_bad_call_input_fails_before_any_request(emu, client):
    users = purecore.UsersApi(client)
    sent = len(emu.requests())
    with pytest.raises(TypeError) as e:
        users.get_user()  # type: ignore[call-arg]
    assert "user_id" in str(e.value)
    with pytest.raises(InvalidArgumentException) as e:
        users.get_user(None)
    assert "'userId'" in str(e.value)
    with pytest.raises(InvalidArgumentException) as e:
        users.get_user({"not": "a string"})
    assert "'userId'" in str(e.value)
    with pytest.raises(TypeError) as e:
        users.get_users_me(expnad=["presence"])
    assert "expnad" in str(e.value)

    def to_elsewhere(opts):
        opts.url = "https://elsewhere.example/api/v2/users/me"

    client.get_http_client().set_pre_request_hook(to_elsewhere)
    with pytest.raises(InvalidArgumentException) as e:
        users.get_users_me()
    assert "not a URL" in str(e.value)
    assert len(emu.requests()) == sent, "nothing was sent"


def test_apply_config_takes_the_schema_names_and_refuses_in_the_core_words(emu, make_config):
    """Settings by the core's one schema: the same names and error words as every language."""
    api_client = purecore.ApiClient(make_config())
    api_client.apply_config({"retry.max_retries": 7, "max_response_body_bytes": 4096, "logging.log_level": "debug"})
    s = api_client._native.settings()
    assert s["retry.max_retries"] == 7
    assert s["logging.level"] == "debug"
    assert api_client.configuration.logger.log_level == LogLevel.LDebug
    with pytest.raises(ConfigurationException) as e:
        api_client.apply_config({"retry.max_retries": -1})
    assert str(e.value) == "retry.max_retries must be a whole number from 0 to 100, not -1"
    with pytest.raises(ConfigurationException) as e:
        api_client.apply_config({"logging.log_level": "loud"})
    assert str(e.value) == "logging.log_level must be one of trace, debug, error, none, not 'loud'"
    with pytest.raises(ConfigurationException) as e:
        api_client.apply_config({"no_such_setting": 1})
    assert "unknown setting 'no_such_setting'" in str(e.value)
    assert api_client._native.settings()["retry.max_retries"] == 7, "unchanged after refusals"
    # A reply over max_response_body_bytes is refused unread.
    api_client.apply_config({"max_response_body_bytes": 10})
    conf = api_client.configuration
    conf.access_token = None
    api = purecore.UsersApi(api_client)
    api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(ApiException) as e:
        api.get_users_me()
    assert "max_response_body_bytes" in str(e.value)
