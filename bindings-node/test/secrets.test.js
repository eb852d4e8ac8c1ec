'use strict';
// Secrets never show when a public object is printed. Every public object of the binding is
// made with known secrets set (client secret, access and refresh tokens, proxy password, mTLS
// key, a Set-Cookie reply header) and printed every way Node can; no secret may appear.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const path = require('path');
const util = require('util');
const { Writable } = require('stream');
const { platformClient, startEmulator, clientFor, follow, creds, home } = require('./helpers');

const { ApiClient, UsersApi, ApiError } = platformClient;

const PROXY_PASSWORD = 'proxy-pw-S3CRET-7781';
const OWN_TOKEN = 'own-access-token-S3CRET-5521';
const WRONG_SECRET = 'wrong-client-secret-S3CRET-0042';
const COOKIE = 'session=cookie-S3CRET-9912';
const AUTH_HEADER = 'Bearer reply-auth-S3CRET-3310';

/** Every way Node prints a value, as one string per way. */
async function renderings(x) {
  const out = {};
  const attempt = (name, f) => {
    try {
      out[name] = f();
    } catch (e) {
      out[name] = `threw ${e && e.message}`;
    }
  };
  attempt('String', () => String(x));
  attempt('toString', () => (x && typeof x.toString === 'function' ? x.toString() : ''));
  attempt('template', () => `${x}`);
  attempt('inspect', () => util.inspect(x, { depth: Infinity, showHidden: true }));
  attempt('inspect getters', () => util.inspect(x, { depth: Infinity, showHidden: true, getters: true }));
  attempt('JSON', () => JSON.stringify(x));
  attempt('stack', () => (x && x.stack) || '');
  let logged = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      logged += chunk;
      done();
    },
  });
  const con = new console.Console({ stdout: stream, stderr: stream });
  con.log(x);
  con.error('%o', x);
  con.dir(x, { depth: Infinity, showHidden: true });
  await new Promise((r) => setImmediate(r));
  out['console'] = logged;
  return out;
}

async function assertNoSecret(name, x, secrets) {
  const shown = await renderings(x);
  for (const [way, text] of Object.entries(shown)) {
    for (const s of secrets) {
      assert.ok(!String(text).includes(s), `${name} printed with ${way} shows the secret '${s.slice(0, 12)}...':\n${text}`);
    }
  }
  return shown;
}

