// Types of the purecore package: the hand-written client, configuration and
// errors, plus every generated API class and model (generated/index.d.ts).

import type { OperationCaller, ResponseOf } from './generated/index';
import type { REGION_HOSTS, ErrorKind } from './generated/tables';

export type { ErrorKind, RegionName } from './generated/tables';
import type { SettingsPatch, SettingValues } from './generated/settings';

export * from './generated/index';
export type { SettingsPatch, SettingValues } from './generated/settings';

/** Region keys and their domains, as in the official SDK (generated from the core's table). */
export declare const PureCloudRegionHosts: typeof REGION_HOSTS;

export type LogLevel = 'trace' | 'debug' | 'error' | 'none';
export type LogFormat = 'json' | 'text';

export declare const logLevelEnum: {
  readonly level: { readonly LTrace: 'trace'; readonly LDebug: 'debug'; readonly LError: 'error'; readonly LNone: 'none' };
};
export declare const logFormatEnum: { readonly formats: { readonly JSON: 'json'; readonly TEXT: 'text' } };

/** The token in use. `tokenExpiryTime` is milliseconds since the Unix epoch. */
export interface AuthData {
  accessToken?: string;
  refreshToken?: string;
  tokenExpiryTime?: number;
  tokenExpiryTimeString?: string;
  expiresIn?: number;
  state?: string;
}

export interface RateLimit {
  allowed?: number;
  count?: number;
  /** Seconds until the window resets. */
  reset?: number;
}

/** What an API method resolves to with `setReturnExtendedResponses(true)`. */
export interface ExtendedResponse<T = unknown> extends ResponseOf<T> {
  status: number;
  statusText: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: T;
  text: string | undefined;
  error: null;
  correlationId: string | undefined;
  rateLimit: RateLimit | undefined;
  /** How many times the request was sent. */
  attempts: number;
}

/**
 * What the post-hook gets: one attempt of an API call (it is called after every attempt,
 * retried ones included), in the extended shape. `status` is 0 when no reply came;
 * `error` is why the attempt failed (a status that is not 2xx, no reply), null when it
 * succeeded; `attempts` is the attempt's number (1 for the first send).
 */
export type PostHookResponse = Omit<ExtendedResponse, 'error'> & { error: Error | null };

export interface GatewayConfiguration {
  host: string;
  protocol?: 'https' | 'http';
  /** -1 or absent: the protocol's default port. */
  port?: number;
  path_params_login?: string;
  path_params_api?: string;
}

export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  method: string;
  url: string;
  status?: number;
  waitMs: number;
  reason: string;
}

export interface RetryConfig {
  /** Retries after the first try; 0 turns retrying off. Default 3. */
  maxRetries?: number;
  /** First backoff wait in ms. Default 500. */
  retryWaitMin?: number;
  /** Largest backoff wait in ms (Retry-After is not shortened). Default 30000. */
  retryWaitMax?: number;
  /** Cap on the sum of all waits of one call, in ms. Default 60000. */
  maxTotalWait?: number;
  /** Statuses that may be retried. Default 408, 429, 500, 502, 503, 504. */
  statuses?: number[];
  /** Also retry POST and PATCH on 5xx and read errors. Default false. */
  retryNonIdempotent?: boolean;
  /** Told before each retry; never keeps the process alive. */
  onRetry?: ((event: RetryEvent) => void) | null;
}

/**
 * What a pre-hook sees: the request once the core has built it, before its first send
 * (the bearer token is added at each send). Changes to `url`, `headers` and `body` are
 * sent, retries included (`url` without its query, `query` as pairs); `path` is for reading.
 */
export interface PreHookRequest {
  /** `''` for a raw `request()`. */
  operationId: string;
  method: string;
  /** Without the query (as the official SDK's hook has it). */
  url: string;
  path: string;
  /** The query as `[name, value]` pairs; changes are sent. */
  query: string[][];
  /** Default headers, the call's own, `accept` and `content-type`. */
  headers: Record<string, string>;
  /** A JSON body parsed; other bodies as text. */
  body: unknown;
  /**
   * With mutual TLS set: the client certificate (and extra CA), where hooks written for the
   * official SDK read them (`config.httpsAgent.options.cert`). The key is never passed.
   */
  httpsAgent?: { options: { cert: string; ca?: string } };
}

export interface AuthorizeOptions {
  state?: string;
  org?: string;
  provider?: string;
  target?: string;
  loginHint?: string;
  prompt?: string;
}

export interface DesktopLoginOptions extends AuthorizeOptions {
  /** Shows the authorize URL (browser, webview) and resolves with the URL it redirected to. */
  openAuthorizeUrl?: (url: string) => Promise<string>;
  /** Implicit grant only: the redirect URL already received (with `state`). */
  redirectUrl?: string;
}

