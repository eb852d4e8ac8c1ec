'use strict';
// Hardening: a panic in the addon is an InternalError (never an abort); numbers out of range
// are refused with the setting's name (never wrapped); a reply that is not the JSON its
// operation declares is a DecodingError carrying the reply.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const { spawnSync } = require('child_process');
const path = require('path');
const { platformClient, startEmulator, clientFor, loggedIn, creds } = require('./helpers');

const { ApiClient, UsersApi, ApiError, InternalError, DecodingError, ConfigurationError, InvalidArgumentError } = platformClient;
const { fromThrown, fromFields } = require('../lib/errors');

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());

function offline() {
  const client = new ApiClient();
  client.config.setConfigPath(null);
  return client;
}

test('panic: a panic in a synchronous or asynchronous native call is an InternalError, not an abort', async () => {
  const native = require('../lib/native').load();
  assert.equal(typeof native.testPanicSync, 'function', 'the debug addon has its panic probes');
  let thrown;
  try {
    native.testPanicSync('sync probe');
  } catch (e) {
    thrown = fromThrown(e);
  }
  assert.ok(thrown instanceof InternalError && thrown instanceof ApiError, `got ${thrown}`);
  assert.equal(thrown.kind, 'internal');
  assert.match(thrown.message, /internal error in purecore.*sync probe/);

  const outcome = await native.testPanic('async probe');
  assert.equal(outcome.response, undefined);
  const e = fromFields(outcome.error);
  assert.ok(e instanceof InternalError);
  assert.equal(e.kind, 'internal');
  assert.match(e.message, /async probe/);
  assert.doesNotMatch(e.message, /Panic in async function/);
});

test('panic: values that used to abort Node (exit 134) give a typed result in a child process', () => {
  const script = `
    const pc = require(${JSON.stringify(path.join(__dirname, '..'))});
    const c = new pc.ApiClient();
    c.config.setConfigPath(null);
    const out = [];
    const probe = (name, f) => {
      try { f(); out.push([name, 'ok']); } catch (e) { out.push([name, e instanceof pc.ApiError ? e.kind : 'untyped ' + e]); }
    };
    probe('setAccessToken 1e19', () => c.setAccessToken('tok', 1e19));
    probe('implicit expires_in 2^64-1', () => c.handleImplicitGrantRedirect('http://localhost/cb#access_token=a&expires_in=18446744073709551615'));
    probe('implicit expires_in 1e400', () => c.handleImplicitGrantRedirect('http://localhost/cb#access_token=a&expires_in=1e400'));
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `the child exited with ${r.status} (signal ${r.signal}): ${r.stderr}`);
  const out = Object.fromEntries(JSON.parse(r.stdout.trim().split('\n').pop()));
  assert.equal(out['setAccessToken 1e19'], 'configuration');
  // The core clamps a token lifetime to ten years.
  assert.equal(out['implicit expires_in 2^64-1'], 'ok');
  assert.ok(['ok', 'decoding', 'invalid_argument'].includes(out['implicit expires_in 1e400']), out['implicit expires_in 1e400']);
});

test('numbers: negative, fractional, NaN, infinite and too large settings are refused with their names', () => {
  const client = offline();
  const refused = (f, name) =>
    assert.throws(f, (e) => e instanceof ConfigurationError && e.kind === 'configuration' && e.message.includes(name), name);
  for (const bad of [-1, 1.5, NaN, Infinity, -Infinity, 101, 2 ** 32, 2 ** 64, 'many', '-1', {}, []]) {
    refused(() => client.setRetryConfig({ maxRetries: bad }), 'retry.max_retries');
  }
  assert.equal(client.settings['retry.max_retries'], 3, 'unchanged after refusals');
  for (const bad of [-1, NaN, Infinity, 1e300, 2 ** 64, 'soon']) {
    refused(() => {
      client.timeout = bad;
    }, 'timeout');
    refused(() => client.setRetryConfig({ retryWaitMin: bad }), 'retry.wait_min');
    refused(() => client.setRetryConfig({ retryWaitMax: bad }), 'retry.wait_max');
    refused(() => client.setRetryConfig({ maxTotalWait: bad }), 'retry.max_total_wait');
    refused(() => {
      client.config.refresh_token_wait_max = bad;
    }, 'refresh.refresh_token_wait_max');
    refused(() => {
      client.config.live_reload_interval_ms = bad;
    }, 'config_poll_interval');
    refused(() => client.setAccessToken('tok', bad), 'expiresInSeconds');
  }
  refused(() => client.setAccessToken('tok', 1e19), 'expiresInSeconds');
  for (const bad of [1.5, 65536, 2 ** 32, -2, NaN]) refused(() => client.setGateway({ host: 'gw.example', port: bad }), 'gateway.port');
  for (const bad of [[-1], [1.5], [2 ** 32], [NaN]]) refused(() => client.setRetryConfig({ statuses: bad }), 'retry.statuses');
  assert.throws(() => client.setRetryConfig({ statuses: [99] }), (e) => e instanceof ConfigurationError && /retry.statuses must be a list of HTTP statuses from 100 to 599, not \[99\]/.test(e.message));
  assert.throws(() => client.setRetryConfig({ statuses: [600] }), ConfigurationError);
  for (const bad of [-1, 2 ** 32 + 43, 1.5, NaN, 1e300]) {
    assert.throws(() => client.generatePKCECodeVerifier(bad), (e) => e instanceof InvalidArgumentError, String(bad));
  }
  assert.equal(client.timeout, 16000, 'the timeout is unchanged after refusals');
  // The limits themselves are accepted.
  client.setRetryConfig({ maxRetries: 0 });
  client.setRetryConfig({ maxRetries: 100, statuses: [429, 503] });
  assert.equal(client.settings['retry.max_retries'], 100);
  assert.deepEqual(client.settings['retry.statuses'], [429, 503]);
  client.timeout = 10_000_000_000;
  assert.equal(client.timeout, 10_000_000_000);
  client.setAccessToken('tok', 10_000_000);
  client.setGateway({ host: 'gw.example', port: 65535 });
  client.setGateway({ host: 'gw.example', port: -1 });
  assert.equal(client.generatePKCECodeVerifier(43).length, 43);
});

/** A local server answering every request with `reply(req, res)`. */
async function server(reply) {
  const s = http.createServer(reply);
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${s.address().port}`, close: () => new Promise((r) => s.close(r)) };
}

