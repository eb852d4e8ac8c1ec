// Code generated from purecore's settings schema (core/src/config/schema.rs by core/tests/settings_declarations.rs). DO NOT EDIT.

/**
 * A change of settings for `ApiClient.applyConfig`: purecore's setting names to values
 * (durations in seconds); `null` restores the default. Sections may also be nested
 * objects (`{retry: {max_retries: 5}}`).
 */
export interface SettingsPatch {
  /** Where calls go: a region name (eu_west_1), a domain (mypurecloud.ie), an api./login. host, or a URL. Unit: string. Default: "mypurecloud.com". Allowed: a string. Config file: [general] host. Environment: PURECORE_ENVIRONMENT. */
  'environment'?: string | null;
  /** Route every call through this gateway host; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [gateway] host. Environment: PURECORE_GATEWAY_HOST. */
  'gateway.host'?: string | null;
  /** The gateway's scheme. Unit: enum. Default: "https". Allowed: one of https, http. Config file: [gateway] protocol. Environment: PURECORE_GATEWAY_PROTOCOL. */
  'gateway.protocol'?: 'https' | 'http' | null;
  /** The gateway's port; 0 for the scheme's default. Unit: count. Default: 0. Allowed: a whole number from 0 to 65535. Config file: [gateway] port. Environment: PURECORE_GATEWAY_PORT. */
  'gateway.port'?: number | null;
  /** Path prefix of token requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_login. Environment: PURECORE_GATEWAY_PATH_PARAMS_LOGIN. */
  'gateway.path_params_login'?: string | null;
  /** Path prefix of API requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_api. Environment: PURECORE_GATEWAY_PATH_PARAMS_API. */
  'gateway.path_params_api'?: string | null;
  /** Allow plain http:// to hosts other than loopback. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_ALLOW_INSECURE_HTTP. */
  'allow_insecure_http'?: boolean | null;
  /** Timeout of one API request. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_TIMEOUT. */
  'timeout'?: number | null;
  /** Bound on a whole login or refresh: every token request, retry and wait. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_AUTH_TIMEOUT. */
  'auth_timeout'?: number | null;
  /** Timeout of making one connection. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONNECT_TIMEOUT. */
  'connect_timeout'?: number | null;
  /** Retries after the first try; 0 turns retrying off. Unit: count. Default: 3. Allowed: a whole number from 0 to 100. Config file: [retry] retry_max. Environment: PURECORE_RETRY_MAX_RETRIES. */
  'retry.max_retries'?: number | null;
  /** First backoff wait, and the floor of every wait. Unit: seconds. Default: 0.5. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_min. Environment: PURECORE_RETRY_WAIT_MIN. */
  'retry.wait_min'?: number | null;
  /** Largest backoff wait (Retry-After is never shortened). Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_max. Environment: PURECORE_RETRY_WAIT_MAX. */
  'retry.wait_max'?: number | null;
  /** Cap on the sum of all waits of one call. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_RETRY_MAX_TOTAL_WAIT. */
  'retry.max_total_wait'?: number | null;
  /** HTTP statuses that may be retried. Unit: statuses. Default: [408, 429, 500, 502, 503, 504]. Allowed: a list of HTTP statuses from 100 to 599. Environment: PURECORE_RETRY_STATUSES. */
  'retry.statuses'?: number[] | null;
  /** Also retry POST and PATCH on 5xx replies and read errors. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_RETRY_RETRY_NON_IDEMPOTENT. */
  'retry.retry_non_idempotent'?: boolean | null;
  /** Renew tokens by themselves, before expiry and on a 401. Unit: bool. Default: true. Allowed: true or false. Config file: [reauthentication] refresh_access_token. Environment: PURECORE_REFRESH_REFRESH_ACCESS_TOKEN. */
  'refresh.refresh_access_token'?: boolean | null;
  /** How long a call waits for another call's refresh. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Config file: [reauthentication] refresh_token_wait_max. Environment: PURECORE_REFRESH_REFRESH_TOKEN_WAIT_MAX. */
  'refresh.refresh_token_wait_max'?: number | null;
  /** Renew a token this long before it expires. Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_REFRESH_EXPIRY_MARGIN. */
  'refresh.expiry_margin'?: number | null;
  /** How much is logged: trace > debug > error > none. Unit: enum. Default: "none". Allowed: one of trace, debug, error, none. Config file: [logging] log_level. Environment: PURECORE_LOGGING_LOG_LEVEL. */
  'logging.log_level'?: 'trace' | 'debug' | 'error' | 'none' | null;
  /** Log lines as text or JSON. Unit: enum. Default: "text". Allowed: one of text, json. Config file: [logging] log_format. Environment: PURECORE_LOGGING_LOG_FORMAT. */
  'logging.log_format'?: 'text' | 'json' | null;
  /** Write log lines to stderr. Unit: bool. Default: true. Allowed: true or false. Config file: [logging] log_to_console. Environment: PURECORE_LOGGING_LOG_TO_CONSOLE. */
  'logging.log_to_console'?: boolean | null;
  /** Append log lines to this file; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [logging] log_file_path. Environment: PURECORE_LOGGING_LOG_FILE_PATH. */
  'logging.log_file_path'?: string | null;
  /** Log request bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_request_body. Environment: PURECORE_LOGGING_LOG_REQUEST_BODY. */
  'logging.log_request_body'?: boolean | null;
  /** Log response bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_response_body. Environment: PURECORE_LOGGING_LOG_RESPONSE_BODY. */
  'logging.log_response_body'?: boolean | null;
  /** Send every request through this proxy (http://host:port); empty for none (HTTPS_PROXY/NO_PROXY apply). Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_URL. */
  'proxy.url'?: string | null;
  /** The proxy's user name; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_USERNAME. */
  'proxy.username'?: string | null;
  /** The proxy's password; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_PROXY_PASSWORD. */
  'proxy.password'?: string | null;
  /** Accept any server certificate: for test rigs only, logged as an error. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_TLS_SKIP_VERIFY. */
  'tls.skip_verify'?: boolean | null;
  /** CA certificates (PEM) trusted besides the system and Mozilla roots. Unit: strings. Default: []. Allowed: a list of strings. Environment: PURECORE_TLS_EXTRA_CA_PEM. */
  'tls.extra_ca_pem'?: string[] | null;
  /** Client certificate chain (PEM) for mTLS; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_CERT_PEM. */
  'tls.client_cert_pem'?: string | null;
  /** Client private key (PEM) for mTLS; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_KEY_PEM. */
  'tls.client_key_pem'?: string | null;
  /** Headers sent with every request (per-call headers override them). Unit: headers. Default: {}. Allowed: an object of header names to string values. Environment: PURECORE_DEFAULT_HEADERS. */
  'default_headers'?: Record<string, string> | null;
  /** Appended to purecore/<version> in the User-Agent; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_USER_AGENT_SUFFIX. */
  'user_agent_suffix'?: string | null;
  /** Host language name of the default config path ~/.genesyscloud<language>/config. Unit: string. Default: "rust". Allowed: a string. Environment: PURECORE_HOST_LANGUAGE. */
  'host_language'?: string | null;
  /** The config file: "none", "default" (~/.genesyscloud<language>/config when it exists) or a path. Unit: string. Default: "none". Allowed: a string. Environment: PURECORE_CONFIG_FILE. */
  'config_file'?: string | null;
  /** Watch the config file and apply its changes. Unit: bool. Default: true. Allowed: true or false. Config file: [general] live_reload_config. Environment: PURECORE_LIVE_RELOAD_CONFIG. */
  'live_reload_config'?: boolean | null;
  /** How often the config file is checked for changes. Unit: seconds. Default: 1. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONFIG_POLL_INTERVAL. */
  'config_poll_interval'?: number | null;
  /** The largest body of a successful (2xx) API reply. Unit: bytes. Default: 268435456. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_response_body_bytes. Environment: PURECORE_MAX_RESPONSE_BODY_BYTES. */
  'max_response_body_bytes'?: number | null;
  /** The largest body of an unsuccessful API reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_error_body_bytes. Environment: PURECORE_MAX_ERROR_BODY_BYTES. */
  'max_error_body_bytes'?: number | null;
  /** The largest body of a token reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_token_response_bytes. Environment: PURECORE_MAX_TOKEN_RESPONSE_BYTES. */
  'max_token_response_bytes'?: number | null;
  /** Where tokens are shared: memory (this client), file:PATH (one host) or redis://user:pass@host:port/db, rediss:// for TLS. Unit: string. Default: "memory". Allowed: a string. Config file: [general] token_store. Environment: PURECORE_TOKEN_STORE. */
  'token_store'?: string | null;
  /** Pace calls by each token's rate budget: off, local (this process) or shared (every process, through Redis). Unit: enum. Default: "local". Allowed: one of off, local, shared. Config file: [general] rate_limit. Environment: PURECORE_RATE_LIMIT. */
  'rate_limit'?: 'off' | 'local' | 'shared' | null;
  /** The longest a call waits for rate budget; past it the call fails with rate_limited, unsent. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Config file: [general] rate_limit_wait_max. Environment: PURECORE_RATE_LIMIT_WAIT_MAX. */
  'rate_limit_wait_max'?: number | null;
  /** The redis:// or rediss:// URL where rate_limit = shared keeps the budget; empty: the token_store's, when it is Redis. Unit: secret. Default: "". Allowed: a string. Config file: [general] rate_limit_store. Environment: PURECORE_RATE_LIMIT_STORE. */
  'rate_limit_store'?: string | null;
}

/** Every setting's current value (`ApiClient.settings`), plus the effective bases and config file. */
export type SettingValues = { readonly [K in keyof SettingsPatch]-?: Exclude<SettingsPatch[K], null | undefined> } & {
  readonly api_base: string;
  readonly login_base: string;
  readonly config_path: string | null;
};
