'use strict';
// Scenarios retry.* and errors.non_json.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, loggedIn, drain } = require('./helpers');

const { ApiError, RateLimitError, ConnectionError, AnalyticsApi, UsersApi } = platformClient;
const QUERY = '/api/v2/analytics/conversations/details/query';
const interval = { interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' };

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

const sent = async (path) => (await emu.requests()).filter((r) => r.path === path);

// scenario: retry.429
test('retry.429: Retry-After 1 s is honoured, never sooner; the retry hook is told', async () => {
  const client = await loggedIn(emu);
  const events = [];
  client.setRetryConfig({ onRetry: (e) => events.push(e) });
  client.setReturnExtendedResponses(true);
  await emu.fault({ kind: 'status', status: 429, retry_after: 1, count: 1 });
  const res = await new UsersApi(client).getUsersMe();
  assert.equal(res.status, 200);
  assert.equal(res.attempts, 2);
  const reqs = await sent('/api/v2/users/me');
  assert.equal(reqs.length, 2);
  assert.ok(reqs[1].at_ms - reqs[0].at_ms >= 1000, `retried after ${reqs[1].at_ms - reqs[0].at_ms} ms`);
  await drain();
  assert.equal(events.length, 1);
  assert.equal(events[0].attempt, 1);
  assert.equal(events[0].status, 429);
  assert.ok(events[0].waitMs >= 1000);
  assert.equal(events[0].method, 'GET');
});

// scenario: retry.429
test('retry.429: Retry-After as an HTTP date, and a POST is retried on 429 (the server did not act)', async () => {
  const client = await loggedIn(emu);
  await emu.fault({ kind: 'status', status: 429, retry_after: 1, retry_after_http_date: true, count: 1 });
  const res = await new AnalyticsApi(client).postAnalyticsConversationsDetailsQuery(interval);
  assert.ok(res && typeof res === 'object');
  assert.equal((await sent(QUERY)).length, 2);
});

// scenario: retry.post_not_resent
test('retry.post_not_resent: a POST meeting a 500 or a connection reset is sent once', async () => {
  const client = await loggedIn(emu);
  const api = new AnalyticsApi(client);
  await emu.fault({ kind: 'status', status: 500, count: 5 });
  await assert.rejects(api.postAnalyticsConversationsDetailsQuery(interval), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 500);
    assert.equal(e.code, 'internal.server.error');
    assert.ok(e.correlationId);
    return true;
  });
  assert.equal((await sent(QUERY)).length, 1, 'the POST was sent once');

  await emu.reset();
  await emu.fault({ kind: 'reset', count: 1 });
  await assert.rejects(api.postAnalyticsConversationsDetailsQuery(interval), ConnectionError);
  assert.equal((await sent(QUERY)).length, 1);
});

test('retry: idempotent calls retry 5xx', async () => {
  const client = await loggedIn(emu);
  client.setReturnExtendedResponses(true);
  await emu.fault({ kind: 'status', status: 503, count: 2 });
  const res = await new UsersApi(client).getUsersMe();
  assert.equal(res.status, 200);
  assert.equal(res.attempts, 3);
});

// scenario: retry.exhausted
test('retry.exhausted: status, body, code and correlation id of the last reply', async () => {
  const client = await loggedIn(emu);
  client.setRetryConfig({ maxRetries: 2 });
  await emu.fault({
    kind: 'status',
    status: 503,
    count: 10,
    body: '{"message":"try later","code":"service.unavailable","status":503,"contextId":"ctx-1"}',
  });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.kind, 'http_status');
    assert.equal(e.status, 503);
    assert.equal(e.statusText, 'Service Unavailable');
    assert.equal(e.code, 'service.unavailable');
    assert.equal(e.contextId, 'ctx-1');
    assert.match(e.message, /try later/);
    assert.deepEqual(e.body, { message: 'try later', code: 'service.unavailable', status: 503, contextId: 'ctx-1' });
    assert.match(e.text, /try later/);
    assert.equal(e.correlationId, e.headers['inin-correlation-id']);
    assert.ok(e.correlationId);
    return true;
  });
  assert.equal((await sent('/api/v2/users/me')).length, 3, 'first try and two retries');
});

// scenario: retry.exhausted
test('retry.exhausted: a 429 whose Retry-After is beyond the total cap comes back at once as RateLimitError', async () => {
  const client = await loggedIn(emu);
  await emu.fault({ kind: 'status', status: 429, retry_after: 120, count: 1 });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => {
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.retryAfter, 120);
    assert.equal(e.code, 'too.many.requests.retry.after');
    assert.equal(e.retryable, true);
    return true;
  });
});

// scenario: errors.non_json
test('errors.non_json: HTML and empty error bodies keep their text', async () => {
  const client = await loggedIn(emu);
  client.setRetryConfig({ maxRetries: 0 });
  await emu.fault({ kind: 'status', status: 502, body: '<html><body>Bad gateway</body></html>', content_type: 'text/html', count: 1 });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => {
    assert.equal(e.status, 502);
    assert.equal(e.text, '<html><body>Bad gateway</body></html>');
    assert.equal(e.body, '<html><body>Bad gateway</body></html>');
    assert.equal(e.headers['content-type'], 'text/html');
    assert.match(e.message, /Bad gateway/);
    return true;
  });
  await emu.fault({ kind: 'status', status: 500, body: '', count: 1 });
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => {
    assert.equal(e.status, 500);
    assert.equal(e.text, '');
    assert.match(e.message, /empty body/);
    return true;
  });
});