test('decoding: HTML, broken JSON and non-UTF-8 bodies of a JSON operation are DecodingErrors with the reply', async () => {
  const client = await loggedIn(emu);
  const users = new UsersApi(client);
  const cases = [
    { body: '<html><body>Service temporarily unavailable</body></html>', contentType: 'text/html' },
    { body: '{"id": "abc", ', contentType: 'application/json' },
    { body: 'plain words', contentType: 'text/plain' },
  ];
  for (const c of cases) {
    await emu.fault({ kind: 'status', status: 200, body: c.body, content_type: c.contentType, count: 1 });
    await assert.rejects(users.getUsersMe(), (e) => {
      assert.ok(e instanceof DecodingError && e instanceof ApiError, `${c.contentType}: ${e}`);
      assert.equal(e.kind, 'decoding');
      assert.equal(e.status, 200);
      assert.equal(e.headers['content-type'], c.contentType);
      assert.equal(e.text, c.body);
      assert.match(e.message, /not valid JSON/);
      return true;
    });
  }
  // An empty body is no body, and a good reply still decodes.
  await emu.fault({ kind: 'status', status: 200, body: '', count: 1 });
  assert.equal(await users.getUsersMe(), undefined);
  assert.equal((await users.getUsersMe()).id, creds.userId);

  // Not UTF-8, from a server of our own.
  const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
  const s = await server((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(bytes);
  });
  try {
    const raw = clientFor({ url: s.url });
    raw.setAccessToken('tok');
    await assert.rejects(new UsersApi(raw).getUsersMe(), (e) => {
      assert.ok(e instanceof DecodingError, String(e));
      assert.match(e.message, /not UTF-8/);
      assert.equal(e.status, 200);
      assert.equal(e.text, bytes.toString('utf8'));
      return true;
    });
    // A raw request declares nothing: its body comes back as it is.
    const body = await raw.request({ method: 'GET', path: '/api/v2/users/me' });
    assert.ok(Buffer.isBuffer(body) && body.equals(bytes));
  } finally {
    await s.close();
  }
});
