'use strict';
// Scenarios grant.*: every grant against the emulator, through the official names.
const test = require('node:test');
const assert = require('node:assert/strict');
const { platformClient, startEmulator, clientFor, follow, formFields, tokenRequests, creds } = require('./helpers');

const { AuthenticationError, InvalidArgumentError, UsersApi } = platformClient;
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const header = (r, name) => (r.headers.find(([k]) => k === name) || [])[1];
const SAML_ASSERTION =
  'PHNhbWwyOkFzc2VydGlvbiB4bWxuczpzYW1sMj0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9lbXVsYXRvciIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQtMDEtMDFUMDA6MDA6MDBaIj48c2FtbDI6SXNzdWVyPmVtdWxhdG9yLWlkcDwvc2FtbDI6SXNzdWVyPjxzYW1sMjpTdWJqZWN0PjxzYW1sMjpOYW1lSUQ+ZW11bGF0b3IudXNlckBleGFtcGxlLnRlc3Q8L3NhbWwyOk5hbWVJRD48L3NhbWwyOlN1YmplY3Q+PC9zYW1sMjpBc3NlcnRpb24+';

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());
test.beforeEach(() => emu.reset());

// scenario: grant.client_credentials
test('grant.client_credentials: Basic auth, form body, absolute expiry', async () => {
  const client = clientFor(emu);
  const before = Date.now();
  const auth = await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  assert.ok(auth.accessToken.length > 10);
  assert.equal(auth.refreshToken, undefined);
  assert.ok(auth.tokenExpiryTime >= before + 86_400_000 - 5_000, 'tokenExpiryTime is absolute, in ms');
  assert.equal(auth.tokenExpiryTimeString, new Date(auth.tokenExpiryTime).toUTCString());
  assert.deepEqual(client.authData, auth);
  assert.equal(client.authData.accessToken, auth.accessToken);
  assert.equal(client.tokenExpiryTime, auth.tokenExpiryTime);

  const [r] = await tokenRequests(emu);
  assert.equal(r.method, 'POST');
  assert.equal(header(r, 'authorization'), basic(creds.clientId, creds.clientSecret));
  assert.equal(header(r, 'content-type'), 'application/x-www-form-urlencoded');
  assert.deepEqual(formFields(r.body), { grant_type: 'client_credentials' });

  const me = await new UsersApi(client).getUsersMe();
  assert.equal(me.id, creds.userId);
});

// scenario: grant.saml2
test('grant.saml2: orgName and assertion; a wrong org is invalid_grant', async () => {
  const client = clientFor(emu);
  await client.loginSaml2BearerGrant(creds.clientId, creds.clientSecret, creds.samlOrg, SAML_ASSERTION);
  const [r] = await tokenRequests(emu);
  assert.equal(header(r, 'authorization'), basic(creds.clientId, creds.clientSecret));
  assert.deepEqual(formFields(r.body), {
    grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
    orgName: creds.samlOrg,
    assertion: SAML_ASSERTION,
  });
  await new UsersApi(client).getUsersMe();

  await assert.rejects(
    client.loginSaml2BearerGrant(creds.clientId, creds.clientSecret, 'other-org', SAML_ASSERTION),
    (e) => e instanceof AuthenticationError && e.oauthError === 'invalid_grant' && e.code === 'invalid_grant',
  );
});

// scenario: grant.code
test('grant.code: authorize redirect, code exchange, single-use code, explicit refresh', async () => {
  const client = clientFor(emu);
  const { url, state } = client.buildAuthorizeUrl(creds.codeClientId, creds.redirectUri, { responseType: 'code' });
  assert.ok(url.startsWith(`${emu.url}/oauth/authorize?`), url);
  const code = client.parseCodeRedirect(await follow(url), state);
  const auth = await client.loginCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, code, creds.redirectUri);
  assert.ok(auth.refreshToken, 'the code grant returns a refresh token');
  let r = (await tokenRequests(emu)).pop();
  assert.equal(header(r, 'authorization'), basic(creds.codeClientId, creds.codeClientSecret));
  assert.deepEqual(formFields(r.body), { grant_type: 'authorization_code', code, redirect_uri: creds.redirectUri });

  await assert.rejects(
    client.loginCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, code, creds.redirectUri),
    (e) => e instanceof AuthenticationError && e.oauthError === 'invalid_grant',
    'a code is single use',
  );

  const refreshed = await client.refreshCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, auth.refreshToken);
  assert.notEqual(refreshed.accessToken, auth.accessToken);
  r = (await tokenRequests(emu)).pop();
  assert.deepEqual(formFields(r.body), { grant_type: 'refresh_token', refresh_token: auth.refreshToken });
  await new UsersApi(client).getUsersMe();

  assert.throws(() => client.parseCodeRedirect(`${creds.redirectUri}?code=x&state=forged`, state), AuthenticationError);
});

