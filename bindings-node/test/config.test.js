'use strict';
// Scenario config.reload: the config file (official keys) applies while running;
// a broken file keeps the settings and names the line; the watcher never keeps
// the process alive.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { platformClient, startEmulator, clientFor, home } = require('./helpers');

const { UsersApi, ConfigurationError } = platformClient;

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());

async function waitUntil(cond) {
  for (let i = 0; i < 200; i++) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

// scenario: config.reload
test('config.reload: changes apply while running; broken files are rejected with their line', async () => {
  const file = path.join(home, 'live.ini');
  fs.writeFileSync(file, '[logging]\nlog_level = debug\nlog_to_console = false\n[retry]\nretry_max = 5\n');
  const client = clientFor(emu);
  client.config.refresh_token_wait_max = 3; // set in code, absent from the file
  client.config.live_reload_interval_ms = 30;
  client.config.setConfigPath(file);
  assert.equal(client.config.configPath, file);
  assert.equal(client.config.logger.log_level, 'debug');
  assert.equal(client.config.live_reload_config, true);

  fs.writeFileSync(file, '[logging]\nlog_level = trace\nlog_to_console = false\n[retry]\nretry_max = 1\n');
  assert.ok(await waitUntil(() => client.config.logger.log_level === 'trace'), 'the change was applied');
  assert.equal(client.config.refresh_token_wait_max, 3, 'absent keys keep the values set in code');

  // The new retry_max is in force for calls.
  await client.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  await emu.reset();
  await emu.fault({ kind: 'status', status: 500, count: 5 });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => e.status === 500);
  assert.equal((await emu.requests()).filter((r) => r.path === '/api/v2/users/me').length, 2);

  fs.writeFileSync(file, '[logging]\nlog_level = loud\n[retry]\nretry_max = 9\n');
  assert.ok(await waitUntil(() => client.config.configFileError !== null), 'the broken file was noticed');
  const e = client.config.configFileError;
  assert.ok(e instanceof ConfigurationError);
  assert.match(e.message, /:2:.*log_level/);
  assert.equal(client.config.logger.log_level, 'trace', 'previous settings kept');

  fs.writeFileSync(file, '{\n "logging": {"log_level": "error"}\n}\n');
  assert.ok(await waitUntil(() => client.config.logger.log_level === 'error'), 'JSON applies too');
  assert.equal(client.config.configFileError, null);
  client.config.live_reload_config = false;
});

test('config: setConfigPath to a broken file throws with the line and keeps the settings', () => {
  const good = path.join(home, 'good.ini');
  const bad = path.join(home, 'bad.ini');
  fs.writeFileSync(good, '[general]\nhost = mypurecloud.de\nlive_reload_config = false\n');
  fs.writeFileSync(bad, '[general\nhost = mypurecloud.jp\n');
  const client = new platformClient.ApiClient();
  client.config.setConfigPath(good);
  assert.equal(client.config.basePath, 'https://api.mypurecloud.de');
  assert.throws(() => client.config.setConfigPath(bad), (e) => e instanceof ConfigurationError && /:1:/.test(e.message));
  assert.equal(client.config.basePath, 'https://api.mypurecloud.de');
});

test('config: the default file ~/.genesyscloudjavascript/config is read by a new client', () => {
  const dir = path.join(home, '.genesyscloudjavascript');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config'), '[general]\nhost = mypurecloud.ie\nlive_reload_config = false\n');
  try {
    const client = new platformClient.ApiClient();
    assert.equal(client.config.basePath, 'https://api.mypurecloud.ie');
    assert.equal(client.config.authUrl, 'https://login.mypurecloud.ie');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// scenario: config.reload
test('config.reload: a watching client with every callback set does not keep the process alive', () => {
  const file = path.join(home, 'child.ini');
  fs.writeFileSync(file, '[logging]\nlog_level = debug\nlog_to_console = false\n');
  const script = `
    const pc = require(${JSON.stringify(path.join(__dirname, '..'))});
    const c = new pc.ApiClient();
    c.config.setConfigPath(${JSON.stringify(file)});
    c.setEnvironment(${JSON.stringify(emu.url)});
    c.setTokenCallback(() => {});
    c.setRetryConfig({ onRetry: () => {} });
    c.config.logger.setLogSink(() => {});
    c.loginClientCredentialsGrant('emulator-client', 'emulator-secret')
      .then(() => new pc.UsersApi(c).getUsersMe())
      .then((me) => console.log('done', me.id));
  `;
  // The bound is a safety net for a hung child, not a timing assertion.
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, env: process.env });
  assert.equal(r.error, undefined, `the child did not exit on its own: ${r.error}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^done 00000000-0000-4000-8000-000000000001/);
});
