export declare class NativeClient {
  constructor(options?: ClientOptions | undefined | null)
  setEnvironment(value: string): void
  /**
   * Changes settings: a JSON object of the core's dotted setting names to values
   * (durations in seconds, `null` for the default). On error nothing changes.
   */
  applyConfig(patch: string): void
  /** Every setting by its dotted name, as JSON text (see `config::view`). */
  settings(): string
  setRetryHook(hook?: ((arg: JsRetryEvent) => unknown) | undefined | null): void
  setLogSink(sink?: ((arg: JsLogLine) => unknown) | undefined | null): void
  setTokenCallback(cb?: ((arg: JsAuthData) => unknown) | undefined | null): void
  reloadConfigFile(): void
  /** The error that made the config file be rejected, if it currently is. */
  configFileError(): ErrorFields | null
  authData(): JsAuthData | null
  /** `expiresInSeconds`: 0 to 10,000,000 (the core's longest duration); refused otherwise. */
  setAccessToken(token: string, expiresInSeconds?: number | undefined | null): void
  logout(): void
  authorizeUrl(req: JsAuthorizeRequest): JsAuthorizeUrl
  /** Parses an implicit-grant redirect URL (or its fragment) and uses its token. */
  loginImplicitRedirect(redirect: string, expectedState?: string | undefined | null): AuthOutcome
  loginClientCredentials(clientId: string, secret: string): Promise<AuthOutcome>
  loginSaml2Bearer(clientId: string, secret: string, orgName: string, assertion: string): Promise<AuthOutcome>
  loginCode(clientId: string, secret: string, code: string, redirectUri: string): Promise<AuthOutcome>
  refreshCode(clientId: string, secret: string, refreshToken: string): Promise<AuthOutcome>
  loginPkce(clientId: string, code: string, codeVerifier: string, redirectUri: string): Promise<AuthOutcome>
  /**
   * Calls an operation by id; `params` is JSON keyed by the spec's parameter names. When the
   * operation declares a JSON reply, a body that is not JSON is a `decoding` error.
   */
  call(operationId: string, paramsJson: string, headers?: Record<string, string> | undefined | null): Promise<CallOutcome>
  request(req: JsRequest): Promise<CallOutcome>
  /** The method, URL and headers an operation call would use (nothing is sent). */
  describe(operationId: string, paramsJson: string): JsRequestInfo
}

/**
 * Adds roots every client trusts (with the system's): the facade hands over Node's own copy
 * of the Mozilla roots (`tls.rootCertificates`) before the first client, instead of the
 * addon carrying one. Returns how many certificates were added; throws after the first
 * connection.
 */
export declare function addBaseRoots(pems: Array<string>): number

/**
 * Every API class with its methods, for `generated/apis.js`: one line per class, the class
 * name then a tab-separated `operationId positional|optional` entry per method (see
 * `purecore::catalog::Catalog::js_api_table`). Read once, when the first class is built.
 */
export declare function apiTable(): string

/** The result of a grant: exactly one of the two is set. */
export interface AuthOutcome {
  auth?: JsAuthData
  error?: ErrorFields
}

/** The result of an API call: exactly one of the two is set. */
export interface CallOutcome {
  response?: JsResponse
  error?: ErrorFields
}

/** How a client starts: everything optional. */
export interface ClientOptions {
  /** Names the default config file `~/.genesyscloud<hostLanguage>/config`. Default `javascript`. */
  hostLanguage?: string
  /** `"default"` (the default), `"none"` or a path. */
  configFile?: string
  /** Appended to the User-Agent (e.g. `node/v20.1.0`). */
  userAgentSuffix?: string
}

/** The `code` of an authorization-code redirect, or the error it carries. */
export interface CodeOutcome {
  code?: string
  error?: ErrorFields
}

/** The S256 challenge of a verifier: base64url(SHA-256), unpadded. */
export declare function computeCodeChallenge(verifier: string): string

/** The core's version. */
export declare function coreVersion(): string

