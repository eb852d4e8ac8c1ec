"""The bad-input table: public calls with bad input, blocking and asyncio.

Run by ``test_bad_input.py`` in a child process (an abort is then a crash the
parent counts): ``python bad_input_table.py EMULATOR_URL FIRST_CASE``. For each
case it prints ``START <n> <name>`` and then ``END <n> <outcome> <detail>`` as
one line each (the parent counts a missing END as a crash or a hang).

The contract this table holds the package to:

- a bad *value* raises an ``ApiException`` subclass of a known kind
  (``ConfigurationException`` for settings, ``InvalidArgumentException`` for
  arguments, and whatever the server's refusal maps to for requests); never
  ``PanicException``, never ``InternalException`` (that is a caught bug);
- a wrong Python *type* for an argument raises ``TypeError`` (settings raise
  ``ConfigurationException`` for any unusable value, type included);
- no call crashes the process or leaves an awaitable pending.
"""

import asyncio
import math
import os
import sys
import tempfile
import traceback

import purecore
from purecore.rest import _BY_KIND, ApiException

CLIENT_ID, CLIENT_SECRET = "emulator-client", "emulator-secret"
ASYNC_TIMEOUT = float(os.environ.get("PURECORE_BAD_INPUT_ASYNC_TIMEOUT", "10"))

NAN, INF = float("nan"), float("inf")
HUGE = 10**30
HUGE_STR = "x" * 200_000
CRLF = "a\r\nInjected: yes"
EXPIRES_MAX = "18446744073709551615"

BAD_PEM = "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n"
NOT_PEM = "hello, I am not a PEM"
BAD_KEY = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"


def _tmp_file(text, suffix=".pem"):
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="purecore-bad-")
    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(text)
    return path


class Case:
    """``fn(ctx)`` does one bad thing. ``wrong_type``: TypeError is the contract.
    ``accept``: a successful return is fine when ``accept(result, ctx)`` is true
    (the input is odd but usable, e.g. a clamped number)."""

    def __init__(self, name, fn, wrong_type=False, accept=None, aio=False):
        self.name, self.fn, self.wrong_type, self.accept, self.aio = name, fn, wrong_type, accept, aio


class Ctx:
    def __init__(self, url):
        self.url = url
        self._client = None
        self._aclient = None

    def conf(self):
        c = purecore.Configuration()
        c.host = self.url
        c.config_file_path = None
        c.retry.max_retries = 0
        return c

    def client(self):
        if self._client is None:
            self._client = purecore.ApiClient(self.conf()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        return self._client

    def aclient(self):
        if self._aclient is None:
            client = purecore.AsyncApiClient(self.conf())
            asyncio.run(client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET))
            self._aclient = client
        return self._aclient

    def fresh(self):
        return purecore.ApiClient(self.conf())


CASES = []


def case(name, fn, **kw):
    CASES.append(Case(name, fn, **kw))


def both(name, fn, **kw):
    """An I/O case run on the blocking and the asyncio client (``fn(client)``)."""
    CASES.append(Case("blocking: " + name, lambda ctx: fn(ctx.client()), **kw))
    CASES.append(Case("asyncio: " + name, lambda ctx: fn(ctx.aclient()), aio=True, **kw))


def setting(path, value, **kw):
    """``conf.<path> = value`` on a Configuration bound to a client (so the client's check runs too)."""

    def run(ctx):
        conf = ctx.conf()
        purecore.ApiClient(conf)
        target = conf
        *parents, attr = path.split(".")
        for p in parents:
            target = getattr(target, p)
        setattr(target, attr, value)

    case("setting %s = %s" % (path, _short(value)), run, **kw)


def _short(value):
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:40] + "...<%d chars>" % len(shown)


# ---- settings: durations, counts, lists -------------------------------------------------
DURATIONS = ("timeout", "auth_timeout", "connect_timeout", "refresh_token_wait_time", "token_expiry_margin",
             "config_poll_interval", "retry.retry_wait_min", "retry.retry_wait_max", "retry.max_total_wait")
for d in DURATIONS:
    for v in (1e19, -1, NAN, INF, -INF, HUGE, -HUGE, "10", None, [1]):
        setting(d, v)
for v in (2.5, -1, 101, 1000, HUGE, NAN, INF, "3", None, 2**64):
    setting("retry.max_retries", v)
