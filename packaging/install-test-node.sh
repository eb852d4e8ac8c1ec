#!/usr/bin/env bash
# Installs the npm packages from $DIST/node/ into an empty folder, as a user without Rust
# would, and runs the Node quickstart against the emulator at $EMULATOR_URL. Runs after
# hide_rust (scripts/test-install): no cargo or rustc on PATH, a fresh HOME.
#
# `npm install --offline` of the main tarball plus the linux-x64-gnu tarball: npm takes the
# platform package from its tarball and skips the other platforms' optional packages, which
# it cannot fetch offline. npm's registry is pointed at a local server that records every
# request, and the test fails if npm made any.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${DIST:?set DIST}" "${EMULATOR_URL:?set EMULATOR_URL (scripts/test-install starts the emulator)}"
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then
  echo "install-test-node: cargo or rustc is on PATH; run through scripts/test-install" >&2
  exit 1
fi
version="$(workspace_version)"
main="$DIST/node/purecore-$version.tgz"
platform="$DIST/node/purecore-linux-x64-gnu-$version.tgz"
for f in "$main" "$platform"; do
  [ -f "$f" ] || { echo "install-test-node: $f is missing (scripts/package --only node builds it)" >&2; exit 1; }
done

work="$(mktemp -d)"
registry_pid=""
trap '[ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The registry npm is told to use: answers 404 to everything, and logs each request.
cat >"$work/registry.js" <<'EOF'
const http = require('http');
const fs = require('fs');
const [log, portFile] = process.argv.slice(2);
fs.writeFileSync(log, '');
const server = http.createServer((req, res) => {
  fs.appendFileSync(log, `${req.method} ${req.url}\n`);
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"Not found"}');
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
EOF
node "$work/registry.js" "$work/requests.log" "$work/port" &
registry_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "install-test-node: the recording registry did not start" >&2; exit 1; }
registry="http://127.0.0.1:$(cat "$work/port")/"
# Every npm command below (npm init too: its update check) sees only that registry.
export npm_config_registry="$registry" npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false

app="$work/app"
mkdir "$app"
cd "$app"
npm init -y >/dev/null
echo "npm install --offline $(basename "$main") $(basename "$platform") (registry: $registry, recording)"
npm install --offline --no-audit --no-fund --no-update-notifier --loglevel=error \
  --registry "$registry" "$main" "$platform"

if [ -s "$work/requests.log" ]; then
  echo "install-test-node: npm made requests to the registry:" >&2
  cat "$work/requests.log" >&2
  exit 1
fi
echo "npm made no registry request"

installed="$(cd node_modules && ls -d purecore*)"
echo "installed: $(echo "$installed" | tr '\n' ' ')"
[ "$installed" = "$(printf 'purecore\npurecore-linux-x64-gnu')" ] || {
  echo "install-test-node: expected purecore and purecore-linux-x64-gnu in node_modules, found: $installed" >&2
  exit 1
}
[ -f node_modules/purecore-linux-x64-gnu/purecore.linux-x64-gnu.node ] || { echo "install-test-node: the platform package has no addon" >&2; exit 1; }
if find node_modules/purecore -name '*.node' | grep -q .; then
  echo "install-test-node: the main package holds a .node file" >&2
  exit 1
fi
du -sk node_modules/purecore node_modules/purecore-linux-x64-gnu | awk '{ s += $1 } END { printf "unpacked: %.1f MB (main + linux-x64-gnu)\n", s / 1024 }'

# The loader picked the platform package (not a local build, and not PURECORE_NATIVE_PATH).
unset PURECORE_NATIVE_PATH
node -e "const n = require('./node_modules/purecore/lib/native.js'); n.load(); const m = require.cache[require.resolve('purecore-linux-x64-gnu')]; if (!m) { console.error('the loader did not load purecore-linux-x64-gnu'); process.exit(1); } console.log('loaded ' + m.filename + ' for ' + n.currentPlatform())"

cp "$PKG_ROOT/bindings-node/examples/quickstart.js" .
EMULATOR_URL="$EMULATOR_URL" node quickstart.js | tee "$work/quickstart.out"
for step in '^1\. logged in' '^2\. users/me: .*status 200' '^3\. after a forced expiry: status 200, 1 new token request' '^4\. after a 429 .*status 200 in 2 attempts' '^5\. [A-Za-z]*Error: 404'; do
  grep -q "$step" "$work/quickstart.out" || { echo "install-test-node: the quickstart did not print a line matching: $step" >&2; exit 1; }
done
echo "node: installed from the tarballs without Rust; the quickstart worked"
