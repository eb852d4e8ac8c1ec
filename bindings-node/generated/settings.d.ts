// Code generated from purecore's settings schema (core/src/config/schema.rs by core/tests/settings_declarations.rs). DO NOT EDIT.

/**
 * A change of settings for `ApiClient.applyConfig`: purecore's setting names to values
 * (durations in seconds); `null` restores the default. Sections may also be nested
 * objects (`{retry: {max_retries: 5}}`).
 */
export interface SettingsPatch {
  /** Where calls go: a region name (eu_west_1), a domain (mypurecloud.ie), an api./login. host, or a URL. Unit: string. Default: "mypurecloud.com". Allowed: a string. Config file: [general] host. */
  'environment'?: string | null;
  /** Route every call through this gateway host; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [gateway] host. */
  'gateway.host'?: string | null;
  /** The gateway's scheme. Unit: enum. Default: "https". Allowed: one of https, http. Config file: [gateway] protocol. */
  'gateway.protocol'?: 'https' | 'http' | null;
  /** The gateway's port; 0 for the scheme's default. Unit: count. Default: 0. Allowed: a whole number from 0 to 65535. Config file: [gateway] port. */
  'gateway.port'?: number | null;
  /** Path prefix of token requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_login. */
  'gateway.path_params_login'?: string | null;
  /** Path prefix of API requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_api. */
  'gateway.path_params_api'?: string | null;
  /** Allow plain http:// to hosts other than loopback. Unit: bool. Default: false. Allowed: true or false. */
  'allow_insecure_http'?: boolean | null;
  /** Timeout of one API request. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. */
  'timeout'?: number | null;
  /** Bound on a whole login or refresh: every token request, retry and wait. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. */
  'auth_timeout'?: number | null;
  /** Timeout of making one connection. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. */
  'connect_timeout'?: number | null;
  /** Retries after the first try; 0 turns retrying off. Unit: count. Default: 3. Allowed: a whole number from 0 to 100. Config file: [retry] retry_max. */
  'retry.max_retries'?: number | null;
  /** First backoff wait, and the floor of every wait. Unit: seconds. Default: 0.5. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_min. */
  'retry.wait_min'?: number | null;
  /** Largest backoff wait (Retry-After is never shortened). Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_max. */
  'retry.wait_max'?: number | null;
  /** Cap on the sum of all waits of one call. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. */
  'retry.max_total_wait'?: number | null;
  /** HTTP statuses that may be retried. Unit: statuses. Default: [408, 429, 500, 502, 503, 504]. Allowed: a list of HTTP statuses from 100 to 599. */
  'retry.statuses'?: number[] | null;
  /** Also retry POST and PATCH on 5xx replies and read errors. Unit: bool. Default: false. Allowed: true or false. */
  'retry.retry_non_idempotent'?: boolean | null;
  /** Renew tokens by themselves, before expiry and on a 401. Unit: bool. Default: true. Allowed: true or false. Config file: [reauthentication] refresh_access_token. */
  'refresh.refresh_access_token'?: boolean | null;
  /** How long a call waits for another call's refresh. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Config file: [reauthentication] refresh_token_wait_max. */
  'refresh.refresh_token_wait_max'?: number | null;
  /** Renew a token this long before it expires. Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. */
  'refresh.expiry_margin'?: number | null;
  /** How much is logged: trace > debug > error > none. Unit: enum. Default: "none". Allowed: one of trace, debug, error, none. Config file: [logging] log_level. */
  'logging.log_level'?: 'trace' | 'debug' | 'error' | 'none' | null;
  /** Log lines as text or JSON. Unit: enum. Default: "text". Allowed: one of text, json. Config file: [logging] log_format. */
  'logging.log_format'?: 'text' | 'json' | null;
  /** Write log lines to stderr. Unit: bool. Default: true. Allowed: true or false. Config file: [logging] log_to_console. */
  'logging.log_to_console'?: boolean | null;
  /** Append log lines to this file; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [logging] log_file_path. */
  'logging.log_file_path'?: string | null;
  /** Log request bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_request_body. */
  'logging.log_request_body'?: boolean | null;
  /** Log response bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_response_body. */
  'logging.log_response_body'?: boolean | null;
  /** Send every request through this proxy (http://host:port); empty for none (HTTPS_PROXY/NO_PROXY apply). Unit: string. Default: "". Allowed: a string. */
  'proxy.url'?: string | null;
  /** The proxy's user name; empty for none. Unit: string. Default: "". Allowed: a string. */
  'proxy.username'?: string | null;
  /** The proxy's password; empty for none. Unit: secret. Default: "". Allowed: a string. */
  'proxy.password'?: string | null;
  /** Accept any server certificate: for test rigs only, logged as an error. Unit: bool. Default: false. Allowed: true or false. */
  'tls.skip_verify'?: boolean | null;
  /** CA certificates (PEM) trusted besides the system and Mozilla roots. Unit: strings. Default: []. Allowed: a list of strings. */
  'tls.extra_ca_pem'?: string[] | null;
  /** Client certificate chain (PEM) for mTLS; empty for none. Unit: string. Default: "". Allowed: a string. */
  'tls.client_cert_pem'?: string | null;
  /** Client private key (PEM) for mTLS; empty for none. Unit: secret. Default: "". Allowed: a string. */
  'tls.client_key_pem'?: string | null;
  /** Headers sent with every request (per-call headers override them). Unit: headers. Default: {}. Allowed: an object of header names to string values. */
  'default_headers'?: Record<string, string> | null;
  /** Appended to purecore/<version> in the User-Agent; empty for none. Unit: string. Default: "". Allowed: a string. */
  'user_agent_suffix'?: string | null;
  /** Host language name of the default config path ~/.genesyscloud<language>/config. Unit: string. Default: "rust". Allowed: a string. */
  'host_language'?: string | null;
  /** The config file: "none", "default" (~/.genesyscloud<language>/config when it exists) or a path. Unit: string. Default: "none". Allowed: a string. */
  'config_file'?: string | null;
  /** Watch the config file and apply its changes. Unit: bool. Default: true. Allowed: true or false. Config file: [general] live_reload_config. */
  'live_reload_config'?: boolean | null;
  /** How often the config file is checked for changes. Unit: seconds. Default: 1. Allowed: a number of seconds from 0 to 10000000. */
  'config_poll_interval'?: number | null;
  /** The largest body of a successful (2xx) API reply. Unit: bytes. Default: 268435456. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_response_body_bytes. */
  'max_response_body_bytes'?: number | null;
  /** The largest body of an unsuccessful API reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_error_body_bytes. */
  'max_error_body_bytes'?: number | null;
  /** The largest body of a token reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_token_response_bytes. */
  'max_token_response_bytes'?: number | null;
  /** Pace calls by each token's rate budget: off, local (this process) or shared (every process, through Redis). Unit: enum. Default: "local". Allowed: one of off, local, shared. Config file: [general] rate_limit. */
  'rate_limit'?: 'off' | 'local' | 'shared' | null;
  /** The longest a call waits for rate budget; past it the call fails with rate_limited, unsent. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Config file: [general] rate_limit_wait_max. */
  'rate_limit_wait_max'?: number | null;
  /** The redis:// or rediss:// URL where rate_limit = shared keeps the budget; empty for none. Unit: secret. Default: "". Allowed: a string. Config file: [general] rate_limit_store. */
  'rate_limit_store'?: string | null;
}

/** Every setting's current value (`ApiClient.settings`), plus the effective bases and config file. */
export type SettingValues = { readonly [K in keyof SettingsPatch]-?: Exclude<SettingsPatch[K], null | undefined> } & {
  readonly api_base: string;
  readonly login_base: string;
  readonly config_path: string | null;
};