for v in ([-1], [70000], "500", [None], [1.5], 500, [HUGE]):
    setting("retry.statuses", v)

# ---- settings: hosts, gateways, proxies ---------------------------------------------------
for v in ("example.1", "mypurecloud.xn--ie", "", "http://", "https://a b", HUGE_STR, "\r\n", CRLF,
          "https://api.example.com:99999", "ftp://api.example.com", "http://api.example.com", "moon_base_1",
          "https://[::1", "https://\u0000host", "https://xn--/", ".", "..", "https://-.com", 123, None):
    setting("host", v)
for v in ({"host": "", "port": 70000}, {"host": "gw.example", "port": 1e19}, {"host": "gw.example", "port": -2},
          {"host": "gw.example", "port": "x"}, {"host": "gw.example", "protocol": "gopher"},
          {"host": "gw\r\n.example"}, {"host": "gw example"}, {"host": HUGE_STR}, "not a dict", 5,
          {"hots": "gw.example"}, {1: "gw.example"}, {"host": None, "port": None, "protocol": 5}):
    setting("gateway_configuration", v)
for v in ("not a url", "ftp://proxy.example", "http://", "http://a b:80", "http://proxy.example:99999",
          "\r\n", "http://proxy.example:-1", "socks9://x", HUGE_STR, 5):
    setting("proxy", v)

# ---- settings: logging, callables, TLS, config files ---------------------------------------
for path, v in (("logger.log_level", "loud"), ("logger.log_level", None), ("logger.log_level", 5),
                ("logger.log_format", "xml"), ("logger.log_file_path", 123), ("logger.sink", 5),
                ("logger.sink", "print"), ("retry.hook", "x"), ("retry.hook", 1.5),
                ("logger.log_to_console", "yes"), ("should_refresh_access_token", "no"),
                ("allow_insecure_http", None), ("live_reload_config", 2.5), ("verify_ssl", "off")):
    setting(path, v)
for name, text in (("bad PEM", BAD_PEM), ("not a PEM", NOT_PEM), ("empty", ""), ("huge", HUGE_STR),
                   ("binary", "\udcff\udcfe\u0000")):
    setting("ssl_ca_cert", _tmp_file(text), accept=None)
    case("mTLS cert and key: %s" % name,
         lambda ctx, t=text: ctx.fresh().set_mtls_contents(t, t))
setting("ssl_ca_cert", "/nonexistent/purecore/ca.pem")
case("mTLS from missing files", lambda ctx: ctx.fresh().set_mtls_certificates("/nonexistent/c.pem", "/nonexistent/k.pem"))
case("mTLS good-looking cert, bad key", lambda ctx: ctx.fresh().set_mtls_contents(BAD_PEM, BAD_KEY))
case("Configuration.cert_file/key_file bad PEMs", lambda ctx: _both_files(ctx))


def _both_files(ctx):
    conf = ctx.conf()
    conf.cert_file = _tmp_file(BAD_PEM)
    conf.key_file = _tmp_file(BAD_KEY)


def _config_file_case(text):
    def run(ctx):
        conf = ctx.conf()
        conf.config_file_path = _tmp_file(text, suffix=".ini")
        return purecore.ApiClient(conf)

    # An explicit file that is unusable raises, or the client reports it and runs on without it.
    return run


for name, text in (("huge refresh wait", "[reauthentication]\nrefresh_token_wait_max = 1e19\n"),
                   ("negative retries", "[retry]\nretry_max = -1\n"),
                   ("fractional retries", "[retry]\nretry_max = 2.5\n"),
                   ("NaN wait", "[retry]\nretry_wait_min = nan\n"),
                   ("infinite wait", "[retry]\nretry_wait_max = inf\n"),
                   ("gateway port 99999", "[gateway]\nhost = gw.example\nport = 99999\n"),
                   ("log level", "[logging]\nlog_level = loud\n"),
                   ("garbage", "\u0000\u0001 not ini at all [[[\n"),
                   ("bad JSON", "{\"general\": [1, 2"),
                   ("bad host", "[general]\nhost = example.1\n"),
                   ("IDNA host", "[general]\nhost = mypurecloud.xn--ie\n"),
                   ("CR in host", "[general]\nhost = api.\rexample.com\n")):
    case("config file: %s" % name, _config_file_case(text),
         accept=lambda client, ctx: client.config_file_error is not None)

