"""The package surface: cheap import, official names, migration, models, regions, exceptions."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import purecore
from purecore.rest import ApiException, InvalidArgumentException, RateLimitException

from conftest import CLIENT_ID, CLIENT_SECRET, USER_ID

IMPORT_PROBE = r"""
import json, sys, threading

def os_threads():
    with open("/proc/self/status") as f:
        return int(next(l for l in f if l.startswith("Threads:")).split()[1])

start = (threading.active_count(), os_threads())
import purecore
after_import = {
    "threads": [threading.active_count(), os_threads()],
    "native_loaded": "purecore._purecore" in sys.modules,
    "generated_loaded": sorted(m for m in sys.modules if m.startswith("purecore._generated.")),
}
conf = purecore.Configuration()
conf.host = sys.argv[1]
conf.config_file_path = None
client = purecore.ApiClient(conf)
users = purecore.UsersApi(client)
native = sys.modules["purecore._purecore"]
after_client = {"threads": [threading.active_count(), os_threads()], "runtime": native.runtime_started()}
client.get_client_credentials_token("emulator-client", "emulator-secret")
users.get_users_me()
after_blocking = {"threads": [threading.active_count(), os_threads()], "runtime": native.runtime_started()}

import asyncio

async def main():
    aclient = await purecore.AsyncApiClient(conf).get_client_credentials_token("emulator-client", "emulator-secret")
    await purecore.UsersApi(aclient).get_users_me()

asyncio.run(main())
print(json.dumps({"start": start, "import": after_import, "client": after_client, "blocking": after_blocking,
                  "runtime_after_async_call": native.runtime_started()}))
