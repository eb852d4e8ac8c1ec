'use strict';
// The bad-input table: every case calls a public API with bad input and must end in a typed
// error of this SDK (an ApiError with a known `kind`) or, where the case says so, a success.
// Never a crash, a hang or an untyped error (a TypeError from native code...).
//
// Usage: PURECORE_EMULATOR=... node test/bad-input.js
// The cases run in a child process (so an abort is counted as a crash, not the end of the
// run); a case that does not finish within its time limit is counted as a hang, the child is
// killed and a new one carries on from the next case. Prints
// `bad input: N cases, 0 crashes, 0 hangs, 0 untyped errors` and exits 1 on any failure.

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CASE_TIMEOUT_MS = Number(process.env.BAD_INPUT_CASE_TIMEOUT_MS || 10_000);
const KINDS = new Set([
  'authentication', 'http_status', 'rate_limited', 'timeout', 'connection',
  'invalid_argument', 'configuration', 'decoding', 'internal',
]);

// ---- the cases ----
// `expect`: 'error' (a typed error), 'ok' (success) or 'either' (a typed error or success).
// `run(ctx)` gets `{pc, client, loggedIn, emulatorUrl, tmp}`; it may return a promise.

const huge = 'x'.repeat(1_000_000);
const circular = {};
circular.self = circular;
const PEM_CERT_GARBAGE = '-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n';
const PEM_KEY_GARBAGE = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';

const cases = [];
const add = (name, expect, run) => cases.push({ name, expect, run });
const api = (ctx, cls) => new ctx.pc[cls](ctx.loggedIn);

// Environments and hosts.
add('setEnvironment(undefined) is the default', 'ok', (c) => c.client.setEnvironment(undefined));
add('setEnvironment(null) is the default', 'ok', (c) => c.client.setEnvironment(null));
add("setEnvironment('') is the default", 'ok', (c) => c.client.setEnvironment(''));
add("setEnvironment('example.1')", 'error', (c) => c.client.setEnvironment('example.1'));
add("setEnvironment('mypurecloud.xn--ie')", 'error', (c) => c.client.setEnvironment('mypurecloud.xn--ie'));
add("setEnvironment('atlantis')", 'error', (c) => c.client.setEnvironment('atlantis'));
add('setEnvironment(plain http elsewhere)', 'error', (c) => c.client.setEnvironment('http://api.example.com'));
add("setEnvironment('https://')", 'error', (c) => c.client.setEnvironment('https://'));
add('setEnvironment(1 MB string)', 'error', (c) => c.client.setEnvironment(huge));
add('setEnvironment(12345)', 'error', (c) => c.client.setEnvironment(12345));
add('setEnvironment({})', 'error', (c) => c.client.setEnvironment({}));
add('setEnvironment(Symbol())', 'error', (c) => c.client.setEnvironment(Symbol('x')));
add('setEnvironment(CR/LF in URL)', 'error', (c) => c.client.setEnvironment('https://api.mypurecloud.com\r\nX-Evil: 1'));
add('setEnvironment(ftp URL)', 'error', (c) => c.client.setEnvironment('ftp://api.mypurecloud.com'));
add('setEnvironment(URL with credentials)', 'either', (c) => c.client.setEnvironment('https://user:pass@api.mypurecloud.com'));
add('setEnvironment(port out of range)', 'error', (c) => c.client.setEnvironment('https://api.mypurecloud.com:99999'));
add('setEnvironment(NUL byte)', 'error', (c) => c.client.setEnvironment('mypurecloud\u0000.com'));
add('setEnvironment(unicode host)', 'either', (c) => c.client.setEnvironment('https://api.mypürecloud.com'));

