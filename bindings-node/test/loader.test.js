'use strict';
// The loader (lib/native.js): which platform package it picks for a platform, arch and C
// library, the error that names the platform and the packages it looked for, and the local
// build used only inside a checkout. Each case runs the real lib/native.js in a child Node
// whose process.platform, process.arch and mapped C library (or glibc report) are overridden, from a copy of the
// package laid out as npm installs it (node_modules/purecore beside the platform packages).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const PKG = path.join(__dirname, '..');
const ALL = [
  'purecore-linux-x64-gnu',
  'purecore-linux-x64-musl',
  'purecore-linux-arm64-gnu',
  'purecore-linux-arm64-musl',
  'purecore-darwin-x64',
  'purecore-darwin-arm64',
  'purecore-win32-x64',
];

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'purecore-loader-'));
test.after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/**
 * An installed layout under a fresh folder: node_modules/purecore/lib/native.js (the real
 * one) and, for each name in `platforms`, a stand-in platform package whose main says which
 * it is. Returns the path of the installed native.js.
 */
function installed(name, platforms, extra = {}) {
  const root = path.join(sandbox, name);
  const pkg = path.join(root, 'node_modules', 'purecore');
  fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(PKG, 'lib', 'native.js'), path.join(pkg, 'lib', 'native.js'));
  for (const p of platforms) {
    const dir = path.join(root, 'node_modules', `purecore-${p}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `purecore-${p}`, version: '0.0.0', main: 'addon.js' }));
    fs.writeFileSync(path.join(dir, 'addon.js'), `module.exports = { which: ${JSON.stringify(p)} };`);
  }
  for (const [file, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return path.join(pkg, 'lib', 'native.js');
}

/**
 * Runs `load()` of the native.js at `file` in a child Node as platform/arch/libc; resolves
 * to { which } (what the loaded module says it is) or { error, code } from the thrown error.
 */
function loadAs(file, { platform, arch, libc }, env = {}) {
  const script = `
    Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} });
    Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} });
    // The loader reads the C library this process has mapped; show it the one asked for.
    // 'musl-report' / 'glibc-report': no /proc, so only Node's report tells.
    const fs = require('fs');
    const readFileSync = fs.readFileSync;
    const libc = ${JSON.stringify(libc || '')};
    const libcLine = libc === 'musl' ? '7f00-7f01 r-xp 0 00:00 1 /lib/ld-musl-x86_64.so.1' : '7f00-7f01 r-xp 0 00:00 1 /usr/lib/x86_64-linux-gnu/libc.so.6';
    fs.readFileSync = (f, ...rest) => {
      if (f !== '/proc/self/maps') return readFileSync(f, ...rest);
      if (libc.endsWith('-report')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return libcLine + '\\n';
    };
    const header = libc.startsWith('glibc') ? { glibcVersionRuntime: '2.36' } : {};
    Object.defineProperty(process, 'report', { value: { getReport: () => ({ header }) } });
    const native = require(${JSON.stringify(file)});
    let out;
    try { out = { which: native.load().which, platform: native.currentPlatform() }; }
    catch (e) { out = { error: e.message, code: e.code }; }
    process.stdout.write(JSON.stringify(out));
  `;
  const envAll = { ...process.env, ...env };
  if (!('PURECORE_NATIVE_PATH' in env)) delete envAll.PURECORE_NATIVE_PATH;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: envAll, timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('picks the platform package for the platform, arch and C library it runs on', () => {
  const file = installed('all', ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64']);
  const cases = [
    [{ platform: 'linux', arch: 'x64', libc: 'glibc' }, 'linux-x64-gnu'],
    [{ platform: 'linux', arch: 'x64', libc: 'musl' }, 'linux-x64-musl'],
    [{ platform: 'linux', arch: 'arm64', libc: 'glibc' }, 'linux-arm64-gnu'],
    [{ platform: 'linux', arch: 'arm64', libc: 'musl' }, 'linux-arm64-musl'],
    [{ platform: 'linux', arch: 'x64', libc: 'musl-report' }, 'linux-x64-musl'],
    [{ platform: 'linux', arch: 'x64', libc: 'glibc-report' }, 'linux-x64-gnu'],
    [{ platform: 'darwin', arch: 'x64' }, 'darwin-x64'],
    [{ platform: 'darwin', arch: 'arm64' }, 'darwin-arm64'],
    [{ platform: 'win32', arch: 'x64' }, 'win32-x64'],
  ];
  for (const [as, want] of cases) {
    assert.deepEqual(loadAs(file, as), { which: want, platform: want }, JSON.stringify(as));
  }
});

test('a platform package that is not installed: the error names the platform and the package', () => {
  // Only the glibc package installed (as npm does on a glibc machine); the process is musl.
  const file = installed('gnu-only', ['linux-x64-gnu']);
  const r = loadAs(file, { platform: 'linux', arch: 'x64', libc: 'musl' });
  assert.equal(r.code, 'PURECORE_NO_NATIVE_ADDON');
  assert.match(r.error, /no native addon for this platform, linux-x64-musl/);
  assert.match(r.error, /purecore-linux-x64-musl: not installed/);
  assert.match(r.error, /--omit=optional/);
  assert.doesNotMatch(r.error, /checkout/, 'an installed package is not a checkout');
});

test('an unsupported platform: the error names it and every package purecore is built for', () => {
  const file = installed('unsupported', ['linux-x64-gnu']);
  for (const as of [
    { platform: 'freebsd', arch: 'x64' },
    { platform: 'linux', arch: 'ppc64', libc: 'glibc' },
    { platform: 'win32', arch: 'arm64' },
  ]) {
    const r = loadAs(file, as);
    const name = as.platform === 'linux' ? `${as.platform}-${as.arch}-gnu` : `${as.platform}-${as.arch}`;
    assert.equal(r.code, 'PURECORE_NO_NATIVE_ADDON');
    assert.match(r.error, new RegExp(`no native addon for this platform, ${name}\\.`));
    assert.match(r.error, new RegExp(`none is for ${name}`));
    assert.match(r.error, new RegExp(`Looked for: purecore-${name} \\(no such package\\)`));
    for (const p of ALL) assert.ok(r.error.includes(p), `${p} missing from: ${r.error}`);
  }
});

test('a purecore.<platform>.node beside an installed package is not used (only a checkout builds locally)', () => {
  const file = installed('stray-local', [], {
    'node_modules/purecore/purecore.linux-x64-gnu.node': 'not an addon',
    'node_modules/purecore/Cargo.toml': '',
  });
  const r = loadAs(file, { platform: 'linux', arch: 'x64', libc: 'glibc' });
  assert.equal(r.code, 'PURECORE_NO_NATIVE_ADDON');
  assert.doesNotMatch(r.error, /local build/);
});

test('inside a checkout the local build is the fallback, and the error says how to build it', () => {
  // A checkout: the workspace's Cargo.toml beside the package folder, which has its own.
  const root = path.join(sandbox, 'checkout');
  const pkg = path.join(root, 'bindings-node');
  fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(PKG, 'lib', 'native.js'), path.join(pkg, 'lib', 'native.js'));
  fs.writeFileSync(path.join(root, 'Cargo.toml'), '[workspace]\n');
  fs.writeFileSync(path.join(pkg, 'Cargo.toml'), '[package]\n');
  const file = path.join(pkg, 'lib', 'native.js');

  let r = loadAs(file, { platform: 'linux', arch: 'x64', libc: 'glibc' });
  assert.equal(r.code, 'PURECORE_NO_NATIVE_ADDON');
  assert.match(r.error, /purecore-linux-x64-gnu: not installed/);
  assert.match(r.error, /a local build purecore\.linux-x64-gnu\.node in /);
  assert.match(r.error, /In this checkout, `npm install`/);

  // A file with the local build's name is tried (and this one is not a valid addon).
  fs.writeFileSync(path.join(pkg, 'purecore.linux-x64-gnu.node'), 'not an addon');
  r = loadAs(file, { platform: 'linux', arch: 'x64', libc: 'glibc' });
  assert.match(r.error, /the local build purecore\.linux-x64-gnu\.node: /);
});

test('PURECORE_NATIVE_PATH wins over the platform package', () => {
  const file = installed('native-path', ['linux-x64-gnu'], { 'custom/addon.js': 'module.exports = { which: "custom" };' });
  const custom = path.join(sandbox, 'native-path', 'custom', 'addon.js');
  assert.deepEqual(loadAs(file, { platform: 'linux', arch: 'x64', libc: 'glibc' }, { PURECORE_NATIVE_PATH: custom }), {
    which: 'custom',
    platform: 'linux-x64-gnu',
  });
  const r = loadAs(file, { platform: 'linux', arch: 'x64', libc: 'glibc' }, { PURECORE_NATIVE_PATH: path.join(sandbox, 'missing.node') });
  assert.match(r.error, /PURECORE_NATIVE_PATH=.*missing\.node/);
});

test('in this checkout the real addon loads and matches this process', () => {
  const native = require('../lib/native.js');
  const expected = process.platform === 'linux' ? /^linux-(x64|arm64)-(gnu|musl)$/ : /^(darwin|win32)-/;
  assert.match(native.currentPlatform(), expected);
  assert.equal(typeof native.load().NativeClient, 'function');
});