/** A core error with every field the facade puts on its Error subclasses. */
export interface ErrorFields {
  /**
   * `authentication`, `http_status`, `rate_limited`, `timeout`, `connection`,
   * `invalid_argument`, `configuration`, `decoding`, `internal`.
   */
  kind: string
  message: string
  status?: number
  statusText?: string
  code?: string
  contextId?: string
  correlationId?: string
  /** Seconds, from `Retry-After`. */
  retryAfter?: number
  oauthError?: string
  oauthErrorDescription?: string
  retryable: boolean
  headers?: Record<string, string>
  /** The reply's body as text. */
  text?: string
}

/** A PKCE code verifier of `length` characters (43 to 128) from a CSPRNG. */
export declare function generateCodeVerifier(length: number): string

/** A token; `tokenExpiryTime` is milliseconds since the Unix epoch, as the official SDK's. */
export interface JsAuthData {
  accessToken: string
  tokenType: string
  refreshToken?: string
  expiresIn?: number
  tokenExpiryTime?: number
  state?: string
}

/** What to put in an authorize URL (implicit, code and PKCE flows). */
export interface JsAuthorizeRequest {
  clientId: string
  redirectUri: string
  /** `token` (implicit) or `code`. */
  responseType?: string
  state?: string
  codeChallenge?: string
  org?: string
  provider?: string
  target?: string
  loginHint?: string
  prompt?: string
}

export interface JsAuthorizeUrl {
  url: string
  state: string
}

/** One log line and its level (`error`, `debug`, `trace`). */
export interface JsLogLine {
  level: string
  line: string
}

/** Catalog metadata of an operation. */
export interface JsOperation {
  id: string
  className: string
  method: string
  path: string
  deprecated: boolean
  params: Array<JsParam>
}

/** One parameter of a catalog operation. */
export interface JsParam {
  name: string
  /** `path`, `query`, `header`, `body` or `formData`. */
  location: string
  required: boolean
}

export interface JsRateLimit {
  allowed?: number
  count?: number
  /** Seconds until the window resets. */
  reset?: number
}

/** A region: its key in `PureCloudRegionHosts` and its domain. */
export interface JsRegion {
  name: string
  domain: string
}

/** A raw request to the API host. */
export interface JsRequest {
  method: string
  /** Starts with `/` (`/api/v2/users/me`); may carry a query. */
  path: string
  query?: Array<Array<string>>
  headers?: Record<string, string>
  /** JSON text (sent as application/json unless `contentType` says otherwise) or bytes. */
  body?: string | Buffer
  contentType?: string
  /** Send the bearer token. Default true. */
  auth?: boolean
}

/** Where an operation's request goes, for request hooks. */
export interface JsRequestInfo {
  method: string
  url: string
  path: string
  query: Array<Array<string>>
  headers: Record<string, string>
}

/** A reply, successful or not, as the JS facade receives it. */
export interface JsResponse {
  status: number
  statusText: string
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>
  /** The body as text when it is UTF-8, else the bytes. */
  body: string | Buffer
  contentType?: string
  correlationId?: string
  rateLimit?: JsRateLimit
  /** How many times the request was sent. */
  attempts: number
  /** The operation declares a JSON reply and the body was checked to be JSON. */
  json: boolean
}

/** What the retry hook receives before each retry. */
export interface JsRetryEvent {
  /** 1 for the first retry. */
  attempt: number
  method: string
  url: string
  status?: number
  waitMs: number
  reason: string
}

/** The catalog entry of an operation id (throws `invalid_argument` for an unknown id). */
export declare function operation(operationId: string): JsOperation

/** How many operations the embedded catalog holds. */
export declare function operationCount(): number

/** The `code` of an authorization-code redirect, checking `state` when given. */
export declare function parseCodeRedirect(redirect: string, expectedState?: string | undefined | null): CodeOutcome

/** Every Genesys Cloud region the core knows. */
export declare function regions(): Array<JsRegion>
