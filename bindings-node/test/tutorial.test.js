'use strict';
// The token-refresh tutorial's surface, used exactly as it writes it: PlatformClient,
// setLoginClientCredentials (lazy login, automatic renewal), setRetryPolicy,
// setAuthenticationTimeout, setLogLevel, setProxy, `new UsersApi(platformClient)`,
// responses with `.body`, required parameters by name, errors handled by `status`.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const util = require('util');
const { spawnSync } = require('child_process');
const { startEmulator, loggedIn, tokenRequests, creds } = require('./helpers');
const { startAuthProxy } = require('./fixtures/auth-proxy');

const { PlatformClient, ApiClient, UsersApi, AnalyticsApi, TimeoutError, InvalidArgumentError, AuthenticationError } = require('purecore');

const QUERY = '/api/v2/analytics/conversations/details/query';
const interval = '2026-01-01T00:00:00.000Z/2026-01-08T00:00:00.000Z';

let emu;
test.before(async () => {
  emu = await startEmulator();
  process.env.GENESYS_CLOUD_ENVIRONMENT = emu.url;
  process.env.GENESYS_CLOUD_CLIENT_ID = creds.clientId;
  process.env.GENESYS_CLOUD_CLIENT_SECRET = creds.clientSecret;
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

/** A PlatformClient of its own for one test, with short retry waits. */
function tutorialClient(secret = creds.clientSecret) {
  const platformClient = new PlatformClient();
  platformClient.config.setConfigPath(null);
  platformClient.setLoginClientCredentials(emu.url, creds.clientId, secret);
  platformClient.setRetryPolicy({ initialDelayMs: 20, maxDelayMs: 100 });
  return platformClient;
}

const apiRequests = async (p) => (await emu.requests()).filter((r) => r.path.startsWith(p));

test('tutorial: ESM import, getUser by name with setLogLevel("debug"), the CommonJS names are the same', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'tutorial.mjs'), creds.userId], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      GENESYS_CLOUD_ENVIRONMENT: emu.url,
      GENESYS_CLOUD_CLIENT_ID: creds.clientId,
      GENESYS_CLOUD_CLIENT_SECRET: creds.clientSecret,
    },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    [`user: 200 ${creds.userId} with presence`, 'positional: true', 'commonjs: same classes', 'analytics api: function', ''].join('\n'),
  );
  // Debug logging: one line per exchange on stderr, the token request and both calls.
  const lines = r.stderr.split('\n').filter((l) => l.includes(`/api/v2/users/${creds.userId}`));
  assert.equal(lines.length, 2, r.stderr);
  assert.ok(lines.every((l) => / DEBUG GET /.test(l)), r.stderr);
  assert.match(r.stderr, /oauth\/token/);
  assert.ok(!r.stderr.includes(creds.clientSecret), 'the client secret is never logged');
  assert.doesNotMatch(r.stderr, /Bearer [A-Za-z0-9]/, 'tokens are never logged');
});

test('tutorial: environments given as https://api.mypurecloud.com, api.mypurecloud.com or mypurecloud.com', () => {
  for (const environment of ['https://api.mypurecloud.com', 'api.mypurecloud.com', 'mypurecloud.com']) {
    const platformClient = new PlatformClient();
    platformClient.config.setConfigPath(null);
    platformClient.setLoginClientCredentials(environment, creds.clientId, creds.clientSecret);
    assert.equal(platformClient.config.basePath, 'https://api.mypurecloud.com', environment);
    assert.equal(platformClient.config.authUrl, 'https://login.mypurecloud.com', environment);
  }
  assert.throws(() => new PlatformClient().setLoginClientCredentials('mypurecloud.com', '', 's'), InvalidArgumentError);
  assert.throws(() => new PlatformClient().setLoginClientCredentials('mypurecloud.com', 'id', undefined), InvalidArgumentError);
});

