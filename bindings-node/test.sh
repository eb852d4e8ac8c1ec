#!/usr/bin/env bash
# Builds and tests the Node binding: the addon (debug, in the workspace's target/),
# the emulator, the TypeScript declarations, the node:test suite (test/loader.test.js: the loader's choice), and
# the release layout (main + platform package, packaging/node.sh) installed into an empty
# project. Runnable from any directory.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../scripts/lib.sh"
unset CARGO_TARGET_DIR
ensure_rust
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed (Node >= 18)" >&2; exit 1; }
cd "$HERE"

say "node: generated ESM names are current"
node scripts/gen-esm.js --check

say "node: emulator"
cargo build -q -p purecore-emulator

say "node: npm ci (the locked tools; builds the addon from source with the napi CLI)"
npm ci --no-audit --no-fund --loglevel=error

say "node: tsc --strict over the declarations and examples/typed.ts, examples/tutorial.ts"
npx tsc --noEmit --strict --target es2022 --lib es2022,dom --module nodenext --moduleResolution nodenext examples/typed.ts examples/tutorial.ts

say "node: node --test"
PURECORE_EMULATOR="$ROOT/target/debug/purecore-emulator" node --test test/*.test.js

say "node: bad input table (each case in a child process: crashes, hangs and untyped errors are counted)"
PURECORE_EMULATOR="$ROOT/target/debug/purecore-emulator" node test/bad-input.js

say "node: the release layout (packaging/node.sh, debug): main + platform package, installed offline into an empty project"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
platform="$(node -p "require('./lib/native.js').currentPlatform()")"
DIST="$work/dist" PKG_PROFILE=debug PKG_TARGETS="$platform" bash "$ROOT/packaging/node.sh" >"$work/package.log" 2>&1 || { cat "$work/package.log" >&2; exit 1; }
version="$(node -p "require('./package.json').version")"
mkdir "$work/app"
(cd "$work/app" && npm init -y >/dev/null && npm install --offline --no-audit --no-fund --no-update-notifier --loglevel=error \
  "$work/dist/node/purecore-$version.tgz" "$work/dist/node/purecore-$platform-$version.tgz")
du -sk "$work/app/node_modules/purecore" "$work/app/node_modules/purecore-$platform" | awk '{ s += $1 } END { printf "unpacked main + %s: %.1f MB (debug addon)\n", "'"$platform"'", s / 1024 }'
cp examples/quickstart.js "$work/app/"
start_emulator
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work/app" && env -u PURECORE_NATIVE_PATH EMULATOR_URL="$EMULATOR_URL" node quickstart.js)
say "node: the build left the tracked files as they were (lockfile, generated declarations)"
if git -C "$HERE" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$HERE" diff --exit-code --stat -- package-lock.json lib/native.d.ts generated/
fi
echo "node binding: all tests passed"