// Gateways.
add("setGateway({host: ''})", 'error', (c) => c.client.setGateway({ host: '' }));
add("setGateway({host: 'a b'})", 'error', (c) => c.client.setGateway({ host: 'a b' }));
add('setGateway(port 70000)', 'error', (c) => c.client.setGateway({ host: 'gw.example', port: 70000 }));
add('setGateway(port -5)', 'error', (c) => c.client.setGateway({ host: 'gw.example', port: -5 }));
add("setGateway(port 'abc')", 'error', (c) => c.client.setGateway({ host: 'gw.example', port: 'abc' }));
add('setGateway(port NaN)', 'error', (c) => c.client.setGateway({ host: 'gw.example', port: NaN }));
add('setGateway(port 1.5)', 'error', (c) => c.client.setGateway({ host: 'gw.example', port: 1.5 }));
add("setGateway(protocol 'gopher')", 'error', (c) => c.client.setGateway({ host: 'gw.example', protocol: 'gopher' }));
add("setGateway('a string')", 'error', (c) => c.client.setGateway('gw.example'));
add('setGateway(with username)', 'error', (c) => c.client.setGateway({ host: 'gw.example', username: 'u' }));
add("setGateway({host: 'example.1'})", 'error', (c) => c.client.setGateway({ host: 'example.1' }));
add('setGateway(CR/LF in path params)', 'either', (c) => c.client.setGateway({ host: 'gw.example', path_params_api: 'a\r\nb' }));
add('setGateway({host: {}})', 'error', (c) => c.client.setGateway({ host: {} }));

// Proxies.
add("setProxy('not a url')", 'error', (c) => c.client.setProxy('not a url'));
add('setProxy(ftp URL)', 'error', (c) => c.client.setProxy('ftp://proxy.example:21'));
add("setProxy('http://')", 'error', (c) => c.client.setProxy('http://'));
add('setProxy(unclosed IPv6)', 'error', (c) => c.client.setProxy('http://[::1'));
add('setProxy(port 99999)', 'error', (c) => c.client.setProxy('http://proxy.example:99999'));
add("setProxy('http://example.1:3128')", 'error', (c) => c.client.setProxy('http://example.1:3128'));
add('setProxy(12345)', 'error', (c) => c.client.setProxy(12345));
add('setProxy({})', 'error', (c) => c.client.setProxy({}));
add('setProxy(object credentials)', 'error', (c) => c.client.setProxy('http://proxy.example:3128', {}, []));
add('setProxyAgent({})', 'error', (c) => c.client.setProxyAgent({}));
add("setProxyAgent({proxy: 'garbage'})", 'error', (c) => c.client.setProxyAgent({ proxy: 'garbage' }));
add('setProxy(socks5 URL)', 'either', (c) => c.client.setProxy('socks5://proxy.example:1080'));
// The WHATWG URL parser drops CR, LF and tabs: the proxy is proxy.example.
add('setProxy(CR/LF in host)', 'either', (c) => c.client.setProxy('http://proxy\r\n.example:3128'));
add('setProxy(user:pass@host without scheme)', 'error', (c) => c.client.setProxy('user:pass@proxy.example:3128'));
// The core does not check the length of a proxy host (a DNS name is at most 253 characters).
add('setProxy(1 MB URL)', 'either', (c) => c.client.setProxy(`http://${huge}`));
add('setProxy(null) removes it', 'ok', (c) => c.client.setProxy(null));

// mTLS and CA certificates.
add("setMTLSContents('garbage', 'garbage')", 'error', (c) => c.client.setMTLSContents('garbage', 'garbage'));
add('setMTLSContents(bad certificate PEM)', 'error', (c) => c.client.setMTLSContents(PEM_CERT_GARBAGE, null));
add('setMTLSContents(key without certificate)', 'error', (c) => c.client.setMTLSContents(null, PEM_KEY_GARBAGE));
add('setMTLSContents(bad key PEM)', 'error', (c) => c.client.setMTLSContents(PEM_CERT_GARBAGE, PEM_KEY_GARBAGE));
add('setMTLSContents(1 MB)', 'error', (c) => c.client.setMTLSContents(huge, huge));
add("setCaCertificates('not a pem')", 'error', (c) => c.client.setCaCertificates('not a pem'));
add('setCaCertificates(bad certificate PEM)', 'error', (c) => c.client.setCaCertificates(PEM_CERT_GARBAGE));
add("setCaCertificates(['', null]) is none", 'ok', (c) => c.client.setCaCertificates(['', null]));
add('setCaCertificates(12345)', 'error', (c) => c.client.setCaCertificates(12345));
add('setMTLSCertificates(missing files)', 'error', (c) => c.client.setMTLSCertificates('/nonexistent/cert.pem', '/nonexistent/key.pem'));
add('setMTLSCertificates(a directory)', 'error', (c) => c.client.setMTLSCertificates(c.tmp, c.tmp));

