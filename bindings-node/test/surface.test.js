'use strict';
// The package surface: CommonJS and ESM imports, nothing started at require,
// error classes, hooks, extended responses, and bad input rejected before any request.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { platformClient, startEmulator, loggedIn, creds } = require('./helpers');

const PKG = path.join(__dirname, '..');
const run = (args, opts = {}) =>
  spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, cwd: PKG, env: process.env, ...opts });

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

test('CommonJS: the official names are exported; every API class is defined', () => {
  const { defineApis } = require('../generated/apis.js');
  const apiNames = Object.keys(defineApis({ instance: null }));
  assert.ok(apiNames.length > 80);
  for (const name of ['ApiClient', 'PureCloudRegionHosts', 'ApiError', 'AuthenticationError', 'RateLimitError', 'TimeoutError', 'ConnectionError', 'InvalidArgumentError', ...apiNames]) {
    assert.ok(platformClient[name], `missing export ${name}`);
  }
  assert.ok(Object.keys(platformClient.PureCloudRegionHosts).length >= 18); // each one is checked against the core in transport.test.js
  assert.equal(platformClient.ApiClient.instance, platformClient.ApiClient.instance);
  const users = new platformClient.UsersApi();
  assert.equal(users.apiClient, platformClient.ApiClient.instance);
  const other = new platformClient.ApiClient();
  assert.notEqual(other, platformClient.ApiClient.instance);
  assert.equal(new platformClient.UsersApi(other).apiClient, other);
  const r = run([path.join(PKG, 'scripts', 'gen-esm.js'), '--check']);
  assert.equal(r.status, 0, `index.mjs is stale: ${r.stderr}`);
});

test('ESM: named imports and the default export, resolved by package name', () => {
  const r = run([
    '--input-type=module',
    '-e',
    `import platformClient, { ApiClient, UsersApi, RoutingApi, PureCloudRegionHosts, ApiError } from 'purecore';
     import cjs from 'purecore';
     const { createRequire } = await import('node:module');
     const same = createRequire(import.meta.url)('purecore');
     if (typeof ApiClient !== 'function' || typeof UsersApi !== 'function' || typeof RoutingApi !== 'function') throw new Error('missing');
     if (platformClient.ApiClient !== ApiClient || same.ApiClient !== ApiClient || cjs !== same) throw new Error('two copies');
     if (PureCloudRegionHosts.eu_west_1 !== 'mypurecloud.ie' || !(new ApiError('x') instanceof Error)) throw new Error('bad values');
     console.log('esm ok');`,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'esm ok');
});

test('require starts nothing: no addon, thread, timer or handle; the process exits on its own', () => {
  const script = `
    const fs = require('fs');
    const threads = () => fs.readdirSync('/proc/self/task').length;
    const before = threads();
    const pc = require('purecore');
    const client = pc.ApiClient.instance;
    void pc.PureCloudRegionHosts.eu_west_1;
    void client.config.logger;
    const report = {
      nativeLoaded: require('purecore/package.json') && require(${JSON.stringify(path.join(PKG, 'lib', 'native.js'))}).loaded,
      newThreads: threads() - before,
      resources: process.getActiveResourcesInfo(),
    };
    console.log(JSON.stringify(report));
  `;
  const r = run(['-e', script]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.nativeLoaded, false, 'the native addon is loaded on first use only');
  assert.equal(report.newThreads, 0, 'no thread started');
  assert.deepEqual(report.resources, [], 'no timer or handle keeps the loop alive');
});

test('errors: one class per kind, all ApiError and Error, carrying the reply', async () => {
  const { ApiError, AuthenticationError, RateLimitError, TimeoutError, ConnectionError, InvalidArgumentError } = platformClient;
  for (const C of [AuthenticationError, RateLimitError, TimeoutError, ConnectionError, InvalidArgumentError]) {
    const e = new C('m', {});
    assert.ok(e instanceof ApiError && e instanceof Error);
    assert.equal(e.name, C.name);
  }
  const client = await loggedIn(emu);
  await assert.rejects(new platformClient.UsersApi(client).getUser('no-such-user'), (e) => {
    assert.ok(e instanceof ApiError && !(e instanceof AuthenticationError));
    assert.equal(e.name, 'ApiError');
    assert.equal(e.status, 404);
    assert.equal(e.code, 'not.found');
    assert.equal(e.body.code, 'not.found');
    assert.equal(e.contextId, e.body.contextId);
    assert.ok(e.correlationId);
    assert.equal(e.error, e, 'the official extended-response field');
    assert.ok(e.stack.includes('ApiError'));
    return true;
  });
});

// scenario: bad_input
test('bad_input: a missing required parameter rejects before any request, naming it', async () => {
  const client = await loggedIn(emu);
  await emu.reset();
  const users = new platformClient.UsersApi(client);
  await assert.rejects(users.getUser(), (e) => e instanceof platformClient.InvalidArgumentError && e.message === "missing required parameter 'userId' of getUser");
  await assert.rejects(users.getUser(null), /missing required parameter 'userId'/);
  await assert.rejects(users.patchUser('u1'), /missing required parameter 'body' of patchUser/);
  await assert.rejects(client.callOperation('getUser', { userId: 'u', expnad: ['x'] }), /unknown parameter 'expnad' for getUser/);
  await assert.rejects(client.callOperation('getNoSuchThing', {}), /unknown operation 'getNoSuchThing'/);
  await assert.rejects(users.getUser({ an: 'object' }), /'userId'/);
  const cyclic = {};
  cyclic.self = cyclic;
  await assert.rejects(users.patchUser('u1', cyclic), platformClient.InvalidArgumentError);
  assert.equal((await emu.requests()).length, 0, 'nothing was sent');
});

test('hooks: setPreHook sees the request and may change headers; setPostHook sees the response', async () => {
  const client = await loggedIn(emu);
  const seen = [];
  client.setPreHook((req) => {
    seen.push(req);
    req.headers['X-From-Hook'] = 'yes';
    return req;
  });
  const responses = [];
  client.setPostHook((res) => {
    responses.push(res);
  });
  const me = await new platformClient.UsersApi(client).getUsersMe({ expand: ['presence'] });
  assert.equal(me.id, creds.userId);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].operationId, 'getUsersMe');
  assert.equal(seen[0].method, 'GET');
  assert.equal(seen[0].url, `${emu.url}/api/v2/users/me`);
  assert.deepEqual(seen[0].query, [['expand', 'presence']]);
  const r = (await emu.requests()).pop();
  assert.ok(r.headers.some(([k, v]) => k === 'x-from-hook' && v === 'yes'));
  assert.equal(responses.length, 1);
  assert.equal(responses[0].status, 200);
  assert.equal(responses[0].body.id, creds.userId);
  client.setPostHook((res) => ({ ...res, body: 'replaced' }));
  assert.equal(await new platformClient.UsersApi(client).getUsersMe(), 'replaced');
  client.setPreHook(null);
  client.setPostHook(null);
  assert.throws(() => client.setPreHook('nope'), platformClient.InvalidArgumentError);
});

