# Code generated from purecore's settings schema (core/src/config/schema.rs by core/tests/settings_declarations.rs). DO NOT EDIT.
"""The settings `ApiClient.apply_config` takes: purecore's setting names to values
(durations in seconds; None restores the default)."""

from typing import Dict, List, Literal, Optional, TypedDict, Union

SettingsPatch = TypedDict(
    "SettingsPatch",
    {
        # Where calls go: a region name (eu_west_1), a domain (mypurecloud.ie), an api./login. host, or a URL. Unit: string. Default: "mypurecloud.com". Allowed: a string. Config file: [general] host. Environment: PURECORE_ENVIRONMENT.
        "environment": Optional[str],
        # Route every call through this gateway host; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [gateway] host. Environment: PURECORE_GATEWAY_HOST.
        "gateway.host": Optional[str],
        # The gateway's scheme. Unit: enum. Default: "https". Allowed: one of https, http. Config file: [gateway] protocol. Environment: PURECORE_GATEWAY_PROTOCOL.
        "gateway.protocol": Optional[Literal['https', 'http']],
        # The gateway's port; 0 for the scheme's default. Unit: count. Default: 0. Allowed: a whole number from 0 to 65535. Config file: [gateway] port. Environment: PURECORE_GATEWAY_PORT.
        "gateway.port": Optional[int],
        # Path prefix of token requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_login. Environment: PURECORE_GATEWAY_PATH_PARAMS_LOGIN.
        "gateway.path_params_login": Optional[str],
        # Path prefix of API requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_api. Environment: PURECORE_GATEWAY_PATH_PARAMS_API.
        "gateway.path_params_api": Optional[str],
        # Allow plain http:// to hosts other than loopback. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_ALLOW_INSECURE_HTTP.
        "allow_insecure_http": Optional[bool],
        # Timeout of one API request. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_TIMEOUT.
        "timeout": Optional[Union[int, float]],
        # Bound on a whole login or refresh: every token request, retry and wait. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_AUTH_TIMEOUT.
        "auth_timeout": Optional[Union[int, float]],
        # Timeout of making one connection. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONNECT_TIMEOUT.
        "connect_timeout": Optional[Union[int, float]],
        # Retries after the first try; 0 turns retrying off. Unit: count. Default: 3. Allowed: a whole number from 0 to 100. Config file: [retry] retry_max. Environment: PURECORE_RETRY_MAX_RETRIES.
        "retry.max_retries": Optional[int],
        # First backoff wait, and the floor of every wait. Unit: seconds. Default: 0.5. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_min. Environment: PURECORE_RETRY_WAIT_MIN.
        "retry.wait_min": Optional[Union[int, float]],
        # Largest backoff wait (Retry-After is never shortened). Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_max. Environment: PURECORE_RETRY_WAIT_MAX.
        "retry.wait_max": Optional[Union[int, float]],
        # Cap on the sum of all waits of one call. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_RETRY_MAX_TOTAL_WAIT.
        "retry.max_total_wait": Optional[Union[int, float]],
        # HTTP statuses that may be retried. Unit: statuses. Default: [408, 429, 500, 502, 503, 504]. Allowed: a list of HTTP statuses from 100 to 599. Environment: PURECORE_RETRY_STATUSES.
        "retry.statuses": Optional[List[int]],
        # Also retry POST and PATCH on 5xx replies and read errors. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_RETRY_RETRY_NON_IDEMPOTENT.
        "retry.retry_non_idempotent": Optional[bool],
        # Renew tokens by themselves, before expiry and on a 401. Unit: bool. Default: true. Allowed: true or false. Config file: [reauthentication] refresh_access_token. Environment: PURECORE_REFRESH_REFRESH_ACCESS_TOKEN.
        "refresh.refresh_access_token": Optional[bool],
        # How long a call waits for another call's refresh. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Config file: [reauthentication] refresh_token_wait_max. Environment: PURECORE_REFRESH_REFRESH_TOKEN_WAIT_MAX.
        "refresh.refresh_token_wait_max": Optional[Union[int, float]],
        # Renew a token this long before it expires. Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_REFRESH_EXPIRY_MARGIN.
        "refresh.expiry_margin": Optional[Union[int, float]],
        # How much is logged: trace > debug > error > none. Unit: enum. Default: "none". Allowed: one of trace, debug, error, none. Config file: [logging] log_level. Environment: PURECORE_LOGGING_LOG_LEVEL.
        "logging.log_level": Optional[Literal['trace', 'debug', 'error', 'none']],
        # Log lines as text or JSON. Unit: enum. Default: "text". Allowed: one of text, json. Config file: [logging] log_format. Environment: PURECORE_LOGGING_LOG_FORMAT.
        "logging.log_format": Optional[Literal['text', 'json']],
        # Write log lines to stderr. Unit: bool. Default: true. Allowed: true or false. Config file: [logging] log_to_console. Environment: PURECORE_LOGGING_LOG_TO_CONSOLE.
        "logging.log_to_console": Optional[bool],
        # Append log lines to this file; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [logging] log_file_path. Environment: PURECORE_LOGGING_LOG_FILE_PATH.
        "logging.log_file_path": Optional[str],
        # Log request bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_request_body. Environment: PURECORE_LOGGING_LOG_REQUEST_BODY.
        "logging.log_request_body": Optional[bool],
        # Log response bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_response_body. Environment: PURECORE_LOGGING_LOG_RESPONSE_BODY.
        "logging.log_response_body": Optional[bool],
        # Send every request through this proxy (http://host:port); empty for none (HTTPS_PROXY/NO_PROXY apply). Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_URL.
        "proxy.url": Optional[str],
        # The proxy's user name; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_USERNAME.
        "proxy.username": Optional[str],
        # The proxy's password; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_PROXY_PASSWORD.
        "proxy.password": Optional[str],
        # Accept any server certificate: for test rigs only, logged as an error. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_TLS_SKIP_VERIFY.
        "tls.skip_verify": Optional[bool],
        # CA certificates (PEM) trusted besides the system and Mozilla roots. Unit: strings. Default: []. Allowed: a list of strings. Environment: PURECORE_TLS_EXTRA_CA_PEM.
        "tls.extra_ca_pem": Optional[List[str]],
        # Client certificate chain (PEM) for mTLS; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_CERT_PEM.
        "tls.client_cert_pem": Optional[str],
        # Client private key (PEM) for mTLS; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_KEY_PEM.
        "tls.client_key_pem": Optional[str],
        # Headers sent with every request (per-call headers override them). Unit: headers. Default: {}. Allowed: an object of header names to string values. Environment: PURECORE_DEFAULT_HEADERS.
        "default_headers": Optional[Dict[str, str]],
        # Appended to purecore/<version> in the User-Agent; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_USER_AGENT_SUFFIX.
        "user_agent_suffix": Optional[str],
        # Host language name of the default config path ~/.genesyscloud<language>/config. Unit: string. Default: "rust". Allowed: a string. Environment: PURECORE_HOST_LANGUAGE.
        "host_language": Optional[str],
        # The config file: "none", "default" (~/.genesyscloud<language>/config when it exists) or a path. Unit: string. Default: "none". Allowed: a string. Environment: PURECORE_CONFIG_FILE.
        "config_file": Optional[str],
        # Watch the config file and apply its changes. Unit: bool. Default: true. Allowed: true or false. Config file: [general] live_reload_config. Environment: PURECORE_LIVE_RELOAD_CONFIG.
        "live_reload_config": Optional[bool],
        # How often the config file is checked for changes. Unit: seconds. Default: 1. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONFIG_POLL_INTERVAL.
        "config_poll_interval": Optional[Union[int, float]],
        # The largest body of a successful (2xx) API reply. Unit: bytes. Default: 268435456. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_response_body_bytes. Environment: PURECORE_MAX_RESPONSE_BODY_BYTES.
        "max_response_body_bytes": Optional[int],
        # The largest body of an unsuccessful API reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_error_body_bytes. Environment: PURECORE_MAX_ERROR_BODY_BYTES.
        "max_error_body_bytes": Optional[int],
        # The largest body of a token reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_token_response_bytes. Environment: PURECORE_MAX_TOKEN_RESPONSE_BYTES.
        "max_token_response_bytes": Optional[int],
        # Where tokens are shared: memory (this client), file:PATH (one host) or redis://user:pass@host:port/db, rediss:// for TLS. Unit: string. Default: "memory". Allowed: a string. Config file: [general] token_store. Environment: PURECORE_TOKEN_STORE.
        "token_store": Optional[str],
        # Pace calls by each token's rate budget: off, local (this process) or shared (every process, through Redis). Unit: enum. Default: "local". Allowed: one of off, local, shared. Config file: [general] rate_limit. Environment: PURECORE_RATE_LIMIT.
        "rate_limit": Optional[Literal['off', 'local', 'shared']],
        # The longest a call waits for rate budget; past it the call fails with rate_limited, unsent. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Config file: [general] rate_limit_wait_max. Environment: PURECORE_RATE_LIMIT_WAIT_MAX.
        "rate_limit_wait_max": Optional[Union[int, float]],
        # The redis:// or rediss:// URL where rate_limit = shared keeps the budget; empty: the token_store's, when it is Redis. Unit: secret. Default: "". Allowed: a string. Config file: [general] rate_limit_store. Environment: PURECORE_RATE_LIMIT_STORE.
        "rate_limit_store": Optional[str],
    },
    total=False,
)