/** A server that answers with credentials in its reply headers. */
async function cookieServer() {
  const s = http.createServer((req, res) => {
    const status = req.url.includes('/users/me') ? 200 : 404;
    res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': [COOKIE, 'other=x'], authorization: AUTH_HEADER });
    res.end(status === 200 ? '{"id":"me"}' : '{"message":"not here","code":"not.found","status":404}');
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${s.address().port}`, close: () => new Promise((r) => s.close(r)) };
}

test('secrets: no public object shows a secret however it is printed', async () => {
  const mtlsDir = fs.mkdtempSync(path.join(home, 'secrets-mtls-'));
  const emu = await startEmulator(['--mtls', mtlsDir]);
  const plain = await startEmulator();
  const cookies = await cookieServer();
  try {
    const cert = fs.readFileSync(path.join(mtlsDir, 'client.pem'), 'utf8');
    const key = fs.readFileSync(path.join(mtlsDir, 'client-key.pem'), 'utf8');
    const keyLines = key.split('\n').filter((l) => l && !l.startsWith('-----'));
    const secrets = [creds.codeClientSecret, creds.clientSecret, PROXY_PASSWORD, OWN_TOKEN, WRONG_SECRET, 'cookie-S3CRET', 'reply-auth-S3CRET', ...keyLines.slice(0, 3)];
    const objects = {};

    // A client with every secret: a code grant (client secret, access and refresh tokens), mTLS.
    const client = clientFor(plain);
    const received = [];
    client.setTokenCallback((a) => received.push(a));
    const { url } = client.buildAuthorizeUrl(creds.codeClientId, creds.redirectUri, { responseType: 'code' });
    const code = client.parseCodeRedirect(await follow(url));
    const auth = await client.loginCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, code, creds.redirectUri);
    assert.ok(auth.accessToken && auth.refreshToken, 'the grant gave both tokens');
    secrets.push(auth.accessToken, auth.refreshToken);
    client.setMTLSContents(cert, key);
    await new Promise((r) => setTimeout(r, 50));
    Object.assign(objects, {
      client,
      config: client.config,
      logger: client.config.logger,
      authData: client.authData,
      grantResult: auth,
      tokenCallbackArgument: received[0],
    });
    assert.ok(received[0] && received[0].accessToken === auth.accessToken, 'the token callback saw the token');

    // A caller-supplied token.
    const own = new ApiClient();
    own.config.setConfigPath(null);
    own.setAccessToken(OWN_TOKEN, 3600);
    objects.ownTokenClient = own;
    objects.ownAuthData = own.authData;
    assert.equal(own.authData.accessToken, OWN_TOKEN, 'the token still reads as it is');

    // A proxy with a password: set three ways, then a call through it that fails to connect.
    const proxied = clientFor(plain);
    proxied.setProxy('http://127.0.0.1:9', 'proxyuser', PROXY_PASSWORD);
    proxied.setProxyAgent(`http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:9`);
    proxied.setProxyAgent({ proxy: new URL(`http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:9`) });
    proxied.setRetryConfig({ maxRetries: 0 });
    objects.proxiedClient = proxied;
    objects.proxiedConfig = proxied.config;
    objects.proxyConnectionError = await proxied.loginClientCredentialsGrant(creds.clientId, creds.clientSecret).catch((e) => e);
    assert.ok(objects.proxyConnectionError instanceof ApiError, String(objects.proxyConnectionError));
    proxied.setAccessToken(OWN_TOKEN);
    objects.proxyCallError = await new UsersApi(proxied).getUsersMe().catch((e) => e);
    assert.ok(objects.proxyCallError instanceof ApiError, String(objects.proxyCallError));

    // Bad proxy URLs carrying a password.
    for (const [i, bad] of [
      `http://proxyuser:${PROXY_PASSWORD}@[not-a-host`,
      `ftp://proxyuser:${PROXY_PASSWORD}@proxy.example:21`,
      `http://proxyuser:${PROXY_PASSWORD}@example.1:3128`,
      `proxyuser:${PROXY_PASSWORD}@proxy.example:3128`,
      `//proxyuser:${PROXY_PASSWORD}@proxy.example:3128`,
    ].entries()) {
      const e = (() => {
        try {
          proxied.setProxy(bad);
        } catch (err) {
          return err;
        }
        return null;
      })();
      if (e) {
        assert.ok(e instanceof ApiError, `bad proxy URL ${i}: ${e}`);
        objects[`badProxyError${i}`] = e;
      }
    }
    const badAgent = (() => {
      try {
        proxied.setProxyAgent(`http://u:${PROXY_PASSWORD}@%zz`);
      } catch (err) {
        return err;
      }
      return null;
    })();
    assert.ok(badAgent instanceof ApiError, String(badAgent));
    objects.badAgentError = badAgent;

    // A failed grant with a wrong secret.
    objects.grantError = await clientFor(plain).loginClientCredentialsGrant(creds.clientId, WRONG_SECRET).catch((e) => e);
    assert.ok(objects.grantError instanceof ApiError);

    // Replies with Set-Cookie and Authorization headers: a success (extended) and an error.
    const cookieClient = clientFor({ url: cookies.url });
    cookieClient.setAccessToken(OWN_TOKEN);
    cookieClient.setReturnExtendedResponses(true);
    const extended = await new UsersApi(cookieClient).getUsersMe();
    assert.match(String(extended.headers['set-cookie']), /cookie-S3CRET/, 'the header still reads as it is');
    objects.extendedResponse = extended;
    objects.extendedHeaders = extended.headers;
    objects.cookieError = await new UsersApi(cookieClient).getUser('nobody').catch((e) => e);
    assert.ok(objects.cookieError instanceof ApiError && objects.cookieError.status === 404);
    assert.match(String(objects.cookieError.headers['set-cookie']), /cookie-S3CRET/, 'the error keeps the header for code that reads it');
    objects.cookieErrorHeaders = objects.cookieError.headers;
    objects.rawResponse = await cookieClient.request({ method: 'GET', path: '/api/v2/users/me' });

    // mTLS against the emulator that asks for it.
    const mtls = clientFor(emu);
    mtls.setMTLSContents(cert, key, fs.readFileSync(path.join(mtlsDir, 'ca.pem'), 'utf8'));
    objects.mtlsClient = mtls;
    objects.badKeyError = (() => {
      try {
        mtls.setMTLSContents(cert, key.replace('PRIVATE KEY-----\n', 'PRIVATE KEY-----\n!!'));
      } catch (err) {
        return err;
      }
      return null;
    })();

    for (const [name, x] of Object.entries(objects)) {
      if (x === null || x === undefined) continue;
      await assertNoSecret(name, x, secrets);
    }
    // The masks show where the values were.
    const shown = await renderings(objects.cookieError);
    assert.match(shown.inspect, /set-cookie.*\[redacted\]/s);
    assert.match(shown.JSON + shown.inspect, /\[redacted\]/);
    assert.match((await renderings(objects.authData)).inspect, /accessToken: '\[redacted\]'/);
  } finally {
    emu.stop();
    plain.stop();
    await cookies.close();
  }
});

test('secrets: a value of the wrong type reaching the addon is named by its type, never quoted', () => {
  // napi's own message quotes the value (`Object {"password":...}`); the facade converts
  // arguments first, and what still gets through is reworded.
  const native = require('../lib/native').load();
  const { guard } = require('../lib/errors');
  const client = new native.NativeClient({ configFile: 'none' });
  const attempts = [
    () => native.computeCodeChallenge({ verifier: PROXY_PASSWORD }),
    () => client.applyConfig({ 'proxy.password': PROXY_PASSWORD }),
    () => client.setAccessToken(OWN_TOKEN, PROXY_PASSWORD),
  ];
  for (const f of attempts) {
    assert.throws(
      () => guard(f),
      (e) => e instanceof platformClient.InvalidArgumentError && /wrong type/.test(e.message) && !e.message.includes('S3CRET') && !e.stack.includes('S3CRET'),
    );
  }
});