test('tutorial: one shared PlatformClient module, required in two places; one lazy login for many first calls; renewal is automatic', async () => {
  const platformClient = require('./fixtures/platform-client');
  const usersService = require('./fixtures/users-service');
  assert.equal(usersService.platformClient, platformClient, 'both places hold the same client');
  assert.equal((await tokenRequests(emu)).length, 0, 'setting credentials sends nothing');

  const usersApi = new UsersApi(platformClient);
  const [names, mine] = await Promise.all([
    Promise.all(Array.from({ length: 10 }, () => usersService.userName(creds.userId))),
    Promise.all(Array.from({ length: 10 }, () => usersApi.getUsersMe())),
  ]);
  assert.deepEqual(names, Array(10).fill('Emulator User'));
  for (const response of mine) {
    assert.equal(response.status, 200);
    assert.equal(response.body.id, creds.userId);
    assert.ok(response.headers['inin-correlation-id']);
  }
  assert.equal((await tokenRequests(emu)).length, 1, 'twenty first calls, one login');

  // The token is revoked: the core renews it once, the calls succeed.
  await emu.post('/admin/expire-tokens');
  const again = await Promise.all(Array.from({ length: 5 }, () => usersService.userName(creds.userId)));
  assert.deepEqual(again, Array(5).fill('Emulator User'));
  assert.equal((await tokenRequests(emu)).length, 2, 'one renewal');
});

test('tutorial: a failed login is an error whose status is 401; the next call tries again', async () => {
  const platformClient = tutorialClient('wrong-secret');
  const usersApi = new UsersApi(platformClient);
  const failures = await Promise.allSettled([usersApi.getUsersMe(), usersApi.getUser({ userId: creds.userId })]);
  for (const f of failures) {
    assert.equal(f.status, 'rejected');
    assert.equal(f.reason.status, 401);
    assert.ok(f.reason instanceof AuthenticationError);
    assert.ok(!String(f.reason.message).includes('wrong-secret'));
  }
  assert.equal((await tokenRequests(emu)).length, 1, 'one login for both calls; a 401 is not retried');
  // No credentials at all: also 401.
  const none = new PlatformClient();
  none.config.setConfigPath(null);
  none.setEnvironment(emu.url);
  await assert.rejects(new UsersApi(none).getUsersMe(), (e) => e.status === 401 && /no access token/.test(e.message));
  // Good credentials now: the next call logs in.
  platformClient.setLoginClientCredentials(emu.url, creds.clientId, creds.clientSecret);
  assert.equal((await usersApi.getUsersMe()).body.id, creds.userId);
});

test('tutorial: the client secret never shows when a PlatformClient is inspected or printed', () => {
  const platformClient = tutorialClient('super-secret-value');
  for (const shown of [util.inspect(platformClient, { depth: 5, showHidden: true }), String(platformClient), JSON.stringify(platformClient)]) {
    assert.ok(!shown.includes('super-secret-value'), shown);
  }
});

test('tutorial: setRetryPolicy — a 503 storm is retried as the policy says, then fails with its status', async () => {
  const platformClient = tutorialClient();
  platformClient.setRetryPolicy({ maxRetries: 2, initialDelayMs: 40, maxDelayMs: 80, retryStatusCodes: [503] });
  const usersApi = new UsersApi(platformClient);
  await usersApi.getUsersMe(); // the lazy login, out of the way

  await emu.reset();
  await emu.fault({ kind: 'status', status: 503, count: 2, path_contains: '/users/me' });
  const waits = [];
  platformClient.setRetryConfig({ onRetry: (e) => waits.push(e.waitMs) });
  const ok = await usersApi.getUsersMe();
  assert.equal(ok.status, 200);
  assert.equal(ok.attempts, 3);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(waits.length, 2);
  assert.ok(waits[0] >= 40 && waits[0] <= 60, `first wait from initialDelayMs (a floor; jitter only adds): ${waits[0]} ms`);
  assert.ok(waits[1] >= 40 && waits[1] <= 80, `second wait doubled, capped by maxDelayMs: ${waits[1]} ms`);
  platformClient.setRetryConfig({ onRetry: null });

  await emu.reset();
  await emu.fault({ kind: 'status', status: 503, count: 5, path_contains: '/users/me' });
  await assert.rejects(usersApi.getUsersMe(), (e) => e.status === 503);
  assert.equal((await apiRequests('/api/v2/users/me')).length, 3, 'the first try and maxRetries (2) retries');

  // 429 is not in retryStatusCodes: not retried.
  await emu.reset();
  await emu.fault({ kind: 'status', status: 429, retry_after: 1, count: 1, path_contains: '/users/me' });
  await assert.rejects(usersApi.getUsersMe(), (e) => e.status === 429);
  assert.equal((await apiRequests('/api/v2/users/me')).length, 1);
});