export interface RawRequest {
  method: string;
  /** Starts with `/` (`/api/v2/users/me`). */
  path: string;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as given (with `contentType`). */
  body?: unknown;
  contentType?: string;
  /** Send the bearer token. Default true. */
  auth?: boolean;
}

export declare class Logger {
  log_level: LogLevel;
  log_format: LogFormat;
  log_to_console: boolean;
  log_file_path: string | undefined;
  log_request_body: boolean;
  log_response_body: boolean;
  readonly logLevelEnum: typeof logLevelEnum;
  readonly logFormatEnum: typeof logFormatEnum;
  /** Applies the settings (assignments already do; kept for official-SDK code). */
  setLogger(): void;
  /** Also hands each log line to `fn`; `null` removes it. */
  setLogSink(fn: ((level: LogLevel, line: string) => void) | null): void;
}

export declare class Configuration {
  /** Renew tokens automatically (before expiry and on a 401). Default true. */
  refresh_access_token: boolean;
  /** Seconds a call waits for another call's token refresh. Default 10. */
  refresh_token_wait_max: number;
  /** Watch the config file and apply changes. Default true. */
  live_reload_config: boolean;
  /** How often the config file is checked for changes, in milliseconds. Default 1000. */
  live_reload_interval_ms: number;
  readonly logger: Logger;
  readonly basePath: string;
  readonly authUrl: string;
  readonly configPath: string | undefined;
  readonly configFileError: ApiError | null;
  /** The bound on a whole login or renewal, retries included, in milliseconds. Default 16000. */
  auth_timeout: number;
  /** Seconds before expiry a token is renewed. Default 30, at most half the token's lifetime. */
  token_expiry_margin: number;
  setConfigPath(path: string | null): void;
}

export declare class ApiClient implements OperationCaller {
  /** The default client, used by API classes constructed without one. */
  static instance: ApiClient;
  constructor();
  readonly config: Configuration;
  readonly authData: AuthData;
  readonly tokenExpiryTime: number | undefined;
  readonly environment: string;
  readonly defaultHeaders: Record<string, string>;
  /** Request timeout in milliseconds. Default 16000. */
  timeout: number;

  /**
   * Changes settings: purecore's setting names to values, flat (`{'retry.max_retries': 5}`)
   * or by section (`{retry: {max_retries: 5}}`); durations in seconds; `null` restores the
   * default. Each value is checked by the core; on error nothing changes.
   */
  applyConfig(patch: SettingsPatch | Record<string, unknown>): void;
  /** Every setting's current value by its name (durations in seconds; secrets masked). */
  readonly settings: SettingValues;

  setEnvironment(environment: string): void;
  setGateway(gateway: GatewayConfiguration | null): void;
  setReturnExtendedResponses(value: boolean): void;
  setProxyAgent(agent: string | URL | { proxy: string | URL } | null): void;
  setProxy(url: string | null, username?: string, password?: string): void;
  setMTLSCertificates(certPath: string, keyPath: string, caPath?: string): void;
  setMTLSContents(certContent: string | null, keyContent: string | null, caContent?: string): void;
  setCaCertificates(pems: string | string[]): void;
  setDefaultHeaders(headers: Record<string, string>): void;
  setRetryConfig(config: RetryConfig): void;
  setPreHook(fn: ((request: PreHookRequest) => PreHookRequest | void | Promise<PreHookRequest | void>) | null): void;
  setPostHook(fn: ((response: PostHookResponse) => ExtendedResponse | void | Promise<ExtendedResponse | void>) | null): void;

  /** Accepted and ignored, as the official SDK does in Node (no token store). */
  setPersistSettings(enabled: boolean, prefix?: string): void;

  setAccessToken(token: string, expiresInSeconds?: number): void;
  setTokenCallback(fn: ((authData: AuthData) => void) | null): void;
  logout(): void;
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<AuthData>;
  loginSaml2BearerGrant(clientId: string, clientSecret: string, orgName: string, assertion: string): Promise<AuthData>;
  loginCodeAuthorizationGrant(clientId: string, clientSecret: string, authCode: string, redirectUri: string): Promise<AuthData>;
  refreshCodeAuthorizationGrant(clientId: string, clientSecret: string, refreshToken: string): Promise<AuthData>;
  authorizePKCEGrant(clientId: string, codeVerifier: string, authCode: string, redirectUri: string): Promise<AuthData>;
  generatePKCECodeVerifier(nChar?: number): string;
  computePKCECodeChallenge(codeVerifier: string): Promise<string>;
  buildAuthorizeUrl(
    clientId: string,
    redirectUri: string,
    opts?: AuthorizeOptions & { responseType?: 'token' | 'code'; codeChallenge?: string },
  ): { url: string; state: string };
  handleImplicitGrantRedirect(redirectUrl: string, expectedState?: string): AuthData;
  parseCodeRedirect(redirectUrl: string, expectedState?: string): string;
  loginImplicitGrant(clientId: string, redirectUri: string, opts?: DesktopLoginOptions): Promise<AuthData>;
  loginPKCEGrant(clientId: string, redirectUri: string, opts?: DesktopLoginOptions, codeVerifier?: string): Promise<AuthData>;

