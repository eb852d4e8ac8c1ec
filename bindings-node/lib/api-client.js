// @ts-check
'use strict';
// ApiClient: the official SDK's client names over one native purecore client.
// The native client is created on first use, never at require time.

const fs = require('fs');
const util = require('util');
/** @typedef {typeof import('./native')} Addon the addon's declarations (native.d.ts, written by napi build --dts) */
/**
 * The loader, native.js. TypeScript resolves './native' to native.d.ts (the addon's
 * declarations carry the same name), so the loader's shape is stated here.
 * @type {{ load(): Addon, giveRoots(): void }}
 */
const native = /** @type {any} */ (require('./native'));
const { Configuration, safely } = require('./configuration');
const { ConfigurationError, fromFields, fromThrown, guard, headers: replyHeaders, InvalidArgumentError, MASK, parseBody } = require('./errors');

let defaultClient = null;

/** What pre-hooks threw, by id, until their call rethrows it. */
const hookErrors = new Map();
let hookErrorIds = 0;

function headerObject(h, what) {
  if (h === undefined || h === null) return undefined;
  if (typeof h !== 'object' || Array.isArray(h)) throw new InvalidArgumentError(`${what} must be an object of header names to values`);
  const out = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') {
      throw new InvalidArgumentError(`${what}: the value of '${k}' must be a string or a number`);
    }
    out[k] = String(v);
  }
  return out;
}

/**
 * A number setting as the core's schema takes it: numbers and numeric strings as numbers;
 * anything else as it is, for the core to refuse naming the setting, the value and the
 * allowed values. `undefined`/`null` mean "not given".
 */
