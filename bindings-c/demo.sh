#!/usr/bin/env bash
# The C and Go quickstarts: against the emulator at $EMULATOR_URL (one is started when
# it is not set), or against a real org when GENESYS_CLOUD_REGION, GENESYS_CLOUD_CLIENT_ID
# and GENESYS_CLOUD_CLIENT_SECRET are set.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"
cd "$ROOT"
ensure_rust
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
HERE="$ROOT/bindings-c"

cargo build -q -p purecore-c
mkdir -p "$ROOT/target/debug/bindings-c"
gcc -std=c11 -O2 -o "$ROOT/target/debug/bindings-c/quickstart" "$HERE/examples/quickstart.c" \
  "$ROOT/target/debug/libpurecore.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl
"$ROOT/scripts/build-go-lib" >/dev/null

if [ -z "${GENESYS_CLOUD_REGION:-}" ] || [ -z "${GENESYS_CLOUD_CLIENT_ID:-}" ] || [ -z "${GENESYS_CLOUD_CLIENT_SECRET:-}" ]; then
  if [ -z "${EMULATOR_URL:-}" ]; then
    cargo build -q -p purecore-emulator --bin purecore-emulator
    start_emulator
  fi
  echo "emulator at $EMULATOR_URL"
  export PURECORE_EMULATOR_URL="$EMULATOR_URL"
fi

say "C quickstart (bindings-c/examples/quickstart.c)"
"$ROOT/target/debug/bindings-c/quickstart"

say "Go quickstart (bindings-c/go/examples/quickstart)"
(cd "$HERE/go" && go run ./examples/quickstart)