  callOperation(
    operationId: string,
    params: Record<string, unknown>,
    opts?: { customHeaders?: Record<string, string> },
  ): Promise<unknown>;
  /** Resolves with the parsed body, or an `ExtendedResponse` when extended responses are on. */
  request(request: RawRequest): Promise<any>;
}

/** `setRetryPolicy`: how 429/5xx replies and failed connections are retried, token requests included. */
export interface RetryPolicy {
  /** Retries after the first try; 0 turns retrying off. Default 3. */
  maxRetries?: number;
  /** First backoff wait in ms. Default 500. */
  initialDelayMs?: number;
  /** Largest backoff wait in ms (a Retry-After is never shortened). Default 30000. */
  maxDelayMs?: number;
  /** Statuses retried. Default 408, 429, 500, 502, 503, 504. */
  retryStatusCodes?: number[];
}

/** `setProxy`: a proxy, with credentials when it needs them. */
export interface ProxySettings {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  /** Default `http`. */
  protocol?: 'http' | 'https';
}

/**
 * The tutorial's client: an `ApiClient` of its own whose calls resolve to the response
 * (`response.body`, `response.status`, `response.headers`), that logs in on the first call
 * with the credentials given to `setLoginClientCredentials` (the token is then renewed
 * automatically), and whose authentication failures have `status` 401.
 */
export declare class PlatformClient extends ApiClient {
  constructor();
  /** Calls resolve to responses: `new UsersApi(platformClient).getUser(id)` is a `Promise<ResponseOf<Models.User>>`. */
  readonly returnExtended: true;
  /** `environment`: `'https://api.mypurecloud.com'`, `'api.mypurecloud.com'`, `'mypurecloud.com'`, a region name or a URL. Sends nothing. */
  setLoginClientCredentials(environment: string, clientId: string, clientSecret: string): void;
  /** Logs in now (calls do it by themselves, once). */
  login(): Promise<AuthData>;
  setRetryPolicy(policy: RetryPolicy): void;
  /** The bound on a whole login or renewal, retries included, in milliseconds. */
  setAuthenticationTimeout(ms: number): void;
  setLogLevel(level: LogLevel): void;
  /** `{host, port, username, password}`, or the official `(url, username, password)`; `null` removes it. */
  setProxy(proxy: ProxySettings | string | URL | null, username?: string, password?: string): void;
  request(request: RawRequest): Promise<ExtendedResponse<any>>;
}

/** Every error purecore rejects with. */
export declare class ApiError extends Error {
  /** `http_status`, `authentication`, `rate_limited`, `timeout`, `connection`, `invalid_argument`, `configuration`, `decoding`, `internal`. */
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly statusText: string | undefined;
  /** Lower-case header names; empty when there was no reply. */
  readonly headers: Record<string, string>;
  /** The reply's body, parsed when it is JSON. */
  readonly body: any;
  /** The reply's body as text. */
  readonly text: string | undefined;
  /** Genesys error code (`not.found`) or OAuth error (`invalid_client`). */
  readonly code: string | undefined;
  readonly contextId: string | undefined;
  readonly correlationId: string | undefined;
  /** Seconds, from Retry-After. */
  readonly retryAfter: number | undefined;
  readonly oauthError: string | undefined;
  readonly oauthErrorDescription: string | undefined;
  /** Whether sending the same request later may succeed. */
  readonly retryable: boolean;
  /** The error itself (the official SDK's extended-response field). */
  readonly error: ApiError;
  [field: string]: unknown;
}
export declare class AuthenticationError extends ApiError {}
export declare class RateLimitError extends ApiError {}
export declare class TimeoutError extends ApiError {}
export declare class ConnectionError extends ApiError {}
export declare class InvalidArgumentError extends ApiError {}
export declare class ConfigurationError extends InvalidArgumentError {}
/** The reply's body is not what the operation declares (e.g. HTML instead of JSON): `status`, `headers` and `text` are the reply's. */
export declare class DecodingError extends ApiError {}
/** A bug in purecore (a panic in the addon), reported instead of crashing the process. */
export declare class InternalError extends ApiError {}
