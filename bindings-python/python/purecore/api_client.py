"""``ApiClient`` (blocking) and ``AsyncApiClient`` (asyncio), with the official names.

Each client owns one native core client: token session, retries, refresh,
logging and config file live there. This module converts arguments to JSON,
replies to model objects, and runs request hooks. A blocking call releases
the GIL while it waits, so threads run in parallel; an async call is an
awaitable on the running event loop.
"""

from __future__ import annotations

from typing import Any, Dict

import itertools
import json
import re
import threading
import weakref
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import _configuration
from ._secrets import HeaderDict
from .rest import RESTResponse


def _native() -> Any:
    from . import _purecore

    return _purecore


_OPS: Dict[str, Any] = {}


def _op_info(operation_id: Any) -> Any:
    info = _OPS.get(operation_id)
    if info is None:
        info = _OPS[operation_id] = _native().operation_info(operation_id)
    return info


def _json_default(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError("cannot send a %s as a parameter" % type(value).__name__)


def _dumps(value: Any) -> Any:
    return json.dumps(value, default=_json_default, separators=(",", ":"), allow_nan=False)


def _encode(params: Any) -> Any:
    """Parameters keyed by spec name as JSON text; None means not given. NaN and
    infinite numbers cannot be sent: InvalidArgumentException names the parameter."""
    given = {k: v for k, v in params.items() if v is not None}
    if not given:
        return "{}"
    try:
        return _dumps(given)
    except ValueError:
        for name, value in given.items():
            try:
                _dumps(value)
            except ValueError as err:
                from .rest import InvalidArgumentException

                raise InvalidArgumentException(message="parameter '%s' cannot be sent: %s" % (name, err)) from None
        raise


def _decode(operation_id: Any, resp: Any) -> Any:
    """The reply body as the operation's declared type (a model, list, dict or text)."""
    rtype = _op_info(operation_id)[2]
    data = resp.data
    # Only a body that starts with whitespace is stripped to see if it is blank
    # (stripping copies it, and bodies can be megabytes).
    if rtype is None or not data or (data[:1].isspace() and not data.strip()):
        return None
    is_json = "json" in (resp.getheader("content-type") or "json")
    if rtype.startswith("string") and not is_json:
        return resp.text
    try:
        value = json.loads(resp.data)
    except ValueError:
        if rtype.startswith("string"):
            return resp.text
        from .rest import DecodingException

        raise DecodingException(resp.status, "response body is not JSON", resp) from None
    from . import models

    return models._from_wire(value, rtype)


def _strs(*values: Any) -> Any:
    return ["" if v is None else str(v) for v in values]


class HttpRequestOptions:
    """What a pre-request hook sees and may change (in place, or by returning a new one):
    the request as the core built it. ``url`` (or ``path`` and ``query_params``), ``headers``
    and ``body`` are what is sent, on every attempt; the bearer token is added at each send."""

    def __init__(self, method: Any, url: Any, path: Any, query_params: Any, headers: Any, body: Any, operation_id: Any = None) -> None:
        self.operation_id = operation_id
        self.method = method
        self.url = url
        self.path = path
        self.query_params = query_params
        self.headers = HeaderDict(headers)  # credential values hidden from repr
        self.body = body

    def __repr__(self) -> Any:
        return "HttpRequestOptions(method=%r, url=%r)" % (self.method, self.url)


class HttpClient:
    """``api_client.get_http_client()``: request hooks. The transport itself is the core's."""

    def __init__(self, on_pre_hook: Any = None, on_post_hook: Any = None) -> None:
        self._pre = None
        self._post = None
        self._on_pre_hook = on_pre_hook
        self._on_post_hook = on_post_hook

    @property
    def post_request_hook(self) -> Any:
        return self._post

    @post_request_hook.setter
    def post_request_hook(self, hook: Any) -> None:
        if hook is not None and not callable(hook):
            raise TypeError("the post-request hook must be callable")
        self._post = hook
        if self._on_post_hook is not None:
            self._on_post_hook(hook is not None)

    @property
    def pre_request_hook(self) -> Any:
        return self._pre

    @pre_request_hook.setter
    def pre_request_hook(self, hook: Any) -> Any:
        if hook is not None and not callable(hook):
            raise TypeError("the pre-request hook must be callable")
        self._pre = hook
        if self._on_pre_hook is not None:
            self._on_pre_hook(hook is not None)

    def set_pre_request_hook(self, hook: Any) -> Any:
        """``hook(HttpRequestOptions)``: the core's request hook, once per call (not per retry),
        with the request as built."""
        self.pre_request_hook = hook

    def set_post_request_hook(self, hook: Any) -> Any:
        """``hook(RESTResponse)``: the core's response hook, after every attempt of a call that
        got a reply (a retried 503 and then the 200 are two calls), successful or not;
        ``RESTResponse.attempts`` is the attempt's number. An exception it raises is raised
        by the call."""
        self.post_request_hook = hook


def _default_configuration() -> Any:
    import purecore

    return purecore.configuration


class _ClientBase:
    def __init__(self, configuration: Any = None, header_name: Any = None, header_value: Any = None, cookie: Any = None, host: Any = None) -> None:
        if isinstance(configuration, str):
            configuration, host = None, configuration
        if configuration is not None and not isinstance(configuration, _configuration.Configuration):
            raise TypeError("configuration must be a Configuration or None, not %s" % type(configuration).__name__)
        self.configuration = configuration or _default_configuration()
        conf: Any = self.configuration  # (its private members are not in the public stub)
        settings = dict(conf._values)
        if host is not None:
            settings["environment"] = str(getattr(host, "value", host))
        self.default_headers = HeaderDict()  # a cookie or Authorization stays out of repr
        if header_name is not None:
            self.default_headers[header_name] = header_value
        if cookie is not None:
            self.default_headers["Cookie"] = cookie
        if self.default_headers:
            settings["default_headers"] = list(self.default_headers.items())
        self._native = _native().Client(settings)
        conf._bind(self)
        if conf._access_token is not None:
            self._native.set_access_token(conf._access_token.value)
        self._http = HttpClient(self._install_pre_hook, self._install_post_hook)
        self._last = threading.local()

    def _install_pre_hook(self, on: Any) -> Any:
        """Sets the core's request hook to run this client's pre-request hook (weakly held:
        the native client must not keep this one alive)."""
        if not on:
            self._native.set_request_hook(None)
            return
        ref = weakref.ref(self)

        def run(operation_id: Any, method: Any, url: Any, headers: Any, body: Any) -> Any:
            client = ref()
            if client is None:
                return (url, headers, body)
            return client._run_pre_hook(operation_id, method, url, headers, body)

        self._native.set_request_hook(run)

    def _install_post_hook(self, on: Any) -> Any:
        """Sets the core's response hook to run this client's post-request hook (weakly held)."""
        if not on:
            self._native.set_response_hook(None)
            return
        ref = weakref.ref(self)

        def run(operation_id: Any, method: Any, url: Any, attempt: Any, status: Any, reason: Any, headers: Any, body: Any, correlation_id: Any, error: Any) -> Any:
            client = ref()
            if client is None or status is None:
                return None
            try:
                hook = client._http.post_request_hook
                if hook is not None:
                    hook(RESTResponse(status, reason, headers, body, correlation_id, attempt))
                return None
            except BaseException as err:  # raised again by the call
                key = str(next(_HOOK_IDS))
                _HOOK_ERRORS[key] = err
                return key

        self._native.set_response_hook(run)

    def _run_pre_hook(self, operation_id: Any, method: Any, url: Any, headers: Any, body: Any) -> Any:
        """The user's hook over the built request; returns the request to send, or the id of
        the exception it raised (kept until the call raises it again)."""
        try:
            hook = self._http.pre_request_hook
            if hook is None:
                return (url, headers, body)
            host = self.host
            split = urlsplit(url)
            path = url[len(host):].split("?", 1)[0] if url.startswith(host) else split.path
            query = parse_qsl(split.query, keep_blank_values=True)
            ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
            shown = body
            if body is not None:
                if "json" in ctype.lower():
                    try:
                        shown = json.loads(body)
                    except ValueError:
                        shown = body.decode("utf-8", "replace")
                else:
                    try:
                        shown = body.decode("utf-8")
                    except UnicodeDecodeError:
                        shown = body
            opts = HttpRequestOptions(method, url, path, list(query), dict(headers), shown, operation_id)
            opts = hook(opts) or opts
            new_url = opts.url
            if new_url == url and (opts.path != path or list(opts.query_params) != query):
                base = host if url.startswith(host) else "%s://%s" % (split.scheme, split.netloc)
                params = list(opts.query_params)
                new_url = base + opts.path + ("?" + urlencode(params) if params else "")
            new_body = opts.body
            if new_body is None or isinstance(new_body, bytes):
                pass
            elif isinstance(new_body, str) and not isinstance(shown, (dict, list)):
                new_body = body if new_body == shown else new_body.encode()
            elif body is not None and "json" in ctype.lower() and new_body == json.loads(body):
                new_body = body
            else:
                new_body = _encode_body(new_body)
            return (str(new_url), [(str(k), str(v)) for k, v in opts.headers.items()], new_body)
        except BaseException as err:  # raised again by the call, as the official SDK lets it through
            key = str(next(_HOOK_IDS))
            _HOOK_ERRORS[key] = err
            return key

    # ---- settings of this client ----

    @property
    def host(self) -> Any:
        return self._native.settings()["api_base"]

    def apply_config(self, settings: Any) -> Any:
        """Changes settings of this client: a dict of purecore's setting names to values
        (``{"retry.max_retries": 5, "max_response_body_bytes": 1 << 20}``), durations in
        seconds, None for the default; the names, units, defaults and allowed values are
        ``SettingsPatch`` of ``purecore._settings_schema`` (generated from the core's schema).
        Each value is checked by the core; on error (``ConfigurationException`` naming the
        setting, the value and the allowed values) nothing changes."""
        if not isinstance(settings, dict):
            raise TypeError("apply_config takes a dict of setting names to values")
        self._native.configure(settings)

    def set_default_header(self, header_name: Any, header_value: Any) -> Any:
        self.default_headers[header_name] = header_value
        self._native.configure({"default_headers": [(k, v) for k, v in self.default_headers.items()]})

    def set_gateway(self, host: Any, protocol: Any = "https", port: Any = None, path_params_login: Any = "", path_params_api: Any = "") -> Any:
        """Routes login and API calls through a gateway: ``protocol://host[:port]/<path_params_*>/...``."""
        gw = _configuration.GatewayConfiguration(host, protocol, port, path_params_login, path_params_api)
        self._native.configure({"gateway": gw._to_native()})  # type: ignore[attr-defined]

    def set_mtls_certificates(self, cert_path: Any, key_path: Any, ca_path: Any = None) -> Any:
        read: Any = getattr(_configuration, "_read")  # (not in the public stub)
        self.set_mtls_contents(read(cert_path, "cert_path"), read(key_path, "key_path"),
                               None if ca_path is None else read(ca_path, "ca_path"))

    def set_mtls_contents(self, cert: Any, key: Any, ca: Any = None) -> Any:
        settings = {"tls.client_cert_pem": cert, "tls.client_key_pem": key}
        if ca is not None:
            settings["tls.extra_ca_pem"] = [ca]
        self._native.configure(settings)

    @property
    def config_file_error(self) -> Any:
        """Why the config file is rejected (file, line and key), or None when it is in force."""
        return self._native.config_file_error()

    def get_http_client(self) -> Any:
        return self._http

    @property
    def last_response(self) -> Any:
        """The last reply this thread received through this client."""
        return getattr(self._last, "response", None)

    # ---- tokens ----

    @property
    def access_token(self) -> Any:
        auth = self._native.auth_data()
        return auth["access_token"] if auth else None

    @access_token.setter
    def access_token(self, token: Any) -> Any:
        if token is None:
            self._native.logout()
        else:
            self._native.set_access_token(token)

    @property
    def auth_data(self) -> Any:
        """The current token as a dict (``expires_at`` in seconds since the epoch), or None."""
        return self._native.auth_data()

    def set_access_token(self, token: Any, expires_in: Any = None) -> Any:
        """Uses a token obtained elsewhere; it is never renewed."""
        self._native.set_access_token(token, expires_in)
        return self

    def set_token_callback(self, callback: Any) -> Any:
        """``callback(token_dict)`` after every login and refresh (any thread)."""
        self._native.set_token_callback(callback)

    def logout(self) -> Any:
        self._native.logout()

    def generate_pkce_code_verifier(self, n_bytes: Any = 128) -> Any:
        return _native().generate_code_verifier(n_bytes)

    def compute_pkce_code_challenge(self, code_verifier: Any) -> Any:
        return _native().compute_code_challenge(code_verifier)

    def get_authorize_url(self, client_id: Any, redirect_uri: Any, response_type: Any = "token", state: Any = None, code_challenge: Any = None,
                          org: Any = None, provider: Any = None, target: Any = None, login_hint: Any = None, prompt: Any = None) -> Any:
        """``(url, state)`` of the login page for the implicit (``token``), code or PKCE (``code``) flows."""
        return self._native.authorize_url(client_id, redirect_uri, response_type, state, code_challenge,
                                          org, provider, target, login_hint, prompt)

    def get_implicit_grant_token(self, redirect_url: Any, state: Any = None) -> Any:
        """Uses the token of an implicit-grant redirect (state checked); returns ``(client, token_dict)``."""
        return self, self._native.login_implicit(redirect_url, state)

    def parse_code_redirect(self, redirect_url: Any, state: Any = None) -> Any:
        """The authorization code of a code/PKCE redirect (state checked)."""
        return _native().parse_code_redirect(redirect_url, state)

    # ---- calls ----

    def _prepare(self, operation_id: Any, params: Any, headers: Any) -> Any:
        """Arguments for the native call (a pre-request hook runs inside it, in the core)."""
        return (operation_id, _encode(params), list((headers or {}).items()))

    def _finish(self, operation_id: Any, reply: Any, decoded: Any = None) -> Any:
        """``decoded`` is ``(value,)`` when the native side already built the model."""
        resp = RESTResponse(*reply)
        self._last.response = resp
        if decoded is not None:
            return decoded[0]
        return _decode(operation_id, resp)

    def _failed(self, err: Any) -> Any:
        kept = _HOOK_RAISED.search(str(err))
        if kept is not None and kept.group(1) in _HOOK_ERRORS:
            raise _HOOK_ERRORS.pop(kept.group(1)) from None
        resp = getattr(err, "http_resp", None)
        if resp is not None:
            self._last.response = resp

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> Any:
        return None

    def close(self) -> Any:
        """Nothing to release: connections close when the client is dropped."""


# What pre- and post-request hooks raised, by id, until their call raises it again.
_HOOK_ERRORS: Dict[str, BaseException] = {}
_HOOK_IDS = itertools.count(1)
_HOOK_RAISED = re.compile(r"the (?:pre|post)-request hook raised: #(\d+)")


def _encode_body(value: Any) -> Any:
    try:
        return _dumps(value).encode()
    except ValueError as err:
        from .rest import InvalidArgumentException

        raise InvalidArgumentException(message="the request body cannot be sent: %s" % err) from None


class ApiClient(_ClientBase):
    """Blocking client: ``UsersApi(ApiClient().get_client_credentials_token(id, secret)).get_users_me()``."""

    def get_client_credentials_token(self, client_id: Any, client_secret: Any) -> Any:
        self._native.login("client_credentials", _strs(client_id, client_secret))
        return self

    def get_saml2bearer_token(self, client_id: Any, client_secret: Any, org_name: Any, assertion: Any) -> Any:
        self._native.login("saml2", _strs(client_id, client_secret, org_name, assertion))
        return self

    def get_code_authorization_token(self, client_id: Any, client_secret: Any, auth_code: Any, redirect_uri: Any) -> Any:
        return self, self._native.login("code", _strs(client_id, client_secret, auth_code, redirect_uri))

    def refresh_code_authorization_token(self, client_id: Any, client_secret: Any, refresh_token: Any) -> Any:
        return self, self._native.login("refresh", _strs(client_id, client_secret, refresh_token))

    def get_pkce_token(self, client_id: Any, code_verifier: Any, auth_code: Any, redirect_uri: Any) -> Any:
        return self, self._native.login("pkce", _strs(client_id, auth_code, code_verifier, redirect_uri))

    def call_operation(self, operation_id: Any, params: Any, headers: Any = None) -> Any:
        """Calls an operation by id with parameters keyed by spec name (the generated classes use this)."""
        call = self._prepare(operation_id, params, headers)
        try:
            reply, decoded = self._native.call(*call, False, True)
        except Exception as err:
            self._failed(err)
            raise
        return self._finish(operation_id, reply, decoded)


class AsyncApiClient(_ClientBase):
    """asyncio client: the same API classes, awaited (``await UsersApi(client).get_users_me()``)."""

    async def get_client_credentials_token(self, client_id: Any, client_secret: Any) -> Any:
        await self._native.login("client_credentials", _strs(client_id, client_secret), True)
        return self

    async def get_saml2bearer_token(self, client_id: Any, client_secret: Any, org_name: Any, assertion: Any) -> Any:
        await self._native.login("saml2", _strs(client_id, client_secret, org_name, assertion), True)
        return self

    async def get_code_authorization_token(self, client_id: Any, client_secret: Any, auth_code: Any, redirect_uri: Any) -> Any:
        return self, await self._native.login("code", _strs(client_id, client_secret, auth_code, redirect_uri), True)

    async def refresh_code_authorization_token(self, client_id: Any, client_secret: Any, refresh_token: Any) -> Any:
        return self, await self._native.login("refresh", _strs(client_id, client_secret, refresh_token), True)

    async def get_pkce_token(self, client_id: Any, code_verifier: Any, auth_code: Any, redirect_uri: Any) -> Any:
        return self, await self._native.login("pkce", _strs(client_id, auth_code, code_verifier, redirect_uri), True)

    async def call_operation(self, operation_id: Any, params: Any, headers: Any = None) -> Any:
        call = self._prepare(operation_id, params, headers)
        future, abort = self._native.call(*call, True, True)
        try:
            reply = await future
        except Exception as err:
            self._failed(err)
            raise
        except BaseException:
            abort()  # cancelled (or interrupted): stop the call, retries included
            raise
        reply, decoded = reply
        return self._finish(operation_id, reply, decoded)


def generate_pkce_code_verifier(n_bytes: Any = 128) -> Any:
    """A random PKCE verifier (43–128 characters of ``[A-Za-z0-9-._~]``, from the OS CSPRNG)."""
    return _native().generate_code_verifier(n_bytes)


def compute_pkce_code_challenge(code_verifier: Any) -> Any:
    """The S256 challenge of a verifier (base64url of SHA-256, no padding)."""
    return _native().compute_code_challenge(code_verifier)
