// purecore quickstart for Node (the official package's names; only the require differs).
//
// Against the local emulator (EMULATOR_URL, as demo.sh sets it): client credentials,
// users/me through UsersApi, a forced token expiry refreshed transparently, and a 429
// that is retried. Against a real org when GENESYS_CLOUD_REGION, GENESYS_CLOUD_CLIENT_ID
// and GENESYS_CLOUD_CLIENT_SECRET are set: client credentials, then the organization
// and the token's own details.
const platformClient = require('purecore');

const client = platformClient.ApiClient.instance;

async function realOrg(region, id, secret) {
  client.setEnvironment(platformClient.PureCloudRegionHosts[region] || region);
  const auth = await client.loginClientCredentialsGrant(id, secret);
  console.log(`logged in to ${client.config.basePath}; token expires ${auth.tokenExpiryTimeString}`);
  const org = await new platformClient.OrganizationApi().getOrganizationsMe();
  console.log(`organization: ${org.name} (${org.id})`);
  const token = await new platformClient.TokensApi().getTokensMe();
  console.log(`token of OAuth client: ${token.OAuthClient && token.OAuthClient.name}`);
}

async function emulator(url) {
  const admin = async (method, path, body) => {
    const r = await fetch(url + path, { method, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return r.status === 204 ? null : r.json();
  };
  client.setEnvironment(url);
  const usersApi = new platformClient.UsersApi();

  // START quickstart (README.md shows this part; scripts/check-parity keeps it equal)
  // 1. Log in with client credentials.
  const auth = await client.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  console.log(`1. logged in; token expires ${auth.tokenExpiryTimeString}`);

  // 2. GET /api/v2/users/me with an expand, through the generated API class.
  client.setReturnExtendedResponses(true);
  const me = await usersApi.getUsersMe({ expand: ['presence'] });
  const presence = me.body.presence.presenceDefinition.systemPresence;
  console.log(`2. users/me: ${me.body.name} <${me.body.email}>, presence ${presence} (status ${me.status}, correlation id ${me.correlationId})`);
  // END quickstart

  // 3. The server expires every token; the next call refreshes once and goes through.
  await admin('POST', '/admin/expire-tokens');
  const before = (await admin('GET', '/admin/counters')).token_requests;
  const again = await usersApi.getUsersMe();
  const after = (await admin('GET', '/admin/counters')).token_requests;
  console.log(`3. after a forced expiry: status ${again.status}, ${after - before} new token request(s), no error seen`);

  // 4. The next answer is a 429 with Retry-After: 1; the call waits and succeeds.
  client.setRetryConfig({ onRetry: (e) => console.log(`   retry ${e.attempt} after status ${e.status}, waiting ${Math.round(e.waitMs)} ms`) });
  await admin('POST', '/admin/faults', { kind: 'status', status: 429, retry_after: 1, count: 1 });
  const started = Date.now();
  const retried = await usersApi.getUsersMe();
  console.log(`4. after a 429 with Retry-After 1: status ${retried.status} in ${retried.attempts} attempts, ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // 5. Errors are Error subclasses that keep the reply.
  try {
    await usersApi.getUser('no-such-user');
  } catch (e) {
    console.log(`5. ${e.name}: ${e.status} ${e.code} "${e.message}" (correlation id ${e.correlationId})`);
  }
}

const { GENESYS_CLOUD_REGION: region, GENESYS_CLOUD_CLIENT_ID: id, GENESYS_CLOUD_CLIENT_SECRET: secret, EMULATOR_URL: url } = process.env;
const run = region && id && secret ? realOrg(region, id, secret) : url ? emulator(url) : Promise.reject(new Error('set EMULATOR_URL (demo.sh does) or the GENESYS_CLOUD_* variables'));
run.catch((e) => {
  console.error(`quickstart failed: ${e.message}`);
  process.exitCode = 1;
});