// Headers.
add('setDefaultHeaders(bad name)', 'error', (c) => c.client.setDefaultHeaders({ 'Bad Header': 'x' }));
add('setDefaultHeaders(CR/LF value)', 'error', (c) => c.client.setDefaultHeaders({ 'X-A': 'a\r\nb' }));
add('setDefaultHeaders(LF value)', 'error', (c) => c.client.setDefaultHeaders({ 'X-A': 'a\nb' }));
add('setDefaultHeaders(NUL value)', 'error', (c) => c.client.setDefaultHeaders({ 'X-A': 'a\u0000b' }));
add("setDefaultHeaders('a string')", 'error', (c) => c.client.setDefaultHeaders('X-A: b'));
add('setDefaultHeaders([1, 2])', 'error', (c) => c.client.setDefaultHeaders([1, 2]));
add('setDefaultHeaders(empty name)', 'error', (c) => c.client.setDefaultHeaders({ '': 'x' }));
add('setDefaultHeaders(object value)', 'error', (c) => c.client.setDefaultHeaders({ 'X-A': {} }));
add('setDefaultHeaders(1 MB value)', 'either', (c) => c.client.setDefaultHeaders({ 'X-A': huge }));
add('setDefaultHeaders(null) clears them', 'ok', (c) => c.client.setDefaultHeaders(null));
add('customHeaders with CR/LF', 'error', (c) => api(c, 'UsersApi').getUsersMe({ customHeaders: { 'X-A': 'a\r\nb' } }));
add("customHeaders 'a string'", 'error', (c) => api(c, 'UsersApi').getUsersMe({ customHeaders: 'X-A: b' }));
add('customHeaders bad name', 'error', (c) => api(c, 'UsersApi').getUsersMe({ customHeaders: { 'a:b': 'c' } }));