test('tutorial: setRetryPolicy — a 429 storm waits out Retry-After, which maxDelayMs does not shorten', async () => {
  const platformClient = tutorialClient();
  platformClient.setRetryPolicy({ maxRetries: 2, initialDelayMs: 20, maxDelayMs: 50, retryStatusCodes: [429] });
  const usersApi = new UsersApi(platformClient);
  await usersApi.getUsersMe();
  await emu.reset();
  await emu.fault({ kind: 'status', status: 429, retry_after: 1, count: 2, path_contains: '/users/me' });
  const started = Date.now();
  const ok = await usersApi.getUsersMe();
  const took = Date.now() - started;
  assert.equal(ok.status, 200);
  assert.equal(ok.attempts, 3);
  assert.ok(took >= 2000, `two Retry-After: 1 waits, took ${took} ms`);
});

test('tutorial: setRetryPolicy applies to token requests too', async () => {
  const retried = tutorialClient();
  retried.setRetryPolicy({ maxRetries: 2, retryStatusCodes: [503] });
  await emu.fault({ kind: 'status', status: 503, count: 2, target: 'token' });
  assert.equal((await new UsersApi(retried).getUsersMe()).status, 200);
  assert.equal((await tokenRequests(emu)).length, 3, 'the lazy login was retried twice');

  await emu.reset();
  const strict = tutorialClient();
  strict.setRetryPolicy({ maxRetries: 1, retryStatusCodes: [503] });
  await emu.fault({ kind: 'status', status: 503, count: 3, target: 'token' });
  // A token endpoint that is down is not a refused login: its status stays.
  await assert.rejects(new UsersApi(strict).getUsersMe(), (e) => e.status === 503);
  assert.equal((await tokenRequests(emu)).length, 2);
});

test('tutorial: setAuthenticationTimeout bounds a slow token endpoint, retries and their waits included', async () => {
  const slow = tutorialClient();
  slow.setAuthenticationTimeout(600);
  assert.equal(slow.config.auth_timeout, 600);
  slow.setRetryPolicy({ maxRetries: 0 });
  await emu.fault({ kind: 'delay', ms: 3000, target: 'token' });
  let started = Date.now();
  await assert.rejects(new UsersApi(slow).getUsersMe(), (e) => e instanceof TimeoutError && /600 ms|0\.6 s/.test(e.message));
  let took = Date.now() - started;
  assert.ok(took >= 550 && took < 2000, `took ${took} ms`);

  await emu.reset();
  const retrying = tutorialClient();
  retrying.setAuthenticationTimeout(700);
  retrying.setRetryPolicy({ maxRetries: 5, retryStatusCodes: [503] });
  await emu.fault({ kind: 'status', status: 503, retry_after: 2, count: 5, target: 'token' });
  started = Date.now();
  await assert.rejects(new UsersApi(retrying).getUsersMe(), (e) => e instanceof TimeoutError && /auth_timeout/.test(e.message));
  took = Date.now() - started;
  assert.ok(took < 1800, `the 2 s Retry-After wait is cut at the 700 ms bound: took ${took} ms`);

  // The official client has the setting as config.auth_timeout (ms).
  const client = new ApiClient();
  client.config.setConfigPath(null);
  client.setEnvironment(emu.url);
  client.config.auth_timeout = 500;
  client.setRetryConfig({ maxRetries: 0 });
  await emu.reset();
  await emu.fault({ kind: 'delay', ms: 3000, target: 'token' });
  await assert.rejects(client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret), TimeoutError);
  assert.throws(() => slow.setAuthenticationTimeout(-1), InvalidArgumentError);
  assert.throws(() => slow.setAuthenticationTimeout(0), InvalidArgumentError);
  assert.equal(slow.config.auth_timeout, 600, 'unchanged after bad values');
});

