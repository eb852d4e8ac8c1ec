'use strict';
// PURECORE_* environment variables: read when a client's core is made (on first use), they fill in what the
// code left at its default. Each case runs in a child process (the environment is the
// process's), started with the variables set.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { startEmulator, creds } = require('./helpers');

const PKG = JSON.stringify(path.join(__dirname, '..'));

function child(script, env) {
  // The bound is a safety net for a hung child, not a timing assertion.
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  assert.equal(r.error, undefined, `the child did not exit on its own: ${r.error}`);
  return r;
}

// scenario: config.env
test('config.env: PURECORE_* variables take effect when the client is made; code wins over them', async () => {
  const emu = await startEmulator();
  try {
    const script = `
      const pc = require(${PKG});
      const c = new pc.ApiClient();
      const code = new pc.ApiClient();
      code.setRetryConfig({ maxRetries: 1 });
      c.loginClientCredentialsGrant(${JSON.stringify(creds.clientId)}, ${JSON.stringify(creds.clientSecret)})
        .then(() => new pc.UsersApi(c).getUsersMe())
        .then((me) => console.log(JSON.stringify({ me: me.id, s: c.settings, code: code.settings['retry.max_retries'] })));
    `;
    const r = child(script, {
      PURECORE_ENVIRONMENT: emu.url,
      PURECORE_RETRY_MAX_RETRIES: '6',
      PURECORE_TIMEOUT: '2.5',
      PURECORE_LOGGING_LOG_TO_CONSOLE: 'off',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.me, creds.userId, 'the call went to the environment named by PURECORE_ENVIRONMENT');
    assert.equal(out.s.api_base, emu.url.replace(/\/$/, ''));
    assert.equal(out.s['retry.max_retries'], 6);
    assert.equal(out.s.timeout, 2.5);
    assert.equal(out.s['logging.log_to_console'], false);
    assert.equal(out.code, 1, 'a setting changed in code keeps the code value');
  } finally {
    emu.stop();
  }
});

test('config.env: a bad PURECORE_* value fails the client (made on first use) with a ConfigurationError naming the variable', () => {
  const script = `
    const pc = require(${PKG});
    try { new pc.ApiClient().settings; console.log('made'); }
    catch (e) { console.log(JSON.stringify({ name: e.constructor.name, ok: e instanceof pc.ConfigurationError, message: e.message })); }
  `;
  const r = child(script, { PURECORE_RETRY_MAX_RETRIES: 'lots', PURECORE_PROXY_PASSWORD: 'hunter2' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true, r.stdout);
  assert.equal(out.message, "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole number from 0 to 100, not 'lots'");
  const r2 = child(script, { PURECORE_PROXY_PASSWORD: 'hunter2' });
  const out2 = JSON.parse(r2.stdout);
  assert.match(out2.message, /PURECORE_PROXY_PASSWORD/);
  assert.doesNotMatch(r2.stdout + r2.stderr, /hunter2/);
});