// Numbers and settings.
for (const v of [-1, NaN, Infinity, 1.5, 1e10, '-1', {}, 2 ** 64]) {
  add(`setRetryConfig({maxRetries: ${String(v)}})`, 'error', (c) => c.client.setRetryConfig({ maxRetries: v }));
}
for (const v of [-1, NaN, 1e300, 'soon', -Infinity]) {
  add(`timeout = ${String(v)}`, 'error', (c) => {
    c.client.timeout = v;
  });
}
add('timeout = 0', 'error', (c) => {
  c.client.timeout = 0;
});
add('retryWaitMin -1', 'error', (c) => c.client.setRetryConfig({ retryWaitMin: -1 }));
add('retryWaitMax Infinity', 'error', (c) => c.client.setRetryConfig({ retryWaitMax: Infinity }));
add('maxTotalWait NaN', 'error', (c) => c.client.setRetryConfig({ maxTotalWait: NaN }));
add("statuses 'x'", 'error', (c) => c.client.setRetryConfig({ statuses: 'x' }));
add('statuses [99]', 'error', (c) => c.client.setRetryConfig({ statuses: [99] }));
add('statuses [NaN]', 'error', (c) => c.client.setRetryConfig({ statuses: [NaN] }));
add('statuses [70000]', 'error', (c) => c.client.setRetryConfig({ statuses: [70000] }));
add('setRetryConfig(null)', 'error', (c) => c.client.setRetryConfig(null));
add("setRetryConfig('x')", 'error', (c) => c.client.setRetryConfig('x'));
add('setRetryConfig({onRetry: 5})', 'error', (c) => c.client.setRetryConfig({ onRetry: 5 }));
add('refresh_token_wait_max = -1', 'error', (c) => {
  c.client.config.refresh_token_wait_max = -1;
});
add("refresh_token_wait_max = 'long'", 'error', (c) => {
  c.client.config.refresh_token_wait_max = 'long';
});
add('live_reload_interval_ms = NaN', 'error', (c) => {
  c.client.config.live_reload_interval_ms = NaN;
});
add("log_level = 'loud'", 'error', (c) => {
  c.client.config.logger.log_level = 'loud';
});
add("log_format = 'xml'", 'error', (c) => {
  c.client.config.logger.log_format = 'xml';
});
add('log_file_path in a missing folder', 'either', (c) => {
  c.client.config.logger.log_file_path = '/nonexistent/dir/purecore.log';
});
add('setLogSink(5)', 'error', (c) => c.client.config.logger.setLogSink(5));
add('setConfigPath(missing file)', 'either', (c) => c.client.config.setConfigPath('/nonexistent/purecore.ini'));
add('setConfigPath(broken INI)', 'error', (c) => c.client.config.setConfigPath(c.file('broken.ini', '[logging]\nlog_level = loud\n')));
add('setConfigPath(broken JSON)', 'error', (c) => c.client.config.setConfigPath(c.file('broken.json', '{"logging": {"log_level": ')));
add('setConfigPath(negative retry_max)', 'error', (c) => c.client.config.setConfigPath(c.file('neg.ini', '[retry]\nretry_max = -1\n')));
add('setConfigPath(huge refresh_token_wait_max)', 'error', (c) => c.client.config.setConfigPath(c.file('huge.ini', '[reauthentication]\nrefresh_token_wait_max = 1e300\n')));
add('setConfigPath(NaN retry_wait_min)', 'error', (c) => c.client.config.setConfigPath(c.file('nan.ini', '[retry]\nretry_wait_min = NaN\n')));
add('setConfigPath(binary file)', 'error', (c) => c.client.config.setConfigPath(c.file('binary.ini', Buffer.from([0xff, 0xfe, 0x00, 0x01]))));
add('setConfigPath(a directory)', 'either', (c) => c.client.config.setConfigPath(c.tmp));
add('setPreHook(5)', 'error', (c) => c.client.setPreHook(5));
add("setPostHook('x')", 'error', (c) => c.client.setPostHook('x'));
add('setTokenCallback(5)', 'error', (c) => c.client.setTokenCallback(5));

// Tokens.
add("setAccessToken('tok', 1e19)", 'error', (c) => c.client.setAccessToken('tok', 1e19));
add("setAccessToken('tok', -1)", 'error', (c) => c.client.setAccessToken('tok', -1));
add("setAccessToken('tok', NaN)", 'error', (c) => c.client.setAccessToken('tok', NaN));
add("setAccessToken('tok', 'soon')", 'error', (c) => c.client.setAccessToken('tok', 'soon'));
add("setAccessToken('')", 'either', (c) => c.client.setAccessToken(''));
// The core takes it (and the call sending it fails): not refused when set.
add('setAccessToken(CR/LF)', 'either', (c) => c.client.setAccessToken('a\r\nb'));
add('setAccessToken(null)', 'either', (c) => c.client.setAccessToken(null));
add('setAccessToken({})', 'error', (c) => c.client.setAccessToken({}));
add('setAccessToken(1 MB)', 'either', (c) => c.client.setAccessToken(huge));

