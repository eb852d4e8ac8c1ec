"""The tutorial's style of client, as a thin layer over :class:`ApiClient`::

    from purecore import PureCloudPlatformClientV2, UsersApi, RetryPolicy

    platform_client = PureCloudPlatformClientV2()
    platform_client.set_environment("mypurecloud.com")
    platform_client.set_retry_policy(max_retries=5, initial_delay_ms=500, max_delay_ms=10000)
    platform_client.set_authentication_timeout(10000)
    platform_client.set_log_level("debug")
    platform_client.login_client_credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)

    response = UsersApi(platform_client).get_user(user_id)
    print(response.status, response.body.id)

Each ``PureCloudPlatformClientV2`` has its own :class:`Configuration` and
:class:`ApiClient` (``platform_client.configuration``, ``platform_client.api_client``),
so it changes nothing for code that uses ``purecore.configuration`` and
``ApiClient()`` in the same process. Every behaviour (retries, which apply to
token requests too, the authentication timeout, logging) is the core's; this
module only renames settings and wraps replies in :class:`ApiResponse`.
"""

from __future__ import annotations

from typing import Any, Dict

from . import _configuration
from .api_client import ApiClient


def _config_error(message: Any) -> Any:
    from .rest import ConfigurationException

    return ConfigurationException(message=message)


