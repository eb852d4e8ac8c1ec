#!/usr/bin/env bash
# Benchmark (not a test): release builds of the addon and the emulator, then
# purecore against a raw node:http client on the same emulator in one run:
# require time and memory, sequential getUsersMe (median, p99), 64 in flight,
# 100 x 1 MB responses. BENCH_N and BENCH_TOTAL change the call counts.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../scripts/lib.sh"
unset CARGO_TARGET_DIR
ensure_rust
cd "$HERE"
[ -d node_modules ] || npm install --no-audit --no-fund --loglevel=error

say "release builds (addon and emulator)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The size-optimised profile `npm run build:release` uses (LTO, opt-level s, stripped), in
# its own target dir so that other release builds in target/release keep their cache.
# `--strip` alone (`-C link-arg=-s`) leaves the symbol table in (0.7 MB); cargo's strip does not.
CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
  CARGO_PROFILE_RELEASE_STRIP=symbols npx napi build --platform --release --strip --no-js --target-dir "$ROOT/target/node-size" \
  --output-dir "$out" --dts native.d.ts >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
cargo build -q --release -p purecore-emulator
addon="$(ls "$out"/purecore.*.node)"
printf 'addon: %.1f MB\n' "$(du -k "$addon" | awk '{print $1/1024}')"
# What `npm pack` would ship with this addon in place of the local (debug) build.
npm pack --dry-run --json --ignore-scripts 2>/dev/null | ADDON="$addon" node -e '
  const pack = JSON.parse(require("fs").readFileSync(0, "utf8"))[0];
  const local = pack.files.filter((f) => /^purecore\..*\.node$/.test(f.path)).reduce((n, f) => n + f.size, 0);
  const bytes = pack.unpackedSize - local + require("fs").statSync(process.env.ADDON).size;
  console.log(`package, unpacked with this addon: ${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes)`);'

out_emu="$(mktemp)"
"$ROOT/target/release/purecore-emulator" --port 0 >"$out_emu" 2>&1 &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; rm -rf "$out" "$out_emu"' EXIT
for _ in $(seq 1 100); do
  EMULATOR_URL="$(sed -n 's/^purecore-emulator listening on \(.*\)$/\1/p' "$out_emu")"
  [ -n "$EMULATOR_URL" ] && break
  sleep 0.05
done

say "purecore vs raw node:http against $EMULATOR_URL"
PURECORE_NATIVE_PATH="$addon" node bench/bench.js "$EMULATOR_URL"