"""


def test_import_builds_and_starts_nothing(emu):
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE, emu.url], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout)
    assert probe["import"]["threads"] == probe["start"], "no thread at import"
    assert not probe["import"]["native_loaded"], "the native module loads on first use"
    assert probe["import"]["generated_loaded"] == [], "API classes and models load on first use"
    assert probe["client"]["threads"] == probe["start"], "making a client starts no thread"
    assert probe["client"]["runtime"] is False, "no runtime before the first call"
    # Blocking calls run on the calling thread: still no extra thread.
    assert probe["blocking"] == {"threads": probe["start"], "runtime": False}
    assert probe["runtime_after_async_call"] is True, "asyncio calls start the shared runtime"


def test_migration_script_runs_unchanged_but_for_the_imports(emu, tmp_path):
    original = (Path(__file__).parent / "migration" / "official_script.py").read_text()
    migrated = original.replace("import PureCloudPlatformClientV2\n", "import purecore as PureCloudPlatformClientV2\n")
    migrated = migrated.replace("from PureCloudPlatformClientV2.rest import", "from purecore.rest import")
    changed = [(a, b) for a, b in zip(original.splitlines(), migrated.splitlines()) if a != b]
    assert len(changed) == 2 and all("import" in a for a, _ in changed)
    script = tmp_path / "script.py"
    script.write_text(migrated)
    env = dict(os.environ, GENESYS_HOST=emu.url, GENESYS_CLIENT_ID=CLIENT_ID, GENESYS_CLIENT_SECRET=CLIENT_SECRET)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "region api host: https://api.mypurecloud.ie" in lines
    assert "name: Emulator User" in lines
    assert "presence: Available" in lines
    assert "page entities: 2 page size: 2" in lines
    assert "query result: AnalyticsConversationQueryResponse" in lines
    assert "status: 404 reason: Not Found" in lines


def test_regions_match_the_core():
    from purecore import _purecore

    assert [(r.name, r.domain) for r in purecore.PureCloudRegionHosts] == _purecore.regions()
    assert len(purecore.PureCloudRegionHosts) >= 18
    r = purecore.PureCloudRegionHosts.ap_southeast_2
    assert r.get_api_host() == "https://api.mypurecloud.com.au"
    assert r.get_auth_host() == "https://login.mypurecloud.com.au"


def test_official_names_are_there():
    for name in [
        "configuration", "Configuration", "ApiClient", "AsyncApiClient", "PureCloudRegionHosts", "api_client",
        "rest", "logger", "models", "UsersApi", "ConversationsApi", "TelephonyProvidersEdgeApi", "User",
        "generate_pkce_code_verifier", "compute_pkce_code_challenge", "GatewayConfiguration",
    ]:
        assert getattr(purecore, name) is not None, name
    assert isinstance(purecore.configuration, purecore.Configuration)
    assert purecore.configuration is purecore.configuration
    assert purecore.api_client.ApiClient is purecore.ApiClient
    assert "UsersApi" in dir(purecore)
    with pytest.raises(AttributeError):
        purecore.NoSuchThingAnywhere
    from purecore import _purecore

    assert purecore.__version__ == _purecore.__version__
    for method in ["get_client_credentials_token", "get_saml2bearer_token", "get_code_authorization_token",
                   "refresh_code_authorization_token", "get_pkce_token", "set_gateway", "set_default_header",
                   "get_http_client", "set_mtls_certificates", "set_mtls_contents", "access_token"]:
        assert hasattr(purecore.ApiClient, method) and hasattr(purecore.AsyncApiClient, method), method
    conf = purecore.Configuration()
    for attr in ["host", "should_refresh_access_token", "refresh_token_wait_time", "config_file_path",
                 "live_reload_config", "proxy", "proxy_username", "proxy_password", "ssl_ca_cert", "logger", "retry"]:
        assert hasattr(conf, attr), attr
    assert conf.refresh_token_wait_time == 10 and conf.should_refresh_access_token is True
    assert conf.logger.log_level is purecore.logger.LogLevel.LNone


def test_models_snake_case_to_dict_to_json_and_unknown_enums(emu, client):
    user = purecore.User.from_dict({"id": "u1", "selfUri": "/api/v2/users/u1", "state": "brand-new-state"})
    assert user.self_uri == "/api/v2/users/u1"
    assert user.state == "brand-new-state", "unknown enum values are kept"
    assert user.to_dict() == {"id": "u1", "selfUri": "/api/v2/users/u1", "state": "brand-new-state"}
    assert json.loads(user.to_json()) == user.to_dict()
    assert purecore.models.User is purecore.User

    body = '{"id":"x","state":"a-state-from-the-future","presence":{"presenceDefinition":{"systemPresence":"Zen"}}}'
    emu.fault(kind="status", status=200, body=body, content_type="application/json")
    me = purecore.UsersApi(client).get_users_me()
    assert me.state == "a-state-from-the-future"
    assert me.presence.presence_definition.system_presence == "Zen"


AWKWARD_BODIES = [
    # Unknown and null members, nested models, a free-form map, unicode escapes, a repeated key.
    '{"id":"x","name":"Zo\\u00eb \\ud83d\\ude00","unknown":{"a":1},"email":null,"version":3,'
    '"presence":{"presenceDefinition":{"systemPresence":"Away","id":"p"},"modifiedDate":"2026-01-01T00:00:00Z"},'
    '"addresses":[{"address":"a@b","mediaType":"EMAIL"},{"display":null}],"version":4,'
    '"authorization":{"roles":[{"id":"r","name":"n"}],"permissions":["a:b:c"]},'
    '"routingStatus":{"status":"IDLE"},"biography":{"spouse":"s","education":[{"school":"x"}]}}',
    # Numbers json.loads reads as int and float, including beyond 64 bits, and non-finite ones.
    '{"id":"n","version":12345678901234567890123,"acdAutoAnswer":true,"lastTokenIssued":{"dateIssued":"d"}}',
    '{"id":"f","version":1.0}',
    '{"id":"e","version":1e2}',
    '{"id":"nan","version":NaN}',
    # Not an object where a model is declared, and an empty object.
    '["not", "a", "user"]',
    '{}',
    '  {"id":"padded"}  ',
]


@pytest.mark.parametrize("body", AWKWARD_BODIES)
def test_replies_decode_as_the_python_decoder_does(emu, make_config, body):
    import asyncio

    from test_conformance import deep

    expected = deep(purecore.api_client._decode("getUsersMe", purecore.rest.RESTResponse(
        200, "OK", [("content-type", "application/json")], body.encode())))
    client = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    emu.fault(kind="status", status=200, body=body, content_type="application/json", count=1)
    assert deep(purecore.UsersApi(client).get_users_me()) == expected

    async def main():
        aclient = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        emu.fault(kind="status", status=200, body=body, content_type="application/json", count=1)
        return await purecore.UsersApi(aclient).get_users_me()

    assert deep(asyncio.run(main())) == expected


def test_ordinary_replies_are_decoded_natively_and_odd_ones_by_python(emu, client):
    reply, decoded = client._native.call("getUsersMe", "{}", [], False, True)
    assert reply[0] == 200 and decoded is not None and type(decoded[0]).__name__ == "UserMe"
    assert decoded[0].id == USER_ID
    emu.fault(kind="status", status=200, body='{"id":"x","version":NaN}', content_type="application/json", count=1)
    reply, decoded = client._native.call("getUsersMe", "{}", [], False, True)
    assert reply[0] == 200 and decoded is None, "json.loads reads NaN; the native parser leaves it to Python"


def test_models_and_dates_are_sent_as_json(emu, client):
    import datetime

    query = purecore.ConversationQuery(interval="2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", order="asc")
    purecore.ConversationsApi(client).post_analytics_conversations_details_query(query)
    sent = json.loads(emu.api_requests("/api/v2/analytics/conversations/details/query")[-1]["body"])
    assert sent == {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", "order": "asc"}
    with pytest.raises(TypeError):
        purecore.ConversationQuery(no_such_field=1)
    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    assert purecore.api_client._encode({"a": when, "b": None}) == '{"a":"2026-01-01T00:00:00+00:00"}'


def test_paged_listing_and_free_form_replies(client):
    page = purecore.UsersApi(client).get_users(page_size=1, page_number=2)
    assert page.page_size == 1 and page.page_number == 2 and len(page.entities) == 1
    assert page.entities[0].__class__.__name__ == "User"
    tokens = purecore.TokensApi(client).get_tokens_me()
    assert tokens.organization is not None


def test_exceptions_pickle_and_subclass(emu, client):
    client.configuration.retry.max_retries = 0
    emu.fault(kind="status", status=429, retry_after=3)
    with pytest.raises(RateLimitException) as e:
        purecore.UsersApi(client).get_users_me()
    err = e.value
    assert isinstance(err, ApiException) and err.retry_after == 3 and err.status == 429
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is RateLimitException
    assert (copy.status, copy.code, copy.correlation_id, copy.body) == (err.status, err.code, err.correlation_id, err.body)
    assert issubclass(InvalidArgumentException, ValueError)
    legacy = ApiException(status=500, reason="boom")
    assert legacy.status == 500 and "boom" in str(legacy)


def test_last_response_headers_and_pickling(client):
    purecore.UsersApi(client).get_users_me()
    resp = client.last_response
    assert resp.getheader("Content-Type") == "application/json"
    assert resp.headers["inin-correlation-id"] == resp.correlation_id
    assert ("content-type", "application/json") in resp.header_list
    copy = pickle.loads(pickle.dumps(resp))
    assert (copy.status, copy.header_list, copy.data) == (resp.status, resp.header_list, resp.data)


def test_user_id_constant_matches_the_emulator(client):
    assert purecore.UsersApi(client).get_user(USER_ID).id == USER_ID


def test_every_api_class_is_exported_and_typed():
    import re

    from purecore import _generated

    assert set(_generated.__all__) == set(_generated._MODULES)
    stub = (Path(_generated.__file__).parent / "__init__.pyi").read_text()
    typed = set(re.findall(r"^    '(\w+)',$", stub, re.M))
    assert typed == set(_generated._MODULES), "the stub's __all__ lists every class for star imports"
    for name in _generated._MODULES:
        assert getattr(purecore, name).__name__ == name


EXIT_PROBE = r"""
import asyncio, sys, purecore
conf = purecore.Configuration()
conf.host = sys.argv[1]
conf.config_file_path = None
conf.logger.log_level = "debug"
conf.logger.log_to_console = False
conf.logger.sink = lambda level, line: None
async def main():
    client = await purecore.AsyncApiClient(conf).get_client_credentials_token("emulator-client", "emulator-secret")
    users = purecore.UsersApi(client)
    await asyncio.gather(*[users.get_users_me() for _ in range(50)])
