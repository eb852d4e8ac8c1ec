"""No secret shows in any public object, however Python prints it.

Every public object is made with known secrets in it (client secret, access and
refresh tokens, authorization code, proxy password, a password in the proxy
URL, the mTLS key, a Set-Cookie reply header), then printed every way Python
can: str, repr, format, f-strings, pprint, vars()/__dict__, pickle (where it
works), logging with %r and %s, and traceback.format_exc() of raised errors.
The output is searched for each secret. Secrets are held in variables, never
written on the line that raises (a traceback shows that line's source).
"""

import asyncio
import http.server
import io
import logging
import pickle
import pprint
import threading
import traceback
from pathlib import Path

import pytest

import purecore
from purecore.rest import ApiException

from conftest import CLIENT_ID, CLIENT_SECRET, CODE_CLIENT_ID, CODE_CLIENT_SECRET, REDIRECT_URI, Emulator

PROXY_PASSWORD = "proxy-pw-3f9d1c"
URL_PASSWORD = "url-pw-81b2e7"
COOKIE_SECRET = "cookie-value-5a4e0b"
KNOWN_TOKEN = "known-token-c0ffee42"


class _CookieServer(http.server.BaseHTTPRequestHandler):
    """Answers every request with a Set-Cookie header: 200 with a JSON user on
    /api/v2/users/me, 400 with a Genesys error body elsewhere."""

    def do_GET(self):
        ok = self.path.startswith("/api/v2/users/me")
        body = b'{"id": "u1", "name": "x"}' if ok else b'{"message": "bad", "code": "bad.request", "status": 400}'
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "session=%s; Path=/; HttpOnly" % COOKIE_SECRET)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def cookie_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CookieServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def mtls_dir(tmp_path):
    e = Emulator("--mtls", str(tmp_path))
    yield tmp_path
    e.stop()


