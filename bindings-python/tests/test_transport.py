"""Scenarios transport.tls and transport.gateway_proxy; headers, hooks, responses."""

import asyncio
import base64

import pytest

import purecore
from purecore.rest import ConnectionException

from conftest import CLIENT_ID, CLIENT_SECRET, USER_ID, Emulator, header


@pytest.fixture
def tls_emu(tmp_path):
    ca = tmp_path / "ca.pem"
    e = Emulator("--tls", "--ca-out", str(ca))
    e.ca_path = str(ca)
    yield e
    e.stop()


# scenario: transport.tls
def test_https_with_the_emulator_ca_and_untrusted_without(tls_emu):
    assert tls_emu.url.startswith("https://")
    conf = purecore.Configuration()
    conf.host = tls_emu.url
    conf.config_file_path = None
    conf.ssl_ca_cert = tls_emu.ca_path
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID

    untrusted = purecore.Configuration()
    untrusted.host = tls_emu.url
    untrusted.config_file_path = None
    untrusted.retry.max_retries = 0
    with pytest.raises(ConnectionException) as e:
        purecore.ApiClient(untrusted).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert "certificate" in str(e.value).lower()


# scenario: transport.gateway_proxy
def test_gateway_path_prefixes_reach_the_server(emu, make_config):
    port = int(emu.url.rsplit(":", 1)[1])
    conf = make_config()
    conf.gateway_configuration = purecore.GatewayConfiguration(
        "127.0.0.1", "http", port, path_params_login="gw/login", path_params_api="gw/api"
    )
    assert conf.gateway_configuration.path_params_api == "gw/api"
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    purecore.UsersApi(api_client).get_users_me()
    paths = [r["path"] for r in emu.requests()]
    assert paths == ["/gw/login/oauth/token", "/gw/api/api/v2/users/me"]

    other = purecore.ApiClient(make_config())
    other.set_gateway("127.0.0.1", "http", port, "other/login", "other/api")
    other.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert emu.requests()[-1]["path"] == "/other/login/oauth/token"


# scenario: transport.gateway_proxy
def test_a_proxy_with_credentials_is_used(emu, make_config):
    # The emulator answers absolute-form requests, so it stands in for the proxy.
    conf = make_config()
    conf.host = "http://purecore-proxy-test.localhost:9"
    conf.proxy = emu.url
    conf.proxy_username = "proxyuser"
    conf.proxy_password = "proxy-pass"
    purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    expected = "Basic " + base64.b64encode(b"proxyuser:proxy-pass").decode()
    assert header(emu.requests()[0], "proxy-authorization") == expected
    assert "proxy-pass" not in repr(conf.settings())


def test_default_headers_hooks_and_last_response(emu, make_config):
    api_client = purecore.ApiClient(make_config(), header_name="X-App", header_value="demo")
    api_client.set_default_header("X-Other", "2")
    api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    seen = []

    def pre(opts):
        seen.append((opts.method, opts.path, opts.query_params))
        opts.headers["X-Hooked"] = "yes"

    api_client.get_http_client().set_pre_request_hook(pre)
    api_client.get_http_client().set_post_request_hook(lambda resp: seen.append(resp.status))
    me = purecore.UsersApi(api_client).get_users_me(expand=["presence", "authorization"])
    assert me.id == USER_ID
    assert seen == [("GET", "/api/v2/users/me", [("expand", "presence"), ("expand", "authorization")]), 200]
    r = emu.requests()[-1]
    assert header(r, "x-app") == "demo" and header(r, "x-other") == "2" and header(r, "x-hooked") == "yes"
    assert header(r, "user-agent").startswith("purecore/") and "python/" in header(r, "user-agent")
    last = api_client.last_response
    assert last.status == 200 and last.correlation_id and last.getheader("inin-ratelimit-allowed")


def test_a_pre_request_hook_may_change_the_body(emu, client):
    def pre(opts):
        opts.body["order"] = "desc"

    client.get_http_client().set_pre_request_hook(pre)
    purecore.AnalyticsApi(client).post_analytics_conversations_details_query({"interval": "x/y"})
    r = emu.api_requests("/api/v2/analytics/conversations/details/query")[-1]
    assert '"order":"desc"' in r["body"] and '"interval":"x/y"' in r["body"]


