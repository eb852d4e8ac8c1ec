#!/usr/bin/env bash
# The Python quickstart (examples/quickstart.py): client credentials, users/me via
# the generated UsersApi, a forced token expiry renewed transparently, a 429 retried,
# then 20 concurrent asyncio calls. Runs against the emulator at $EMULATOR_URL
# (started here when unset), or against a real org when GENESYS_CLOUD_REGION,
# GENESYS_CLOUD_CLIENT_ID and GENESYS_CLOUD_CLIENT_SECRET are set.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${PURECORE_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/venv-python"
command -v cargo >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"

# Built every time (cargo is incremental): an extension older than the sources would not
# match the Python facade.
echo "== python: building the extension into $VENV"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
[ -x "$VENV/bin/maturin" ] || "$VENV/bin/python" -m pip install -q "maturin>=1.9,<2"
(cd "$HERE" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop --quiet --target-dir "$TARGET")

real=""
if [ -n "${GENESYS_CLOUD_REGION:-}" ] && [ -n "${GENESYS_CLOUD_CLIENT_ID:-}" ] && [ -n "${GENESYS_CLOUD_CLIENT_SECRET:-}" ]; then
  real=1
  echo "== python quickstart against the org in $GENESYS_CLOUD_REGION"
elif [ -z "${EMULATOR_URL:-}" ]; then
  (cd "$ROOT" && cargo build --quiet --target-dir "$TARGET" -p purecore-emulator)
  out="$(mktemp)"
  "$TARGET/debug/purecore-emulator" --port 0 >"$out" 2>&1 &
  EMULATOR_PID=$!
  trap 'kill "$EMULATOR_PID" 2>/dev/null || true; rm -f "$out"' EXIT
  for _ in $(seq 1 200); do
    EMULATOR_URL="$(sed -n 's/^purecore-emulator listening on \(.*\)$/\1/p' "$out")"
    [ -n "$EMULATOR_URL" ] && break
    sleep 0.05
  done
  [ -n "$EMULATOR_URL" ] || { echo "the emulator did not start:" >&2; cat "$out" >&2; exit 1; }
  export EMULATOR_URL
fi
[ -n "$real" ] || echo "== python quickstart against the emulator at $EMULATOR_URL"
"$VENV/bin/python" "$HERE/examples/quickstart.py"