#: Every setting name, in the order a patch applies them.
SETTING_NAMES = (
    "environment",
    "gateway.host",
    "gateway.protocol",
    "gateway.port",
    "gateway.path_params_login",
    "gateway.path_params_api",
    "allow_insecure_http",
    "timeout",
    "auth_timeout",
    "connect_timeout",
    "retry.max_retries",
    "retry.wait_min",
    "retry.wait_max",
    "retry.max_total_wait",
    "retry.statuses",
    "retry.retry_non_idempotent",
    "refresh.refresh_access_token",
    "refresh.refresh_token_wait_max",
    "refresh.expiry_margin",
    "logging.log_level",
    "logging.log_format",
    "logging.log_to_console",
    "logging.log_file_path",
    "logging.log_request_body",
    "logging.log_response_body",
    "proxy.url",
    "proxy.username",
    "proxy.password",
    "tls.skip_verify",
    "tls.extra_ca_pem",
    "tls.client_cert_pem",
    "tls.client_key_pem",
    "default_headers",
    "user_agent_suffix",
    "host_language",
    "config_file",
    "live_reload_config",
    "config_poll_interval",
    "max_response_body_bytes",
    "max_error_body_bytes",
    "max_token_response_bytes",
    "token_store",
    "rate_limit",
    "rate_limit_wait_max",
    "rate_limit_store",
)

