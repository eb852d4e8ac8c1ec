'use strict';
// Node calls take an AbortSignal (`opts.signal`), as Python's cancellation, Go's contexts and
// C's cancel handles stop a call: the core drops the call, the promise rejects with an AbortError.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, loggedIn } = require('./helpers');

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

const isAbort = (e) => e instanceof Error && e.name === 'AbortError';

test('abort: a signal that fires during a slow reply stops the call at once with an AbortError', async () => {
  const client = await loggedIn(emu);
  const usersApi = new platformClient.UsersApi(client);
  await emu.fault({ kind: 'delay', ms: 5000, count: 1, target: 'api' });
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(usersApi.getUsersMe({ expand: ['presence'], signal: controller.signal }), isAbort);
  const took = Date.now() - started;
  assert.ok(took >= 150 && took < 2000, `rejected after ${took} ms, not when the 5 s reply came`);
  // The client still works afterwards, and a signal that never fires changes nothing.
  const me = await usersApi.getUsersMe({ signal: new AbortController().signal });
  assert.equal(me.name, 'Emulator User');
});

test('abort: the reason given to abort() is the error message and cause; AbortSignal.timeout works too', async () => {
  const client = await loggedIn(emu);
  const usersApi = new platformClient.UsersApi(client);
  await emu.fault({ kind: 'delay', ms: 5000, count: 2, target: 'api' });
  const controller = new AbortController();
  const reason = new Error('the user left the page');
  setTimeout(() => controller.abort(reason), 100);
  await assert.rejects(usersApi.getUsersMe({ signal: controller.signal }), (e) => isAbort(e) && e.message === 'the user left the page' && e.cause === reason);
  const started = Date.now();
  await assert.rejects(usersApi.getUsersMe({ signal: AbortSignal.timeout(150) }), (e) => e.name === 'AbortError' || e.name === 'TimeoutError');
  assert.ok(Date.now() - started < 2000);
});

test('abort: an already aborted signal sends nothing; a value that is not a signal is refused by name', async () => {
  const client = await loggedIn(emu);
  const usersApi = new platformClient.UsersApi(client);
  const before = (await emu.counters()).api_requests;
  await assert.rejects(usersApi.getUsersMe({ signal: AbortSignal.abort() }), isAbort);
  await assert.rejects(usersApi.getUsersMe({ signal: 'stop' }), (e) => e instanceof platformClient.InvalidArgumentError && /opts\.signal must be an AbortSignal/.test(e.message));
  assert.equal((await emu.counters()).api_requests, before, 'no request was sent');
});
