"""``Configuration``: the official settings names over the core's settings.

A Configuration holds what code set; every ``ApiClient`` made with it gets
those settings, and a later change is applied to each of them at once
(checked first: a bad value raises ``ConfigurationException`` and changes
nothing). Reading a setting gives the value in force in the first client
bound to it, config-file values included.

Creating a Configuration builds nothing and starts nothing.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Dict, Optional, Tuple, TypeVar

from ._secrets import Hidden, SettingsDict, reveal
from ._settings_schema import OFFICIAL_NAMES
from .logger import LogFormat, LogLevel


def _native() -> Any:
    from . import _purecore

    return _purecore


def _read(path: Any, setting: str) -> str:
    """A PEM file's text; a file that cannot be read raises ConfigurationException naming the setting."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError, TypeError, ValueError) as err:
        from .rest import ConfigurationException

        raise ConfigurationException(
            message="setting '%s': cannot read %r: %s" % (setting, path, getattr(err, "strerror", None) or err)
        ) from None


def _enum_value(v: Any) -> Any:
    return getattr(v, "value", v)


def _setting(
    key: str,
    to_native: Optional[Callable[[Any], Any]] = None,
    from_native: Optional[Callable[[Any], Any]] = None,
    doc: Optional[str] = None,
) -> Any:
    """A property reading and writing one core setting (dotted key)."""

    def get(self: Any) -> Any:
        value = self._config()._get(key)
        return from_native(value) if from_native else value

    def set_(self: Any, value: Any) -> None:
        self._config()._set({key: to_native(value) if to_native else value})

    return property(get, set_, doc=doc)


def _level(v: Any) -> Any:
    try:
        return LogLevel(v)
    except ValueError:
        return v


def _format(v: Any) -> Any:
    try:
        return LogFormat(v)
    except ValueError:
        return v


class _Section:
    def __init__(self, owner: Configuration) -> None:
        self._owner = owner

    def _config(self) -> Configuration:
        return self._owner




class GatewayConfiguration:
    """A gateway in front of the API and login hosts (``configuration.gateway_configuration``)."""

    def __init__(
        self,
        host: str = "",
        protocol: str = "https",
        port: Optional[int] = None,
        path_params_login: str = "",
        path_params_api: str = "",
    ) -> None:
        self.host = host
        self.protocol = protocol
        self.port = port
        self.path_params_login = path_params_login
        self.path_params_api = path_params_api

    def _to_native(self) -> Dict[str, Any]:
        return dict(vars(self))


def _gateway(v: Any) -> Optional[Dict[str, Any]]:
    if v is None:
        return None
    if isinstance(v, GatewayConfiguration):
        return v._to_native()
    if not isinstance(v, dict):
        from .rest import ConfigurationException

        raise ConfigurationException(message="setting 'gateway': expected a GatewayConfiguration, a dict or None")
    return dict(v)


def _gateway_back(v: Any) -> Optional[GatewayConfiguration]:
    if v is None:
        return None
    return GatewayConfiguration(
        v.get("host") or "",
        v.get("protocol") or "https",
        v.get("port"),
        v.get("path_params_login") or "",
        v.get("path_params_api") or "",
    )


def _host(v: Any) -> str:
    return str(_enum_value(v))


# How an official name's value becomes the setting's, and back: the words of the
# generated OFFICIAL_NAMES (core/src/config/official.rs).
_CONVERSIONS = {
    "same": (None, None),
    "host": (_host, None),
    "level": (_enum_value, _level),
    "format": (_enum_value, _format),
}


_C = TypeVar("_C", bound=type)


def _official(cls: _C) -> _C:
    """Gives ``cls`` a property per official name of the generated table that is a
    one-setting patch; the names that do more stay written in the class."""
    for name, key, conversion, doc in OFFICIAL_NAMES[cls.__name__]:
        if name in vars(cls):
            raise TypeError("%s.%s is both written and generated" % (cls.__name__, name))
        to_native, from_native = _CONVERSIONS[conversion]
        setattr(cls, name, _setting(key, to_native, from_native, doc))
    return cls


