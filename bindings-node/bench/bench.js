'use strict';
// Benchmarks purecore against a raw node:http client on the same emulator, in
// one run: require cost, sequential latency, 64 in flight, 100 x 1 MB bodies.
// Not a test: it prints medians and ratios. Usage: node bench/bench.js URL
const http = require('http');
const { spawnSync } = require('child_process');
const path = require('path');

const url = process.argv[2];
if (!url) throw new Error('usage: node bench/bench.js EMULATOR_URL');
const PKG = path.join(__dirname, '..');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (x) => x.toFixed(3);

function requireCost(kind) {
  const code = {
    cjs: `const m0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint(); require(${JSON.stringify(PKG)});
          console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, mb: (process.memoryUsage().rss - m0) / 1e6 }))`,
    esm: `const m0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint(); await import(${JSON.stringify(path.join(PKG, 'index.mjs'))});
          console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, mb: (process.memoryUsage().rss - m0) / 1e6 }))`,
    firstUse: `const m0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint(); const pc = require(${JSON.stringify(PKG)});
          pc.ApiClient.instance.setEnvironment('mypurecloud.ie'); new pc.UsersApi();
          console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, mb: (process.memoryUsage().rss - m0) / 1e6 }))`,
    http: `const m0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint(); require('http');
          console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, mb: (process.memoryUsage().rss - m0) / 1e6 }))`,
  }[kind];
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(JSON.parse(r.stdout));
  }
  return { ms: pct(runs.map((r) => r.ms), 50), mb: pct(runs.map((r) => r.mb), 50) };
}

async function admin(method, p, body) {
  const r = await fetch(url + p, { method, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (r.status >= 400) throw new Error(`${p}: ${r.status}`);
}

function rawClient(token) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return (p) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: u.hostname, port: u.port, path: p, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
}

async function sequential(fn, n) {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(ms(t0));
  }
  return { median: pct(times, 50), p99: pct(times, 99) };
}

async function inFlight(fn, total, width) {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: width }, async () => {
    while (next++ < total) await fn();
  }));
  return total / (ms(t0) / 1000);
}

async function bigBodies(fn, count) {
  const item = { id: '00000000-0000-4000-8000-000000000001', name: 'x'.repeat(200), selfUri: '/api/v2/users/x' };
  const body = JSON.stringify({ entities: Array.from({ length: Math.ceil(1_000_000 / JSON.stringify(item).length) }, () => item) });
  await admin('POST', '/admin/faults', { kind: 'status', status: 200, body, content_type: 'application/json', count, method: 'GET', path_contains: '/users/me' });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const r = await fn();
    if (!r.entities) throw new Error('not the 1 MB body');
  }
  return { seconds: ms(t0) / 1000, mb: (body.length * count) / 1e6 };
}

async function main() {
  const pc = require(PKG);
  const client = pc.ApiClient.instance;
  client.setEnvironment(url);
  const auth = await client.loginClientCredentialsGrant('emulator-client', 'emulator-secret');
  const users = new pc.UsersApi();
  const ours = () => users.getUsersMe();
  const raw = rawClient(auth.accessToken);
  const theirs = () => raw('/api/v2/users/me');

  const rows = [];
  const cjs = requireCost('cjs');
  const esm = requireCost('esm');
  const first = requireCost('firstUse');
  const bare = requireCost('http');
  rows.push(['require("purecore") ms / RSS MB', `${fmt(cjs.ms)} / ${cjs.mb.toFixed(1)}`, `${fmt(bare.ms)} / ${bare.mb.toFixed(1)} (require("http"))`, '']);
  rows.push(['import ESM ms / RSS MB', `${fmt(esm.ms)} / ${esm.mb.toFixed(1)}`, '', '']);
  rows.push(['require + first client ms / RSS MB', `${fmt(first.ms)} / ${first.mb.toFixed(1)}`, '', '']);

  const n = Number(process.env.BENCH_N || 1000);
  const a = await sequential(ours, n);
  const b = await sequential(theirs, n);
  rows.push([`sequential getUsersMe median ms (n=${n})`, fmt(a.median), fmt(b.median), (a.median / b.median).toFixed(2)]);
  rows.push(['sequential getUsersMe p99 ms', fmt(a.p99), fmt(b.p99), (a.p99 / b.p99).toFixed(2)]);
  const total = Number(process.env.BENCH_TOTAL || 5000);
  const ta = await inFlight(ours, total, 64);
  const tb = await inFlight(theirs, total, 64);
  rows.push([`64 in flight, calls/s (${total} calls)`, ta.toFixed(0), tb.toFixed(0), (ta / tb).toFixed(2)]);
  const ba = await bigBodies(ours, 100);
  const bb = await bigBodies(theirs, 100);
  rows.push(['100 x 1 MB, MB/s', (ba.mb / ba.seconds).toFixed(1), (bb.mb / bb.seconds).toFixed(1), (bb.seconds / ba.seconds).toFixed(2)]);

  const w = [40, 22, 34, 8];
  const line = (r) => r.map((c, i) => String(c).padEnd(w[i])).join(' ');
  console.log(line(['measure', 'purecore', 'raw node:http', 'ratio']));
  for (const r of rows) console.log(line(r));
  console.log('ratio = purecore / raw (throughput: raw time / purecore time); targets: latency <= 1.2, throughput >= 0.8');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