# ---- client construction and headers ------------------------------------------------------
case("ApiClient(configuration=5)", lambda ctx: purecore.ApiClient(5), wrong_type=True)
case("ApiClient(configuration='example.1')", lambda ctx: purecore.ApiClient("example.1"))
case("ApiClient(header_name='Bad Header')", lambda ctx: purecore.ApiClient(ctx.conf(), "Bad Header", "x"))
case("ApiClient(header_value with CR/LF)", lambda ctx: purecore.ApiClient(ctx.conf(), "X-Test", CRLF))
case("ApiClient(cookie with CR/LF)", lambda ctx: purecore.ApiClient(ctx.conf(), cookie=CRLF))
case("ApiClient(header_name='')", lambda ctx: purecore.ApiClient(ctx.conf(), "", "x"))
case("set_default_header CR/LF value", lambda ctx: ctx.fresh().set_default_header("X-Test", CRLF))
case("set_default_header empty name", lambda ctx: ctx.fresh().set_default_header("", "x"))
case("set_default_header None value", lambda ctx: ctx.fresh().set_default_header("X-Test", None))
case("set_default_header name with colon", lambda ctx: ctx.fresh().set_default_header("X:Y", "x"))
case("set_gateway port 1e19", lambda ctx: ctx.fresh().set_gateway("gw.example", port=1e19))
case("set_gateway host CR/LF", lambda ctx: ctx.fresh().set_gateway(CRLF))

# ---- tokens and numbers in arguments ---------------------------------------------------------
for v in (1e19, -1, NAN, INF, HUGE, -HUGE):
    case("set_access_token('tok', %r)" % v, lambda ctx, v=v: ctx.fresh().set_access_token("tok", v))
case("set_access_token('tok', '10')", lambda ctx: ctx.fresh().set_access_token("tok", "10"), wrong_type=True)
case("set_access_token(None)", lambda ctx: ctx.fresh().set_access_token(None), wrong_type=True)
case("set_access_token('')", lambda ctx: ctx.fresh().set_access_token(""))
case("set_access_token(CR/LF)", lambda ctx: ctx.fresh().set_access_token(CRLF))
case("access_token = 5", lambda ctx: setattr(ctx.fresh(), "access_token", 5), wrong_type=True)
for v in (-1, 0, 10, 129, 2**70, 1.5, NAN, INF):
    case("generate_pkce_code_verifier(%r)" % v, lambda ctx, v=v: purecore.generate_pkce_code_verifier(v))
case("generate_pkce_code_verifier('x')", lambda ctx: purecore.generate_pkce_code_verifier("x"), wrong_type=True)
for v in ("", "short", HUGE_STR, "bad chars !!" * 5):
    case("compute_pkce_code_challenge(%r)" % v[:20], lambda ctx, v=v: purecore.compute_pkce_code_challenge(v))
case("compute_pkce_code_challenge(None)", lambda ctx: purecore.compute_pkce_code_challenge(None), wrong_type=True)

# ---- authorize URLs and redirects --------------------------------------------------------------
REDIRECT = "http://localhost:8085/callback"


def _encoded(result, ctx):
    """Odd text in a login URL is fine once percent-encoded: no raw CR, LF or space in the URL."""
    url, _state = result
    return not any(ch in url for ch in "\r\n ")

for name, args in (("empty client id", ("", REDIRECT)), ("redirect not a URL", ("cid", "not a url")),
                   ("CR/LF client id", (CRLF, REDIRECT)), ("huge state", ("cid", REDIRECT, "token", HUGE_STR)),
                   ("bad response type", ("cid", REDIRECT, "bogus"))):
    case("get_authorize_url: %s" % name, lambda ctx, a=args: ctx.fresh().get_authorize_url(*a),
         accept=_encoded)
case("get_authorize_url(None, None)", lambda ctx: ctx.fresh().get_authorize_url(None, None), wrong_type=True)


def _clamped(result, ctx):
    """An odd expiry in a redirect is usable as the core reads it (huge: clamped to 10 years;
    negative: 0, already expired; not a number: unknown): the token is in force with a sane expiry."""
    client, token = result
    expires_in = token["expires_in"]
    sane = expires_in is None or 0 <= expires_in <= 10 * 365 * 24 * 3600
    return sane and token["access_token"] == "tok" and client.access_token == "tok"


