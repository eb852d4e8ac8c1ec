// @ts-check
'use strict';
// Error classes. The core reports an error as plain fields (kind, status,
// code, ...); this file turns them into Error subclasses that also carry the
// fields the official SDK puts on its rejections (status, statusText,
// headers, body, text, error) and the Genesys error body's own fields.
// Header values that carry credentials (Set-Cookie, Authorization...) read as
// they are, but print masked (see `Headers`).

const util = require('util');
const { ERROR_KINDS } = require('../generated/tables.js');

const MASK = '[redacted]';
/** Headers whose values are credentials: masked whenever the headers are printed. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'set-cookie', 'cookie', 'x-amz-security-token']);

/**
 * A reply's headers: a plain-looking object (`headers['content-type']`). The values of
 * credential headers (Set-Cookie, Authorization...) read as they are but are kept out of
 * sight: they are not own data properties (so no printer, not even `console.dir`, finds
 * them), and `util.inspect`, `console.log`, `JSON.stringify` and `String()` show them masked.
 */
class Headers {
  #secret = new Map();

  constructor(h) {
    if (!h) return;
    for (const [k, v] of Object.entries(h)) {
      if (!SECRET_HEADERS.has(k.toLowerCase())) {
        this[k] = v;
        continue;
      }
      this.#secret.set(k, v);
      Object.defineProperty(this, k, { get: () => this.#secret.get(k), enumerable: false, configurable: true });
    }
  }

  toJSON() {
    const out = { ...this };
    for (const k of this.#secret.keys()) out[k] = MASK;
    return out;
  }

  toString() {
    return JSON.stringify(this);
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Headers ${(inspect || util.inspect)(this.toJSON(), options)}`;
  }
}

function headers(h) {
  return h instanceof Headers ? h : new Headers(h);
}

class ApiError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = new.target.name;
    this.kind = fields.kind || 'http_status';
    this.status = fields.status;
    this.statusText = fields.statusText;
    this.headers = headers(fields.headers);
    this.text = fields.text;
    this.body = parseBody(fields.text, this.headers['content-type']);
    this.code = fields.code;
    this.contextId = fields.contextId;
    this.correlationId = fields.correlationId;
    this.retryAfter = fields.retryAfter;
    this.oauthError = fields.oauthError;
    this.oauthErrorDescription = fields.oauthErrorDescription;
    this.retryable = Boolean(fields.retryable);
    this.error = this;
    // The Genesys error body's other fields (messageParams, details, errors...).
    if (this.body && typeof this.body === 'object' && !Array.isArray(this.body)) {
      for (const [k, v] of Object.entries(this.body)) {
        if (!(k in this)) this[k] = v;
      }
    }
  }

  toJSON() {
    const { name, message, kind, status, statusText, code, contextId, correlationId, retryAfter, body } = this;
    return { name, message, kind, status, statusText, code, contextId, correlationId, retryAfter, body };
  }
}

class AuthenticationError extends ApiError {}
class RateLimitError extends ApiError {}
class TimeoutError extends ApiError {}
class ConnectionError extends ApiError {}
class InvalidArgumentError extends ApiError {}
class ConfigurationError extends InvalidArgumentError {}
/** The reply's body is not what the operation declares (e.g. HTML instead of JSON). */
class DecodingError extends ApiError {}
/** A bug in purecore (a panic in the addon), reported instead of crashing the process. */
class InternalError extends ApiError {}

const byKind = {
  authentication: AuthenticationError,
  rate_limited: RateLimitError,
  timeout: TimeoutError,
  connection: ConnectionError,
  invalid_argument: InvalidArgumentError,
  configuration: ConfigurationError,
  decoding: DecodingError,
  internal: InternalError,
};

function parseBody(text, contentType) {
  if (text === undefined || text === null || text === '') return text;
  if (contentType && !/json/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (_) {
    return text;
  }
}

/** An Error subclass from the core's error fields. */
function fromFields(fields) {
  const Cls = byKind[fields.kind] || ApiError;
  return new Cls(fields.message, fields);
}

const KINDS = new Set(/** @type {readonly string[]} */ (ERROR_KINDS));

/**
 * A typed error from one thrown by a native method: its `code` is the core's
 * error kind, or a napi status when a value could not be converted (an
 * argument of the wrong type: `invalid_argument`). Anything else thrown inside
 * the SDK's own code is a bug: `internal`.
 */
function fromThrown(e) {
  if (e instanceof ApiError) return e;
  const code = e instanceof Error ? /** @type {Error & { code?: unknown }} */ (e).code : undefined;
  if (e instanceof Error && typeof code === 'string') {
    if (KINDS.has(code)) return fromFields({ kind: code, message: e.message });
    return fromFields({ kind: 'invalid_argument', message: conversionMessage(e.message) });
  }
  const message = e instanceof Error ? e.message : String(e);
  // A TypeError or RangeError here comes from converting the caller's argument.
  if (e instanceof TypeError || e instanceof RangeError) return new InvalidArgumentError(message, { kind: 'invalid_argument' });
  return new InternalError(`internal error in purecore (a bug; please report it): ${message}`, { kind: 'internal' });
}

/**
 * napi's message for a value of the wrong type quotes the value (`Object {"password": ...}`),
 * which may be a secret: keep only the expected type and where it was.
 */
function conversionMessage(message) {
  const m = /into rust type `([^`]+)`(.*)$/s.exec(String(message));
  if (!m) return 'an argument has the wrong type';
  const type = { String: 'a string', f64: 'a number', u32: 'a number', bool: 'a boolean' }[m[1]] || m[1];
  return `an argument has the wrong type: expected ${type}${m[2].trim() ? ` ${m[2].trim()}` : ''}`;
}

/** Calls a synchronous native method, converting what it throws. */
function guard(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromThrown(e);
  }
}

module.exports = {
  ApiError,
  AuthenticationError,
  RateLimitError,
  TimeoutError,
  ConnectionError,
  InvalidArgumentError,
  ConfigurationError,
  DecodingError,
  InternalError,
  Headers,
  headers,
  MASK,
  fromFields,
  fromThrown,
  guard,
  parseBody,
};
