'use strict';
// Shared by the tests: starts the emulator binary on 127.0.0.1 port 0, talks to
// its admin API, and makes clients pointed at it with short retry waits.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// No test reads or writes the real ~/.genesyscloudjavascript/config.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'purecore-node-home-'));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.on('exit', () => fs.rmSync(home, { recursive: true, force: true }));

const platformClient = require('..');

const ROOT = path.join(__dirname, '..', '..');
const EMULATOR = process.env.PURECORE_EMULATOR || path.join(ROOT, 'target', 'debug', 'purecore-emulator');

const creds = {
  clientId: 'emulator-client',
  clientSecret: 'emulator-secret',
  codeClientId: 'emulator-code-client',
  codeClientSecret: 'emulator-code-secret',
  publicClientId: 'emulator-public-client',
  redirectUri: 'http://localhost:8085/callback',
  samlOrg: 'emulator-org',
  userId: '00000000-0000-4000-8000-000000000001',
};

/** Starts an emulator; resolves with `{url, admin, get, post, stop}`. */
function startEmulator(args = []) {
  if (!fs.existsSync(EMULATOR)) {
    throw new Error(`emulator binary not found at ${EMULATOR}: run cargo build -p purecore-emulator (or set PURECORE_EMULATOR)`);
  }
  const child = spawn(EMULATOR, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = () => child.kill();
  process.on('exit', kill);
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (!m) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      child.removeAllListeners('exit');
      const url = m[1];
      const admin = async (method, p, body) => {
        const r = await fetch(url + p, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await r.text();
        if (r.status >= 400) throw new Error(`${method} ${p}: ${r.status} ${text}`);
        return text ? JSON.parse(text) : null;
      };
      resolve({
        url,
        child,
        admin,
        get: (p) => admin('GET', p),
        post: (p, body = {}) => admin('POST', p, body),
        fault: (f) => admin('POST', '/admin/faults', f),
        counters: () => admin('GET', '/admin/counters'),
        requests: () => admin('GET', '/admin/requests'),
        reset: () => admin('POST', '/admin/reset', {}),
        stop: () => {
          process.removeListener('exit', kill);
          child.kill();
        },
      });
    });
  });
}

/** A new client pointed at the emulator, retries with short waits, no config file. */
function clientFor(emu) {
  const client = new platformClient.ApiClient();
  client.config.setConfigPath(null);
  client.setEnvironment(emu.url);
  client.setRetryConfig({ retryWaitMin: 20, retryWaitMax: 100 });
  return client;
}

async function loggedIn(emu) {
  const client = clientFor(emu);
  await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  return client;
}

/** The `Location` of the emulator's authorize redirect (the browser's job). */
async function follow(url) {
  const r = await fetch(url, { redirect: 'manual' });
  if (r.status !== 302) throw new Error(`authorize answered ${r.status}: ${await r.text()}`);
  return r.headers.get('location');
}

function formFields(body) {
  return Object.fromEntries(new URLSearchParams(body));
}

const tokenRequests = async (emu) => (await emu.requests()).filter((r) => r.path.endsWith('/oauth/token'));

/** Lets queued native callbacks (log sink, hooks) run. */
const drain = () => new Promise((r) => setTimeout(r, 50));

module.exports = { platformClient, startEmulator, clientFor, loggedIn, follow, formFields, tokenRequests, creds, drain, home, ROOT };
