'use strict';
// Migration: a script written for purecloud-platform-client-v2 runs on purecore
// with only its require line changed.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { startEmulator, home, creds } = require('./helpers');

test('migration: an official-package script runs unchanged except for the require', async () => {
  const emu = await startEmulator();
  try {
    const original = fs.readFileSync(path.join(__dirname, 'fixtures', 'official-script.js'), 'utf8');
    const migrated = original.replace("require('purecloud-platform-client-v2')", `require(${JSON.stringify(path.join(__dirname, '..'))})`);
    const changed = original.split('\n').filter((line, i) => line !== migrated.split('\n')[i]);
    assert.deepEqual(changed, ["const platformClient = require('purecloud-platform-client-v2');"], 'only the require differs');
    const file = path.join(home, 'migrated.js');
    fs.writeFileSync(file, migrated);
    const r = spawnSync(process.execPath, [file], {
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
      [
        'token: yes, expires later',
        `me: Emulator User ${creds.userId}`,
        'permissions: some',
        `extended: 200 OK ${creds.userId} with correlation id`,
        'error: 404 not.found The requested resource was not found: user no-such-user',
        'error headers: with correlation id',
        '',
      ].join('\n'),
    );
  } finally {
    emu.stop();
  }
});