// Redirects.
const implicit = (c, url, state) => c.client.handleImplicitGrantRedirect(url, state);
add("handleImplicitGrantRedirect('')", 'error', (c) => implicit(c, ''));
add('handleImplicitGrantRedirect(expires_in 2^64-1)', 'either', (c) => implicit(c, 'http://localhost/cb#access_token=a&expires_in=18446744073709551615'));
add('handleImplicitGrantRedirect(expires_in -1)', 'either', (c) => implicit(c, 'http://localhost/cb#access_token=a&expires_in=-1'));
add('handleImplicitGrantRedirect(expires_in NaN)', 'either', (c) => implicit(c, 'http://localhost/cb#access_token=a&expires_in=NaN'));
add('handleImplicitGrantRedirect(expires_in 1e400)', 'either', (c) => implicit(c, 'http://localhost/cb#access_token=a&expires_in=1e400'));
add('handleImplicitGrantRedirect(error=access_denied)', 'error', (c) => implicit(c, 'http://localhost/cb#error=access_denied'));
add('handleImplicitGrantRedirect(wrong state)', 'error', (c) => implicit(c, 'http://localhost/cb#access_token=a&state=x', 'y'));
add("handleImplicitGrantRedirect('not a url')", 'error', (c) => implicit(c, 'not a url'));
add('handleImplicitGrantRedirect(empty token)', 'error', (c) => implicit(c, 'http://localhost/cb#access_token='));
add('handleImplicitGrantRedirect(null)', 'error', (c) => implicit(c, null));
add('handleImplicitGrantRedirect({})', 'error', (c) => implicit(c, {}));
add('handleImplicitGrantRedirect(1 MB)', 'error', (c) => implicit(c, huge));
add("parseCodeRedirect('?error=denied')", 'error', (c) => c.client.parseCodeRedirect('http://localhost/cb?error=access_denied'));
add("parseCodeRedirect('')", 'error', (c) => c.client.parseCodeRedirect(''));
add('parseCodeRedirect(wrong state)', 'error', (c) => c.client.parseCodeRedirect('http://localhost/cb?code=a&state=1', '2'));
add("buildAuthorizeUrl('', '')", 'error', (c) => c.client.buildAuthorizeUrl('', ''));
add("buildAuthorizeUrl(redirect 'not a url')", 'error', (c) => c.client.buildAuthorizeUrl('id', 'not a url'));
add("buildAuthorizeUrl(responseType 'bogus')", 'error', (c) => c.client.buildAuthorizeUrl('id', 'http://localhost/cb', { responseType: 'bogus' }));
add('buildAuthorizeUrl(opts null)', 'ok', (c) => c.client.buildAuthorizeUrl('id', 'http://localhost/cb', null));
add('generatePKCECodeVerifier(10)', 'error', (c) => c.client.generatePKCECodeVerifier(10));
add('generatePKCECodeVerifier(129)', 'error', (c) => c.client.generatePKCECodeVerifier(129));
add('generatePKCECodeVerifier(-1)', 'error', (c) => c.client.generatePKCECodeVerifier(-1));
add("generatePKCECodeVerifier('abc')", 'error', (c) => c.client.generatePKCECodeVerifier('abc'));
add('generatePKCECodeVerifier(NaN)', 'error', (c) => c.client.generatePKCECodeVerifier(NaN));
add('generatePKCECodeVerifier(2^32 + 64)', 'error', (c) => c.client.generatePKCECodeVerifier(2 ** 32 + 64));
add("computePKCECodeChallenge('')", 'error', (c) => c.client.computePKCECodeChallenge(''));
add("computePKCECodeChallenge('short')", 'error', (c) => c.client.computePKCECodeChallenge('short'));

