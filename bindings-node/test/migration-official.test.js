'use strict';
// Migration, in the style of the official SDK's own test programs: one client, steps run in
// order, each using the official names only. Against an emulator that requires a client
// certificate (mutual TLS) for every connection:
//   1. log in; 2. create a user (name, email, password); 3. update it with its version;
//   4. set its profile skills; 5. get it with expand; 6. get it through a proxy that needs
//   credentials; 7. get it through a gateway that needs mTLS; 8. delete it.
// A pre-hook reads the client certificate as the official README's does
// (`config.httpsAgent.options.cert`) and sends its fingerprint.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const path = require('path');
const { startEmulator, creds, home } = require('./helpers');
const { startAuthProxy } = require('./fixtures/auth-proxy');

const platformClient = require('purecore'); // was: require('purecloud-platform-client-v2')

const client = platformClient.ApiClient.instance;
const usersApi = new platformClient.UsersApi();

let emu;
let certs;
let user;
const hookSaw = [];
const suffix = crypto.randomBytes(4).toString('hex');

test.before(async () => {
  const dir = fs.mkdtempSync(path.join(home, 'mtls-'));
  emu = await startEmulator(['--mtls', dir]);
  certs = { cert: path.join(dir, 'client.pem'), key: path.join(dir, 'client-key.pem'), ca: path.join(dir, 'ca.pem') };
});
test.after(() => emu.stop());

/** The emulator's request log, read with the client certificate its admin API needs too. */
function requests() {
  const read = (p) => fs.readFileSync(p);
  return new Promise((resolve, reject) => {
    const req = https.get(`${emu.url}/admin/requests`, { cert: read(certs.cert), key: read(certs.key), ca: read(certs.ca) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
  });
}
const lastRequest = async () => (await requests()).pop();
const header = (r, name) => (r.headers.find(([k]) => k === name) || [])[1];
const fingerprintOf = (pem) => new crypto.X509Certificate(pem).fingerprint256;

test('1. log in (client credentials, mutual TLS, a pre-hook reading the certificate)', async () => {
  client.config.setConfigPath(null);
  client.setEnvironment(emu.url);
  client.setMTLSCertificates(certs.cert, certs.key, certs.ca);
  client.setPreHook((config) => {
    const cert = config.httpsAgent.options.cert;
    hookSaw.push({ operationId: config.operationId, hasKey: 'key' in config.httpsAgent.options });
    config.headers['X-Client-Cert-Sha256'] = new crypto.X509Certificate(cert).fingerprint256;
    return config;
  });
  const authData = await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  assert.ok(authData.accessToken);
  assert.ok(authData.tokenExpiryTime > Date.now());
});

test('2. create a user with only name, email and password', async () => {
  user = await usersApi.postUsers({ name: `Migration ${suffix}`, email: `migration.${suffix}@example.test`, password: 'Migr4tion!pass' });
  assert.ok(user.id);
  assert.equal(user.name, `Migration ${suffix}`);
  assert.equal(user.email, `migration.${suffix}@example.test`);
  assert.equal(user.version, 1);
  const r = await lastRequest();
  assert.equal(header(r, 'x-client-cert-sha256'), fingerprintOf(fs.readFileSync(certs.cert, 'utf8')), 'the pre-hook read the certificate');
  assert.deepEqual(hookSaw.pop(), { operationId: 'postUsers', hasKey: false }, 'the hook sees the certificate, never the key');
});

test('3. update it with its version', async () => {
  const updated = await usersApi.patchUser(user.id, { name: `Migrated ${suffix}`, version: user.version });
  assert.equal(updated.name, `Migrated ${suffix}`);
  assert.equal(updated.version, user.version + 1);
  await assert.rejects(usersApi.patchUser(user.id, { name: 'stale', version: user.version }), (e) => e.status === 409);
  user = updated;
});

test('4. set its profile skills', async () => {
  const skills = await usersApi.putUserProfileskills(user.id, ['Node', 'Rust']);
  assert.deepEqual(skills, ['Node', 'Rust']);
});

test('5. get it with expand', async () => {
  const got = await usersApi.getUser(user.id, { expand: ['profileSkills'] });
  assert.equal(got.id, user.id);
  assert.equal(got.name, `Migrated ${suffix}`);
  assert.equal(got.version, 2);
  assert.deepEqual(got.profileSkills, ['Node', 'Rust']);
  assert.equal((await lastRequest()).query, 'expand=profileSkills');
});

test('6. get it through a proxy that needs credentials', async () => {
  const proxy = await startAuthProxy('proxyuser', 'proxy-pass');
  try {
    // An agent exposing its proxy URL as `.proxy`, as https-proxy-agent's does.
    client.setProxyAgent({ proxy: new URL(`http://proxyuser:proxy-pass@127.0.0.1:${proxy.port}`) });
    const got = await usersApi.getUser(user.id);
    assert.equal(got.id, user.id);
    const { port } = new URL(emu.url);
    assert.deepEqual(proxy.seen, [{ method: 'CONNECT', url: `127.0.0.1:${port}`, authorized: true }], 'tunnelled, with the credentials');

    client.setProxyAgent(`http://proxyuser:wrong@127.0.0.1:${proxy.port}`);
    client.setRetryConfig({ maxRetries: 0 });
    await assert.rejects(usersApi.getUser(user.id), platformClient.ConnectionError);
    assert.equal(proxy.seen.pop().authorized, false);
  } finally {
    client.setProxyAgent(null);
    client.setRetryConfig({ maxRetries: 3 });
    await proxy.close();
  }
});

test('7. get it through a gateway that needs mTLS', async () => {
  const { port } = new URL(emu.url);
  const gateway = { host: '127.0.0.1', protocol: 'https', port: Number(port), path_params_login: 'login', path_params_api: 'api' };
  client.setGateway(gateway);
  try {
    const got = await usersApi.getUser(user.id, { expand: ['profileSkills'] });
    assert.deepEqual(got.profileSkills, ['Node', 'Rust']);
    const r = await lastRequest();
    assert.equal(r.path, `/api/api/v2/users/${user.id}`);
    assert.equal(r.prefix, '/api');
    assert.equal(header(r, 'x-client-cert-sha256'), fingerprintOf(fs.readFileSync(certs.cert, 'utf8')));

    // Without the certificate the gateway refuses the connection.
    const other = new platformClient.ApiClient();
    other.config.setConfigPath(null);
    other.setGateway(gateway);
    other.setCaCertificates(fs.readFileSync(certs.ca, 'utf8'));
    other.setRetryConfig({ maxRetries: 0 });
    await assert.rejects(other.loginClientCredentialsGrant(creds.clientId, creds.clientSecret), platformClient.ConnectionError);
  } finally {
    client.setGateway(null);
  }
});

test('8. delete it', async () => {
  await usersApi.deleteUser(user.id);
  await assert.rejects(usersApi.getUser(user.id), (e) => e.status === 404 && e.body.code === 'not.found');
});
