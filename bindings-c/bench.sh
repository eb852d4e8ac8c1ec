#!/usr/bin/env bash
# Benchmark (not a test): bindings-c/bench.sh c|go [both by default]
# Sequential latency and throughput with 64 calls in flight against the emulator, beside a
# raw HTTP client in the same language, in the same run. Release builds.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"
cd "$ROOT"
ensure_rust
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
HERE="$ROOT/bindings-c"
which="${1:-all}"

if [ "$which" = c ] || [ "$which" = all ]; then
  # libcurl is the raw HTTP client the C numbers are compared with.
  if [ ! -f /usr/include/curl/curl.h ] && [ ! -f /usr/include/x86_64-linux-gnu/curl/curl.h ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev >/dev/null
    else
      echo "missing: libcurl development files (libcurl4-openssl-dev)" >&2
      exit 1
    fi
  fi
fi
cargo build -q --release -p purecore-c -p purecore-emulator
out="$(mktemp)"
"$ROOT/target/release/purecore-emulator" --port 0 >"$out" 2>&1 &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  EMULATOR_URL="$(sed -n 's/^purecore-emulator listening on \(.*\)$/\1/p' "$out" | head -n 1)"
  [ -n "$EMULATOR_URL" ] && break
  sleep 0.05
done
export PURECORE_EMULATOR_URL="$EMULATOR_URL"

if [ "$which" = c ] || [ "$which" = all ]; then
  mkdir -p "$ROOT/target/release/bindings-c"
  gcc -std=c11 -O2 -o "$ROOT/target/release/bindings-c/bench" "$HERE/bench/bench.c" \
    "$ROOT/target/release/libpurecore.a" -lcurl -lgcc_s -lutil -lrt -lpthread -lm -ldl
  "$ROOT/target/release/bindings-c/bench"
fi
if [ "$which" = go ] || [ "$which" = all ]; then
  "$ROOT/scripts/build-go-lib" --release >/dev/null
  (cd "$HERE/go" && go run ./examples/bench)
  # Leave the debug library in place for the tests.
  "$ROOT/scripts/build-go-lib" >/dev/null
fi
