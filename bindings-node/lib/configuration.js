// @ts-check
'use strict';
// `apiClient.config`: the official SDK's Configuration names
// (`refresh_access_token`, `refresh_token_wait_max`, `live_reload_config`,
// `setConfigPath`, `logger.*`). Every property reads and writes the native
// client's settings, so values set in code and values from the config file
// are one and the same.

const { guard, fromFields } = require('./errors');
const OFFICIAL_NAMES = require('./official-names');

/**
 * The ApiClient an object is bound to (a non-enumerable `_client`).
 * @param {object} o
 * @returns {any}
 */
const clientOf = (o) => /** @type {any} */ (o)._client;

const logLevelEnum = Object.freeze({
  level: Object.freeze({ LTrace: 'trace', LDebug: 'debug', LError: 'error', LNone: 'none' }),
});
const logFormatEnum = Object.freeze({
  formats: Object.freeze({ JSON: 'json', TEXT: 'text' }),
});

/** @param {unknown} v */
const bool = (v) => v === true || v === 'true';
/** @param {unknown} v */
const str = (v) => (v === undefined || v === null ? '' : String(v));
/**
 * A number, or the value as it is for the core to refuse by name.
 * @param {unknown} v
 */
const number = (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
/**
 * The official Node SDK's milliseconds, as the schema's seconds.
 * @param {unknown} v
 */
const fromMs = (v) => {
  const n = number(v);
  return typeof n === 'number' ? n / 1000 : n;
};
/** @param {number} s */
const toMs = (s) => s * 1000;

/**
 * The conversions the generated table names (core/src/config/official.rs):
 * `[toSetting, fromSetting]`.
 * @type {Record<string, [(v: any) => unknown, ((v: any) => unknown) | null]>}
 */
const CONVERSIONS = {
  bool: [bool, null],
  number: [number, null],
  text: [str, null],
  path: [str, (v) => v || undefined],
  millis: [fromMs, toMs],
};

/**
 * Defines get/set accessors for the official names of `owner` in the generated table
 * (lib/official-names.js) on `target`: reading reads the setting, assigning applies a
 * one-setting patch.
 * @param {object} target
 * @param {{ settings: Record<string, any>, applyConfig(patch: object): void }} client
 * @param {'Configuration' | 'Logger'} owner
 */
function accessors(target, client, owner) {
  for (const [name, [setting, conversion]] of Object.entries(OFFICIAL_NAMES[owner])) {
    const found = CONVERSIONS[conversion];
    if (!found) throw new Error(`official name ${owner}.${name}: no conversion '${conversion}' in configuration.js`);
    const [to, from] = found;
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => (from ? from(client.settings[setting]) : client.settings[setting]),
      set: (v) => client.applyConfig({ [setting]: to(v) }),
    });
  }
}

class Logger {
  constructor(client) {
    this.logLevelEnum = logLevelEnum;
    this.logFormatEnum = logFormatEnum;
    Object.defineProperty(this, '_client', { value: client });
    // log_level, log_format, log_to_console, log_file_path, log_request_body, log_response_body.
    accessors(this, client, 'Logger');
  }

  /**
   * Applies the logger settings. Assignments to `log_*` already take effect;
   * this exists because code written for the official SDK calls it.
   */
  setLogger() {
    guard(() => clientOf(this)._native.settings());
  }

  /**
   * Hands every log line to `fn(level, line)` as well (or instead of the
   * console, with `log_to_console = false`). `null` removes it. The sink
   * never keeps the process alive.
   */
  setLogSink(fn) {
    if (fn && typeof fn !== 'function') throw fromFields({ kind: 'invalid_argument', message: 'setLogSink takes a function or null' });
    const sink = fn ? (entry) => safely(fn, entry.level, entry.line) : null;
    guard(() => clientOf(this)._native.setLogSink(sink));
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
    // refresh_access_token, refresh_token_wait_max, live_reload_config,
    // live_reload_interval_ms, auth_timeout, token_expiry_margin.
    accessors(this, client, 'Configuration');
  }

  /** Reads settings from this INI or JSON file now, and on every change while live reload is on. */
  setConfigPath(path) {
    clientOf(this).applyConfig({ config_file: path ? String(path) : 'none' });
  }

  /** The config file in use, if any. */
  get configPath() {
    return clientOf(this).settings.config_path ?? undefined;
  }

  /** The error that made the config file be rejected (previous settings kept), or null. */
  get configFileError() {
    const e = guard(() => clientOf(this)._native.configFileError());
    return e ? fromFields(e) : null;
  }

  get basePath() {
    return clientOf(this).settings.api_base;
  }

  get authUrl() {
    return clientOf(this).settings.login_base;
  }
}

module.exports = { Configuration, Logger, logLevelEnum, logFormatEnum, safely };