test('tutorial: a complete analytics query, its errors handled by status', async () => {
  const platformClient = tutorialClient();
  platformClient.setRetryPolicy({ maxRetries: 1, retryStatusCodes: [429, 503] });
  const analyticsApi = new AnalyticsApi(platformClient);

  // As the tutorial writes it.
  async function conversationDetails(body) {
    try {
      const response = await analyticsApi.postAnalyticsConversationsDetailsQuery(body);
      return { conversations: response.body.conversations, total: response.body.totalHits };
    } catch (err) {
      if (err.status === 400) return { invalid: err.body.message };
      if (err.status === 401) return { unauthorized: true };
      if (err.status === 429) return { retryAfter: err.retryAfter };
      throw err;
    }
  }

  const query = {
    interval,
    order: 'desc',
    orderBy: 'conversationStart',
    paging: { pageSize: 25, pageNumber: 1 },
    segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }],
  };
  const found = await conversationDetails(query);
  assert.equal(found.total, 3);
  assert.equal(found.conversations.length, 3);
  assert.ok(found.conversations.every((c) => typeof c.conversationId === 'string'));
  const [sent] = await apiRequests(QUERY);
  assert.deepEqual(JSON.parse(sent.body), query, 'the body is sent as given');

  const invalid = await conversationDetails('not a query');
  assert.match(invalid.invalid, /object/i);

  await emu.fault({ kind: 'status', status: 429, retry_after: 1, count: 2, path_contains: QUERY });
  // A 429 that says when to come back is retried until max_total_wait, not max_retries.
  const afterStorm = await conversationDetails(query);
  assert.equal(afterStorm.total, 3, 'two 429s with Retry-After are waited out');

  const refused = new AnalyticsApi(tutorialClient('wrong-secret'));
  await assert.rejects(refused.postAnalyticsConversationsDetailsQuery(query), (e) => e.status === 401);
});

test('tutorial: setProxy({host, port, username, password}) sends everything through a proxy that needs credentials', async () => {
  const proxy = await startAuthProxy('proxyuser', 'proxy-pass');
  try {
    const platformClient = tutorialClient();
    platformClient.setProxy({ host: '127.0.0.1', port: proxy.port, username: 'proxyuser', password: 'proxy-pass' });
    const response = await new UsersApi(platformClient).getUser({ userId: creds.userId });
    assert.equal(response.body.id, creds.userId);
    assert.deepEqual(
      proxy.seen.map((s) => [s.method, new URL(s.url).pathname, s.authorized]),
      [
        ['POST', '/oauth/token', true],
        ['GET', `/api/v2/users/${creds.userId}`, true],
      ],
    );
    assert.ok(!util.inspect(platformClient, { depth: 5 }).includes('proxy-pass'));

    const wrong = tutorialClient();
    wrong.setProxy({ host: '127.0.0.1', port: proxy.port, username: 'proxyuser', password: 'nope' });
    await assert.rejects(new UsersApi(wrong).getUsersMe(), (e) => e.status === 407);

    platformClient.setProxy(null);
    await new UsersApi(platformClient).getUsersMe();
    assert.equal(proxy.seen.length, 3, 'no longer through the proxy');

    assert.throws(() => platformClient.setProxy({ host: '127.0.0.1', port: 'eighty' }), InvalidArgumentError);
    assert.throws(() => platformClient.setProxy({ hostname: '127.0.0.1' }), (e) => e instanceof InvalidArgumentError && /hostname/.test(e.message));
  } finally {
    await proxy.close();
  }
});

test('tutorial: setRetryPolicy and setLogLevel refuse bad input by name', () => {
  const platformClient = tutorialClient();
  assert.throws(() => platformClient.setRetryPolicy({ retries: 3 }), (e) => e instanceof InvalidArgumentError && /retries/.test(e.message));
  assert.throws(() => platformClient.setRetryPolicy({ retryStatusCodes: 503 }), InvalidArgumentError);
  assert.throws(() => platformClient.setRetryPolicy(null), InvalidArgumentError);
  assert.throws(() => platformClient.setLogLevel('loud'), (e) => e instanceof InvalidArgumentError && /loud/.test(e.message));
  platformClient.setLogLevel('debug');
  assert.equal(platformClient.config.logger.log_level, 'debug');
});