// scenario: hooks.request
test('hooks: the pre-hook is the core request hook: it may change the query and body, runs once, and its throw rejects the call', async () => {
  const client = await loggedIn(emu);
  let calls = 0;
  client.setPreHook((req) => {
    calls += 1;
    assert.equal(req.operationId, 'postAnalyticsConversationsDetailsQuery');
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json', 'the request as the core built it');
    req.body.order = 'desc';
    req.query.push(['hooked', '1']);
  });
  await new platformClient.AnalyticsApi(client).postAnalyticsConversationsDetailsQuery({ interval: 'x/y' });
  assert.equal(calls, 1);
  const r = (await emu.requests()).pop();
  assert.match(r.body, /"order":"desc"/);
  assert.match(r.body, /"interval":"x\/y"/);
  assert.equal(r.query, 'hooked=1');
  await emu.reset();
  const mine = new Error('no calls today');
  client.setPreHook(() => {
    throw mine;
  });
  await assert.rejects(new platformClient.UsersApi(client).getUsersMe(), (e) => e === mine);
  client.setPreHook((req) => ({ ...req, url: 'https://elsewhere.example/api/v2/users/me' }));
  await assert.rejects(new platformClient.UsersApi(client).getUsersMe(), /not a URL on the API host/);
  assert.equal((await emu.requests()).length, 0, 'nothing was sent');
  client.setPreHook(null);
});

// scenario: hooks.response
test('hooks: the post-hook is the core response hook: it sees every attempt, and its throw rejects the call', async () => {
  const client = await loggedIn(emu);
  const seen = [];
  client.setPostHook((res) => {
    seen.push(res);
    if (res.status === 200) return { ...res, body: { replaced: res.attempts } };
  });
  await emu.fault({ kind: 'status', status: 503, count: 1, target: 'api' });
  await emu.fault({ kind: 'status', status: 429, count: 1, target: 'api' });
  const me = await new platformClient.UsersApi(client).getUsersMe();
  assert.deepEqual(me, { replaced: 3 }, 'what the hook returned for the successful attempt');
  assert.deepEqual(seen.map((r) => r.status), [503, 429, 200]);
  assert.deepEqual(seen.map((r) => r.attempts), [1, 2, 3]);
  assert.ok(seen[0].error instanceof platformClient.ApiError, 'a failed attempt carries its error');
  assert.equal(seen[0].error.status, 503);
  assert.ok(seen[1].error instanceof platformClient.RateLimitError);
  assert.equal(seen[2].error, null);
  assert.equal(seen[2].correlationId, seen[2].headers['inin-correlation-id']);
  assert.equal(seen[0].body.code, 'service.unavailable', 'the body of a failed attempt is there too');

  const mine = new Error('no replies today');
  client.setPostHook(() => {
    throw mine;
  });
  await assert.rejects(new platformClient.UsersApi(client).getUsersMe(), (e) => e === mine);
  client.setPostHook(null);
  assert.equal((await new platformClient.UsersApi(client).getUsersMe()).id, creds.userId);
});

test('responses: an empty 2xx body resolves to undefined; a paged list parses', async () => {
  const client = await loggedIn(emu);
  const list = await new platformClient.UsersApi(client).getUsers({ pageSize: 2, pageNumber: 1 });
  assert.equal(list.pageSize, 2);
  assert.ok(Array.isArray(list.entities));
  await emu.fault({ kind: 'status', status: 204, body: '', count: 2 });
  assert.equal(await new platformClient.UsersApi(client).getUsersMe(), undefined);
  client.setReturnExtendedResponses(true);
  const res = await new platformClient.UsersApi(client).getUsersMe();
  assert.equal(res.status, 204);
  assert.equal(res.body, undefined);
  assert.equal(res.text, '');
});
