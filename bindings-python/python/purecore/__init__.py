"""purecore: a Genesys Cloud Platform API client on a Rust core.

Drop-in for PureCloudPlatformClientV2::

    import purecore as PureCloudPlatformClientV2

Importing builds and starts nothing: the native module, API classes and
models load on first use, and the runtime starts with the first call.
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any as _Any, List as _List

__version__ = "0.1.0"

_SUBMODULES = ("api_client", "rest", "logger", "models", "purecloud_region_hosts", "platform_client")

_FACADE = {
    "ApiClient": "api_client",
    "AsyncApiClient": "api_client",
    "HttpClient": "api_client",
    "HttpRequestOptions": "api_client",
    "generate_pkce_code_verifier": "api_client",
    "compute_pkce_code_challenge": "api_client",
    "Configuration": "_configuration",
    "GatewayConfiguration": "_configuration",
    "RetryConfiguration": "_configuration",
    "PureCloudRegionHosts": "purecloud_region_hosts",
    "LogLevel": "logger",
    "LogFormat": "logger",
    "RESTResponse": "rest",
    "ApiException": "rest",
    "AuthenticationException": "rest",
    "RateLimitException": "rest",
    "TimeoutException": "rest",
    "ConnectionException": "rest",
    "InvalidArgumentException": "rest",
    "ConfigurationException": "rest",
    "DecodingException": "rest",
    "InternalException": "rest",
    "PureCloudPlatformClientV2": "platform_client",
    "RetryPolicy": "platform_client",
    "ApiResponse": "platform_client",
}


def __getattr__(name: str) -> _Any:
    if name.startswith("_"):
        # Private submodules (_generated, _purecore) are imported, never looked up here.
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    if name == "configuration":
        value = _importlib.import_module("._configuration", __name__).Configuration()
    elif name in _SUBMODULES:
        value = _importlib.import_module("." + name, __name__)
    elif name in _FACADE:
        value = getattr(_importlib.import_module("." + _FACADE[name], __name__), name)
    else:
        generated = _importlib.import_module("._generated", __name__)
        if name in generated._MODULES:
            value = getattr(generated, name)
        else:
            try:
                value = getattr(_importlib.import_module(".models", __name__), name)
            except AttributeError:
                import sys

                from ._suggest import missing

                raise missing(__name__, name, sys._getframe(1)) from None
    globals()[name] = value
    return value


def __dir__() -> _List[str]:
    from ._generated import _MODULES  # type: ignore[attr-defined]  # (not in the public stub)

    return sorted(set(globals()) | set(_FACADE) | set(_SUBMODULES) | set(_MODULES) | {"configuration"})
