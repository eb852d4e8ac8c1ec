// A fleet worker in Node (tests/fleet/run.py starts it): logs in with client credentials
// through the token store, says READY, waits for "go" on stdin, makes FLEET_CALLS calls at
// once and says DONE ok=N failed=M.
const platformClient = require(process.env.FLEET_NODE_PACKAGE);
const readline = require('node:readline');

async function main() {
  const client = platformClient.ApiClient.instance;
  client.setEnvironment(process.env.FLEET_EMULATOR);
  client.applyConfig({ token_store: process.env.FLEET_STORE });
  await client.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  console.log('FLEET READY');
  const rl = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => rl.once('line', resolve));
  rl.close();
  const users = new platformClient.UsersApi();
  const n = Number(process.env.FLEET_CALLS);
  const results = await Promise.allSettled(Array.from({ length: n }, () => users.getUsersMe()));
  const failed = results.filter((r) => r.status === 'rejected');
  const first = failed.length ? String(failed[0].reason && failed[0].reason.message) : '';
  console.log(`FLEET DONE ok=${n - failed.length} failed=${failed.length} first_error=${first}`);
  process.exit(0);
}

main().catch((e) => {
  console.log(`FLEET DONE ok=0 failed=-1 first_error=${e && e.message}`);
  process.exit(1);
});