# scenario: hooks.request
def test_the_pre_request_hook_is_the_core_request_hook(emu, client, make_config):
    calls = []

    def pre(opts):
        calls.append((opts.operation_id, opts.headers.get("accept")))
        opts.query_params.append(("hooked", "1"))

    client.get_http_client().set_pre_request_hook(pre)
    purecore.UsersApi(client).get_users_me()
    assert calls == [("getUsersMe", "application/json")], "once, with the request as the core built it"
    assert emu.requests()[-1]["query"] == "hooked=1"

    class Mine(Exception):
        pass

    def refuse(opts):
        raise Mine("no calls today")

    client.get_http_client().pre_request_hook = refuse
    sent = len(emu.requests())
    with pytest.raises(Mine):
        purecore.UsersApi(client).get_users_me()
    assert len(emu.requests()) == sent, "nothing was sent"

    async def from_asyncio():
        aio = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        aio.get_http_client().set_pre_request_hook(pre)
        await purecore.UsersApi(aio).get_users_me()

    asyncio.run(from_asyncio())
    assert len(calls) == 2 and emu.requests()[-1]["query"] == "hooked=1"


# scenario: hooks.response
def test_the_post_request_hook_sees_every_attempt(emu, client, make_config):
    seen = []

    def post(resp):
        seen.append((resp.status, resp.attempts, resp.correlation_id, resp.data))

    client.get_http_client().set_post_request_hook(post)
    emu.fault(kind="status", status=503, count=1, target="api")
    emu.fault(kind="status", status=429, count=1, target="api")
    me = purecore.UsersApi(client).get_users_me()
    assert me.id == USER_ID
    assert [(s, n) for s, n, _, _ in seen] == [(503, 1), (429, 2), (200, 3)], "every attempt, with its status"
    assert b"service.unavailable" in seen[0][3] and USER_ID.encode() in seen[2][3]
    assert seen[2][2] and seen[2][2] == client.last_response.correlation_id

    # A failed call's attempts too, then the call's error.
    seen.clear()
    emu.fault(kind="status", status=404, count=1, target="api")
    with pytest.raises(purecore.ApiException):
        purecore.UsersApi(client).get_users_me()
    assert [s for s, _, _, _ in seen] == [404]

    class Mine(Exception):
        pass

    def refuse(resp):
        raise Mine("no replies today")

    client.get_http_client().post_request_hook = refuse
    with pytest.raises(Mine):
        purecore.UsersApi(client).get_users_me()
    client.get_http_client().post_request_hook = None
    assert purecore.UsersApi(client).get_users_me().id == USER_ID

    async def from_asyncio():
        aio = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        aio.get_http_client().set_post_request_hook(post)
        emu.fault(kind="status", status=503, count=1, target="api")
        await purecore.UsersApi(aio).get_users_me()

    seen.clear()
    asyncio.run(from_asyncio())
    assert [(s, n) for s, n, _, _ in seen] == [(503, 1), (200, 2)]


def test_two_clients_share_no_state(emu, make_config):
    a = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    conf_b = make_config()
    conf_b.host = "eu_west_1"
    b = purecore.ApiClient(conf_b)
    assert b.access_token is None and a.access_token
    assert a.host == emu.url and b.host == "https://api.mypurecloud.ie"


def test_mtls_material_is_checked(make_config, tmp_path):
    api_client = purecore.ApiClient(make_config())
    with pytest.raises(purecore.ConfigurationException) as e:
        api_client.set_mtls_contents("not a certificate", "not a key")
    assert "client certificate" in str(e.value)
    assert "not a key" not in str(e.value), "key material is never echoed"
    conf = make_config()
    (tmp_path / "cert.pem").write_text("not a certificate")
    conf.cert_file = str(tmp_path / "cert.pem")  # alone: applied once the key is set too
    (tmp_path / "key.pem").write_text("not a key")
    with pytest.raises(purecore.ConfigurationException):
        conf.key_file = str(tmp_path / "key.pem")
    with pytest.raises(purecore.ConfigurationException) as e:
        conf.ssl_ca_cert = str(tmp_path / "cert.pem")
    assert "custom CA" in str(e.value)


def test_a_forked_child_makes_blocking_calls_on_connections_of_its_own(emu, client):
    """The pre-fork server pattern: a client made before fork() is used in the child."""
    import os

    users = purecore.UsersApi(client)
    assert users.get_users_me().id == USER_ID  # the parent holds a kept-alive connection
    pid = os.fork()
    if pid == 0:  # the child: report through the exit code only
        try:
            ok = purecore.UsersApi(client).get_users_me().id == USER_ID
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child's call failed"
    assert users.get_users_me().id == USER_ID, "the parent's connection is still sound"