#: The official names that are one-setting patches, by the class holding them:
#: (official name, setting, conversion, doc). _configuration.py makes a property of each.
OFFICIAL_NAMES = {
    "Configuration": (
        ("host", "environment", "host", "API base URL, region domain or region name."),
        ("should_refresh_access_token", "refresh.refresh_access_token", "same", "Renew tokens by themselves, before expiry and on a 401."),
        ("refresh_token_wait_time", "refresh.refresh_token_wait_max", "same", "How long a call waits for another call's refresh."),
        ("live_reload_config", "live_reload_config", "same", "Watch the config file and apply its changes."),
        ("timeout", "timeout", "same", "Timeout of one API request."),
        ("auth_timeout", "auth_timeout", "same", "Bound on a whole login or refresh: every token request, retry and wait."),
        ("connect_timeout", "connect_timeout", "same", "Timeout of making one connection."),
        ("token_expiry_margin", "refresh.expiry_margin", "same", "Renew a token this long before it expires."),
        ("config_poll_interval", "config_poll_interval", "same", "How often the config file is checked for changes."),
        ("allow_insecure_http", "allow_insecure_http", "same", "Allow plain http:// to hosts other than loopback."),
    ),
    "Logger": (
        ("log_level", "logging.log_level", "level", "LogLevel or 'trace'|'debug'|'error'|'none'."),
        ("log_format", "logging.log_format", "format", "LogFormat or 'text'|'json'."),
        ("log_to_console", "logging.log_to_console", "same", "Write log lines to stderr."),
        ("log_file_path", "logging.log_file_path", "same", "Append log lines to this file; empty for none."),
        ("log_request_body", "logging.log_request_body", "same", "Log request bodies (secrets are always redacted)."),
        ("log_response_body", "logging.log_response_body", "same", "Log response bodies (secrets are always redacted)."),
    ),
    "RetryConfiguration": (
        ("max_retries", "retry.max_retries", "same", "Retries after the first try; 0 turns retrying off."),
        ("retry_wait_min", "retry.wait_min", "same", "First backoff wait, and the floor of every wait."),
        ("retry_wait_max", "retry.wait_max", "same", "Largest backoff wait (Retry-After is never shortened)."),
        ("max_total_wait", "retry.max_total_wait", "same", "Cap on the sum of all waits of one call."),
        ("statuses", "retry.statuses", "same", "HTTP statuses that may be retried."),
        ("retry_non_idempotent", "retry.retry_non_idempotent", "same", "Also retry POST and PATCH on 5xx replies and read errors."),
    ),
}
