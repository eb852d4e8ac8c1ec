// @ts-check
'use strict';
// Loads the native addon on first use. Loading it starts the addon's tokio
// runtime (worker threads), so nothing here runs at require time.
const fs = require('fs');
const path = require('path');

/** @type {typeof import('./native') | null} */
let native = null;

function candidates() {
  const root = path.join(__dirname, '..');
  if (process.env.PURECORE_NATIVE_PATH) return [process.env.PURECORE_NATIVE_PATH];
  const prefix = `purecore.${process.platform}-${process.arch}`;
  let files = [];
  try {
    files = fs.readdirSync(root).filter((f) => f.startsWith(prefix) && f.endsWith('.node'));
  } catch (_) {
    // an unreadable package folder: fall through to the error below
  }
  // On Linux prefer the C library this Node runs on.
  const musl = process.platform === 'linux' && !(process.report && /** @type {{ header: { glibcVersionRuntime?: string } }} */ (process.report.getReport()).header.glibcVersionRuntime);
  files.sort((a, b) => Number(a.includes('musl') !== musl) - Number(b.includes('musl') !== musl));
  return files.map((f) => path.join(root, f));
}

/** The addon (its types: native.d.ts, written by napi build --dts). @returns {typeof import('./native')} */
function load() {
  if (native) return native;
  const tried = candidates();
  const errors = [];
  for (const file of tried) {
    try {
      native = require(file);
      return native;
    } catch (e) {
      errors.push(`${file}: ${e.message}`);
    }
  }
  const why = errors.length
    ? `could be loaded:\n  ${errors.join('\n  ')}`
    : 'is installed; run `npm install` in the package folder to build it';
  throw new Error(`purecore: no native addon for ${process.platform}-${process.arch} ${why}`);
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

module.exports = { load, giveRoots, get loaded() { return native !== null; } };