function num(v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/**
 * A number argument (not a setting): numbers as they are (the core refuses bad ones by
 * name), numeric strings as numbers; anything else is refused here.
 */
function numArg(name, v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  throw new ConfigurationError(`${name} must be a number, not ${describeValue(v)}`, { kind: 'configuration' });
}

/** Milliseconds (the official Node SDK's unit) as the seconds of the schema. */
function msToSeconds(v) {
  const n = num(v);
  return typeof n === 'number' ? n / 1000 : n;
}

/**
 * A settings patch as JSON. NaN and infinities (which JSON turns into null, "the default")
 * are sent as text, so the core refuses them by name.
 */
function patchJson(patch) {
  return JSON.stringify(patch, (_k, v) => {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

/** What a bad value was, without quoting it (it may be a secret). */
function describeValue(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v === '' ? 'an empty string' : 'a string';
  return `a ${typeof v}`;
}

/** Calls native code that returns a promise: whatever it throws or rejects with becomes typed. */
async function guarded(fn) {
  try {
    return await fn();
  } catch (e) {
    throw fromThrown(e);
  }
}

function toJson(value, what) {
  try {
    return JSON.stringify(value === undefined ? {} : value);
  } catch (e) {
    throw new InvalidArgumentError(`${what} cannot be sent as JSON: ${e.message}`);
  }
}

/**
 * `authData` as the official SDK shapes it: `{accessToken, refreshToken?, tokenExpiryTime,
 * tokenExpiryTimeString, expiresIn?, state?}`. The tokens read as properties but are kept
 * out of sight: printing the object (`console.log`, `console.dir`, `util.inspect`,
 * `JSON.stringify`, `String`) never shows them.
 */

let nextCancelId = 0;

/** `opts.signal`, checked: an AbortSignal or nothing. */
function abortSignal(opts) {
  const signal = opts && typeof opts === 'object' ? opts.signal : undefined;
  if (signal === undefined || signal === null) return null;
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new InvalidArgumentError('opts.signal must be an AbortSignal');
  }
  return signal;
}

/** The error an aborted call rejects with, as fetch's: a DOMException named `AbortError`. */
function abortError(signal) {
  const reason = signal.reason;
  const message = reason instanceof Error && reason.message ? reason.message : 'This operation was aborted';
  const e = new DOMException(message, 'AbortError');
  if (reason !== undefined) Object.defineProperty(e, 'cause', { value: reason, configurable: true, writable: true });
  return e;
}

class AuthData {
  #accessToken;
  #refreshToken;

  get accessToken() {
    return this.#accessToken;
  }

  set accessToken(v) {
    this.#accessToken = v;
  }

  get refreshToken() {
    return this.#refreshToken;
  }

  set refreshToken(v) {
    this.#refreshToken = v;
  }

  toJSON() {
    const out = {};
    if (this.#accessToken) out.accessToken = MASK;
    if (this.#refreshToken) out.refreshToken = MASK;
    return Object.assign(out, this);
  }

  toString() {
    return `AuthData ${JSON.stringify(this)}`;
  }

  [util.inspect.custom](depth, options, inspect) {
    return `AuthData ${(inspect || util.inspect)(this.toJSON(), options)}`;
  }
}

/** @param {any} a */
function authData(a) {
  const out = /** @type {AuthData & Record<string, any>} */ (new AuthData());
  if (!a) return out;
  out.accessToken = a.accessToken;
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

  /**
   * Changes settings: an object of purecore's setting names to values, flat
   * (`{'retry.max_retries': 5}`) or by section (`{retry: {max_retries: 5}}`); durations
   * in seconds; `null` puts a setting back to its default. The names, units, defaults
   * and allowed values are those of `Settings` in index.d.ts (generated from the core's
   * schema). Each value is checked by the core, and nothing changes on error.
   */
  applyConfig(patch) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new InvalidArgumentError('applyConfig takes an object of setting names to values');
    }
    guard(() => this._native.applyConfig(patchJson(patch)));
  }

  /** Every setting's current value by its name (durations in seconds; secrets masked). */
  get settings() {
    return JSON.parse(guard(() => this._native.settings()));
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
    return this.settings.api_base;
  }

  /**
   * Routes every call through a gateway: `{host, protocol, port, path_params_login, path_params_api}`.
   * `port` -1 (or none) means the protocol's default. A falsy value removes the gateway.
   */
  setGateway(gateway) {
    if (!gateway) return this.applyConfig({ 'gateway.host': '' });
    if (gateway.username || gateway.password) {
      // Not sent anywhere: refusing them beats dropping credentials the caller expects to be used.
      throw new InvalidArgumentError(
        'setGateway username/password are not supported: send what the gateway needs with setDefaultHeaders, ' +
          'or use setProxyAgent for a proxy with credentials',
      );
    }
    if (typeof gateway !== 'object') throw new InvalidArgumentError('setGateway takes {host, protocol, port, path_params_login, path_params_api}');
    // -1 (the official SDK's "no port") or none: the protocol's default.
    if (str(gateway.host).trim() === '') {
      // An empty host removes the gateway in the schema; here it is a mistake (null removes it).
      throw new ConfigurationError('gateway.host must not be empty (setGateway(null) removes the gateway)', { kind: 'configuration' });
    }
    const given = num(gateway.port);
    this.applyConfig({
      gateway: {
        host: str(gateway.host),
        protocol: str(gateway.protocol || 'https'),
        port: given === -1 || given === undefined ? 0 : given,
        path_params_login: str(gateway.path_params_login || gateway.pathParamsLogin),
        path_params_api: str(gateway.path_params_api || gateway.pathParamsApi),
      },
    });
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
    this.setProxy(proxy);
  }

  /**
   * A proxy URL with optional credentials (given apart, or in the URL: `http://user:pass@proxy:3128`);
   * `null` removes it. The credentials never appear in the settings or in error messages.
   */
  setProxy(url, username, password) {
    if (!url) return this.applyConfig({ 'proxy.url': '' });
    const split = splitProxyUrl(url);
    const user = username === undefined || username === null ? split.username : str(username);
    const pass = password === undefined || password === null ? split.password : str(password);
    this.applyConfig({ proxy: { url: split.url, username: user || '', password: pass || '' } });
  }

  /** Client certificate, key and (optional) extra CA for mutual TLS, from PEM files. */
  setMTLSCertificates(certPath, keyPath, caPath) {
    const read = (p) => {
      if (!p) return undefined;
      try {
        return fs.readFileSync(str(p), 'utf8');
      } catch (e) {
        if (e instanceof InvalidArgumentError) throw e;
        throw new ConfigurationError(`cannot read the PEM file ${str(p)}: ${e.code || e.message}`, { kind: 'configuration' });
      }
    };
    this.setMTLSContents(read(certPath), read(keyPath), read(caPath));
  }

  /** Client certificate, key and (optional) extra CA for mutual TLS, as PEM text; nulls remove them. */
  setMTLSContents(certContent, keyContent, caContent) {
    const tls = { client_cert_pem: certContent ? String(certContent) : '', client_key_pem: keyContent ? String(keyContent) : '' };
    if (caContent) tls.extra_ca_pem = [String(caContent)];
    this.applyConfig({ tls });
    // For pre-hooks written against the official agent (`config.httpsAgent.options.cert`); never the key.
    const agent = certContent ? { options: { cert: tls.client_cert_pem, ca: caContent ? String(caContent) : undefined } } : null;
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
    this.applyConfig({ 'tls.extra_ca_pem': list });
  }

  /** Headers sent with every request (per-call `customHeaders` override them). */
  setDefaultHeaders(headers) {
    this.applyConfig({ default_headers: headerObject(headers, 'default headers') || {} });
  }

  get defaultHeaders() {
    return this.settings.default_headers;
  }

  /** Request timeout in milliseconds (default 16000). */
  get timeout() {
    return this.settings.timeout * 1000;
  }

  set timeout(ms) {
    this.applyConfig({ timeout: msToSeconds(ms) });
  }

  /**
   * Retry settings (times in milliseconds): `{maxRetries, retryWaitMin, retryWaitMax,
   * maxTotalWait, statuses, retryNonIdempotent, onRetry(event)}`. `maxRetries: 0` turns retries off.
   */
  /**
   * @param {{ maxRetries?: number, retryWaitMin?: number, retryWaitMax?: number, maxTotalWait?: number,
   *   statuses?: number[] | null, retryNonIdempotent?: boolean, onRetry?: ((event: any) => unknown) | null }} opts
   */
  setRetryConfig(opts = {}) {
    if (opts === null || typeof opts !== 'object') throw new InvalidArgumentError('setRetryConfig takes an object of retry settings');
    const statuses = opts.statuses;
    this.applyConfig({
      retry: {
        max_retries: num(opts.maxRetries),
        wait_min: msToSeconds(opts.retryWaitMin),
        wait_max: msToSeconds(opts.retryWaitMax),
        max_total_wait: msToSeconds(opts.maxTotalWait),
        statuses: Array.isArray(statuses) ? statuses.map(num) : statuses === null ? undefined : statuses,
        retry_non_idempotent: opts.retryNonIdempotent === undefined ? undefined : Boolean(opts.retryNonIdempotent),
      },
    });
    if ('onRetry' in opts && opts.onRetry && typeof opts.onRetry !== 'function') {
      throw new InvalidArgumentError('onRetry must be a function or null');
    }
    if ('onRetry' in opts) {
      const fn = opts.onRetry;
      guard(() => this._native.setRetryHook(fn ? (ev) => safely(fn, ev) : null));
    }
  }

  /**
   * The core's request hook: called once per API call, with the request as built
   * `{operationId, method, url, path, query, headers, body, httpsAgent?}`; changes to `url`,
   * `headers` and `body` (or a returned object) are what is sent, retries included.
   */
  setPreHook(fn) {
    if (fn !== null && typeof fn !== 'function') throw new InvalidArgumentError('setPreHook takes a function or null');
    this.preHook = fn;
    guard(() => this._native.setRequestHook(fn ? (r) => this._runPreHook(r) : null));
  }

  /** Adapts the user's pre-hook to the core's request hook: plain values in, the change out. */
  async _runPreHook(r) {
    try {
      const headers = {};
      for (const [k, v] of r.headers) headers[k] = v;
      const type = r.headers.find(([k]) => k.toLowerCase() === 'content-type');
      let parsed = r.body;
      if (typeof r.body === 'string' && type && /json/i.test(type[1])) {
        try {
          parsed = JSON.parse(r.body);
        } catch (_) {
          parsed = r.body;
        }
      }
      // As the official hook has it: the URL without its query, and the query as pairs.
      const u = new URL(r.url);
      const base = r.url.split('?')[0];
      const query = [...u.searchParams];
      const queryBefore = JSON.stringify(query);
      const req = { operationId: r.operationId || '', method: r.method, url: base, path: u.pathname, query, headers, body: parsed };
      const agent = /** @type {any} */ (this)._mtlsAgent;
      if (agent) /** @type {any} */ (req).httpsAgent = agent;
      const hook = this.preHook;
      const changed = (hook && (await hook(req))) || req;
      // A parsed body may have been changed in place: it is sent as it is now, and the
      // original text is kept when it still says the same.
      let body = changed.body;
      if (Buffer.isBuffer(body)) body = body.toString('utf8');
      else if (body !== undefined && body !== null && typeof body !== 'string') body = toJson(body, 'the body');
      if (parsed !== r.body && typeof body === 'string' && typeof r.body === 'string' && body === toJson(JSON.parse(r.body), 'the body')) body = r.body;
      const out = headerObject(changed.headers, 'the pre-hook headers') || {};
      let url = str(changed.url);
      const pairs = Array.isArray(changed.query) ? changed.query.map(([k, v]) => [str(k), str(v)]) : [];
      if (url === base && JSON.stringify(pairs) === queryBefore) url = r.url;
      else if (!url.includes('?') && pairs.length) url += `?${new URLSearchParams(pairs)}`;
      return { url, headers: Object.entries(out), body: body === null ? undefined : body };
    } catch (e) {
      // Kept here and thrown again from the call, as the official SDK lets it through.
      const id = String(++hookErrorIds);
      hookErrors.set(id, e);
      return { url: r.url, headers: r.headers, error: `#${id}` };
    }
  }

  /**
   * The core's response hook: called after every attempt of an API call (a retried 503
   * and then the 200 are two calls), with the extended shape of that attempt
   * (`{status, statusText, headers, body, text, error, correlationId, rateLimit, attempts}`;
   * `error` is the attempt's error or null, `status` 0 when no reply came). An object it
   * returns for the successful attempt replaces what the call resolves with; a throw
   * rejects the call with what was thrown.
   */
  setPostHook(fn) {
    if (fn !== null && typeof fn !== 'function') throw new InvalidArgumentError('setPostHook takes a function or null');
    this.postHook = fn;
    guard(() => this._native.setResponseHook(fn ? (r) => this._runPostHook(r) : null));
  }

  /** Adapts the user's post-hook to the core's response hook: one attempt in, nothing out (or the throw). */
  async _runPostHook(r) {
    try {
      const error = r.error ? fromFields(r.error) : null;
      const extended = r.response
        ? extendedResponse(r.response, error, false)
        : { status: 0, statusText: '', headers: {}, body: undefined, text: undefined, error, correlationId: undefined, rateLimit: undefined, attempts: r.attempt };
      const hook = this.postHook;
      const out = hook ? await hook(extended) : undefined;
      if (!error && r.response) {
        // What the call resolves with (see _finish): the successful attempt ends the call.
        postHookResults.set(postHookKey(r.response), out && typeof out === 'object' ? out : extended);
        if (postHookResults.size > 1000) postHookResults.delete(postHookResults.keys().next().value);
      }
      return {};
    } catch (e) {
      // Kept here and thrown again from the call, as the official SDK lets it through.
      const id = String(++hookErrorIds);
      hookErrors.set(id, e);
      return { error: `#${id}` };
    }
  }

  // ---- tokens ----

  /** Uses this token; `expiresInSeconds` (0 to 10,000,000) says when it expires. */
  setAccessToken(token, expiresInSeconds) {
    const expires = numArg('expiresInSeconds', expiresInSeconds);
    guard(() => this._native.setAccessToken(str(token), expires));
  }

  /** `{accessToken, refreshToken?, tokenExpiryTime, tokenExpiryTimeString}`, renewed tokens included. */
  get authData() {
    return authData(this._nativeClient ? guard(() => this._native.authData()) : null);
  }

  /** When the token expires, in milliseconds since the epoch (undefined when unknown). */
  get tokenExpiryTime() {
    return this.authData.tokenExpiryTime;
  }

  /** Called with `authData` after every login and every renewal; never keeps the process alive. */
  setTokenCallback(fn) {
    if (fn && typeof fn !== 'function') throw new InvalidArgumentError('setTokenCallback takes a function or null');
    guard(() => this._native.setTokenCallback(fn ? (a) => safely(fn, authData(a)) : null));
  }

  /** Forgets the token and the credentials kept for renewing it. */
  logout() {
    if (this._nativeClient) guard(() => this._native.logout());
  }

  /** Runs a grant: `start()` calls the addon; a thrown or returned error rejects typed. */
  async _grant(start) {
    const outcome = await guarded(start);
    if (outcome.error) throw fromFields(outcome.error);
    return authData(outcome.auth);
  }

  loginClientCredentialsGrant(clientId, clientSecret) {
    return this._grant(() => this._net.loginClientCredentials(str(clientId), str(clientSecret)));
  }

  loginSaml2BearerGrant(clientId, clientSecret, orgName, assertion) {
    return this._grant(() => this._net.loginSaml2Bearer(str(clientId), str(clientSecret), str(orgName), str(assertion)));
  }

  loginCodeAuthorizationGrant(clientId, clientSecret, authCode, redirectUri) {
    return this._grant(() => this._net.loginCode(str(clientId), str(clientSecret), str(authCode), str(redirectUri)));
  }

  refreshCodeAuthorizationGrant(clientId, clientSecret, refreshToken) {
    return this._grant(() => this._net.refreshCode(str(clientId), str(clientSecret), str(refreshToken)));
  }

  /** Exchanges a PKCE authorization code (no client secret). */
  authorizePKCEGrant(clientId, codeVerifier, authCode, redirectUri) {
    return this._grant(() => this._net.loginPkce(str(clientId), str(authCode), str(codeVerifier), str(redirectUri)));
  }

  /** A random PKCE code verifier of `nChar` characters (43 to 128). */
  generatePKCECodeVerifier(nChar = 128) {
    const n = numArg('nChar', nChar);
    return guard(() => native.load().generateCodeVerifier(n === undefined ? 128 : n));
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
    /** @type {Record<string, any>} */
    const o = opts && typeof opts === 'object' ? opts : {};
    const strs = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined || v === null ? undefined : str(v)]));
    return guard(() => this._native.authorizeUrl(strs(authorizeRequest(str(clientId), str(redirectUri), o.responseType || 'token', o))));
  }

  /** Uses the token of an implicit-grant redirect (`...#access_token=...`), checking `state` when given. */
  handleImplicitGrantRedirect(redirectUrl, expectedState) {
    const outcome = guard(() => this._native.loginImplicitRedirect(str(redirectUrl), expectedState ? str(expectedState) : undefined));
    if (outcome.error) throw fromFields(outcome.error);
    return authData(outcome.auth);
  }

  /** The `code` of an authorization-code redirect, checking `state` when given. */
  parseCodeRedirect(redirectUrl, expectedState) {
    const outcome = guard(() => native.load().parseCodeRedirect(str(redirectUrl), expectedState ? str(expectedState) : undefined));
    if (outcome.error) throw fromFields(outcome.error);
    return outcome.code;
  }

  /**
   * Implicit grant for desktop and webview apps. Give either `opts.redirectUrl` (the URL the
   * webview was sent to) with `opts.state`, or `opts.openAuthorizeUrl(url)`, a function that shows
   * the authorize URL and resolves with the redirect URL. Resolves with `authData`.
   */
  async loginImplicitGrant(clientId, redirectUri, opts = {}) {
    opts = opts && typeof opts === 'object' ? opts : {};
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
    opts = opts && typeof opts === 'object' ? opts : {};
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
    const signal = abortSignal(opts);
    const headers = headerObject(opts && opts.customHeaders, 'customHeaders');
    const json = toJson(params, 'the parameters');
    if (!signal) return this._finish(await guarded(() => this._net.call(str(operationId), json, headers)));
    return this._finish(await this._abortable(signal, (id) => this._net.call(str(operationId), json, headers, id)));
  }

  /**
   * Runs a native call that `signal` may stop: its abort makes the core drop the call
   * (`cancelCall`), and the call rejects with an `AbortError`.
   */
  async _abortable(signal, start) {
    if (signal.aborted) throw abortError(signal);
    const id = (nextCancelId = (nextCancelId % 0xfffffffe) + 1);
    const onAbort = () => this._native.cancelCall(id);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await guarded(() => start(id));
      if (!outcome.response && !outcome.error) throw abortError(signal);
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
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
    const outcome = await guarded(() =>
      this._net.request({
        method: str(req.method || 'GET'),
        path: str(req.path),
        query,
        headers: headerObject(req.headers, 'headers'),
        body: body === null ? undefined : body,
        contentType: req.contentType === undefined || req.contentType === null ? undefined : str(req.contentType),
        auth: req.auth === undefined || req.auth === null ? undefined : Boolean(req.auth),
      }),
    );
    return this._finish(outcome);
  }

  async _finish(outcome) {
    if (outcome.error) {
      const thrown = /^the (?:pre|post)-hook threw: #(\d+)$/.exec(outcome.error.message || '');
      if (thrown && hookErrors.has(thrown[1])) {
        const e = hookErrors.get(thrown[1]);
        hookErrors.delete(thrown[1]);
        throw e;
      }
      throw fromFields(outcome.error);
    }
    const r = outcome.response;
    let extended = extendedResponse(r, null, r.json);
    if (this.postHook) {
      // The post-hook saw this reply as the call's last attempt (the core's response hook).
      const key = postHookKey(r);
      if (postHookResults.has(key)) {
        extended = postHookResults.get(key);
        postHookResults.delete(key);
      }
    }
    return this.returnExtended ? extended : extended.body;
  }
}

