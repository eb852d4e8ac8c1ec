// @ts-check
'use strict';
// PlatformClient: the names of the token-refresh tutorial over ApiClient. It is an ApiClient
// (every official method works on it too) with its own settings and tokens, so both styles
// can be used in the same process. What it adds only adapts:
//  - setLoginClientCredentials keeps the credentials; the first call logs in (once, however
//    many calls start together) and the core renews the token from then on;
//  - calls resolve to the response (`{status, statusText, headers, body, ...}`), not the body;
//  - a failed authentication rejects with `status` 401 (the token endpoint's own status is
//    kept as `oauthStatus`);
//  - the tutorial's setter names map onto the core's settings.

const { ApiClient } = require('./api-client');
const { InvalidArgumentError } = require('./errors');

// Credentials live here, not on the object, so that inspecting or logging a client never
// shows the secret.
const credentials = new WeakMap();
const pendingLogin = new WeakMap();

const RETRY_POLICY_KEYS = ['maxRetries', 'initialDelayMs', 'maxDelayMs', 'retryStatusCodes'];
const PROXY_KEYS = ['host', 'port', 'username', 'password', 'protocol'];

function unknownKeys(what, value, known) {
  const extra = Object.keys(value).filter((k) => !known.includes(k));
  if (extra.length) {
    throw new InvalidArgumentError(`${what}: unknown ${extra.length === 1 ? 'key' : 'keys'} ${extra.join(', ')} (known: ${known.join(', ')})`);
  }
}

function plainObject(what, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`${what} takes an object`);
  }
}

/** An authentication failure as the tutorial checks for it: `err.status === 401`. */
function asAuthFailure(err) {
  if (err && err.kind === 'authentication' && err.status !== 401) {
    const own = err.status;
    // Refused credentials or no token at all. A token endpoint that is down (5xx) or a proxy
    // asking for its own credentials (407) is not a refused login: their status stays.
    if (own === undefined || own === null || own === 400 || own === 403) {
      err.oauthStatus = own;
      err.status = 401;
    }
  }
  return err;
}

class PlatformClient extends ApiClient {
  constructor() {
    super();
    this.returnExtended = true;
  }

  /**
   * Where to log in and with what: `environment` is `'https://api.mypurecloud.com'`,
   * `'api.mypurecloud.com'`, `'mypurecloud.com'`, a region name or a URL. Nothing is sent
   * now; the first API call logs in.
   */
  setLoginClientCredentials(environment, clientId, clientSecret) {
    for (const [name, v] of [['clientId', clientId], ['clientSecret', clientSecret]]) {
      if (typeof v !== 'string' || !v.trim()) {
        throw new InvalidArgumentError(`setLoginClientCredentials needs ${name} as a non-empty string`);
      }
    }
    if (environment !== undefined && environment !== null && environment !== '') this.setEnvironment(environment);
    // New credentials replace the token of the old ones at the next call.
    if (credentials.has(this)) super.logout();
    credentials.set(this, { clientId, clientSecret });
    pendingLogin.delete(this);
  }

  /** Logs in now with the credentials given to setLoginClientCredentials (calls do it by themselves). */
  login() {
    const creds = credentials.get(this);
    if (!creds) {
      return Promise.reject(new InvalidArgumentError('login: call setLoginClientCredentials first'));
    }
    let p = pendingLogin.get(this);
    if (!p) {
      p = this.loginClientCredentialsGrant(creds.clientId, creds.clientSecret).then(
        (auth) => {
          pendingLogin.delete(this);
          return auth;
        },
        (err) => {
          pendingLogin.delete(this);
          throw asAuthFailure(err);
        },
      );
      pendingLogin.set(this, p);
    }
    return p;
  }

  /** The lazy login: only while there is no token and credentials were given. */
  async _ensureLogin() {
    if (!credentials.has(this) || this.authData.accessToken) return;
    await this.login();
  }

  async callOperation(operationId, params, opts) {
    try {
      await this._ensureLogin();
      return await super.callOperation(operationId, params, opts);
    } catch (err) {
      throw asAuthFailure(err);
    }
  }

  async request(req) {
    try {
      await this._ensureLogin();
      return await super.request(req);
    } catch (err) {
      throw asAuthFailure(err);
    }
  }

  /** Forgets the token and the credentials; calls fail with 401 until new ones are set. */
  logout() {
    credentials.delete(this);
    pendingLogin.delete(this);
    super.logout();
  }

  /**
   * `{maxRetries, initialDelayMs, maxDelayMs, retryStatusCodes}`: how 429/5xx replies and
   * failed connections are retried, token requests included. Keys left out keep their value.
   */
  setRetryPolicy(policy) {
    plainObject('setRetryPolicy', policy);
    unknownKeys('setRetryPolicy', policy, RETRY_POLICY_KEYS);
    const cfg = {};
    if (policy.maxRetries !== undefined) cfg.maxRetries = policy.maxRetries;
    if (policy.initialDelayMs !== undefined) cfg.retryWaitMin = policy.initialDelayMs;
    if (policy.maxDelayMs !== undefined) cfg.retryWaitMax = policy.maxDelayMs;
    if (policy.retryStatusCodes !== undefined) {
      if (!Array.isArray(policy.retryStatusCodes)) throw new InvalidArgumentError('setRetryPolicy retryStatusCodes takes an array of HTTP statuses');
      cfg.statuses = policy.retryStatusCodes;
    }
    this.setRetryConfig(cfg);
  }

  /** The bound on a whole login or renewal, retries included, in milliseconds. */
  setAuthenticationTimeout(ms) {
    /** @type {any} */ (this.config).auth_timeout = ms; // a property configuration.js defines at run time
  }

  /** `'trace'`, `'debug'`, `'error'` or `'none'`; lines go to stderr (see `config.logger`). */
  setLogLevel(level) {
    /** @type {any} */ (this.config.logger).log_level = level; // a property configuration.js defines at run time
  }

  /**
   * `{host, port, username, password, protocol}` (protocol `http` unless given); `null`
   * removes the proxy. The official form `setProxy(url, username, password)` works too.
   */
  setProxy(proxy, username, password) {
    if (proxy === null || proxy === undefined || typeof proxy === 'string' || proxy instanceof URL) {
      return super.setProxy(proxy, username, password);
    }
    plainObject('setProxy', proxy);
    unknownKeys('setProxy', proxy, PROXY_KEYS);
    if (typeof proxy.host !== 'string' || !proxy.host) throw new InvalidArgumentError('setProxy needs host, a non-empty string');
    const port = proxy.port === undefined || proxy.port === null ? undefined : Number(proxy.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new InvalidArgumentError(`setProxy port must be a whole number from 1 to 65535, not ${proxy.port}`);
    }
    const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
    const url = `${proxy.protocol || 'http'}://${host}${port === undefined ? '' : `:${port}`}`;
    return super.setProxy(url, proxy.username, proxy.password);
  }
}

module.exports = { PlatformClient, asAuthFailure };