@_official
class Logger(_Section):
    """``configuration.logger``: level, format and destinations of the core's log
    (``log_level``, ``log_format``, ``log_to_console``, ``log_file_path``,
    ``log_request_body``, ``log_response_body``: generated from the core's table)."""

    sink = _setting("logging.sink", doc="callable(level, line) receiving every line (e.g. to feed `logging`)")


@_official
class RetryConfiguration(_Section):
    """``configuration.retry``: which failures are retried and how long to wait (seconds)
    (``max_retries``, ``retry_wait_min``, ``retry_wait_max``, ``max_total_wait``,
    ``statuses``, ``retry_non_idempotent``: generated from the core's table)."""

    hook = _setting("retry.hook", doc="callable(event_dict) called before each retry")


# Schema names the native settings() view spells the Python way.
_READ_AS = {"logging.log_level": "logging.level", "logging.log_format": "logging.format"}

# Settings whose value is kept here (secrets and callables are never read back).
_LOCAL = ("logging.sink", "retry.hook", "proxy", "tls.extra_ca_pem", "tls.client_cert_pem", "tls.client_key_pem")


@_official
class Configuration:
    """Settings for the clients made with it (official attribute names)."""

    def __init__(self) -> None:
        # Secrets (proxy password, TLS key, token) are kept where repr, vars() and pickle cannot show them.
        self._values = SettingsDict()
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._access_token: Optional[Hidden] = None
        self._proxy = Hidden((None, None, None))  # url (maybe with a password), username, password
        self._mtls: Tuple[Optional[str], Optional[str]] = (None, None)
        self._ssl_ca_cert: Optional[str] = None
        self.logger = Logger(self)
        self.retry = RetryConfiguration(self)

    # ---- plumbing ----

    def _config(self) -> Configuration:
        return self

    def _bind(self, client: Any) -> None:
        self._clients.add(client)

    def _get(self, key: str) -> Any:
        if key in _LOCAL:
            return self._values.get(key)
        key = _READ_AS.get(key, key)
        for client in list(self._clients):
            return client._native.settings().get(key)
        return _native().preview_settings(self._values).get(key)

    def _set(self, changes: Dict[str, Any]) -> None:
        clients = list(self._clients)
        if clients:
            for client in clients:
                client._native.configure(changes)
        else:
            transport = any(k.startswith(("tls.", "proxy")) for k in changes)
            _native().preview_settings({**self._values, **changes}, transport)
        self._values.update(changes)

    def __repr__(self) -> str:
        return "Configuration(%r)" % (self._values,)

    # ---- official names ----

    # host, should_refresh_access_token, refresh_token_wait_time, live_reload_config,
    # timeout, auth_timeout, connect_timeout, token_expiry_margin, config_poll_interval and
    # allow_insecure_http are generated (@_official); these do more than one patch:
    gateway_configuration = _setting("gateway", _gateway, _gateway_back)

    @property
    def config_file_path(self) -> Any:
        """The config file in use (default ``~/.genesyscloudpython/config`` when it exists)."""
        return self._get("config_file")

    @config_file_path.setter
    def config_file_path(self, path: Any) -> None:
        self._set({"config_file": None if path is None else str(path)})

    @property
    def access_token(self) -> Any:
        for client in list(self._clients):
            return client.access_token
        return reveal(self._access_token)

    @access_token.setter
    def access_token(self, token: Optional[str]) -> None:
        if token == "":
            token = None  # as in the official package: an empty token means none
        for client in list(self._clients):
            client.access_token = token
        self._access_token = None if token is None else Hidden(token)

    @property
    def verify_ssl(self) -> bool:
        """False only when code turned server-certificate checks off (``tls.skip_verify``)."""
        return not self._get("tls.skip_verify")

    @verify_ssl.setter
    def verify_ssl(self, value: bool) -> None:
        # An explicit opt-out, as in the official package: every client made with it
        # then accepts any server certificate, and the core logs an error-level
        # warning once per client, whatever the log level. Prefer ssl_ca_cert.
        if not isinstance(value, bool):
            from .rest import ConfigurationException

            raise ConfigurationException(message="setting 'verify_ssl': expected True or False")
        self._set({"tls.skip_verify": not value})

    @property
    def ssl_ca_cert(self) -> Optional[str]:
        return self._ssl_ca_cert

    @ssl_ca_cert.setter
    def ssl_ca_cert(self, path: Optional[str]) -> None:
        self._set({"tls.extra_ca_pem": [] if path is None else [_read(path, "ssl_ca_cert")]})
        self._ssl_ca_cert = path

    def _proxy_changed(self, url: Optional[str], username: Optional[str], password: Optional[str]) -> None:
        value = None if url is None else {"url": url, "username": username, "password": password}
        self._set({"proxy": value})
        self._proxy = Hidden((url, username, password))

    @property
    def proxy(self) -> Any:
        return self._proxy.value[0]

    @proxy.setter
    def proxy(self, url: Optional[str]) -> None:
        _, username, password = self._proxy.value
        self._proxy_changed(url, username, password)

    @property
    def proxy_username(self) -> Any:
        return self._proxy.value[1]

    @proxy_username.setter
    def proxy_username(self, name: Optional[str]) -> None:
        url, _, password = self._proxy.value
        self._proxy_changed(url, name, password)

    @property
    def proxy_password(self) -> Any:
        return self._proxy.value[2]

    @proxy_password.setter
    def proxy_password(self, password: Optional[str]) -> None:
        url, username, _ = self._proxy.value
        self._proxy_changed(url, username, password)

    def _mtls_changed(self, cert_file: Optional[str], key_file: Optional[str]) -> None:
        self._mtls = (cert_file, key_file)
        if (cert_file is None) == (key_file is None):
            self._set(
                {
                    "tls.client_cert_pem": None if cert_file is None else _read(cert_file, "cert_file"),
                    "tls.client_key_pem": None if key_file is None else _read(key_file, "key_file"),
                }
            )

    @property
    def cert_file(self) -> Optional[str]:
        return self._mtls[0]

    @cert_file.setter
    def cert_file(self, path: Optional[str]) -> None:
        self._mtls_changed(path, self._mtls[1])

    @property
    def key_file(self) -> Optional[str]:
        return self._mtls[1]

    @key_file.setter
    def key_file(self, path: Optional[str]) -> None:
        self._mtls_changed(self._mtls[0], path)

    def set_mtls_certificates(self, cert_path: str, key_path: str, ca_path: Optional[str] = None) -> None:
        """mTLS from PEM files: the client certificate, its key and (optionally) a CA to trust."""
        ca = None if ca_path is None else _read(ca_path, "ca_path")
        self._mtls_apply(_read(cert_path, "cert_path"), _read(key_path, "key_path"), ca, (cert_path, key_path), ca_path)

    def set_mtls_contents(self, cert: str, key: str, ca: Optional[str] = None) -> None:
        """mTLS from PEM texts: the client certificate, its key and (optionally) a CA to trust."""
        self._mtls_apply(cert, key, ca, (None, None), None)

    def _mtls_apply(
        self,
        cert: Any,
        key: Any,
        ca: Optional[str],
        paths: Tuple[Optional[str], Optional[str]],
        ca_path: Optional[str],
    ) -> None:
        for what, value in (("certificate", cert), ("key", key)):
            if not isinstance(value, str):
                from .rest import ConfigurationException

                raise ConfigurationException(message="mTLS: the client %s is required (PEM text)" % what)
        changes = {"tls.client_cert_pem": cert, "tls.client_key_pem": key}
        if ca is not None:
            changes["tls.extra_ca_pem"] = [ca]
        self._set(changes)
        self._mtls = paths
        if ca is not None:
            self._ssl_ca_cert = ca_path

    def settings(self) -> Any:
        """Every setting in force, as the core sees it: secrets (proxy password, TLS key,
        tokens, credential header values) are left out."""
        for client in list(self._clients):
            return client._native.settings()
        return _native().preview_settings(self._values)
