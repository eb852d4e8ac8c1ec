"""PURECORE_* environment variables: read when an ApiClient is made, they fill in what
the code left at its default (scenario config.env)."""

import pytest

import purecore
from purecore.rest import ApiException, ConfigurationException

from conftest import CLIENT_ID, CLIENT_SECRET


# scenario: config.env
def test_environment_variables_take_effect_when_the_client_is_made(emu, monkeypatch):
    monkeypatch.setenv("PURECORE_ENVIRONMENT", emu.url)
    monkeypatch.setenv("PURECORE_RETRY_MAX_RETRIES", "1")
    monkeypatch.setenv("PURECORE_RETRY_WAIT_MIN", "0.02")
    monkeypatch.setenv("PURECORE_LOGGING_LOG_TO_CONSOLE", "off")
    conf = purecore.Configuration()
    conf.config_file_path = None
    api = purecore.api_client.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert api.host == emu.url.rstrip("/"), "PURECORE_ENVIRONMENT names where calls go"
    settings = conf.settings()
    assert settings["retry.max_retries"] == 1
    assert settings["logging.log_to_console"] is False
    emu.fault(kind="status", status=503, count=10, target="api")
    with pytest.raises(ApiException) as err:
        purecore.UsersApi(api).get_users_me()
    assert err.value.status == 503
    assert len(emu.api_requests("/api/v2/users/me")) == 2, "PURECORE_RETRY_MAX_RETRIES=1: two sends"

    # What code sets wins over the environment.
    conf2 = purecore.Configuration()
    conf2.config_file_path = None
    conf2.retry.max_retries = 4
    purecore.api_client.ApiClient(conf2)
    assert conf2.settings()["retry.max_retries"] == 4


def test_a_bad_environment_variable_fails_the_client_naming_it(monkeypatch):
    monkeypatch.setenv("PURECORE_RETRY_MAX_RETRIES", "lots")
    monkeypatch.setenv("PURECORE_PROXY_PASSWORD", "hunter2")
    with pytest.raises(ConfigurationException) as err:
        purecore.api_client.ApiClient(purecore.Configuration())
    assert str(err.value.message) == (
        "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole number from 0 to 100, not 'lots'"
    )
    monkeypatch.delenv("PURECORE_RETRY_MAX_RETRIES")
    with pytest.raises(ConfigurationException) as err:
        purecore.api_client.ApiClient(purecore.Configuration())
    assert "PURECORE_PROXY_PASSWORD" in str(err.value) and "hunter2" not in str(err.value)
