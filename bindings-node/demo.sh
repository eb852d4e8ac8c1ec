#!/usr/bin/env bash
# The Node quickstart (examples/quickstart.js). Against the emulator at $EMULATOR_URL
# (one is started when it is unset), or against a real org when GENESYS_CLOUD_REGION,
# GENESYS_CLOUD_CLIENT_ID and GENESYS_CLOUD_CLIENT_SECRET are set. Builds the addon
# first (incrementally: an addon older than the sources would not match the facade).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../scripts/lib.sh"
cd "$HERE"

ensure_rust
if [ ! -d node_modules ]; then
  say "building the Node addon (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "building the Node addon (npm run prepare)"
  npm run --silent prepare >/dev/null
fi

if [ -n "${GENESYS_CLOUD_REGION:-}" ] && [ -n "${GENESYS_CLOUD_CLIENT_ID:-}" ] && [ -n "${GENESYS_CLOUD_CLIENT_SECRET:-}" ]; then
  say "Node quickstart against the org in $GENESYS_CLOUD_REGION"
  exec node examples/quickstart.js
fi

if [ -z "${EMULATOR_URL:-}" ]; then
  ensure_rust
  cargo build -q -p purecore-emulator
  start_emulator
fi
say "Node quickstart against the emulator at $EMULATOR_URL"
EMULATOR_URL="$EMULATOR_URL" node examples/quickstart.js