// Grants (against the emulator).
add("loginClientCredentialsGrant('', '')", 'error', (c) => c.net.loginClientCredentialsGrant('', ''));
add('loginClientCredentialsGrant(null, undefined)', 'error', (c) => c.net.loginClientCredentialsGrant(null, undefined));
add('loginClientCredentialsGrant({}, [])', 'error', (c) => c.net.loginClientCredentialsGrant({}, []));
add('loginClientCredentialsGrant(1 MB id)', 'error', (c) => c.net.loginClientCredentialsGrant(huge, 'secret'));
add('loginClientCredentialsGrant(CR/LF id)', 'error', (c) => c.net.loginClientCredentialsGrant('a\r\nb', 'secret'));
add("loginSaml2BearerGrant('', '', '', '')", 'error', (c) => c.net.loginSaml2BearerGrant('', '', '', ''));
add('loginCodeAuthorizationGrant(empty code)', 'error', (c) => c.net.loginCodeAuthorizationGrant('id', 's', '', 'http://localhost/cb'));
add('refreshCodeAuthorizationGrant(empty token)', 'error', (c) => c.net.refreshCodeAuthorizationGrant('id', 's', ''));
add("authorizePKCEGrant('id', '', '', '')", 'error', (c) => c.net.authorizePKCEGrant('id', '', '', ''));
add('loginPKCEGrant(no opener)', 'error', (c) => c.net.loginPKCEGrant('id', 'http://localhost/cb', {}));
add('loginImplicitGrant(opener 5)', 'error', (c) => c.net.loginImplicitGrant('id', 'http://localhost/cb', { openAuthorizeUrl: 5 }));
add('loginImplicitGrant(opts null)', 'error', (c) => c.net.loginImplicitGrant('id', 'http://localhost/cb', null));

// API calls (logged in to the emulator).
add('getUser() without its required id', 'error', (c) => api(c, 'UsersApi').getUser());
add("getUser('')", 'error', (c) => api(c, 'UsersApi').getUser(''));
add('getUser(null)', 'error', (c) => api(c, 'UsersApi').getUser(null));
add("getUser('../../admin')", 'error', (c) => api(c, 'UsersApi').getUser('../../admin'));
add('getUser(CR/LF id)', 'error', (c) => api(c, 'UsersApi').getUser('a\r\nb'));
add('getUser(100 kB id)', 'error', (c) => api(c, 'UsersApi').getUser('x'.repeat(100_000)));
add('getUser({})', 'error', (c) => api(c, 'UsersApi').getUser({}));
add('getUser(circular object)', 'error', (c) => api(c, 'UsersApi').getUser(circular));
add('getUsersMe({expand: 12})', 'either', (c) => api(c, 'UsersApi').getUsersMe({ expand: 12 }));
add('getUsersMe({expand: [{}]})', 'either', (c) => api(c, 'UsersApi').getUsersMe({ expand: [{}] }));
add('getUsersMe(null options)', 'ok', (c) => api(c, 'UsersApi').getUsersMe(null));
add("getUsersMe('a string' as options)", 'ok', (c) => api(c, 'UsersApi').getUsersMe('nonsense'));
add('postUsers(body a string)', 'error', (c) => api(c, 'UsersApi').postUsers('not a user'));
add('postUsers(body circular)', 'error', (c) => api(c, 'UsersApi').postUsers(circular));
add('postUsers(no body)', 'error', (c) => api(c, 'UsersApi').postUsers());
add('getUsers({pageSize: -1})', 'either', (c) => api(c, 'UsersApi').getUsers({ pageSize: -1 }));
add('getUsers({pageSize: NaN})', 'either', (c) => api(c, 'UsersApi').getUsers({ pageSize: NaN }));
add('getUsers({pageSize: 1e300})', 'either', (c) => api(c, 'UsersApi').getUsers({ pageSize: 1e300 }));
add('request({})', 'error', (c) => c.loggedIn.request({}));
add('request(null)', 'error', (c) => c.loggedIn.request(null));
add("request(method 'BREW')", 'either', (c) => c.loggedIn.request({ method: 'BREW', path: '/api/v2/users/me' }));
// The core trims the method.
add('request(method with CR/LF)', 'either', (c) => c.loggedIn.request({ method: 'GET\r\n', path: '/api/v2/users/me' }));
add('request(absolute URL as path)', 'error', (c) => c.loggedIn.request({ path: 'https://elsewhere.example/api' }));
add('request(query 5)', 'either', (c) => c.loggedIn.request({ path: '/api/v2/users/me', query: 5 }));
add('request(bad header name)', 'error', (c) => c.loggedIn.request({ path: '/api/v2/users/me', headers: { 'a b': 'c' } }));
add('request(circular body)', 'error', (c) => c.loggedIn.request({ method: 'POST', path: '/api/v2/users', body: circular }));
add('request(path with CR/LF)', 'error', (c) => c.loggedIn.request({ path: '/api/v2/users/me\r\nX: y' }));
add('request(contentType object)', 'error', (c) => c.loggedIn.request({ method: 'POST', path: '/api/v2/users', body: 'x', contentType: {} }));
add("callOperation('noSuchOperation')", 'error', (c) => c.loggedIn.callOperation('noSuchOperation', {}));
add("callOperation('getUser', 'a string')", 'error', (c) => c.loggedIn.callOperation('getUser', 'a string'));
add('callOperation(null, {})', 'error', (c) => c.loggedIn.callOperation(null, {}));
add('callOperation with a circular parameter', 'error', (c) => c.loggedIn.callOperation('getUser', { userId: circular }));
add('a call with a token the server rejects', 'error', (c) => {
  const cl = new c.pc.ApiClient();
  cl.config.setConfigPath(null);
  cl.setEnvironment(c.emulatorUrl);
  cl.setAccessToken('not-a-real-token');
  return new c.pc.UsersApi(cl).getUsersMe();
});
add('a call with no token at all', 'error', (c) => {
  const cl = new c.pc.ApiClient();
  cl.config.setConfigPath(null);
  cl.setEnvironment(c.emulatorUrl);
  return new c.pc.UsersApi(cl).getUsersMe();
});

