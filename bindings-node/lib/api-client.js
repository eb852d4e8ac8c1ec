'use strict';
// ApiClient: the official SDK's client names over one native purecore client.
// The native client is created on first use, never at require time.

const fs = require('fs');
const native = require('./native');
const { Configuration, safely } = require('./configuration');
const { fromFields, guard, InvalidArgumentError, parseBody } = require('./errors');

let defaultClient = null;

function headerObject(h, what) {
  if (h === undefined || h === null) return undefined;
  if (typeof h !== 'object') throw new InvalidArgumentError(`${what} must be an object of header names to values`);
  const out = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

function toJson(value, what) {
  try {
    return JSON.stringify(value === undefined ? {} : value);
  } catch (e) {
    throw new InvalidArgumentError(`${what} cannot be sent as JSON: ${e.message}`);
  }
}

/** `authData` as the official SDK shapes it. */
function authData(a) {
  if (!a) return {};
  const out = { accessToken: a.accessToken };
  if (a.refreshToken) out.refreshToken = a.refreshToken;
  if (a.tokenExpiryTime !== undefined && a.tokenExpiryTime !== null) {
    out.tokenExpiryTime = a.tokenExpiryTime;
    out.tokenExpiryTimeString = new Date(a.tokenExpiryTime).toUTCString();
  }
  if (a.expiresIn !== undefined && a.expiresIn !== null) out.expiresIn = a.expiresIn;
  if (a.state) out.state = a.state;
  return out;
}

function authorizeRequest(clientId, redirectUri, responseType, opts = {}) {
  return {
    clientId,
    redirectUri,
    responseType,
    state: opts.state,
    codeChallenge: opts.codeChallenge,
    org: opts.org,
    provider: opts.provider,
    target: opts.target,
    loginHint: opts.loginHint || opts.login_hint,
    prompt: opts.prompt,
  };
}

class ApiClient {
  /** The default client, used by API classes constructed without one. */
  static get instance() {
    if (!defaultClient) defaultClient = new ApiClient();
    return defaultClient;
  }

  static set instance(client) {
    defaultClient = client;
  }

  constructor() {
    Object.defineProperty(this, '_nativeClient', { value: null, writable: true });
    this.returnExtended = false;
    this.preHook = null;
    this.postHook = null;
    this.config = new Configuration(this);
  }

  /** The native client, created on first use. */
  get _native() {
    if (!this._nativeClient) {
      const n = native.load();
      this._nativeClient = guard(
        () => new n.NativeClient({ hostLanguage: 'javascript', userAgentSuffix: `node/${process.version}` }),
      );
    }
    return this._nativeClient;
  }

  /** The native client, for a call that may connect: the Mozilla roots handed over first. */
  get _net() {
    native.giveRoots();
    return this._native;
  }

  // ---- where calls go ----

  /** A region host (`PureCloudRegionHosts.eu_west_1`), a domain (`mypurecloud.ie`), a region name or a URL. */
  setEnvironment(environment) {
    guard(() => this._native.setEnvironment(String(environment || 'mypurecloud.com')));
  }

  /** The API base URL in use. */
  get environment() {
    return this._native.config().apiBase;
  }

  /**
   * Routes every call through a gateway: `{host, protocol, port, path_params_login, path_params_api}`.
   * `port` -1 (or none) means the protocol's default. A falsy value removes the gateway.
   */
  setGateway(gateway) {
    if (!gateway) return guard(() => this._native.configure({ clearGateway: true }));
    if (gateway.username || gateway.password) {
      // Not sent anywhere: refusing them beats dropping credentials the caller expects to be used.
      throw new InvalidArgumentError(
        'setGateway username/password are not supported: send what the gateway needs with setDefaultHeaders, ' +
          'or use setProxyAgent for a proxy with credentials',
      );
    }
    const port = gateway.port === undefined || gateway.port === null || Number(gateway.port) < 0 ? undefined : Number(gateway.port);
    guard(() =>
      this._native.configure({
        gateway: {
          host: String(gateway.host || ''),
          protocol: gateway.protocol || 'https',
          port,
          pathParamsLogin: gateway.path_params_login || gateway.pathParamsLogin || '',
          pathParamsApi: gateway.path_params_api || gateway.pathParamsApi || '',
        },
      }),
    );
  }

  /** Resolve API calls to `{status, statusText, headers, body, text, error, correlationId, rateLimit}`. */
  setReturnExtendedResponses(value) {
    this.returnExtended = Boolean(value);
  }

  /**
   * Sends every request through a proxy. Takes a URL (`http://user:pass@proxy:3128`),
   * a URL object, or an agent exposing its proxy as `agent.proxy` (https-proxy-agent).
   * `null` removes the proxy.
   */
  setProxyAgent(agent) {
    if (!agent) return this.setProxy(null);
    const proxy = typeof agent === 'string' || agent instanceof URL ? agent : agent.proxy;
    if (!proxy) {
      throw new InvalidArgumentError('setProxyAgent needs a proxy URL, or an agent with a `proxy` URL (https-proxy-agent)');
    }
    const url = new URL(String(proxy));
    const username = url.username ? decodeURIComponent(url.username) : undefined;
    const password = url.password ? decodeURIComponent(url.password) : undefined;
    url.username = '';
    url.password = '';
    this.setProxy(url.toString().replace(/\/$/, ''), username, password);
  }

  /** A proxy URL with optional credentials; `null` removes it. */
  setProxy(url, username, password) {
    if (!url) return guard(() => this._native.configure({ clearProxy: true }));
    guard(() => this._native.configure({ proxy: { url: String(url), username, password } }));
  }

  /** Client certificate, key and (optional) extra CA for mutual TLS, from PEM files. */
  setMTLSCertificates(certPath, keyPath, caPath) {
    const read = (p) => (p ? fs.readFileSync(p, 'utf8') : undefined);
    this.setMTLSContents(read(certPath), read(keyPath), read(caPath));
  }

  /** Client certificate, key and (optional) extra CA for mutual TLS, as PEM text; nulls remove them. */
  setMTLSContents(certContent, keyContent, caContent) {
    const tls = { clientCertPem: certContent ? String(certContent) : '', clientKeyPem: keyContent ? String(keyContent) : '' };
    if (caContent) tls.extraCaPem = [String(caContent)];
    guard(() => this._native.configure({ tls }));
    // For pre-hooks written against the official agent (`config.httpsAgent.options.cert`); never the key.
    const agent = certContent ? { options: { cert: tls.clientCertPem, ca: caContent ? String(caContent) : undefined } } : null;
    Object.defineProperty(this, '_mtlsAgent', { value: agent, writable: true, configurable: true });
  }

  /**
   * Accepted for code written for the official SDK, which ignores it in Node too (it keeps
   * tokens in a browser's localStorage): nothing is stored.
   */
  setPersistSettings(enabled, prefix = 'purecloud') {
    this.persistSettings = Boolean(enabled);
    this.persistSettingsPrefix = String(prefix);
  }

  /** Trusts these CA certificates (PEM) besides the system roots, e.g. a test server's. */
  setCaCertificates(pems) {
    const list = (Array.isArray(pems) ? pems : [pems]).filter(Boolean).map(String);
    guard(() => this._native.configure({ tls: { extraCaPem: list } }));
  }

  /** Headers sent with every request (per-call `customHeaders` override them). */
  setDefaultHeaders(headers) {
    guard(() => this._native.configure({ defaultHeaders: headerObject(headers, 'default headers') || {} }));
  }

  get defaultHeaders() {
    return this._native.config().defaultHeaders;
  }

  /** Request timeout in milliseconds (default 16000). */
  get timeout() {
    return this._native.config().timeoutMs;
  }

  set timeout(ms) {
    guard(() => this._native.configure({ timeoutMs: Number(ms) }));
  }

  /**
   * Retry settings (times in milliseconds): `{maxRetries, retryWaitMin, retryWaitMax,
   * maxTotalWait, statuses, retryNonIdempotent, onRetry(event)}`. `maxRetries: 0` turns retries off.
   */
  setRetryConfig(opts = {}) {
    guard(() =>
      this._native.configure({
        retry: {
          maxRetries: opts.maxRetries,
          waitMinMs: opts.retryWaitMin,
          waitMaxMs: opts.retryWaitMax,
          maxTotalWaitMs: opts.maxTotalWait,
          statuses: opts.statuses,
          retryNonIdempotent: opts.retryNonIdempotent,
        },
      }),
    );
    if ('onRetry' in opts) {
      const fn = opts.onRetry;
      guard(() => this._native.setRetryHook(fn ? (ev) => safely(fn, ev) : null));
    }
  }

  /** Called before each request with `{operationId, method, url, path, query, headers, params, body}`. */
  setPreHook(fn) {
    if (fn !== null && typeof fn !== 'function') throw new InvalidArgumentError('setPreHook takes a function or null');
    this.preHook = fn;
  }

  /** Called with each response (the extended shape); a returned object replaces it. */
  setPostHook(fn) {
    if (fn !== null && typeof fn !== 'function') throw new InvalidArgumentError('setPostHook takes a function or null');
    this.postHook = fn;
  }

  // ---- tokens ----

  setAccessToken(token, expiresInSeconds) {
    guard(() => this._native.setAccessToken(String(token || ''), expiresInSeconds));
  }

  /** `{accessToken, refreshToken?, tokenExpiryTime, tokenExpiryTimeString}`, renewed tokens included. */
  get authData() {
    return authData(this._nativeClient ? this._native.authData() : null);
  }

  /** When the token expires, in milliseconds since the epoch (undefined when unknown). */
  get tokenExpiryTime() {
    return this.authData.tokenExpiryTime;
  }

  /** Called with `authData` after every login and every renewal; never keeps the process alive. */
  setTokenCallback(fn) {
    guard(() => this._native.setTokenCallback(fn ? (a) => safely(fn, authData(a)) : null));
  }

  /** Forgets the token and the credentials kept for renewing it. */
  logout() {
    if (this._nativeClient) this._native.logout();
  }

  async _grant(promise) {
    const outcome = await promise;
    if (outcome.error) throw fromFields(outcome.error);
    return authData(outcome.auth);
  }

  loginClientCredentialsGrant(clientId, clientSecret) {
    return this._grant(this._net.loginClientCredentials(str(clientId), str(clientSecret)));
  }

  loginSaml2BearerGrant(clientId, clientSecret, orgName, assertion) {
    return this._grant(this._net.loginSaml2Bearer(str(clientId), str(clientSecret), str(orgName), str(assertion)));
  }

  loginCodeAuthorizationGrant(clientId, clientSecret, authCode, redirectUri) {
    return this._grant(this._net.loginCode(str(clientId), str(clientSecret), str(authCode), str(redirectUri)));
  }

  refreshCodeAuthorizationGrant(clientId, clientSecret, refreshToken) {
    return this._grant(this._net.refreshCode(str(clientId), str(clientSecret), str(refreshToken)));
  }

  /** Exchanges a PKCE authorization code (no client secret). */
  authorizePKCEGrant(clientId, codeVerifier, authCode, redirectUri) {
    return this._grant(this._net.loginPkce(str(clientId), str(authCode), str(codeVerifier), str(redirectUri)));
  }

  /** A random PKCE code verifier of `nChar` characters (43 to 128). */
  generatePKCECodeVerifier(nChar = 128) {
    return guard(() => native.load().generateCodeVerifier(Number(nChar)));
  }

  /** The S256 challenge of a code verifier (a Promise, as in the official SDK). */
  computePKCECodeChallenge(codeVerifier) {
    return new Promise((resolve) => resolve(guard(() => native.load().computeCodeChallenge(str(codeVerifier)))));
  }

  /**
   * The `{login}/oauth/authorize` URL and its state, for a browser or webview the app opens.
   * `opts`: `{responseType ('token' | 'code'), state, codeChallenge, org, provider, target, loginHint, prompt}`.
   */
  buildAuthorizeUrl(clientId, redirectUri, opts = {}) {
    return guard(() => this._native.authorizeUrl(authorizeRequest(str(clientId), str(redirectUri), opts.responseType || 'token', opts)));
  }

  /** Uses the token of an implicit-grant redirect (`...#access_token=...`), checking `state` when given. */
  handleImplicitGrantRedirect(redirectUrl, expectedState) {
    const outcome = guard(() => this._native.loginImplicitRedirect(str(redirectUrl), expectedState || undefined));
    if (outcome.error) throw fromFields(outcome.error);
    return authData(outcome.auth);
  }

  /** The `code` of an authorization-code redirect, checking `state` when given. */
  parseCodeRedirect(redirectUrl, expectedState) {
    const outcome = native.load().parseCodeRedirect(str(redirectUrl), expectedState || undefined);
    if (outcome.error) throw fromFields(outcome.error);
    return outcome.code;
  }

  /**
   * Implicit grant for desktop and webview apps. Give either `opts.redirectUrl` (the URL the
   * webview was sent to) with `opts.state`, or `opts.openAuthorizeUrl(url)`, a function that shows
   * the authorize URL and resolves with the redirect URL. Resolves with `authData`.
   */
  async loginImplicitGrant(clientId, redirectUri, opts = {}) {
    if (opts.redirectUrl) return this.handleImplicitGrantRedirect(opts.redirectUrl, opts.state);
    const open = needOpener(opts, 'loginImplicitGrant');
    const { url, state } = this.buildAuthorizeUrl(clientId, redirectUri, { ...opts, responseType: 'token' });
    const landed = await open(url);
    return this.handleImplicitGrantRedirect(landed, state);
  }

  /**
   * PKCE grant for desktop and webview apps: makes a verifier (unless given), opens the
   * authorize URL through `opts.openAuthorizeUrl(url)`, reads the code from the redirect URL it
   * resolves with, and exchanges it. Resolves with `authData`.
   */
  async loginPKCEGrant(clientId, redirectUri, opts = {}, codeVerifier) {
    const open = needOpener(opts, 'loginPKCEGrant');
    const verifier = codeVerifier || this.generatePKCECodeVerifier(128);
    const codeChallenge = await this.computePKCECodeChallenge(verifier);
    const { url, state } = this.buildAuthorizeUrl(clientId, redirectUri, { ...opts, responseType: 'code', codeChallenge });
    const code = this.parseCodeRedirect(await open(url), state);
    return this.authorizePKCEGrant(clientId, verifier, code, redirectUri);
  }

  // ---- calls ----

  /** Used by the generated API classes: calls an operation by id with parameters keyed by spec name. */
  async callOperation(operationId, params, opts = {}) {
    let headers = headerObject(opts && opts.customHeaders, 'customHeaders');
    let json = toJson(params, 'the parameters');
    if (this.preHook) {
      const info = guard(() => this._native.describe(operationId, json));
      const req = { operationId, ...info, headers: { ...info.headers, ...headers }, params: params || {}, body: params && params.body };
      if (this._mtlsAgent) req.httpsAgent = this._mtlsAgent;
      const changed = (await this.preHook(req)) || req;
      headers = headerObject(changed.headers, 'headers');
      json = toJson(changed.params, 'the parameters');
    }
    return this._finish(await this._net.call(String(operationId), json, headers));
  }

  /**
   * A raw request to the API host: `{method, path, query, headers, body, contentType, auth}`.
   * `body` may be an object (sent as JSON), a string or a Buffer. Resolves like an API method.
   */
  async request(req) {
    if (!req || typeof req !== 'object') throw new InvalidArgumentError('request takes {method, path, ...}');
    let body = req.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) body = toJson(body, 'the body');
    const query = req.query ? Object.entries(req.query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)])) : undefined;
    const outcome = await this._net.request({
      method: String(req.method || 'GET'),
      path: String(req.path || ''),
      query,
      headers: headerObject(req.headers, 'headers'),
      body: body === null ? undefined : body,
      contentType: req.contentType,
      auth: req.auth,
    });
    return this._finish(outcome);
  }

  async _finish(outcome) {
    if (outcome.error) throw fromFields(outcome.error);
    const r = outcome.response;
    const text = typeof r.body === 'string' ? r.body : undefined;
    let extended = {
      status: r.status,
      statusText: r.statusText,
      headers: r.headers,
      body: text === undefined ? r.body : text === '' ? undefined : parseBody(text, r.contentType),
      text,
      error: null,
      correlationId: r.correlationId,
      rateLimit: r.rateLimit,
      attempts: r.attempts,
    };
    if (this.postHook) extended = (await this.postHook(extended)) || extended;
    return this.returnExtended ? extended : extended.body;
  }
}

function str(v) {
  return v === undefined || v === null ? '' : String(v);
}

function needOpener(opts, name) {
  if (typeof opts.openAuthorizeUrl !== 'function') {
    throw new InvalidArgumentError(
      `${name} needs opts.openAuthorizeUrl(url) => Promise<redirect URL>` +
        (name === 'loginImplicitGrant' ? ' or opts.redirectUrl' : '') +
        ': Node has no browser to redirect',
    );
  }
  return opts.openAuthorizeUrl;
}

module.exports = { ApiClient };