def _millis(name: Any, value: Any) -> Any:
    """Milliseconds as seconds; a bad value raises ConfigurationException naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _config_error("setting '%s': expected a number of milliseconds, got %s" % (name, type(value).__name__))
    if not value >= 0 or value == float("inf"):
        raise _config_error("setting '%s': %r is not a number of milliseconds >= 0" % (name, value))
    return value / 1000.0


class RetryPolicy:
    """Which failures are retried, and how long to wait between tries (milliseconds).

    A field left as None keeps the value in force (the core's default is 3 retries,
    500 ms to 30 s, statuses 408, 429, 500, 502, 503, 504). The same policy covers
    API calls and token requests.
    """

    def __init__(self, max_retries: Any = None, initial_delay_ms: Any = None, max_delay_ms: Any = None, retry_status_codes: Any = None) -> None:
        self.max_retries = max_retries
        self.initial_delay_ms = initial_delay_ms
        self.max_delay_ms = max_delay_ms
        self.retry_status_codes = retry_status_codes

    def _settings(self) -> Any:
        out: Dict[str, Any] = {}
        if self.max_retries is not None:
            if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
                raise _config_error("setting 'max_retries': expected an integer >= 0, got %r" % (self.max_retries,))
            out["retry.max_retries"] = self.max_retries
        if self.initial_delay_ms is not None:
            out["retry.wait_min"] = _millis("initial_delay_ms", self.initial_delay_ms)
        if self.max_delay_ms is not None:
            out["retry.wait_max"] = _millis("max_delay_ms", self.max_delay_ms)
        if self.retry_status_codes is not None:
            codes = list(self.retry_status_codes)
            if not all(isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 599 for c in codes):
                raise _config_error("setting 'retry_status_codes': expected HTTP statuses (100-599), got %r" % (codes,))
            out["retry.statuses"] = codes
        return out

    def __eq__(self, other: Any) -> Any:
        return isinstance(other, RetryPolicy) and vars(self) == vars(other)

    def __repr__(self) -> Any:
        return "RetryPolicy(max_retries=%r, initial_delay_ms=%r, max_delay_ms=%r, retry_status_codes=%r)" % (
            self.max_retries,
            self.initial_delay_ms,
            self.max_delay_ms,
            self.retry_status_codes,
        )


class ApiResponse:
    """What a call through :class:`PureCloudPlatformClientV2` returns."""

    def __init__(self, body: Any, raw: Any) -> None:
        self.body = body
        self.raw = raw
        self.status = raw.status if raw is not None else None
        self.headers = raw.headers if raw is not None else {}
        self.correlation_id = raw.correlation_id if raw is not None else None

    @property
    def status_code(self) -> Any:
        return self.status

    def __repr__(self) -> Any:
        return "ApiResponse(status=%r, body=%s)" % (self.status, type(self.body).__name__)


class PureCloudPlatformClientV2:
    """A client in the tutorial's style; API classes made with it return :class:`ApiResponse`."""

    def __init__(self, configuration: Any = None) -> None:
        self.configuration = configuration if configuration is not None else _configuration.Configuration()
        self.api_client = ApiClient(self.configuration)

    # ---- settings ----

    def set_environment(self, environment: Any) -> Any:
        """A region name (``us_east_1``), a domain (``mypurecloud.com``) or an API URL."""
        self.configuration.host = environment
        return self

    def set_retry_policy(self, policy: Any = None, max_retries: Any = None, initial_delay_ms: Any = None, max_delay_ms: Any = None,
                         retry_status_codes: Any = None) -> Any:
        """Applies a :class:`RetryPolicy`, or the fields given by name (they win over ``policy``)."""
        if policy is not None and not isinstance(policy, RetryPolicy):
            raise TypeError("set_retry_policy takes a RetryPolicy, got %s" % type(policy).__name__)
        base = policy or RetryPolicy()
        merged = RetryPolicy(
            base.max_retries if max_retries is None else max_retries,
            base.initial_delay_ms if initial_delay_ms is None else initial_delay_ms,
            base.max_delay_ms if max_delay_ms is None else max_delay_ms,
            base.retry_status_codes if retry_status_codes is None else retry_status_codes,
        )
        conf: Any = self.configuration  # (_set is not in the public stub)
        conf._set(merged._settings())  # all or nothing
        return self

    def get_retry_policy(self) -> Any:
        """The policy in force, every field filled in."""
        s = self.configuration.settings()
        return RetryPolicy(
            s["retry.max_retries"],
            round(s["retry.wait_min"] * 1000),
            round(s["retry.wait_max"] * 1000),
            list(s["retry.statuses"]),
        )

    def set_authentication_timeout(self, timeout_ms: Any) -> Any:
        """Bound on one whole login or token renewal, retries included (``configuration.auth_timeout``)."""
        self.configuration.auth_timeout = _millis("timeout_ms", timeout_ms)
        return self

    def set_log_level(self, level: Any) -> Any:
        """``'trace'``, ``'debug'``, ``'error'``, ``'none'`` or a :class:`LogLevel`."""
        self.configuration.logger.log_level = level
        return self

    # ---- tokens ----

    def login_client_credentials(self, client_id: Any, client_secret: Any) -> Any:
        """Gets a token (renewed by itself). A refused login raises ``AuthenticationException``."""
        self.api_client.get_client_credentials_token(client_id, client_secret)
        return self

    def login_saml2_bearer(self, client_id: Any, client_secret: Any, org_name: Any, assertion: Any) -> Any:
        self.api_client.get_saml2bearer_token(client_id, client_secret, org_name, assertion)
        return self

    def login_code_authorization(self, client_id: Any, client_secret: Any, auth_code: Any, redirect_uri: Any) -> Any:
        """Returns the token dict (``refresh_token`` included)."""
        return self.api_client.get_code_authorization_token(client_id, client_secret, auth_code, redirect_uri)[1]

    def set_access_token(self, token: Any) -> Any:
        """Uses a token obtained elsewhere (never renewed); None or ``""`` forgets it."""
        self.configuration.access_token = token
        return self

    @property
    def access_token(self) -> Any:
        return self.api_client.access_token

    def logout(self) -> Any:
        self.api_client.logout()

    # ---- calls (the generated API classes use this) ----

    def call_operation(self, operation_id: Any, params: Any, headers: Any = None) -> Any:
        body = self.api_client.call_operation(operation_id, params, headers)
        return ApiResponse(body, self.api_client.last_response)

    def __repr__(self) -> Any:
        return "PureCloudPlatformClientV2(host=%r, logged_in=%s)" % (
            self.api_client.host,
            self.api_client.access_token is not None,
        )
