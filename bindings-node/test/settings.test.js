'use strict';
// Settings by the core's schema: applyConfig takes purecore's setting names (flat or by
// section), the official setters are patches of it, and errors use the core's words.
const test = require('node:test');
const assert = require('node:assert/strict');
require('./helpers');
const platformClient = require('..');
const { ApiClient, ConfigurationError } = platformClient;

function offline() {
  const client = new ApiClient();
  client.config.setConfigPath(null);
  return client;
}

test('settings: applyConfig takes the schema names, flat or by section, and settings reads them back', () => {
  const client = offline();
  client.applyConfig({ 'retry.max_retries': 7, logging: { log_level: 'debug' }, max_response_body_bytes: 4096, timeout: 2.5 });
  const s = client.settings;
  assert.equal(s['retry.max_retries'], 7);
  assert.equal(s['logging.log_level'], 'debug');
  assert.equal(s.max_response_body_bytes, 4096);
  assert.equal(client.timeout, 2500, 'the official setter reads the same setting in milliseconds');
  assert.equal(client.config.logger.log_level, 'debug', 'and so does the official logger name');
  client.config.logger.log_level = 'trace';
  assert.equal(client.settings['logging.log_level'], 'trace');
  client.applyConfig({ 'retry.max_retries': null, max_response_body_bytes: null });
  assert.equal(client.settings['retry.max_retries'], 3, 'null restores the default');
  assert.equal(client.settings.max_response_body_bytes, 256 * 1024 * 1024);
});

test('settings: a bad value is refused in the core words, naming the setting, and nothing changes', () => {
  const client = offline();
  const refused = (patch, message) =>
    assert.throws(() => client.applyConfig(patch), (e) => e instanceof ConfigurationError && e.message === message, message);
  refused({ 'retry.max_retries': -1, timeout: 1 }, 'retry.max_retries must be a whole number from 0 to 100, not -1');
  refused({ timeout: NaN }, "timeout must be a number of seconds from 0 to 10000000, not 'NaN'");
  refused({ logging: { log_level: 'loud' } }, "logging.log_level must be one of trace, debug, error, none, not 'loud'");
  refused({ 'proxy.password': 3 }, 'proxy.password must be a string, not [REDACTED]');
  assert.throws(() => client.applyConfig({ 'retry.max_retry': 1 }), (e) => e instanceof ConfigurationError && /unknown setting 'retry.max_retry'/.test(e.message));
  assert.equal(client.timeout, 16000, 'nothing changed');
});
