'use strict';
// Scenario logging.redaction: trace with bodies, every grant, no secret in the log;
// config.logger.* and setLogger() as in the official SDK; a host log sink.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { platformClient, startEmulator, clientFor, follow, creds, drain, home } = require('./helpers');

const { UsersApi } = platformClient;
const SAML_ASSERTION =
  'PHNhbWwyOkFzc2VydGlvbiB4bWxuczpzYW1sMj0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9lbXVsYXRvciIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQtMDEtMDFUMDA6MDA6MDBaIj48c2FtbDI6SXNzdWVyPmVtdWxhdG9yLWlkcDwvc2FtbDI6SXNzdWVyPjxzYW1sMjpTdWJqZWN0PjxzYW1sMjpOYW1lSUQ+ZW11bGF0b3IudXNlckBleGFtcGxlLnRlc3Q8L3NhbWwyOk5hbWVJRD48L3NhbWwyOlN1YmplY3Q+PC9zYW1sMjpBc3NlcnRpb24+';

let emu;
test.before(async () => {
  emu = await startEmulator();
});
test.after(() => emu.stop());

async function everyGrant(format) {
  const file = path.join(home, `log-${format}.txt`);
  const client = clientFor(emu);
  const logger = client.config.logger;
  logger.log_level = logger.logLevelEnum.level.LTrace;
  logger.log_format = format === 'json' ? logger.logFormatEnum.formats.JSON : logger.logFormatEnum.formats.TEXT;
  logger.log_to_console = false;
  logger.log_file_path = file;
  logger.log_request_body = true;
  logger.log_response_body = true;
  logger.setLogger();
  const sinkLines = [];
  logger.setLogSink((level, line) => sinkLines.push([level, line]));

  const secrets = [creds.clientSecret, creds.codeClientSecret, SAML_ASSERTION];
  const basic = (id, s) => Buffer.from(`${id}:${s}`).toString('base64');
  secrets.push(basic(creds.clientId, creds.clientSecret), basic(creds.codeClientId, creds.codeClientSecret));
  secrets.push((await client.loginClientCredentialsGrant(creds.clientId, creds.clientSecret)).accessToken);
  secrets.push((await client.loginSaml2BearerGrant(creds.clientId, creds.clientSecret, creds.samlOrg, SAML_ASSERTION)).accessToken);

  let { url, state } = client.buildAuthorizeUrl(creds.codeClientId, creds.redirectUri, { responseType: 'code' });
  const code = client.parseCodeRedirect(await follow(url), state);
  const a = await client.loginCodeAuthorizationGrant(creds.codeClientId, creds.codeClientSecret, code, creds.redirectUri);
  secrets.push(code, a.accessToken, a.refreshToken);
  await emu.post('/admin/expire-tokens'); // the 401 path logs a refresh-token request too
  await new UsersApi(client).getUsersMe({ expand: ['presence'] });
  secrets.push(client.authData.accessToken);

  const verifier = client.generatePKCECodeVerifier(50);
  ({ url, state } = client.buildAuthorizeUrl(creds.publicClientId, creds.redirectUri, {
    responseType: 'code',
    codeChallenge: await client.computePKCECodeChallenge(verifier),
  }));
  const pkceCode = client.parseCodeRedirect(await follow(url), state);
  const p = await client.authorizePKCEGrant(creds.publicClientId, verifier, pkceCode, creds.redirectUri);
  secrets.push(verifier, pkceCode, p.accessToken);
  if (p.refreshToken) secrets.push(p.refreshToken);
  await new UsersApi(client).getUsersMe();
  await drain();
  return { log: fs.readFileSync(file, 'utf8'), secrets, sinkLines };
}

for (const format of ['text', 'json']) {
  // scenario: logging.redaction
  test(`logging.redaction (${format}): trace + bodies over every grant, and no secret in the log`, async () => {
    const { log, secrets, sinkLines } = await everyGrant(format);
    assert.match(log, /\/api\/v2\/users\/me/);
    assert.match(log, /\/oauth\/token/);
    assert.match(log, /REDACTED/);
    for (const s of secrets) {
      assert.ok(s && s.length >= 8, 'a real secret');
      assert.ok(!log.includes(s), `a secret leaked into the ${format} log: ${s.slice(0, 6)}...`);
      assert.ok(!sinkLines.some(([, l]) => l.includes(s)), 'a secret leaked into the sink');
    }
    assert.ok(sinkLines.length > 0, 'the sink received the lines');
    assert.ok(sinkLines.every(([level]) => ['error', 'debug', 'trace'].includes(level)));
    if (format === 'json') {
      const lines = log.trim().split('\n').map((l) => JSON.parse(l));
      const call = lines.find((l) => l.url && l.url.includes('/api/v2/users/me') && l.status === 200);
      assert.ok(call, 'a JSON line for the API call');
      assert.ok(call.correlationId, 'JSON lines carry the correlation id');
      assert.equal(call.method, 'GET');
    }
  });
}

test('config.logger: settings read back; a bad level is refused and nothing changes', () => {
  const client = clientFor(emu);
  const logger = client.config.logger;
  assert.equal(logger.log_level, 'none');
  logger.log_level = 'debug';
  assert.equal(logger.log_level, 'debug');
  assert.throws(() => {
    logger.log_level = 'verbose';
  }, platformClient.InvalidArgumentError);
  assert.equal(logger.log_level, 'debug');
  logger.log_file_path = '';
  assert.equal(logger.log_file_path, undefined);
});
