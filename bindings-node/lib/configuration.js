'use strict';
// `apiClient.config`: the official SDK's Configuration names
// (`refresh_access_token`, `refresh_token_wait_max`, `live_reload_config`,
// `setConfigPath`, `logger.*`). Every property reads and writes the native
// client's settings, so values set in code and values from the config file
// are one and the same.

const { guard, fromFields } = require('./errors');

const logLevelEnum = Object.freeze({
  level: Object.freeze({ LTrace: 'trace', LDebug: 'debug', LError: 'error', LNone: 'none' }),
});
const logFormatEnum = Object.freeze({
  formats: Object.freeze({ JSON: 'json', TEXT: 'text' }),
});

/** Defines get/set accessors that map `name` to a field of the native settings. */
function accessors(target, client, map) {
  for (const [name, [viewKey, patchKey, convert]] of Object.entries(map)) {
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => guard(() => client._native.config())[viewKey],
      set: (v) => guard(() => client._native.configure({ [patchKey]: convert ? convert(v) : v })),
    });
  }
}

const bool = (v) => v === true || v === 'true';
const str = (v) => (v === undefined || v === null ? '' : String(v));

class Logger {
  constructor(client) {
    this.logLevelEnum = logLevelEnum;
    this.logFormatEnum = logFormatEnum;
    Object.defineProperty(this, '_client', { value: client });
    accessors(this, client, {
      log_level: ['logLevel', 'logLevel', str],
      log_format: ['logFormat', 'logFormat', str],
      log_to_console: ['logToConsole', 'logToConsole', bool],
      log_file_path: ['logFilePath', 'logFilePath', str],
      log_request_body: ['logRequestBody', 'logRequestBody', bool],
      log_response_body: ['logResponseBody', 'logResponseBody', bool],
    });
  }

  /**
   * Applies the logger settings. Assignments to `log_*` already take effect;
   * this exists because code written for the official SDK calls it.
   */
  setLogger() {
    guard(() => this._client._native.config());
  }

  /**
   * Hands every log line to `fn(level, line)` as well (or instead of the
   * console, with `log_to_console = false`). `null` removes it. The sink
   * never keeps the process alive.
   */
  setLogSink(fn) {
    if (fn && typeof fn !== 'function') throw fromFields({ kind: 'invalid_argument', message: 'setLogSink takes a function or null' });
    const sink = fn ? (entry) => safely(fn, entry.level, entry.line) : null;
    guard(() => this._client._native.setLogSink(sink));
  }
}

/** Calls a user callback; an exception in it is reported, never thrown into the addon. */
function safely(fn, ...args) {
  try {
    const r = fn(...args);
    if (r && typeof r.catch === 'function') r.catch((e) => process.emitWarning(`purecore callback failed: ${e}`));
  } catch (e) {
    process.emitWarning(`purecore callback failed: ${e && e.stack ? e.stack : e}`);
  }
}

class Configuration {
  constructor(client) {
    Object.defineProperty(this, '_client', { value: client });
    this.logger = new Logger(client);
    accessors(this, client, {
      refresh_access_token: ['refreshAccessToken', 'refreshAccessToken', bool],
      // Seconds, really (the official SDK waits that many milliseconds).
      refresh_token_wait_max: ['refreshTokenWaitMaxSeconds', 'refreshTokenWaitMaxSeconds', Number],
      live_reload_config: ['liveReloadConfig', 'liveReloadConfig', bool],
      // How often the config file is checked for changes, in ms (default 1000).
      live_reload_interval_ms: ['configPollIntervalMs', 'configPollIntervalMs', Number],
      // The bound on a whole login or renewal, retries included, in ms (default 16000).
      auth_timeout: ['authTimeoutMs', 'authTimeoutMs', Number],
      // Seconds before expiry a token is renewed (default 30; at most half its lifetime).
      token_expiry_margin: ['expiryMarginSeconds', 'expiryMarginSeconds', Number],
    });
  }

  /** Reads settings from this INI or JSON file now, and on every change while live reload is on. */
  setConfigPath(path) {
    guard(() => this._client._native.configure({ configFile: path ? String(path) : 'none' }));
  }

  /** The config file in use, if any. */
  get configPath() {
    return guard(() => this._client._native.config()).configFile;
  }

  /** The error that made the config file be rejected (previous settings kept), or null. */
  get configFileError() {
    const e = guard(() => this._client._native.configFileError());
    return e ? fromFields(e) : null;
  }

  get basePath() {
    return guard(() => this._client._native.config()).apiBase;
  }

  get authUrl() {
    return guard(() => this._client._native.config()).loginBase;
  }
}

module.exports = { Configuration, Logger, logLevelEnum, logFormatEnum, safely };