def _key_marker(key_pem):
    """A line of the key's base64 body: enough to recognise any piece of the key."""
    lines = [l for l in key_pem.splitlines() if l and not l.startswith("-----")]
    return lines[len(lines) // 2]


def _renderings(obj):
    """Every way the object can be shown; pickling may be refused (its error is shown too)."""
    out = {}
    for name, show in (
        ("str", str),
        ("repr", repr),
        ("format", lambda o: format(o, "")),
        ("f-string", lambda o: f"{o} {o!r} {o!s}"),
        ("pprint", lambda o: pprint.pformat(o, width=40)),
        ("pprint wide", lambda o: pprint.pformat(o, width=500)),
    ):
        out[name] = show(obj)
    if hasattr(obj, "__dict__"):
        out["vars"] = repr(vars(obj)) + pprint.pformat(vars(obj))
    try:
        out["pickle"] = pickle.dumps(obj).decode("latin-1")
    except Exception as e:  # not picklable: its message must not show a secret either
        out["pickle refused"] = "%s: %s" % (type(e).__name__, e)
    stream = io.StringIO()
    log = logging.getLogger("purecore-secrets-test")
    handler = logging.StreamHandler(stream)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        log.info("%r", obj)
        log.info("%s", obj)
        log.info("object: %(o)r", {"o": obj})
    finally:
        log.removeHandler(handler)
    out["logging"] = stream.getvalue()
    return out


class Leaks:
    def __init__(self, secrets):
        self.secrets = {k: v for k, v in secrets.items() if v}
        self.found = []

    def check(self, label, obj):
        for how, text in _renderings(obj).items():
            self.scan("%s via %s" % (label, how), text)

    def scan(self, label, text):
        for name, secret in self.secrets.items():
            if secret in text:
                self.found.append("%s shows the %s" % (label, name))

    def raised(self, label, call):
        """Runs ``call``; the exception it raises is checked like an object and by its traceback."""
        try:
            call()
        except Exception as e:
            self.scan("%s traceback" % label, traceback.format_exc())
            self.check("%s exception" % label, e)
            return e
        raise AssertionError("%s did not raise" % label)


def test_no_public_object_shows_a_secret(emu, make_config, cookie_server, mtls_dir, tmp_path):
    key_pem = (mtls_dir / "client-key.pem").read_text()
    leaks = Leaks({})
    tokens = {}

    # Logins that hand out tokens, with the client secret in play.
    conf = make_config()
    client = purecore.ApiClient(conf, "X-Api-Key", "header-key-9d8c7b", cookie="session=" + COOKIE_SECRET)
    callback_args = []
    client.set_token_callback(callback_args.append)
    client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    tokens["client credentials token"] = client.access_token
    url, state = client.get_authorize_url(CODE_CLIENT_ID, REDIRECT_URI, response_type="code")
    code = client.parse_code_redirect(emu.location_of(url), state)
    _, code_token = client.get_code_authorization_token(CODE_CLIENT_ID, CODE_CLIENT_SECRET, code, REDIRECT_URI)
    _, refreshed = client.refresh_code_authorization_token(
        CODE_CLIENT_ID, CODE_CLIENT_SECRET, code_token["refresh_token"]
    )
    assert code_token["refresh_token"] and refreshed["access_token"], "the token dicts still give the tokens"
    leaks.secrets.update(
        {
            "client secret": CLIENT_SECRET,
            "code client secret": CODE_CLIENT_SECRET,
            "authorization code": code,
            "client credentials token": tokens["client credentials token"],
            "access token": code_token["access_token"],
            "refresh token": code_token["refresh_token"],
            "refreshed access token": refreshed["access_token"],
            "refreshed refresh token": refreshed["refresh_token"],
            "known token": KNOWN_TOKEN,
            "proxy password": PROXY_PASSWORD,
            "proxy URL password": URL_PASSWORD,
            "mTLS key": _key_marker(key_pem),
            "cookie": COOKIE_SECRET,
            "API key header": "header-key-9d8c7b",
        }
    )
    leaks.secrets = {k: v for k, v in leaks.secrets.items() if v}
    for label, obj in (
        ("code token dict", code_token),
        ("refreshed token dict", refreshed),
        ("auth_data", client.auth_data),
        ("token callback argument", callback_args[-1]),
        ("ApiClient", client),
        ("ApiClient.default_headers", client.default_headers),
        ("ApiClient settings()", client.configuration.settings()),
        ("HttpClient", client.get_http_client()),
    ):
        leaks.check(label, obj)

    # A Configuration holding a proxy password, a token and an mTLS key.
    proxied = make_config()
    proxied.proxy = emu.url
    proxied.proxy_username = "proxyuser"
    password = PROXY_PASSWORD
    proxied.proxy_password = password
    proxied.access_token = KNOWN_TOKEN
    proxied.cert_file = str(mtls_dir / "client.pem")
    proxied.key_file = str(mtls_dir / "client-key.pem")
    assert proxied.proxy_password == PROXY_PASSWORD and proxied.access_token == KNOWN_TOKEN
    for label, obj in (("Configuration", proxied), ("Configuration.logger", proxied.logger),
                       ("Configuration.retry", proxied.retry), ("Configuration settings()", proxied.settings())):
        leaks.check(label, obj)
    via_proxy = purecore.ApiClient(proxied)
    leaks.check("ApiClient behind a proxy", via_proxy)
    leaks.check("its settings()", via_proxy.configuration.settings())
    leaks.check("its auth_data", via_proxy.auth_data)

    # A password in the proxy URL itself, and a proxy that cannot be reached.
    in_url = make_config()
    in_url.retry.max_retries = 0
    in_url.proxy = "http://user:%s@127.0.0.1:9" % URL_PASSWORD
    leaks.check("Configuration with a proxy URL password", in_url)
    leaks.check("its settings()", in_url.settings())
    unreachable = purecore.ApiClient(in_url).set_access_token(KNOWN_TOKEN)
    leaks.raised("a call through an unreachable proxy", lambda: purecore.UsersApi(unreachable).get_users_me())
    bad_proxy = make_config()
    bad_proxy.proxy_password = password
    leaks.raised("a malformed proxy URL", lambda: setattr(bad_proxy, "proxy", "http://user:%s@[bad" % URL_PASSWORD))

    # Replies and errors carrying Set-Cookie.
    cookies = make_config()
    cookies.host = cookie_server
    cookie_client = purecore.ApiClient(cookies).set_access_token(KNOWN_TOKEN)
    seen = []
    cookie_client.get_http_client().set_pre_request_hook(
        lambda opts: (opts.headers.__setitem__("Authorization", "Bearer " + KNOWN_TOKEN), seen.append(opts))[0]
    )
    purecore.UsersApi(cookie_client).get_users_me()
    resp = cookie_client.last_response
    assert resp.getheader("set-cookie").startswith("session=" + COOKIE_SECRET), "the reply still gives the cookie"
    leaks.check("RESTResponse", resp)
    leaks.check("RESTResponse.headers", resp.headers)
    leaks.check("RESTResponse.header_list", resp.header_list)
    leaks.check("HttpRequestOptions", seen[0])
    leaks.check("HttpRequestOptions.headers", seen[0].headers)
    err = leaks.raised("a 400 with Set-Cookie", lambda: purecore.UsersApi(cookie_client).get_user("u1"))
    assert isinstance(err, ApiException) and err.status == 400
    assert err.http_resp.getheader("set-cookie").startswith("session=" + COOKIE_SECRET)
    leaks.check("ApiException.headers", err.headers)
    leaks.check("ApiException.http_resp", err.http_resp)
    restored = pickle.loads(pickle.dumps(err))
    assert type(restored) is type(err) and restored.status == 400, "exceptions still pickle"
    leaks.check("an unpickled ApiException", restored)

    # Failed logins: the secrets sent must not come back in the error.
    secret = CLIENT_SECRET
    leaks.raised("a refused client secret",
                 lambda: purecore.ApiClient(make_config()).get_client_credentials_token("no-such-client", secret))
    refresh = code_token["refresh_token"]
    leaks.raised("a refused refresh token", lambda: purecore.ApiClient(make_config()).refresh_code_authorization_token(
        CODE_CLIENT_ID, "wrong-" + CODE_CLIENT_SECRET, refresh))
    key_text = key_pem
    leaks.raised("mTLS with a broken certificate",
                 lambda: purecore.ApiClient(make_config()).set_mtls_contents("not a certificate", key_text))

    # The asyncio client too.
    async def asyncio_side():
        aclient = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        leaks.secrets["asyncio access token"] = aclient.access_token
        leaks.check("AsyncApiClient", aclient)
        leaks.check("its auth_data", aclient.auth_data)
        acookies = purecore.AsyncApiClient(cookies).set_access_token(KNOWN_TOKEN)
        try:
            await purecore.UsersApi(acookies).get_user("u1")
        except ApiException as e:
            leaks.scan("asyncio 400 traceback", traceback.format_exc())
            leaks.check("asyncio ApiException", e)

    asyncio.run(asyncio_side())

    assert leaks.found == [], "\n".join(leaks.found)