// scenario: grant.pkce
test('grant.pkce: S256 challenge; exchange with client_id and code_verifier, no secret', async () => {
  const client = clientFor(emu);
  const verifier = client.generatePKCECodeVerifier(64);
  assert.match(verifier, /^[A-Za-z0-9\-._~]{64}$/);
  assert.throws(() => client.generatePKCECodeVerifier(10), InvalidArgumentError);
  const challenge = await client.computePKCECodeChallenge(verifier);
  const expected = require('crypto').createHash('sha256').update(verifier).digest('base64url');
  assert.equal(challenge, expected);

  const { url, state } = client.buildAuthorizeUrl(creds.publicClientId, creds.redirectUri, { responseType: 'code', codeChallenge: challenge });
  assert.match(url, /code_challenge_method=S256/);
  const code = client.parseCodeRedirect(await follow(url), state);
  const auth = await client.authorizePKCEGrant(creds.publicClientId, verifier, code, creds.redirectUri);
  assert.ok(auth.accessToken);
  const r = (await tokenRequests(emu)).pop();
  assert.equal(header(r, 'authorization'), undefined, 'PKCE sends no secret');
  assert.deepEqual(formFields(r.body), {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: creds.publicClientId,
    redirect_uri: creds.redirectUri,
  });
  await new UsersApi(client).getUsersMe();

  // The desktop flow in one call: the app opens the URL; here the "browser" follows the redirect.
  const desktop = clientFor(emu);
  const opened = [];
  const a = await desktop.loginPKCEGrant(creds.publicClientId, creds.redirectUri, {
    openAuthorizeUrl: (u) => opened.push(u) && follow(u),
  });
  assert.ok(a.accessToken);
  assert.equal(opened.length, 1);
  await new UsersApi(desktop).getUsersMe();
});

// scenario: grant.implicit
test('grant.implicit: authorize URL with hints, fragment parsed, state checked', async () => {
  const client = clientFor(emu);
  const { url, state } = client.buildAuthorizeUrl(creds.publicClientId, creds.redirectUri, {
    org: 'emulator-org',
    loginHint: 'emulator.user@example.test',
    prompt: 'login',
  });
  const q = new URL(url).searchParams;
  assert.equal(q.get('response_type'), 'token');
  assert.equal(q.get('org'), 'emulator-org');
  assert.equal(q.get('login_hint'), 'emulator.user@example.test');
  assert.equal(q.get('state'), state);
  const landed = await follow(url);
  assert.match(landed, /#access_token=/);
  assert.throws(() => client.handleImplicitGrantRedirect(landed, 'another-state'), AuthenticationError);
  const auth = client.handleImplicitGrantRedirect(landed, state);
  assert.ok(auth.accessToken && auth.tokenExpiryTime > Date.now());
  await new UsersApi(client).getUsersMe();

  // loginImplicitGrant with an opener, and with a redirect already received.
  const c2 = clientFor(emu);
  const a2 = await c2.loginImplicitGrant(creds.publicClientId, creds.redirectUri, { openAuthorizeUrl: follow });
  assert.ok(a2.accessToken);
  const c3 = clientFor(emu);
  await assert.rejects(c3.loginImplicitGrant(creds.publicClientId, creds.redirectUri), InvalidArgumentError);
  const a3 = await c3.loginImplicitGrant(creds.publicClientId, creds.redirectUri, { redirectUrl: landed, state });
  assert.equal(a3.accessToken, auth.accessToken);
  await assert.rejects(
    c3.loginImplicitGrant(creds.publicClientId, creds.redirectUri, {
      redirectUrl: `${creds.redirectUri}#error=access_denied&error_description=denied&state=${state}`,
      state,
    }),
    (e) => e instanceof AuthenticationError && e.oauthError === 'access_denied',
  );
});

// scenario: grant.token
test('grant.token: a caller-supplied token is used and never renewed', async () => {
  const issuer = clientFor(emu);
  const { accessToken } = await issuer.loginClientCredentialsGrant(creds.clientId, creds.clientSecret);
  const client = clientFor(emu);
  client.setAccessToken(accessToken);
  assert.equal(client.authData.accessToken, accessToken);
  const me = await new UsersApi(client).getUsersMe();
  assert.equal(me.id, creds.userId);
  await emu.post('/admin/expire-tokens');
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => e instanceof AuthenticationError && e.status === 401);
  assert.equal((await tokenRequests(emu)).length, 1, 'no renewal was attempted');
  assert.throws(() => client.setAccessToken(''), InvalidArgumentError);
});

// scenario: grant.failure
test('grant.failure: invalid_client kept; missing credentials fail before any request', async () => {
  const client = clientFor(emu);
  await assert.rejects(client.loginClientCredentialsGrant(creds.clientId, 'wrong-secret'), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.status, 401);
    assert.equal(e.oauthError, 'invalid_client');
    assert.equal(e.code, 'invalid_client');
    assert.ok(e.oauthErrorDescription);
    assert.ok(e.correlationId);
    assert.ok(!e.message.includes('wrong-secret') && !JSON.stringify(e).includes('wrong-secret'), 'the secret is never echoed');
    return true;
  });
  assert.deepEqual(Object.keys(client.authData), [], 'no token after a failed grant');
  await emu.reset();
  await assert.rejects(client.loginClientCredentialsGrant('', 'x'), (e) => e instanceof InvalidArgumentError && /client_id/.test(e.message));
  await assert.rejects(
    client.loginSaml2BearerGrant('id', 'secret', 'org', ' '),
    (e) => e instanceof InvalidArgumentError && /assertion/.test(e.message),
  );
  await assert.rejects(new UsersApi(client).getUsersMe(), (e) => e instanceof AuthenticationError && /no access token/.test(e.message));
  assert.equal((await emu.requests()).length, 0, 'nothing reached the server');
});
