#!/usr/bin/env bash
# Cross-language fleet refresh (issue 15): two workers each in Rust, Node, Python and Go
# share one token through a real redis-server (token_store = redis://...), against the
# emulator. Builds what it needs (debug), starts redis-server and the emulator on free
# ports on 127.0.0.1, stops both by PID, and runs tests/fleet/run.py. Leaves git status clean.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"
unset CARGO_TARGET_DIR
ensure_rust
command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; else echo "go is needed" >&2; exit 1; fi
fi

say "fleet: build the emulator, the Rust worker, the Node addon and the Go library (debug)"
cargo build -q -p purecore-emulator -p purecore-node
cargo build -q -p purecore --example fleet_worker
bash scripts/build-go-lib >/dev/null

say "fleet: the Python extension (maturin develop into target/venv-python, as bindings-python/test.sh)"
VENV="$ROOT/target/venv-python"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q "maturin>=1.9,<2"
(cd bindings-python && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop --quiet --target-dir "$ROOT/target")

work="$(mktemp -d)"
cp target/debug/libpurecore_node.so "$work/purecore.node"
(cd tests/fleet/go && go build -o "$work/fleet-go" .)

start_emulator
start_redis
trap 'kill "$EMULATOR_PID" "$REDIS_PID" 2>/dev/null || true; rm -rf "$REDIS_DIR" "$work"' EXIT

say "fleet: 8 processes (2 Rust, 2 Node, 2 Python, 2 Go), 100 calls each, one forced expiry"
FLEET_STORE="$PURECORE_TEST_REDIS_URL" \
  FLEET_RUST_WORKER="$ROOT/target/debug/examples/fleet_worker" \
  FLEET_NODE_PACKAGE="$ROOT/bindings-node" PURECORE_NATIVE_PATH="$work/purecore.node" \
  FLEET_PYTHON="$VENV/bin/python" FLEET_GO_WORKER="$work/fleet-go" \
  python3 tests/fleet/run.py
