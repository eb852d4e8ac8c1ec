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

/**
 * Defines get/set accessors that map an official name to a setting of the core's schema
 * (`[setting, toSetting, fromSetting]`): reading reads the setting, assigning applies a
 * one-setting patch.
 */
function accessors(target, client, map) {
  for (const [name, [setting, to, from]] of Object.entries(map)) {
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => (from ? from : (v) => v)(client.settings[setting]),
      set: (v) => client.applyConfig({ [setting]: to ? to(v) : v }),
    });
  }
}

const bool = (v) => v === true || v === 'true';
const str = (v) => (v === undefined || v === null ? '' : String(v));
/** A number, or the value as it is for the core to refuse by name. */
const number = (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
/** The official Node SDK's milliseconds, as the schema's seconds, and back. */
const fromMs = (v) => {
  const n = number(v);
  return typeof n === 'number' ? n / 1000 : n;
};
const toMs = (s) => s * 1000;

class Logger {
  constructor(client) {
    this.logLevelEnum = logLevelEnum;
    this.logFormatEnum = logFormatEnum;
    Object.defineProperty(this, '_client', { value: client });
    accessors(this, client, {
      log_level: ['logging.log_level', str],
      log_format: ['logging.log_format', str],
      log_to_console: ['logging.log_to_console', bool],
      log_file_path: ['logging.log_file_path', str, (v) => v || undefined],
      log_request_body: ['logging.log_request_body', bool],
      log_response_body: ['logging.log_response_body', bool],
    });
  }

  /**
   * Applies the logger settings. Assignments to `log_*` already take effect;
   * this exists because code written for the official SDK calls it.
   */
  setLogger() {
    guard(() => this._client._native.settings());
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
      refresh_access_token: ['refresh.refresh_access_token', bool],
      // Seconds, really (the official SDK waits that many milliseconds).
      refresh_token_wait_max: ['refresh.refresh_token_wait_max', number],
      live_reload_config: ['live_reload_config', bool],
      // How often the config file is checked for changes, in ms (default 1000).
      live_reload_interval_ms: ['config_poll_interval', fromMs, toMs],
      // The bound on a whole login or renewal, retries included, in ms (default 16000).
      auth_timeout: ['auth_timeout', fromMs, toMs],
      // Seconds before expiry a token is renewed (default 30; at most half its lifetime).
      token_expiry_margin: ['refresh.expiry_margin', number],
    });
  }

  /** Reads settings from this INI or JSON file now, and on every change while live reload is on. */
  setConfigPath(path) {
    this._client.applyConfig({ config_file: path ? String(path) : 'none' });
  }

  /** The config file in use, if any. */
  get configPath() {
    return this._client.settings.config_path ?? undefined;
  }

  /** The error that made the config file be rejected (previous settings kept), or null. */
  get configFileError() {
    const e = guard(() => this._client._native.configFileError());
    return e ? fromFields(e) : null;
  }

  get basePath() {
    return this._client.settings.api_base;
  }

  get authUrl() {
    return this._client.settings.login_base;
  }
}

module.exports = { Configuration, Logger, logLevelEnum, logFormatEnum, safely };
