'use strict';
// The bad-input runner (test/bad-input.js, run in full by test.sh) counts what it must: an
// abort in its child is a crash, a case past its time limit is a hang, a plain TypeError is
// an untyped error, and a run with any of them fails.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
require('./helpers');

test('bad input runner: counts crashes, hangs, untyped errors and wrong outcomes, and fails on them', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bad-input.js')], {
    encoding: 'utf8',
    env: { ...process.env, BAD_INPUT_SELFTEST: '1', BAD_INPUT_CASE_TIMEOUT_MS: '1500' },
    timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^bad input: 6 cases, 1 crashes, 2 hangs, 1 untyped errors, 1 wrong outcomes \(0 internal errors: caught panics\)$/m);
  assert.match(r.stdout, /FAIL an abort: crash .*SIGABRT/);
});
