#!/usr/bin/env node
'use strict';
// Writes and checks the npm packages of a release (napi-rs layout), for packaging/node.sh
// and test.sh:
//   packages.js platform PLATFORM VERSION ADDON.node DIR   a platform package in DIR
//   packages.js main VERSION DIR                           rewrites DIR/package.json (the
//                                                          unpacked main package)
//   packages.js check-platform TGZ PLATFORM                checks a packed platform package
//   packages.js check-main TGZ VERSION                     checks the packed main package
// The platform names and package names are the loader's (lib/native.js).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { PACKAGES, packageName } = require('../lib/native.js');

const main = require('../package.json');

function fail(message) {
  process.stderr.write(`packages.js: ${message}\n`);
  process.exit(1);
}

function platformManifest(platform, version) {
  const spec = PACKAGES[platform];
  if (!spec) fail(`unknown platform ${platform} (known: ${Object.keys(PACKAGES).join(', ')})`);
  const file = `purecore.${platform}.node`;
  const manifest = {
    name: packageName(platform),
    version,
    description: `The ${platform} native addon of purecore (installed by the purecore package; not used on its own)`,
    license: main.license,
    main: file,
    files: [file],
    os: [spec.os],
    cpu: [spec.cpu],
  };
  if (spec.libc) manifest.libc = [spec.libc];
  manifest.engines = main.engines;
  return manifest;
}

function writePlatform(platform, version, addon, dir) {
  const manifest = platformManifest(platform, version);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(addon, path.join(dir, manifest.main));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${manifest.name}\n\nThe ${platform} native addon of [purecore](https://www.npmjs.com/package/purecore). ` +
      'Install `purecore`, which depends on this package on that platform.\n',
  );
}

function rewriteMain(version, dir) {
  const file = path.join(dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.version = version;
  manifest.optionalDependencies = {};
  for (const platform of Object.keys(PACKAGES)) manifest.optionalDependencies[packageName(platform)] = version;
  // An installed package never builds: the addon comes from the platform package.
  delete manifest.scripts;
  delete manifest.devDependencies;
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

function listTarball(tgz) {
  return execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function readManifest(tgz) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }));
}

function checkPlatform(tgz, platform) {
  const want = platformManifest(platform, main.version);
  const got = readManifest(tgz);
  const files = listTarball(tgz).sort();
  const expected = ['package/README.md', `package/${want.main}`, 'package/package.json'].sort();
  if (JSON.stringify(files) !== JSON.stringify(expected)) fail(`${tgz} holds ${files.join(', ')}; expected ${expected.join(', ')}`);
  for (const key of ['name', 'main', 'os', 'cpu', 'libc']) {
    if (JSON.stringify(got[key]) !== JSON.stringify(want[key])) {
      fail(`${tgz}: package.json ${key} is ${JSON.stringify(got[key])}, expected ${JSON.stringify(want[key])}`);
    }
  }
  const tags = [`os ${got.os}`, `cpu ${got.cpu}`].concat(got.libc ? [`libc ${got.libc}`] : []);
  process.stdout.write(`package.json ${tags.join(', ')}; holds only ${want.main}\n`);
}

function checkMain(tgz, version) {
  const got = readManifest(tgz);
  const files = listTarball(tgz);
  const addons = files.filter((f) => f.endsWith('.node'));
  if (addons.length) fail(`${tgz} holds native addons: ${addons.join(', ')}`);
  if (got.version !== version) fail(`${tgz}: version ${got.version}, the workspace's is ${version}`);
  const deps = got.optionalDependencies || {};
  for (const platform of Object.keys(PACKAGES)) {
    if (deps[packageName(platform)] !== version) fail(`${tgz}: no optionalDependency ${packageName(platform)}@${version}`);
  }
  if (got.scripts && (got.scripts.install || got.scripts.prepare || got.scripts.postinstall)) fail(`${tgz}: has install scripts`);
  for (const f of ['package/index.js', 'package/lib/native.js', 'package/generated/apis.js']) {
    if (!files.includes(f)) fail(`${tgz}: ${f} is missing`);
  }
  process.stdout.write(`no .node file; version ${version}; optionalDependencies on ${Object.keys(deps).length} platform packages; no install scripts\n`);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'platform':
    if (args.length !== 4) fail('usage: packages.js platform PLATFORM VERSION ADDON.node DIR');
    writePlatform(...args);
    break;
  case 'main':
    if (args.length !== 2) fail('usage: packages.js main VERSION DIR');
    rewriteMain(...args);
    break;
  case 'check-platform':
    if (args.length !== 2) fail('usage: packages.js check-platform TGZ PLATFORM');
    checkPlatform(...args);
    break;
  case 'check-main':
    if (args.length !== 2) fail('usage: packages.js check-main TGZ VERSION');
    checkMain(...args);
    break;
  default:
    fail(`unknown command ${command || '(none)'}: platform, main, check-platform or check-main`);
}
