// @ts-check
'use strict';
// Loads the native addon on first use. Loading it starts the addon's tokio
// runtime (worker threads), so nothing here runs at require time.
//
// Where the addon comes from (the napi-rs layout):
//   1. PURECORE_NATIVE_PATH, when set: that file and nothing else;
//   2. the platform package for this process, an optionalDependency of purecore that npm
//      installs only on its own platform (os, cpu and libc in its package.json):
//      purecore-linux-x64-gnu, purecore-darwin-arm64, ...;
//   3. inside a checkout only (the workspace's Cargo.toml beside the package folder): the
//      local build, purecore.<platform>.node in the package folder (`npm install` or
//      `napi build --platform` writes it).
const fs = require('fs');
const path = require('path');

// Platform name (napi-rs's) -> what its package declares.
const PACKAGES = {
  'linux-x64-gnu': { os: 'linux', cpu: 'x64', libc: 'glibc' },
  'linux-x64-musl': { os: 'linux', cpu: 'x64', libc: 'musl' },
  'linux-arm64-gnu': { os: 'linux', cpu: 'arm64', libc: 'glibc' },
  'linux-arm64-musl': { os: 'linux', cpu: 'arm64', libc: 'musl' },
  'darwin-x64': { os: 'darwin', cpu: 'x64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64' },
};

const packageName = (platform) => `purecore-${platform}`;

const ROOT = path.join(__dirname, '..');

/** @type {typeof import('./native') | null} */
let native = null;

// Linux only: whether this Node runs on musl. The C library this process has mapped says it
// in well under a millisecond; process.report.getReport() (the fallback) costs several.
function isMusl() {
  try {
    const maps = fs.readFileSync('/proc/self/maps', 'utf8');
    if (/\/ld-musl-[^/\s]*\.so|\/libc\.musl-[^/\s]*\.so/.test(maps)) return true;
    if (/\/libc\.so\.6|\/libc-2\.[0-9]+\.so/.test(maps)) return false;
  } catch (_) {
    // no /proc (a sandbox): ask Node's report below
  }
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === 'string' ? JSON.parse(report) : report).header;
    if (header && header.glibcVersionRuntime) return false;
    if (header) return true;
  } catch (_) {
    // no report: ask the dynamic linker below
  }
  try {
    return fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch (_) {
    return false;
  }
}

/** The platform name of this process, as the platform packages are named. */
function currentPlatform() {
  if (process.platform === 'linux') return `linux-${process.arch}-${isMusl() ? 'musl' : 'gnu'}`;
  return `${process.platform}-${process.arch}`;
}

/** Whether the package folder is the one in a checkout of the repository. */
function inCheckout() {
  return fs.existsSync(path.join(ROOT, '..', 'Cargo.toml')) && fs.existsSync(path.join(ROOT, 'Cargo.toml'));
}

// Each candidate: { what, load() } in the order they are tried.
function candidates(platform) {
  if (process.env.PURECORE_NATIVE_PATH) {
    const file = path.resolve(process.env.PURECORE_NATIVE_PATH);
    return [{ what: `PURECORE_NATIVE_PATH=${file}`, load: () => require(file) }];
  }
  const list = [];
  if (PACKAGES[platform]) {
    const name = packageName(platform);
    list.push({ what: `the package ${name}`, name, load: () => require(name) });
  }
  if (inCheckout()) {
    // napi build --platform names the file by the Rust target (e.g. win32-x64-msvc).
    let files = [];
    try {
      files = fs.readdirSync(ROOT).filter((f) => f.startsWith(`purecore.${platform}`) && f.endsWith('.node'));
    } catch (_) {
      // an unreadable package folder: nothing local
    }
    for (const f of files) list.push({ what: `the local build ${f}`, load: () => require(path.join(ROOT, f)) });
    if (!files.length) list.push({ what: `a local build purecore.${platform}.node in ${ROOT}`, load: () => { throw new Error('not built'); } });
  }
  return list;
}

function notFound(e, name) {
  return e && e.code === 'MODULE_NOT_FOUND' && name && String(e.message).includes(`'${name}'`);
}

/** The addon (its types: native.d.ts, written by napi build --dts). @returns {typeof import('./native')} */
function load() {
  if (native) return native;
  const platform = currentPlatform();
  const tried = [];
  for (const c of candidates(platform)) {
    try {
      native = c.load();
      return native;
    } catch (e) {
      tried.push(notFound(e, c.name) ? `${c.what}: not installed` : `${c.what}: ${String(e.message).split('\n')[0]}`);
    }
  }
  const known = Object.keys(PACKAGES).map(packageName).join(', ');
  let message = `purecore: no native addon for this platform, ${platform}.`;
  if (!PACKAGES[platform]) {
    message += ` purecore is built for ${Object.keys(PACKAGES).join(', ')} (packages ${known}); none is for ${platform}.`;
    message += ` Looked for: ${packageName(platform)} (no such package)`;
    if (tried.length) message += `; ${tried.join('; ')}`;
    message += '.';
  } else {
    message += ` Looked for: ${tried.join('; ')}.`;
    message += ` npm installs ${packageName(platform)} with purecore on this platform (an optional dependency):`;
    message += ' reinstall purecore without --omit=optional / --no-optional, and with the same platform and C library it runs on.';
  }
  if (inCheckout()) message += ' In this checkout, `npm install` (or `npx napi build --platform`) builds the addon from source (Rust is needed).';
  throw Object.assign(new Error(message), { code: 'PURECORE_NO_NATIVE_ADDON', platform, tried });
}

let rootsGiven = false;

/**
 * Hands the addon the Mozilla roots it trusts with the system's: Node's own copy
 * (`tls.rootCertificates`; the addon carries none), once per process, before the first
 * connection. Called before each call that may connect: loading `tls` takes a few ms.
 */
function giveRoots() {
  if (rootsGiven) return;
  load().addBaseRoots([...require('tls').rootCertificates]);
  rootsGiven = true;
}

module.exports = {
  load,
  giveRoots,
  currentPlatform,
  PACKAGES,
  packageName,
  get loaded() {
    return native !== null;
  },
};