// The runner's own check (test/bad-input.test.js): one case of each failure it must count.
if (process.env.BAD_INPUT_SELFTEST) {
  cases.length = 0;
  add('an abort', 'error', () => process.abort());
  add('a synchronous hang', 'error', () => {
    for (;;);
  });
  add('an untyped error', 'error', () => {
    throw new TypeError('plain');
  });
  add('a typed error', 'error', (c) => c.client.setEnvironment('atlantis'));
  add('a promise that never settles', 'error', () => new Promise(() => setInterval(() => {}, 1000)));
  add('an unexpected success', 'error', () => 1);
}

module.exports = { cases };

// ---- the child: runs cases from argv[3] on, one line per case on stdout ----

async function child(first) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'purecore-bad-input-'));
  process.env.HOME = tmp;
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const pc = require('..');
  const emulatorUrl = process.env.EMULATOR_URL;
  const fresh = () => {
    const client = new pc.ApiClient();
    client.config.setConfigPath(null);
    client.setEnvironment(emulatorUrl);
    client.setRetryConfig({ maxRetries: 0 });
    return client;
  };
  const loggedIn = fresh();
  await loggedIn.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  let n = 0;
  const file = (name, text) => {
    const p = path.join(tmp, `${n++}-${name}`);
    fs.writeFileSync(p, text);
    return p;
  };
  const send = (line) => new Promise((r) => process.stdout.write(`${JSON.stringify(line)}\n`, r));
  for (let i = first; i < cases.length; i++) {
    await send({ start: i });
    const ctx = { pc, client: fresh(), net: fresh(), loggedIn, emulatorUrl, tmp, file };
    let result;
    try {
      const value = await cases[i].run(ctx);
      result = { outcome: 'ok', value: value === undefined ? 'undefined' : typeof value };
    } catch (e) {
      const typed = e instanceof pc.ApiError && KINDS.has(e.kind);
      result = typed
        ? { outcome: 'error', kind: e.kind, message: String(e.message).slice(0, 200) }
        : { outcome: 'untyped', message: `${e && e.constructor ? e.constructor.name : typeof e}: ${String(e && e.message).slice(0, 200)}` };
    }
    await send({ done: i, ...result });
  }
}

