#!/usr/bin/env bash
# Builds and tests the Node binding: the addon (debug, in the workspace's target/),
# the emulator, the TypeScript declarations, the node:test suite, and the packed
# package installed into an empty project. Runnable from any directory.
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

say "node: npm pack, install into an empty project, run the quickstart"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$work")"
mkdir "$work/app"
(cd "$work/app" && npm init -y >/dev/null && npm install --offline --no-audit --no-fund --loglevel=error "$work/$tarball")
du -sk "$work/app/node_modules/purecore" | awk '{printf "unpacked package: %.1f MB (debug addon)\n", $1/1024}'
cp examples/quickstart.js "$work/app/"
start_emulator
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work/app" && EMULATOR_URL="$EMULATOR_URL" node quickstart.js)
say "node: the build left the tracked files as they were (lockfile, generated declarations)"
if git -C "$HERE" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$HERE" diff --exit-code --stat -- package-lock.json lib/native.d.ts generated/
fi
echo "node binding: all tests passed"
