'use strict';
// Writes index.mjs (ESM named exports) from the API class names in generated/apis.js.
// Run by `npm run prepare` and test.sh; test/surface.test.js checks it is current.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const { defineApis } = require(path.join(root, 'generated', 'apis.js'));
const apiNames = Object.keys(defineApis({ instance: null })).sort();
const facadeNames = [
  'ApiClient', 'PlatformClient', 'PureCloudRegionHosts', 'ApiError', 'AuthenticationError', 'RateLimitError',
  'TimeoutError', 'ConnectionError', 'InvalidArgumentError', 'ConfigurationError', 'DecodingError', 'InternalError',
  'logLevelEnum', 'logFormatEnum',
];
const header = '// written by scripts/gen-esm.js from generated/apis.js; do not edit\n';

const mjs = `${header}import platformClient from './index.js';

export default platformClient;
export const {
${[...facadeNames, ...apiNames].map((n) => `  ${n},`).join('\n')}
} = platformClient;
`;

function write(file, text) {
  const p = path.join(root, file);
  if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) fs.writeFileSync(p, text);
}

if (process.argv.includes('--check')) {
  const stale = [['index.mjs', mjs]].filter(
    ([f, t]) => !fs.existsSync(path.join(root, f)) || fs.readFileSync(path.join(root, f), 'utf8') !== t,
  );
  if (stale.length) {
    console.error(`stale: ${stale.map(([f]) => f).join(', ')}; run node scripts/gen-esm.js`);
    process.exit(1);
  }
} else {
  write('index.mjs', mjs);
}
