"""Scenarios retry.* and errors.non_json, through the generated API classes."""

import asyncio

import pytest

import purecore
from purecore.rest import ApiException, ConnectionException, RateLimitException, TimeoutException

from conftest import CLIENT_ID, CLIENT_SECRET, USER_ID

QUERY = "/api/v2/analytics/conversations/details/query"
BODY = {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"}


# scenario: retry.429
@pytest.mark.parametrize("http_date", [False, True])
def test_a_429_with_retry_after_is_retried_no_sooner(emu, client, http_date):
    events = []
    client.configuration.retry.hook = events.append
    emu.fault(kind="status", status=429, retry_after=1, retry_after_http_date=http_date)
    me = purecore.UsersApi(client).get_users_me()
    assert me.id == USER_ID
    assert client.last_response.attempts == 2
    first, second = emu.api_requests("/api/v2/users/me")
    if not http_date:  # an HTTP date has whole-second precision
        assert second["at_ms"] - first["at_ms"] >= 1000
    assert len(events) == 1
    assert events[0]["attempt"] == 1 and events[0]["status"] == 429
    assert events[0]["method"] == "GET" and events[0]["url"].endswith("/api/v2/users/me")


def test_a_429_is_retried_for_post_too(emu, client):
    emu.fault(kind="status", status=429, retry_after=1)
    purecore.AnalyticsApi(client).post_analytics_conversations_details_query(BODY)
    assert len(emu.api_requests(QUERY)) == 2, "the server did not act on a 429"


# scenario: retry.post_not_resent
def test_a_post_meeting_a_500_or_a_reset_is_sent_once(emu, client):
    analytics = purecore.AnalyticsApi(client)
    emu.fault(kind="status", status=500)
    with pytest.raises(ApiException) as e:
        analytics.post_analytics_conversations_details_query(BODY)
    assert e.value.status == 500 and e.value.code == "internal.server.error"
    assert e.value.correlation_id
    assert len(emu.api_requests(QUERY)) == 1, "the POST was sent once"

    emu.fault(kind="reset")
    with pytest.raises(ConnectionException):
        analytics.post_analytics_conversations_details_query(BODY)
    assert len(emu.api_requests(QUERY)) == 2, "still one try per call"

    client.configuration.retry.retry_non_idempotent = True
    emu.fault(kind="status", status=500)
    analytics.post_analytics_conversations_details_query(BODY)


def test_idempotent_calls_retry_5xx_resets_and_truncation(emu, client):
    users = purecore.UsersApi(client)
    emu.fault(kind="status", status=503)
    emu.fault(kind="status", status=502)
    users.get_users_me()
    assert client.last_response.attempts == 3
    emu.fault(kind="reset")
    assert users.get_users_me().id == USER_ID
    emu.fault(kind="truncate")
    assert users.get_users_me().id == USER_ID


# scenario: retry.exhausted
def test_exhausted_retries_keep_status_body_code_and_correlation_id(emu, client):
    client.configuration.retry.max_retries = 2
    body = '{"message":"try later","code":"service.unavailable","status":503,"contextId":"ctx-1"}'
    emu.fault(kind="status", status=503, body=body, count=10)
    with pytest.raises(ApiException) as e:
        purecore.UsersApi(client).get_users_me()
    err = e.value
    assert type(err) is ApiException
    assert err.status == 503 and err.reason == "Service Unavailable"
    assert err.code == "service.unavailable" and err.context_id == "ctx-1"
    assert "try later" in err.body and "try later" in str(err)
    assert err.correlation_id and err.correlation_id == err.headers["inin-correlation-id"]
    assert err.is_retryable
    assert len(emu.api_requests("/api/v2/users/me")) == 3, "first try and two retries"


def test_a_retry_after_beyond_the_cap_is_returned_at_once(emu, client):
    emu.fault(kind="status", status=429, retry_after=120)
    with pytest.raises(RateLimitException) as e:
        purecore.UsersApi(client).get_users_me()
    assert e.value.retry_after == 120
    assert e.value.code == "too.many.requests.retry.after"
    assert len(emu.api_requests("/api/v2/users/me")) == 1


def test_rate_limit_is_met_with_waits_not_errors(emu, client):
    # The rate governor would pace these calls before any 429: off here, so 429s come and are retried.
    client.apply_config({"rate_limit": "off"})
    emu.admin("POST", "/admin/rate-limit", {"per_token": 3, "window_seconds": 1})
    users = purecore.UsersApi(client)
    for _ in range(5):
        users.get_users_me()
    assert emu.counters()["api_requests"] >= 6, "at least one 429 was met and retried"


def test_timeouts_are_their_own_kind(emu, client):
    client.configuration.timeout = 0.2
    client.configuration.retry.max_retries = 0
    emu.fault(kind="delay", ms=1500)
    with pytest.raises(TimeoutException):
        purecore.UsersApi(client).get_users_me()


@pytest.mark.parametrize(
    "body,content_type,expected",
    [("<html><body>Bad gateway from proxy</body></html>", "text/html", "Bad gateway from proxy"), ("", "text/plain", "")],
)
# scenario: errors.non_json
def test_error_bodies_that_are_not_json_keep_their_text(emu, client, body, content_type, expected):
    client.configuration.retry.max_retries = 0
    emu.fault(kind="status", status=502, body=body, content_type=content_type)
    with pytest.raises(ApiException) as e:
        purecore.UsersApi(client).get_users_me()
    assert e.value.status == 502
    assert (e.value.body or "") == body
    if expected:
        assert expected in str(e.value)


def test_asyncio_errors_keep_the_same_fields(emu, make_config):
    async def main():
        api_client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        emu.fault(kind="status", status=404, body='{"message":"nope","code":"not.found","status":404}')
        with pytest.raises(ApiException) as e:
            await purecore.UsersApi(api_client).get_user(USER_ID)
        return e.value

    err = asyncio.run(main())
    assert err.status == 404 and err.code == "not.found" and err.correlation_id


class _LoopWithoutReaders(asyncio.SelectorEventLoop):
    """An event loop that cannot watch sockets (as on Windows' proactor loop)."""

    attempts = 0

    def add_reader(self, fd, callback, *args):
        type(self).attempts += 1
        raise NotImplementedError  # what a loop without socket watching raises


@pytest.mark.parametrize("loop_factory", [asyncio.new_event_loop, _LoopWithoutReaders])
def test_asyncio_replies_and_errors_reach_every_kind_of_loop(emu, make_config, loop_factory):
    async def main():
        api_client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        users = purecore.UsersApi(api_client)
        emu.fault(kind="status", status=404, body='{"message":"nope","code":"not.found","status":404}')
        replies = await asyncio.gather(*[users.get_users_me() for _ in range(50)], return_exceptions=True)
        return replies

    loop = loop_factory()
    try:
        replies = loop.run_until_complete(main())
    finally:
        loop.close()
    errors = [r for r in replies if isinstance(r, ApiException)]
    assert len(errors) == 1 and errors[0].status == 404, replies
    assert all(r.id for r in replies if not isinstance(r, ApiException)), "49 users/me models"
    if loop_factory is _LoopWithoutReaders:
        assert _LoopWithoutReaders.attempts == 1, "asked once per loop, not once per call"