asyncio.run(main())
print("exited cleanly")
"""


def test_asyncio_programs_exit_cleanly(emu):
    # Worker threads must not enter Python while the interpreter finalizes.
    for _ in range(8):
        out = subprocess.run([sys.executable, "-c", EXIT_PROBE, emu.url], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and out.stdout.strip() == "exited cleanly", out.stderr[-2000:]


def test_cancelling_an_await_cancels_the_call(emu, make_config):
    import asyncio

    async def main():
        client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        users = purecore.UsersApi(client)
        emu.fault(kind="delay", ms=3000)
        task = asyncio.ensure_future(users.get_users_me())
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # A 429 with Retry-After 1 would be retried a second later, unless the
        # cancelled call was really stopped in the core.
        emu.fault(kind="status", status=429, retry_after=1, count=1)
        task = asyncio.ensure_future(users.get_users_me())
        await asyncio.sleep(0.3)
        sent = len(emu.api_requests("/api/v2/users/me"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(1.5)
        assert len(emu.api_requests("/api/v2/users/me")) == sent, "the cancelled call was retried"
        return (await users.get_users_me()).id

    assert asyncio.run(main()) == USER_ID


# scenario: paging.page_number
def test_every_page_of_get_users_each_user_once(emu, client):
    users = purecore.UsersApi(client)
    ids = []
    page_number = 1
    while True:
        page = users.get_users(page_size=1, page_number=page_number)
        ids += [u.id for u in page.entities]
        if page_number >= page.page_count:
            break
        page_number += 1
    assert page.total is not None and page.total >= 2, "more than one page"
    assert len(ids) == page.total and len(set(ids)) == len(ids), "every user once"
    sent = [r for r in emu.api_requests("/api/v2/users") if "pageSize=1" in r["query"]]
    assert len(sent) == page.page_count, "one request per page, none past the last"