// ---- the parent: runs the child, restarting it after a crash or a hang ----

async function parent() {
  const { startEmulator } = require('./helpers');
  const emu = await startEmulator();
  const results = new Array(cases.length);
  let next = 0;
  try {
    while (next < cases.length) {
      next = await runChild(next, emu.url, results);
    }
  } finally {
    emu.stop();
  }
  const count = (o) => results.filter((r) => r.outcome === o).length;
  const wrong = results.filter((r) => (r.outcome === 'ok' && r.expect === 'error') || (r.outcome === 'error' && r.expect === 'ok'));
  for (const r of results) {
    const bad = ['crash', 'hang', 'untyped'].includes(r.outcome) || wrong.includes(r);
    if (bad || process.env.BAD_INPUT_VERBOSE) {
      console.log(`${bad ? 'FAIL' : 'ok  '} ${r.name}: ${r.outcome}${r.kind ? ` (${r.kind})` : ''}${r.message ? ` ${r.message}` : ''}${wrong.includes(r) ? ` [expected ${r.expect}]` : ''}`);
    }
  }
  const kinds = {};
  for (const r of results) if (r.kind) kinds[r.kind] = (kinds[r.kind] || 0) + 1;
  console.log(`typed errors by kind: ${JSON.stringify(kinds)}; successes: ${count('ok')}`);
  // An internal error is typed (no crash), but it is a bug: a panic caught in the addon.
  for (const r of results.filter((x) => x.kind === 'internal')) console.log(`internal (a caught panic, a bug to fix): ${r.name}: ${r.message}`);
  console.log(
    `bad input: ${results.length} cases, ${count('crash')} crashes, ${count('hang')} hangs, ${count('untyped')} untyped errors, ${wrong.length} wrong outcomes` +
      ` (${results.filter((r) => r.kind === 'internal').length} internal errors: caught panics)`,
  );
  process.exitCode = count('crash') + count('hang') + count('untyped') + wrong.length === 0 && results.length >= 100 ? 0 : 1;
}

/** Runs cases from `first` in a child; resolves with the index to go on from. */
function runChild(first, url, results) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [__filename, '--child', String(first)], {
      env: { ...process.env, EMULATOR_URL: url, RUST_BACKTRACE: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let current = null;
    let progress = first;
    let timer = null;
    let stderr = '';
    let buffered = '';
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (current !== null) results[current] = { name: cases[current].name, expect: cases[current].expect, outcome: 'hang' };
        proc.kill('SIGKILL');
      }, ms);
    };
    // Starting Node and loading the addon is not a case: on a loaded machine it can take
    // longer than one case may, so the child gets its own allowance until its first case.
    arm(Math.max(CASE_TIMEOUT_MS, 30_000));
    proc.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    proc.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if ('start' in line) {
          current = line.start;
          arm(CASE_TIMEOUT_MS);
        } else {
          results[line.done] = { name: cases[line.done].name, expect: cases[line.done].expect, ...line };
          current = null;
          progress = line.done + 1;
        }
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (current !== null && !results[current]) {
        results[current] = {
          name: cases[current].name,
          expect: cases[current].expect,
          outcome: 'crash',
          message: `exit ${code} signal ${signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        };
      }
      if (current === null && progress === first && first < cases.length) {
        // The child failed before its first case (no emulator, no addon): nothing can run.
        console.error(`bad input: the child process failed before case ${first}: exit ${code} signal ${signal}: ${stderr}`);
        process.exit(1);
      }
      resolve(current === null ? progress : current + 1);
    });
  });
}

if (require.main === module) {
  if (process.argv[2] === '--child') {
    child(Number(process.argv[3])).then(
      () => process.exit(0),
      (e) => {
        console.error(e && e.stack ? e.stack : e);
        process.exit(2);
      },
    );
  } else {
    parent();
  }
}
