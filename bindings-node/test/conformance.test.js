'use strict';
// The whole-surface conformance sweep: every catalog operation is called through
// its generated method with the emulator's sample parameters (GET /admin/samples),
// and the emulator validates each request against the spec.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, loggedIn } = require('./helpers');

/**
 * Maps each operation id to the generated class and method that call it, and to
 * where each spec parameter goes (a position, or a key of `opts`), by calling
 * every generated method once with markers on a recording client.
 */
function discover() {
  const { defineApis } = require('../generated/apis.js');
  let last = null;
  const recorder = { callOperation: (id, params) => { last = { id, params }; return Promise.resolve(); } };
  const apis = defineApis({ instance: recorder }, () => require('../lib/native').load().apiTable());
  const byOp = new Map();
  for (const [className, Cls] of Object.entries(apis)) {
    const api = new Cls(recorder);
    for (const method of Object.getOwnPropertyNames(Cls.prototype)) {
      if (method === 'constructor') continue;
      const n = Cls.prototype[method].length;
      const args = Array.from({ length: n }, (_, i) => ({ pos: i }));
      const opts = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? { opt: key } : undefined) });
      last = null;
      api[method](...args, opts);
      if (!last || byOp.has(last.id)) continue;
      const where = {};
      for (const [spec, v] of Object.entries(last.params)) where[spec] = v;
      byOp.set(last.id, { className, method, positional: n, where });
    }
  }
  return byOp;
}

test('conformance: every operation, through its generated method, is accepted by the emulator', async () => {
  const emu = await startEmulator();
  try {
    const res = await fetch(`${emu.url}/admin/samples`);
    assert.equal(
      res.status,
      200,
      `GET /admin/samples answered ${res.status}: this emulator has no sample parameters yet, so the conformance sweep cannot run`,
    );
    const { operations } = await res.json();
    const byOp = discover();
    const native = require('../lib/native').load();
    assert.equal(operations.length, native.operationCount(), 'a sample for every catalog operation');
    assert.equal(byOp.size, native.operationCount(), 'a generated method for every catalog operation');

    await emu.post('/admin/rate-limit', { per_token: null });
    const client = await loggedIn(emu);
    client.setRetryConfig({ maxRetries: 0 });
    const failures = [];
    let next = 0;
    async function worker() {
      while (next < operations.length) {
        const { id, params } = operations[next++];
        const target = byOp.get(id);
        if (!target) {
          failures.push(`${id}: no generated method`);
          continue;
        }
        const args = new Array(target.positional).fill(undefined);
        const opts = {};
        let bad = null;
        for (const [spec, value] of Object.entries(params || {})) {
          const w = target.where[spec];
          if (!w) bad = `sample parameter '${spec}' is not a parameter of ${target.className}.${target.method}`;
          else if ('pos' in w) args[w.pos] = value;
          else opts[w.opt] = value;
        }
        if (bad) {
          failures.push(`${id}: ${bad}`);
          continue;
        }
        try {
          await new platformClient[target.className](client)[target.method](...args, opts);
        } catch (e) {
          failures.push(`${id} (${target.className}.${target.method}): ${e.name} ${e.status || ''} ${e.message}`);
        }
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker));
    const counters = await emu.counters();
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${operations.length} operations failed`);
    assert.ok(counters.api_requests >= operations.length, 'every operation reached the emulator');
    // The emulator really validates: a wrong type is a 400 naming the parameter.
    await assert.rejects(
      new platformClient.UsersApi(client).getUsers({ pageSize: 'abc' }),
      (e) => e instanceof platformClient.ApiError && e.status === 400 && e.code === 'bad.request' && /pageSize/.test(e.message),
    );
  } finally {
    emu.stop();
  }
});