test('named parameters: every client takes the required parameters by name; positional calls are unchanged; a lone body is never read by name', async () => {
  const client = await loggedIn(emu); // an ApiClient: bodies, not responses
  const usersApi = new UsersApi(client);
  assert.equal(usersApi.getUser.length, 1, 'the official signature');

  const byName = await usersApi.getUser({ userId: creds.userId, expand: ['presence'] });
  assert.equal(byName.id, creds.userId);
  assert.ok(byName.presence);
  const positional = await usersApi.getUser(creds.userId, { expand: ['presence'] });
  assert.deepEqual(positional, byName);
  const gets = (await emu.requests()).filter((r) => r.method === 'GET');
  assert.deepEqual(gets.map((r) => [r.path, r.query]), [
    [`/api/v2/users/${creds.userId}`, 'expand=presence'],
    [`/api/v2/users/${creds.userId}`, 'expand=presence'],
  ]);

  // Two required parameters (a path and the body) by name.
  const created = await usersApi.postUsers({ name: 'Named Form', email: 'named.form@example.test', password: 'S3cret!pass' });
  const patched = await usersApi.patchUser({ userId: created.id, body: { version: created.version, title: 'Dr' } });
  assert.equal(patched.version, created.version + 1);
  assert.equal(patched.title, 'Dr');

  // An operation whose only required parameter is the body: an object holding `body` is that body.
  await new AnalyticsApi(client).postAnalyticsConversationsDetailsQuery({ body: 'kept', interval });
  const [sent] = await apiRequests(QUERY);
  assert.deepEqual(JSON.parse(sent.body), { body: 'kept', interval });

  // An object with the name but given with options is the positional parameter (not a string id).
  await assert.rejects(usersApi.getUser({ userId: creds.userId }, {}));
  // And so is an object missing a required name.
  await assert.rejects(usersApi.patchUser({ userId: created.id }));

  // The same through a PlatformClient: responses.
  const platformClient = tutorialClient();
  const response = await new UsersApi(platformClient).getUser({ userId: created.id, expand: ['profileSkills'] });
  assert.equal(response.status, 200);
  assert.equal(response.body.title, 'Dr');
});

test('both styles in one process: ApiClient.instance and a PlatformClient keep their own settings and tokens', async () => {
  const official = ApiClient.instance;
  official.config.setConfigPath(null);
  official.setEnvironment(emu.url);
  await official.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  const platformClient = tutorialClient();
  const [me, response] = await Promise.all([new UsersApi().getUsersMe(), new UsersApi(platformClient).getUsersMe()]);
  assert.equal(me.id, creds.userId, 'the official style resolves to the body');
  assert.equal(response.body.id, creds.userId, 'the tutorial style resolves to the response');
  assert.notEqual(official.authData.accessToken, platformClient.authData.accessToken);
  assert.equal((await tokenRequests(emu)).length, 2);
  platformClient.logout();
  await assert.rejects(new UsersApi(platformClient).getUsersMe(), (e) => e.status === 401);
  assert.equal((await new UsersApi().getUsersMe()).id, creds.userId, 'the other client is untouched');
});

test('setPersistSettings is accepted (Node keeps no token store, as in the official SDK)', () => {
  const client = new ApiClient();
  client.setPersistSettings(true, 'my-app');
  assert.equal(client.persistSettings, true);
  tutorialClient().setPersistSettings(false);
});

test('config.token_expiry_margin: the renewal margin is set from Node (capped at half the lifetime)', async () => {
  await emu.post('/admin/token-lifetime', { seconds: 4 });
  try {
    const platformClient = tutorialClient();
    assert.equal(platformClient.config.token_expiry_margin, 30, 'default 30 s');
    platformClient.config.token_expiry_margin = 0.5;
    const usersApi = new UsersApi(platformClient);
    await usersApi.getUsersMe();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await usersApi.getUsersMe();
    assert.equal((await tokenRequests(emu)).length, 1, '1.7 s left is outside a 0.5 s margin: not renewed');
    platformClient.config.token_expiry_margin = 30; // capped at 2 s: due now
    await usersApi.getUsersMe();
    assert.equal((await tokenRequests(emu)).length, 2, 'renewed before the call');
    assert.equal((await emu.counters()).unauthorized, 0);
    assert.throws(() => {
      platformClient.config.token_expiry_margin = -1;
    }, InvalidArgumentError);
  } finally {
    await emu.post('/admin/token-lifetime', { seconds: 86400 });
  }
});
