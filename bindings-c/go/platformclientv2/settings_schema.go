// Code generated from purecore's settings schema (core/src/config/schema.rs by core/tests/settings_declarations.rs). DO NOT EDIT.

package platformclientv2

// The names of purecore's settings, for Configuration.ApplySettings (durations in
// seconds; nil restores the default).
const (
	// SettingEnvironment is environment: Where calls go: a region name (eu_west_1), a domain (mypurecloud.ie), an api./login. host, or a URL. Unit: string. Default: "mypurecloud.com". Allowed: a string. Config file: [general] host. Environment: PURECORE_ENVIRONMENT.
	SettingEnvironment = "environment"
	// SettingGatewayHost is gateway.host: Route every call through this gateway host; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [gateway] host. Environment: PURECORE_GATEWAY_HOST.
	SettingGatewayHost = "gateway.host"
	// SettingGatewayProtocol is gateway.protocol: The gateway's scheme. Unit: enum. Default: "https". Allowed: one of https, http. Config file: [gateway] protocol. Environment: PURECORE_GATEWAY_PROTOCOL.
	SettingGatewayProtocol = "gateway.protocol"
	// SettingGatewayPort is gateway.port: The gateway's port; 0 for the scheme's default. Unit: count. Default: 0. Allowed: a whole number from 0 to 65535. Config file: [gateway] port. Environment: PURECORE_GATEWAY_PORT.
	SettingGatewayPort = "gateway.port"
	// SettingGatewayPathParamsLogin is gateway.path_params_login: Path prefix of token requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_login. Environment: PURECORE_GATEWAY_PATH_PARAMS_LOGIN.
	SettingGatewayPathParamsLogin = "gateway.path_params_login"
	// SettingGatewayPathParamsApi is gateway.path_params_api: Path prefix of API requests through the gateway. Unit: string. Default: "". Allowed: a string. Config file: [gateway] path_params_api. Environment: PURECORE_GATEWAY_PATH_PARAMS_API.
	SettingGatewayPathParamsApi = "gateway.path_params_api"
	// SettingAllowInsecureHttp is allow_insecure_http: Allow plain http:// to hosts other than loopback. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_ALLOW_INSECURE_HTTP.
	SettingAllowInsecureHttp = "allow_insecure_http"
	// SettingTimeout is timeout: Timeout of one API request. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_TIMEOUT.
	SettingTimeout = "timeout"
	// SettingAuthTimeout is auth_timeout: Bound on a whole login or refresh: every token request, retry and wait. Unit: seconds. Default: 16. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_AUTH_TIMEOUT.
	SettingAuthTimeout = "auth_timeout"
	// SettingConnectTimeout is connect_timeout: Timeout of making one connection. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONNECT_TIMEOUT.
	SettingConnectTimeout = "connect_timeout"
	// SettingRetryMaxRetries is retry.max_retries: Retries after the first try; 0 turns retrying off. Unit: count. Default: 3. Allowed: a whole number from 0 to 100. Config file: [retry] retry_max. Environment: PURECORE_RETRY_MAX_RETRIES.
	SettingRetryMaxRetries = "retry.max_retries"
	// SettingRetryWaitMin is retry.wait_min: First backoff wait, and the floor of every wait. Unit: seconds. Default: 0.5. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_min. Environment: PURECORE_RETRY_WAIT_MIN.
	SettingRetryWaitMin = "retry.wait_min"
	// SettingRetryWaitMax is retry.wait_max: Largest backoff wait (Retry-After is never shortened). Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Config file: [retry] retry_wait_max. Environment: PURECORE_RETRY_WAIT_MAX.
	SettingRetryWaitMax = "retry.wait_max"
	// SettingRetryMaxTotalWait is retry.max_total_wait: Cap on the sum of all waits of one call. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_RETRY_MAX_TOTAL_WAIT.
	SettingRetryMaxTotalWait = "retry.max_total_wait"
	// SettingRetryStatuses is retry.statuses: HTTP statuses that may be retried. Unit: statuses. Default: [408, 429, 500, 502, 503, 504]. Allowed: a list of HTTP statuses from 100 to 599. Environment: PURECORE_RETRY_STATUSES.
	SettingRetryStatuses = "retry.statuses"
	// SettingRetryRetryNonIdempotent is retry.retry_non_idempotent: Also retry POST and PATCH on 5xx replies and read errors. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_RETRY_RETRY_NON_IDEMPOTENT.
	SettingRetryRetryNonIdempotent = "retry.retry_non_idempotent"
	// SettingRefreshRefreshAccessToken is refresh.refresh_access_token: Renew tokens by themselves, before expiry and on a 401. Unit: bool. Default: true. Allowed: true or false. Config file: [reauthentication] refresh_access_token. Environment: PURECORE_REFRESH_REFRESH_ACCESS_TOKEN.
	SettingRefreshRefreshAccessToken = "refresh.refresh_access_token"
	// SettingRefreshRefreshTokenWaitMax is refresh.refresh_token_wait_max: How long a call waits for another call's refresh. Unit: seconds. Default: 10. Allowed: a number of seconds from 0 to 10000000. Config file: [reauthentication] refresh_token_wait_max. Environment: PURECORE_REFRESH_REFRESH_TOKEN_WAIT_MAX.
	SettingRefreshRefreshTokenWaitMax = "refresh.refresh_token_wait_max"
	// SettingRefreshExpiryMargin is refresh.expiry_margin: Renew a token this long before it expires. Unit: seconds. Default: 30. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_REFRESH_EXPIRY_MARGIN.
	SettingRefreshExpiryMargin = "refresh.expiry_margin"
	// SettingLoggingLogLevel is logging.log_level: How much is logged: trace > debug > error > none. Unit: enum. Default: "none". Allowed: one of trace, debug, error, none. Config file: [logging] log_level. Environment: PURECORE_LOGGING_LOG_LEVEL.
	SettingLoggingLogLevel = "logging.log_level"
	// SettingLoggingLogFormat is logging.log_format: Log lines as text or JSON. Unit: enum. Default: "text". Allowed: one of text, json. Config file: [logging] log_format. Environment: PURECORE_LOGGING_LOG_FORMAT.
	SettingLoggingLogFormat = "logging.log_format"
	// SettingLoggingLogToConsole is logging.log_to_console: Write log lines to stderr. Unit: bool. Default: true. Allowed: true or false. Config file: [logging] log_to_console. Environment: PURECORE_LOGGING_LOG_TO_CONSOLE.
	SettingLoggingLogToConsole = "logging.log_to_console"
	// SettingLoggingLogFilePath is logging.log_file_path: Append log lines to this file; empty for none. Unit: string. Default: "". Allowed: a string. Config file: [logging] log_file_path. Environment: PURECORE_LOGGING_LOG_FILE_PATH.
	SettingLoggingLogFilePath = "logging.log_file_path"
	// SettingLoggingLogRequestBody is logging.log_request_body: Log request bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_request_body. Environment: PURECORE_LOGGING_LOG_REQUEST_BODY.
	SettingLoggingLogRequestBody = "logging.log_request_body"
	// SettingLoggingLogResponseBody is logging.log_response_body: Log response bodies (secrets are always redacted). Unit: bool. Default: false. Allowed: true or false. Config file: [logging] log_response_body. Environment: PURECORE_LOGGING_LOG_RESPONSE_BODY.
	SettingLoggingLogResponseBody = "logging.log_response_body"
	// SettingProxyUrl is proxy.url: Send every request through this proxy (http://host:port); empty for none (HTTPS_PROXY/NO_PROXY apply). Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_URL.
	SettingProxyUrl = "proxy.url"
	// SettingProxyUsername is proxy.username: The proxy's user name; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_PROXY_USERNAME.
	SettingProxyUsername = "proxy.username"
	// SettingProxyPassword is proxy.password: The proxy's password; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_PROXY_PASSWORD.
	SettingProxyPassword = "proxy.password"
	// SettingTlsSkipVerify is tls.skip_verify: Accept any server certificate: for test rigs only, logged as an error. Unit: bool. Default: false. Allowed: true or false. Environment: PURECORE_TLS_SKIP_VERIFY.
	SettingTlsSkipVerify = "tls.skip_verify"
	// SettingTlsExtraCaPem is tls.extra_ca_pem: CA certificates (PEM) trusted besides the system and Mozilla roots. Unit: strings. Default: []. Allowed: a list of strings. Environment: PURECORE_TLS_EXTRA_CA_PEM.
	SettingTlsExtraCaPem = "tls.extra_ca_pem"
	// SettingTlsClientCertPem is tls.client_cert_pem: Client certificate chain (PEM) for mTLS; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_CERT_PEM.
	SettingTlsClientCertPem = "tls.client_cert_pem"
	// SettingTlsClientKeyPem is tls.client_key_pem: Client private key (PEM) for mTLS; empty for none. Unit: secret. Default: "". Allowed: a string. Environment: PURECORE_TLS_CLIENT_KEY_PEM.
	SettingTlsClientKeyPem = "tls.client_key_pem"
	// SettingDefaultHeaders is default_headers: Headers sent with every request (per-call headers override them). Unit: headers. Default: {}. Allowed: an object of header names to string values. Environment: PURECORE_DEFAULT_HEADERS.
	SettingDefaultHeaders = "default_headers"
	// SettingUserAgentSuffix is user_agent_suffix: Appended to purecore/<version> in the User-Agent; empty for none. Unit: string. Default: "". Allowed: a string. Environment: PURECORE_USER_AGENT_SUFFIX.
	SettingUserAgentSuffix = "user_agent_suffix"
	// SettingHostLanguage is host_language: Host language name of the default config path ~/.genesyscloud<language>/config. Unit: string. Default: "rust". Allowed: a string. Environment: PURECORE_HOST_LANGUAGE.
	SettingHostLanguage = "host_language"
	// SettingConfigFile is config_file: The config file: "none", "default" (~/.genesyscloud<language>/config when it exists) or a path. Unit: string. Default: "none". Allowed: a string. Environment: PURECORE_CONFIG_FILE.
	SettingConfigFile = "config_file"
	// SettingLiveReloadConfig is live_reload_config: Watch the config file and apply its changes. Unit: bool. Default: true. Allowed: true or false. Config file: [general] live_reload_config. Environment: PURECORE_LIVE_RELOAD_CONFIG.
	SettingLiveReloadConfig = "live_reload_config"
	// SettingConfigPollInterval is config_poll_interval: How often the config file is checked for changes. Unit: seconds. Default: 1. Allowed: a number of seconds from 0 to 10000000. Environment: PURECORE_CONFIG_POLL_INTERVAL.
	SettingConfigPollInterval = "config_poll_interval"
	// SettingMaxResponseBodyBytes is max_response_body_bytes: The largest body of a successful (2xx) API reply. Unit: bytes. Default: 268435456. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_response_body_bytes. Environment: PURECORE_MAX_RESPONSE_BODY_BYTES.
	SettingMaxResponseBodyBytes = "max_response_body_bytes"
	// SettingMaxErrorBodyBytes is max_error_body_bytes: The largest body of an unsuccessful API reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_error_body_bytes. Environment: PURECORE_MAX_ERROR_BODY_BYTES.
	SettingMaxErrorBodyBytes = "max_error_body_bytes"
	// SettingMaxTokenResponseBytes is max_token_response_bytes: The largest body of a token reply. Unit: bytes. Default: 1048576. Allowed: a whole number of bytes from 1 to 9007199254740992. Config file: [general] max_token_response_bytes. Environment: PURECORE_MAX_TOKEN_RESPONSE_BYTES.
	SettingMaxTokenResponseBytes = "max_token_response_bytes"
	// SettingTokenStore is token_store: Where tokens are shared: memory (this client), file:PATH (one host) or redis://user:pass@host:port/db, rediss:// for TLS. Unit: string. Default: "memory". Allowed: a string. Config file: [general] token_store. Environment: PURECORE_TOKEN_STORE.
	SettingTokenStore = "token_store"
	// SettingRateLimit is rate_limit: Pace calls by each token's rate budget: off, local (this process) or shared (every process, through Redis). Unit: enum. Default: "local". Allowed: one of off, local, shared. Config file: [general] rate_limit. Environment: PURECORE_RATE_LIMIT.
	SettingRateLimit = "rate_limit"
	// SettingRateLimitWaitMax is rate_limit_wait_max: The longest a call waits for rate budget; past it the call fails with rate_limited, unsent. Unit: seconds. Default: 60. Allowed: a number of seconds from 0 to 10000000. Config file: [general] rate_limit_wait_max. Environment: PURECORE_RATE_LIMIT_WAIT_MAX.
	SettingRateLimitWaitMax = "rate_limit_wait_max"
	// SettingRateLimitStore is rate_limit_store: The redis:// or rediss:// URL where rate_limit = shared keeps the budget; empty: the token_store's, when it is Redis. Unit: secret. Default: "". Allowed: a string. Config file: [general] rate_limit_store. Environment: PURECORE_RATE_LIMIT_STORE.
	SettingRateLimitStore = "rate_limit_store"
)
