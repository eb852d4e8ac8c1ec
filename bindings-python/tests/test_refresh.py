"""Scenarios refresh.*: single-flight renewal from threads and from asyncio."""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import purecore
from purecore.rest import AuthenticationException, TimeoutException

from conftest import CLIENT_ID, CLIENT_SECRET, CODE_CLIENT_ID, CODE_CLIENT_SECRET, REDIRECT_URI, USER_ID


# scenario: refresh.concurrent, blocking.threads
def test_200_threads_meeting_an_expired_token_cause_one_token_request(emu, client):
    users = purecore.UsersApi(client)
    emu.expire_tokens()
    before = emu.counters()["token_requests"]
    barrier = threading.Barrier(200)

    def call(_):
        barrier.wait()
        return users.get_users_me().id

    with ThreadPoolExecutor(max_workers=200) as pool:
        ids = list(pool.map(call, range(200)))
    assert ids == [USER_ID] * 200
    assert emu.counters()["token_requests"] - before == 1


# scenario: refresh.concurrent
def test_200_asyncio_calls_meeting_an_expired_token_cause_one_token_request(emu, make_config):
    async def main():
        api_client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        users = purecore.UsersApi(api_client)
        emu.expire_tokens()
        before = emu.counters()["token_requests"]
        results = await asyncio.gather(*[users.get_users_me() for _ in range(200)])
        return before, results

    before, results = asyncio.run(main())
    assert [r.id for r in results] == [USER_ID] * 200
    assert emu.counters()["token_requests"] - before == 1


def test_blocking_calls_release_the_gil_while_they_wait(emu, client):
    # Four calls each held 1 s by the emulator. Were the GIL kept during I/O, this
    # thread could not run again before they were done.
    users = purecore.UsersApi(client)
    emu.fault(kind="delay", ms=1000, count=4)
    started = threading.Barrier(5)
    done = []

    def call():
        started.wait()
        done.append(users.get_users_me().id)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.2)
    waiting = sum(t.is_alive() for t in threads)
    for t in threads:
        t.join()
    assert waiting == 4, "this thread ran while all four calls waited"
    assert done == [USER_ID] * 4


# scenario: refresh.proactive
def test_token_is_renewed_before_expiry_without_a_401(emu, make_config):
    emu.admin("POST", "/admin/token-lifetime", {"seconds": 4})
    conf = make_config()
    conf.token_expiry_margin = 30  # capped at half the token's lifetime: 2 s here
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    purecore.UsersApi(api_client).get_users_me()
    assert emu.counters()["token_requests"] == 1, "a fresh token is not renewed on every call"
    time.sleep(2.3)
    purecore.UsersApi(api_client).get_users_me()
    assert emu.counters()["token_requests"] == 2, "renewed within the margin before the call"
    assert emu.counters()["unauthorized"] == 0


def test_code_grant_renews_with_its_refresh_token(emu, make_config):
    api_client = purecore.ApiClient(make_config())
    url, state = api_client.get_authorize_url(CODE_CLIENT_ID, REDIRECT_URI, response_type="code")
    code = api_client.parse_code_redirect(emu.location_of(url), state)
    api_client.get_code_authorization_token(CODE_CLIENT_ID, CODE_CLIENT_SECRET, code, REDIRECT_URI)
    emu.expire_tokens()
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID
    assert emu.counters()["token_requests_by_grant"].get("refresh_token") == 1


# scenario: refresh.off
def test_refresh_switched_off_lets_the_401_through(emu, make_config):
    conf = make_config(should_refresh_access_token=False)
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    emu.expire_tokens()
    with pytest.raises(AuthenticationException) as e:
        purecore.UsersApi(api_client).get_users_me()
    assert e.value.status == 401
    assert emu.counters()["token_requests"] == 1


# scenario: refresh.failure
def test_a_failed_refresh_reaches_every_waiting_caller(emu, client):
    users = purecore.UsersApi(client)
    emu.expire_tokens()
    # Every API answer (a 401) is held so all callers are under way before the refresh fails.
    emu.fault(kind="delay", ms=500, count=20)
    body = '{"error":"invalid_client","error_description":"client disabled"}'
    emu.fault(kind="status", status=400, target="token", body=body)
    barrier = threading.Barrier(20)

    def call(_):
        barrier.wait()
        return _outcome(users.get_users_me)

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(call, range(20)))
    assert all(isinstance(o, AuthenticationException) for o in outcomes), outcomes
    assert all(o.oauth_error == "invalid_client" and "token refresh failed" in str(o) for o in outcomes)
    assert emu.counters()["token_requests"] == 2, "one login, one failed refresh shared by all callers"
    assert users.get_users_me().id == USER_ID, "the next call tries again"


# scenario: refresh.failure
def test_waiting_for_a_slow_refresh_is_bounded(emu, make_config):
    conf = make_config(refresh_token_wait_time=0.3)
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    emu.expire_tokens()
    emu.fault(kind="delay", ms=1500, target="token")
    with pytest.raises(TimeoutException) as e:
        purecore.UsersApi(api_client).get_users_me()
    assert "refresh" in str(e.value)


def _outcome(fn):
    try:
        return fn()
    except Exception as err:  # the test inspects what each caller got
        return err