for name, frag, ok in (
    ("expires_in = u64::MAX", "#access_token=tok&token_type=bearer&expires_in=" + EXPIRES_MAX, _clamped),
    ("expires_in = 1e400", "#access_token=tok&token_type=bearer&expires_in=1e400", _clamped),
    ("expires_in = -1", "#access_token=tok&expires_in=-1", _clamped),
    ("expires_in = NaN", "#access_token=tok&expires_in=NaN", _clamped),
    ("expires_in = 99999999999999999999999", "#access_token=tok&expires_in=99999999999999999999999", _clamped),
    ("no token", "#token_type=bearer", None),
    ("error", "#error=access_denied&error_description=no", None),
    ("empty", "", None),
    ("state mismatch", "#access_token=tok&state=other", None),
):
    case("get_implicit_grant_token: %s" % name,
         lambda ctx, f=frag: ctx.fresh().get_implicit_grant_token(REDIRECT + f, "expected" if "state" in f else None),
         accept=ok)
case("get_implicit_grant_token('not a url')", lambda ctx: ctx.fresh().get_implicit_grant_token("not a url"))
case("get_implicit_grant_token(None)", lambda ctx: ctx.fresh().get_implicit_grant_token(None), wrong_type=True)
for name, url, state in (("no code", REDIRECT + "?state=s", "s"), ("state mismatch", REDIRECT + "?code=c&state=a", "b"),
                         ("not a url", "::::", None), ("empty code", REDIRECT + "?code=&state=s", "s"),
                         ("error", REDIRECT + "?error=access_denied", None)):
    case("parse_code_redirect: %s" % name, lambda ctx, u=url, s=state: ctx.fresh().parse_code_redirect(u, s))

# ---- requests (blocking and asyncio) -----------------------------------------------------------
for name, args in (("empty id and secret", ("", "")), ("None id and secret", (None, None)),
                   ("wrong secret", (CLIENT_ID, "nope")), ("CR/LF id", (CRLF, CLIENT_SECRET)),
                   ("huge id", (HUGE_STR, CLIENT_SECRET))):
    both("client credentials login: %s" % name,
         lambda c, a=args: type(c)(c.configuration).get_client_credentials_token(*a))
both("saml2 login: bad assertion", lambda c: type(c)(c.configuration).get_saml2bearer_token(
    CLIENT_ID, CLIENT_SECRET, "org", "not an assertion"))
both("code login: bad code", lambda c: type(c)(c.configuration).get_code_authorization_token(
    "emulator-code-client", "emulator-code-secret", "no-such-code", REDIRECT))
both("refresh: empty refresh token", lambda c: type(c)(c.configuration).refresh_code_authorization_token(
    "emulator-code-client", "emulator-code-secret", ""))
both("pkce login: short verifier", lambda c: type(c)(c.configuration).get_pkce_token(
    "emulator-public-client", "short", "code", REDIRECT))
both("get_user(None)", lambda c: purecore.UsersApi(c).get_user(None))
both("get_user({dict})", lambda c: purecore.UsersApi(c).get_user({"not": "a string"}))
both("get_user('')", lambda c: purecore.UsersApi(c).get_user(""))
both("get_user(huge id)", lambda c: purecore.UsersApi(c).get_user(HUGE_STR))
both("get_user(CR/LF id)", lambda c: purecore.UsersApi(c).get_user(CRLF))
both("get_user(object())", lambda c: purecore.UsersApi(c).get_user(object()), wrong_type=True)
both("get_users(page_size=NaN)", lambda c: purecore.UsersApi(c).get_users(page_size=NAN))
both("get_users(page_size=inf)", lambda c: purecore.UsersApi(c).get_users(page_size=INF))
both("get_users(page_size=10**30)", lambda c: purecore.UsersApi(c).get_users(page_size=HUGE))
both("get_users(page_size=-1)", lambda c: purecore.UsersApi(c).get_users(page_size=-1))
both("get_users(page_size=1.5)", lambda c: purecore.UsersApi(c).get_users(page_size=1.5))
both("get_users(page_size='x')", lambda c: purecore.UsersApi(c).get_users(page_size="x"))
both("unknown operation", lambda c: c.call_operation("noSuchOperation", {}))
both("get_user() without its user id", lambda c: purecore.UsersApi(c).get_user(), wrong_type=True)
both("a required parameter missing", lambda c: c.call_operation("getUser", {}))
both("an unknown keyword argument", lambda c: purecore.UsersApi(c).get_users(page_sise=1), wrong_type=True)
both("header value with CR/LF", lambda c: c.call_operation("getUsersMe", {}, {"X-Test": CRLF}))
both("header name with a space", lambda c: c.call_operation("getUsersMe", {}, {"Bad Header": "x"}))
both("header value None", lambda c: c.call_operation("getUsersMe", {}, {"X-Test": None}), wrong_type=True)
both("huge header value", lambda c: c.call_operation("getUsersMe", {}, {"X-Test": HUGE_STR}),
     accept=lambda me, ctx: me.id is not None)  # 200 kB is allowed by HTTP; the server took it
