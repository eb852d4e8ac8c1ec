'use strict';
// Scenarios transport.tls, transport.mtls, transport.gateway_proxy and bad_input, plus headers,
// environments and regions through the official names.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { platformClient, startEmulator, clientFor, loggedIn, creds, home } = require('./helpers');

const { ApiClient, UsersApi, PureCloudRegionHosts, ConnectionError, ConfigurationError, InvalidArgumentError } = platformClient;

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

// scenario: transport.tls
test('transport.tls: HTTPS with the emulator CA; untrusted without it', async () => {
  const caFile = path.join(home, 'emulator-ca.pem');
  const tls = await startEmulator(['--tls', '--ca-out', caFile]);
  try {
    assert.match(tls.url, /^https:\/\//);
    const untrusted = clientFor(tls);
    untrusted.setRetryConfig({ maxRetries: 0 });
    await assert.rejects(
      untrusted.loginClientCredentialsGrant(creds.clientId, creds.clientSecret),
      (e) => e instanceof ConnectionError && /certificate/i.test(e.message),
    );
    const client = clientFor(tls);
    client.setCaCertificates(fs.readFileSync(caFile, 'utf8'));
    await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
    const me = await new UsersApi(client).getUsersMe();
    assert.equal(me.id, creds.userId);
    assert.throws(() => client.setCaCertificates('not a pem'), ConfigurationError);
  } finally {
    tls.stop();
  }
});

// scenario: transport.tls
test('transport.tls: the addon trusts the Mozilla roots Node ships, handed over before the first client', async () => {
  // A fresh process: the roots are put together once, at its first connection.
  const caFile = path.join(home, 'emulator-ca-roots.pem');
  const tls = await startEmulator(['--tls', '--ca-out', caFile]);
  try {
    const { spawnSync } = require('child_process');
    const script = `
      const tls = require('tls');
      const native = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'native'))}).load();
      const pc = require(${JSON.stringify(path.join(__dirname, '..'))});
      // The emulator's CA as one more base root: trusted with no setCaCertificates.
      if (native.addBaseRoots([require('fs').readFileSync(process.env.CA, 'utf8')]) !== 1) throw new Error('CA not added');
      const client = new pc.ApiClient();
      client.config.setConfigPath(null);
      client.setEnvironment(process.env.URL);
      client.loginClientCredentialsGrant(${JSON.stringify(creds.clientId)}, ${JSON.stringify(creds.clientSecret)}).then(() => {
        // The facade handed over Node's copy with the first client; too late once connected.
        let late = null;
        try { native.addBaseRoots(tls.rootCertificates); } catch (e) { late = e.message; }
        console.log(JSON.stringify({ roots: tls.rootCertificates.length, late }));
      }, (e) => { console.error(e.message); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CA: caFile, URL: tls.url }, timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.roots > 100, `${out.roots} roots in tls.rootCertificates`);
    assert.match(out.late, /before the first connection/);
  } finally {
    tls.stop();
  }
});

// scenario: transport.mtls
test('transport.mtls: mutual TLS with setMTLSCertificates; refused without a client certificate', async () => {
  const dir = fs.mkdtempSync(path.join(home, 'mtls-'));
  const mtls = await startEmulator(['--mtls', dir]);
  try {
    const ca = path.join(dir, 'ca.pem');
    const without = clientFor(mtls);
    without.setRetryConfig({ maxRetries: 0 });
    without.setCaCertificates(fs.readFileSync(ca, 'utf8'));
    await assert.rejects(without.loginClientCredentialsGrant(creds.clientId, creds.clientSecret), ConnectionError);
    const client = clientFor(mtls);
    client.setMTLSCertificates(path.join(dir, 'client.pem'), path.join(dir, 'client-key.pem'), ca);
    await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
    assert.equal((await new UsersApi(client).getUsersMe()).id, creds.userId);
  } finally {
    mtls.stop();
  }
});

// scenario: transport.gateway_proxy
test('transport.gateway_proxy: gateway path prefixes reach the server', async () => {
  const client = clientFor(emu);
  const port = Number(new URL(emu.url).port);
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port, path_params_login: 'gw/login', path_params_api: 'gw/api' });
  assert.equal(client.config.basePath, `http://127.0.0.1:${port}/gw/api`);
  await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  await new UsersApi(client).getUsersMe();
  const reqs = await emu.requests();
  assert.equal(reqs[0].path, '/gw/login/oauth/token');
  assert.equal(reqs[1].path, '/gw/api/api/v2/users/me');
  client.setGateway(null);
  assert.equal(client.config.basePath, emu.url);
});

// scenario: transport.gateway_proxy
test('transport.gateway_proxy: a proxy with credentials (setProxyAgent with a URL)', async () => {
  // The emulator answers absolute-form requests, so it can stand in for the proxy.
  const client = clientFor(emu);
  client.setEnvironment('http://purecore-proxy-test.localhost:9');
  const u = new URL(emu.url);
  client.setProxyAgent(`http://proxyuser:proxy-pass@${u.host}`);
  await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  await new UsersApi(client).getUsersMe();
  const r = (await emu.requests()).pop();
  const auth = r.headers.find(([k]) => k === 'proxy-authorization');
  assert.ok(auth, 'the proxy saw credentials');
  assert.equal(auth[1], `Basic ${Buffer.from('proxyuser:proxy-pass').toString('base64')}`);
  // An agent exposing `.proxy` (as https-proxy-agent does) works too.
  client.setProxyAgent({ proxy: new URL(`http://proxyuser:proxy-pass@${u.host}`) });
  await new UsersApi(client).getUsersMe();
  assert.throws(() => client.setProxyAgent({}), InvalidArgumentError);
  assert.throws(() => client.setProxy('not a url'), ConfigurationError);
  client.setProxyAgent(null);
});

test('headers: default headers, per-call customHeaders override them; User-Agent; extended responses', async () => {
  const client = await loggedIn(emu);
  client.setDefaultHeaders({ 'X-App': 'demo', 'X-Both': 'default' });
  assert.deepEqual(client.defaultHeaders, { 'X-App': 'demo', 'X-Both': 'default' });
  client.setReturnExtendedResponses(true);
  const res = await new UsersApi(client).getUsersMe({ expand: ['presence'], customHeaders: { 'X-Both': 'call' } });
  const r = (await emu.requests()).pop();
  const h = (n) => r.headers.filter(([k]) => k === n).map(([, v]) => v);
  assert.deepEqual(h('x-app'), ['demo']);
  assert.deepEqual(h('x-both'), ['call']);
  assert.match(h('user-agent')[0], /^purecore\/.* node\/v/);
  assert.equal(r.query, 'expand=presence');
  assert.equal(res.status, 200);
  assert.equal(res.statusText, 'OK');
  assert.equal(res.error, null);
  assert.ok(res.correlationId);
  assert.equal(res.headers['inin-correlation-id'], res.correlationId);
  assert.ok(res.rateLimit.allowed > 0 && res.rateLimit.count >= 1);
  assert.equal(typeof res.text, 'string');
  assert.deepEqual(JSON.parse(res.text), res.body);
  assert.ok(res.body.presence);
});

test('environments: region hosts, domains, region names and URLs', () => {
  const client = new ApiClient();
  client.config.setConfigPath(null);
  assert.equal(client.config.basePath, 'https://api.mypurecloud.com');
  client.setEnvironment(PureCloudRegionHosts.eu_west_1);
  assert.equal(client.config.basePath, 'https://api.mypurecloud.ie');
  assert.equal(client.config.authUrl, 'https://login.mypurecloud.ie');
  client.setEnvironment('https://api.mypurecloud.de/');
  assert.equal(client.config.authUrl, 'https://login.mypurecloud.de');
  client.setEnvironment('eu_central_2');
  assert.equal(client.environment, 'https://api.euc2.pure.cloud');
  const native = require('../lib/native').load();
  assert.deepEqual(
    Object.entries(PureCloudRegionHosts),
    native.regions().map((r) => [r.name, r.domain]),
    'the JS region table is the core\'s',
  );
});

// scenario: bad_input
test('bad_input: unknown region, bad header, URL instead of path, bad settings; nothing changes or is sent', async () => {
  const client = await loggedIn(emu);
  await emu.reset();
  assert.throws(() => client.setEnvironment('atlantis'), (e) => e instanceof ConfigurationError && /unknown region 'atlantis'/.test(e.message));
  assert.equal(client.config.basePath, emu.url, 'unchanged after a bad value');
  assert.throws(() => client.setDefaultHeaders({ 'Bad Header': 'x' }), (e) => e instanceof InvalidArgumentError && /Bad Header/.test(e.message));
  await assert.rejects(new UsersApi(client).getUsersMe({ customHeaders: { 'X-Ok': 'a\r\nb' } }), InvalidArgumentError);
  await assert.rejects(client.request({ method: 'GET', path: 'https://elsewhere.example/api' }), (e) => e instanceof InvalidArgumentError && /not a URL/.test(e.message));
  assert.throws(() => {
    client.timeout = -5;
  }, InvalidArgumentError);
  assert.throws(() => {
    client.timeout = 0;
  }, ConfigurationError);
  assert.equal(client.timeout, 16000);
  assert.throws(() => client.setEnvironment('http://api.example.com'), (e) => e instanceof ConfigurationError && /plain http/.test(e.message));
  assert.throws(() => client.setMTLSContents('-----BEGIN CERTIFICATE-----', null), ConfigurationError);
  assert.throws(() => client.setRetryConfig({ statuses: [70000] }), InvalidArgumentError);
  assert.throws(() => client.setGateway({ host: 'a b' }), ConfigurationError);
  assert.throws(
    () => client.setGateway({ host: 'gw.example', username: 'u', password: 'p' }),
    (e) => e instanceof InvalidArgumentError && /username\/password are not supported/.test(e.message),
  );
  assert.equal((await emu.requests()).length, 0, 'no bad input reached the server');
});

test('raw request: method, path, query, JSON body; and the request timeout', async () => {
  const client = await loggedIn(emu);
  const me = await client.request({ method: 'GET', path: '/api/v2/users/me', query: { expand: ['presence'] } });
  assert.equal(me.id, creds.userId);
  const q = await client.request({ method: 'POST', path: '/api/v2/analytics/conversations/details/query', body: { interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' } });
  assert.ok(q && typeof q === 'object');
  const r = (await emu.requests()).pop();
  assert.equal(r.headers.find(([k]) => k === 'content-type')[1], 'application/json');
  client.timeout = 200;
  client.setRetryConfig({ maxRetries: 0 });
  await emu.fault({ kind: 'delay', ms: 1000, count: 1 });
  await assert.rejects(new UsersApi(client).getUsersMe(), platformClient.TimeoutError);
});
