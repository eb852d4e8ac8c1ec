'use strict';
// Scenarios refresh.*: transparent renewal, one token request for many callers.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, clientFor, loggedIn, follow, formFields, tokenRequests, creds, drain } = require('./helpers');

const { AuthenticationError, TimeoutError, UsersApi } = platformClient;

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

// scenario: refresh.concurrent
test('refresh.concurrent: 200 calls meet an expired token -> 1 token request, 200 successes', async () => {
  const client = await loggedIn(emu);
  const renewed = [];
  client.setTokenCallback((a) => renewed.push(a));
  const first = client.authData.accessToken;
  await emu.post('/admin/expire-tokens');
  const api = new UsersApi(client);
  const results = await Promise.allSettled(Array.from({ length: 200 }, () => api.getUsersMe()));
  const failed = results.filter((r) => r.status === 'rejected');
  assert.equal(failed.length, 0, `every caller succeeds: ${failed[0] && failed[0].reason}`);
  assert.ok(results.every((r) => r.value.id === creds.userId));
  assert.equal((await tokenRequests(emu)).length, 2, 'one login and exactly one refresh');
  assert.notEqual(client.authData.accessToken, first);
  await drain();
  assert.equal(renewed.length, 1, 'the token callback saw the new token');
  assert.equal(renewed[0].accessToken, client.authData.accessToken);
});

// scenario: refresh.proactive
test('refresh.proactive: renewed within the expiry margin, no 401 seen', async () => {
  await emu.post('/admin/token-lifetime', { seconds: 4 });
  try {
    // The 30 s margin is capped at half the token's lifetime (2 s here).
    const client = await loggedIn(emu);
    const first = client.authData.accessToken;
    await new UsersApi(client).getUsersMe();
    assert.equal((await tokenRequests(emu)).length, 1, 'a fresh token is not renewed on every call');
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await new UsersApi(client).getUsersMe();
    assert.equal((await tokenRequests(emu)).length, 2, 'renewed before the call');
    assert.equal((await emu.counters()).unauthorized, 0);
    assert.notEqual(client.authData.accessToken, first);
  } finally {
    await emu.post('/admin/token-lifetime', { seconds: 86400 });
  }
});

test('refresh: the code grant renews with its refresh token', async () => {
  const client = clientFor(emu);
  const { url, state } = client.buildAuthorizeUrl(creds.codeClientId, creds.redirectUri, { responseType: 'code' });
  const code = client.parseCodeRedirect(await follow(url), state);
  const auth = await client.loginCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, code, creds.redirectUri);
  await emu.post('/admin/expire-tokens');
  await new UsersApi(client).getUsersMe();
  const r = (await tokenRequests(emu)).pop();
  assert.deepEqual(formFields(r.body), { grant_type: 'refresh_token', refresh_token: auth.refreshToken });
});

// scenario: refresh.off
test('refresh.off: refresh_access_token = false lets the 401 through', async () => {
  const client = await loggedIn(emu);
  client.config.refresh_access_token = false;
  assert.equal(client.config.refresh_access_token, false);
  await emu.post('/admin/expire-tokens');
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'bad.credentials');
    assert.ok(e.correlationId);
    return true;
  });
  assert.equal((await tokenRequests(emu)).length, 1);
});

// scenario: refresh.failure
test('refresh.failure: a failed refresh reaches every waiting caller', async () => {
  const client = await loggedIn(emu);
  await emu.post('/admin/expire-tokens');
  await emu.fault({
    kind: 'status',
    status: 400,
    target: 'token',
    body: '{"error":"invalid_client","error_description":"client disabled"}',
    count: 1,
  });
  // Every caller takes its token before any 401 comes back, so all of them wait on the one refresh.
  await emu.fault({ kind: 'delay', ms: 300, target: 'api', count: 20 });
  const api = new UsersApi(client);
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => api.getUsersMe()));
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof AuthenticationError, String(r.reason));
    assert.equal(r.reason.oauthError, 'invalid_client');
    assert.match(r.reason.message, /token refresh failed/);
  }
  assert.equal((await tokenRequests(emu)).length, 2, 'one login, one failed refresh shared by all');
  await api.getUsersMe(); // the next call tries again and succeeds
});

// scenario: refresh.failure
test('refresh.failure: the wait for another caller\'s refresh is bounded by refresh_token_wait_max (seconds)', async () => {
  const client = await loggedIn(emu);
  client.config.refresh_token_wait_max = 0.3;
  assert.equal(client.config.refresh_token_wait_max, 0.3);
  await emu.post('/admin/expire-tokens');
  await emu.fault({ kind: 'delay', ms: 1500, target: 'token', count: 1 });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => e instanceof TimeoutError && /refresh_token_wait_max/.test(e.message));
  client.config.refresh_token_wait_max = 10;
  await new UsersApi(client).getUsersMe(); // waits for the slow refresh, then uses its token
  assert.equal((await tokenRequests(emu)).length, 2);
});
