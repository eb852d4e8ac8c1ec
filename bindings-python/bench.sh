#!/usr/bin/env bash
# Benchmark of the Python binding against the emulator, side by side with a raw
# HTTP client (http.client, keep-alive) in the same run. Not a test: prints medians
# and ratios. Installs a release wheel into target/venv-python-bench.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${PURECORE_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/venv-python-bench"
command -v cargo >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q "maturin>=1.9,<2"
rm -rf "$TARGET/wheels-python-bench"
(cd "$HERE" && "$VENV/bin/maturin" build --quiet --release --target-dir "$TARGET" --out "$TARGET/wheels-python-bench")
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$TARGET"/wheels-python-bench/purecore-*.whl
(cd "$ROOT" && cargo build --quiet --release --target-dir "$TARGET" -p purecore-emulator -p purecore --example raw_load)

out="$(mktemp)"
"$TARGET/release/purecore-emulator" --port 0 >"$out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 200); do
  url="$(sed -n 's/^purecore-emulator listening on \(.*\)$/\1/p' "$out")"
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { cat "$out" >&2; exit 1; }
EMULATOR_PID="$pid" RAW_LOAD="$TARGET/release/examples/raw_load" HOME="$(mktemp -d)" "$VENV/bin/python" "$HERE/bench/bench.py" "$url"