/** The extended shape of a reply (`json`: the addon checked that the body is JSON). */
function extendedResponse(r, error, json) {
  const text = typeof r.body === 'string' ? r.body : undefined;
  return {
    status: r.status,
    statusText: r.statusText,
    headers: replyHeaders(r.headers),
    body: text === undefined ? r.body : text.trim() === '' ? undefined : json ? JSON.parse(text) : parseBody(text, r.contentType),
    text,
    error,
    correlationId: r.correlationId,
    rateLimit: r.rateLimit,
    attempts: r.attempts,
  };
}

/** What the post-hook made of each call's successful attempt, until the call resolves with it. */
const postHookResults = new Map();

/** The reply's identity between the response hook and the call's outcome. */
function postHookKey(r) {
  return r.correlationId ? `cid ${r.correlationId}` : `${r.status} ${typeof r.body === 'string' ? r.body : ''}`;
}

function str(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'symbol' || typeof v === 'function' || (typeof v === 'object' && !(v instanceof URL) && !(v instanceof String))) {
    throw new InvalidArgumentError(`expected a string, not ${describeValue(v)}`);
  }
  return String(v);
}

/**
 * A proxy URL without its credentials, and the credentials apart: the core keeps them as
 * secrets, and neither settings views nor error messages ever show them. A URL that does
 * not parse is refused without quoting it (it may hold a password).
 */
function splitProxyUrl(proxy) {
  let url;
  try {
    url = new URL(str(proxy));
  } catch (_) {
    url = null;
  }
  // Not quoted: a URL without a host (`user:pass@proxy:3128` reads as scheme `user:`) may hold a password.
  if (!url || !url.host) {
    throw new ConfigurationError('the proxy URL must be http://host:port or https://host:port (with user:password@ before the host if needed)', { kind: 'configuration' });
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  return { url: url.toString().replace(/\/$/, ''), username, password };
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

module.exports = { ApiClient, AuthData };