both("bad token", lambda c: purecore.UsersApi(type(c)(c.configuration).set_access_token("not-a-token")).get_users_me())
both("CR/LF token", lambda c: purecore.UsersApi(type(c)(c.configuration).set_access_token(CRLF)).get_users_me())
both("no token", lambda c: purecore.UsersApi(type(c)(c.configuration)).get_users_me())


# ---- the table's own check: cases that crash, hang or leave a future pending -----------------
if os.environ.get("PURECORE_BAD_INPUT_SELFTEST"):

    async def _never_settles():
        await asyncio.get_running_loop().create_future()

    CASES[:] = [
        Case("selftest: typed", lambda ctx: purecore.generate_pkce_code_verifier(-1)),
        Case("selftest: abort", lambda ctx: os.abort()),
        Case("selftest: typed after a crash", lambda ctx: purecore.generate_pkce_code_verifier(-1)),
        Case("selftest: blocks forever", lambda ctx: __import__("time").sleep(3600)),
        Case("selftest: pending future", lambda ctx: _never_settles(), aio=True),
        Case("selftest: caught panic", lambda ctx: purecore._purecore._panic_for_tests("call")),
        Case("selftest: untyped", lambda ctx: {}["missing"]),
        Case("selftest: accepted", lambda ctx: None),
    ]


# ---- the runner ----------------------------------------------------------------------------------

def classify(c, ctx):
    try:
        if c.aio:
            ctx.aclient()  # logged in before the case's own event loop runs

            async def go():
                result = c.fn(ctx)
                if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                    result = await asyncio.wait_for(result, ASYNC_TIMEOUT)
                return result

            try:
                result = asyncio.run(go())
            except asyncio.TimeoutError:
                return "hang", "the awaitable did not settle within %ss" % ASYNC_TIMEOUT
        else:
            result = c.fn(ctx)
    except ApiException as e:
        if e.kind == "internal":
            return "internal", str(e)
        if _BY_KIND.get(e.kind) is not type(e):
            return "untyped", "%s with kind %r" % (type(e).__name__, e.kind)
        return "typed", "%s: %s" % (type(e).__name__, str(e)[:150])
    except TypeError as e:
        if c.wrong_type:
            return "typed", "TypeError: %s" % str(e)[:150]
        return "untyped", "TypeError for a value of the right type: %s" % e
    except Exception as e:  # noqa: BLE001 - classifying is the point
        return "untyped", "%s: %s" % (type(e).__name__, str(e)[:150])
    except BaseException as e:  # PanicException and the like
        return "untyped", "%s (not an Exception): %s" % (type(e).__name__, str(e)[:150])
    if c.accept is not None:
        try:
            if c.accept(result, ctx):
                return "typed", "accepted as usable"
        except Exception as e:  # noqa: BLE001
            return "accepted", "accepted, and then: %s: %s" % (type(e).__name__, e)
    return "accepted", "bad input accepted without an error"


def main():
    url, first = sys.argv[1], int(sys.argv[2])
    ctx = Ctx(url)
    for n in range(first, len(CASES)):
        c = CASES[n]
        print("START %d %s" % (n, c.name), flush=True)
        try:
            outcome, detail = classify(c, ctx)
        except BaseException:  # the runner itself must report, not die
            outcome, detail = "untyped", traceback.format_exc().replace("\n", " | ")
        print("END %d %s %s" % (n, outcome, detail.replace("\n", " | ")), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--count":
        print(len(CASES))
    else:
        main()
