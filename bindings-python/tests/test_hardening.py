"""Panics become InternalException and every awaitable settles; numbers out of range are
refused when they are set, naming the setting or argument."""

import asyncio
import math

import pytest

import purecore
from purecore import _purecore
from purecore.rest import ApiException, ConfigurationException, InternalException, InvalidArgumentException

from conftest import CLIENT_ID, CLIENT_SECRET


@pytest.mark.parametrize("place", ["call", "blocking"])
def test_a_panic_in_a_call_raises_internal_exception(place):
    try:
        _purecore._panic_for_tests(place)
    except Exception as e:  # what user code catches; PanicException is not an Exception
        err = e
    assert isinstance(err, InternalException) and isinstance(err, ApiException)
    assert err.kind == "internal"
    assert "a test panic" in str(err)


@pytest.mark.parametrize("place", ["future", "convert"])
def test_a_panic_in_an_asyncio_call_settles_its_future(place):
    async def main():
        return await asyncio.wait_for(_purecore._panic_for_tests(place), 10)

    with pytest.raises(InternalException) as e:
        asyncio.run(main())
    assert e.value.kind == "internal"
    assert "a test panic" in str(e.value)


def test_the_runtime_still_works_after_a_panic(emu, make_config):
    async def main():
        with pytest.raises(InternalException):
            await asyncio.wait_for(_purecore._panic_for_tests("future"), 10)
        client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        return await asyncio.wait_for(purecore.UsersApi(client).get_users_me(), 10)

    assert asyncio.run(main()).id


DURATIONS = {
    "timeout": "timeout",
    "auth_timeout": "auth_timeout",
    "connect_timeout": "connect_timeout",
    "refresh_token_wait_time": "refresh.refresh_token_wait_max",
    "token_expiry_margin": "refresh.expiry_margin",
    "config_poll_interval": "config_poll_interval",
    "retry.retry_wait_min": "retry.wait_min",
    "retry.retry_wait_max": "retry.wait_max",
    "retry.max_total_wait": "retry.max_total_wait",
}


def _set(conf, path, value):
    target = conf
    *parents, attr = path.split(".")
    for p in parents:
        target = getattr(target, p)
    setattr(target, attr, value)


@pytest.mark.parametrize("bound", [False, True], ids=["alone", "bound to a client"])
@pytest.mark.parametrize("path", sorted(DURATIONS))
def test_durations_out_of_range_are_refused_naming_the_setting(path, bound, make_config):
    conf = make_config()
    if bound:
        purecore.ApiClient(conf)
    before = conf.settings().get(DURATIONS[path])
    for value in (1e19, -1, math.nan, math.inf, -math.inf, 10**30, 10_000_001):
        with pytest.raises(ConfigurationException) as e:
            _set(conf, path, value)
        assert DURATIONS[path] in str(e.value), (value, str(e.value))
        assert "from 0 to 10000000" in str(e.value)
    assert conf.settings().get(DURATIONS[path]) == before, "a refused value changes nothing"


def test_timeout_1e19_raises_at_once():
    conf = purecore.Configuration()
    with pytest.raises(ConfigurationException) as e:
        conf.timeout = 1e19
    assert str(e.value) == "timeout must be a number of seconds from 0 to 10000000, not 10000000000000000000"


@pytest.mark.parametrize("value", [-1, 2.5, 101, 10**30, math.nan, math.inf, 2**64])
def test_retry_counts_out_of_range_are_refused(value, make_config):
    conf = make_config()
    purecore.ApiClient(conf)
    with pytest.raises(ConfigurationException) as e:
        conf.retry.max_retries = value
    assert "retry.max_retries must be a whole number from 0 to 100" in str(e.value)
    conf.retry.max_retries = 100
    conf.retry.max_retries = 7.0  # a whole float is a count
    assert conf.retry.max_retries == 7


@pytest.mark.parametrize("value", [1e19, -1, math.nan, math.inf, 10**30])
def test_token_expiry_out_of_range_is_refused(value, make_config):
    client = purecore.ApiClient(make_config())
    with pytest.raises(InvalidArgumentException) as e:
        client.set_access_token("tok", value)
    assert "expires_in" in str(e.value)
    assert client.access_token is None, "nothing was set"
    with pytest.raises(TypeError):
        client.set_access_token("tok", "3600")
    client.set_access_token("tok", 3600)
    assert 3590 < client.auth_data["expires_in"] <= 3600


@pytest.mark.parametrize("value", [-1, 2**70, 1.5, math.nan])
def test_verifier_length_out_of_range_is_refused(value):
    with pytest.raises(InvalidArgumentException) as e:
        purecore.generate_pkce_code_verifier(value)
    assert "length" in str(e.value)
    assert len(purecore.generate_pkce_code_verifier(43.0)) == 43


@pytest.mark.parametrize(
    "fragment",
    [
        "expires_in=18446744073709551615",
        "expires_in=99999999999999999999999",
        "expires_in=1e400",
    ],
)
def test_a_huge_expiry_in_an_implicit_redirect_never_panics(fragment, make_config):
    client = purecore.ApiClient(make_config())
    url = "http://localhost:8085/callback#access_token=tok&token_type=bearer&" + fragment
    try:
        _, token = client.get_implicit_grant_token(url)
    except ApiException as e:
        assert e.kind not in ("internal",), str(e)
    else:
        assert token["access_token"] == "tok"
        assert token["expires_in"] is None or 0 < token["expires_in"] <= 10 * 365 * 24 * 3600, "clamped by the core"


@pytest.mark.parametrize("host", ["example.1", "mypurecloud.xn--ie"])
def test_odd_hosts_raise_configuration_exception(host):
    with pytest.raises(ConfigurationException):
        purecore.Configuration().host = host


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_parameters_that_json_cannot_carry_are_refused_by_name(value, emu, client):
    sent = len(emu.requests())
    with pytest.raises(InvalidArgumentException) as e:
        purecore.UsersApi(client).get_users(page_size=value)
    assert "'pageSize'" in str(e.value)
    assert len(emu.requests()) == sent, "nothing was sent"


def test_an_asyncio_call_with_bad_input_settles(emu, make_config):
    async def main():
        client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        users = purecore.UsersApi(client)
        for bad in (None, {"not": "a string"}):
            with pytest.raises(InvalidArgumentException):
                await asyncio.wait_for(users.get_user(bad), 10)
        with pytest.raises(InvalidArgumentException):
            await asyncio.wait_for(users.get_users(page_size=math.nan), 10)

    asyncio.run(main())


def test_unknown_gateway_keys_are_refused(make_config):
    conf = make_config()
    with pytest.raises(ConfigurationException) as e:
        conf.gateway_configuration = {"hots": "gw.example"}
    assert "unknown key 'hots'" in str(e.value)
    assert conf.gateway_configuration is None, "nothing changed"
