# Shared helpers for scripts/*: sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n== %s\n' "$*"; }

# Rust toolchain with rustfmt and clippy (installed through rustup when missing).
ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      echo "cargo not found: install Rust with rustup (https://rustup.rs) and run again" >&2
      exit 1
    fi
  fi
  if command -v rustup >/dev/null 2>&1; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  fi
}

# Starts target/debug/purecore-emulator on a free port; sets EMULATOR_URL and
# EMULATOR_PID, and stops the emulator when the calling script exits.
start_emulator() {
  local out
  out="$(mktemp)"
  "$ROOT/target/debug/purecore-emulator" --port 0 "$@" >"$out" 2>&1 &
  EMULATOR_PID=$!
  trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 200); do
    EMULATOR_URL="$(sed -n 's/^purecore-emulator listening on \(.*\)$/\1/p' "$out" | head -n 1)"
    [ -n "$EMULATOR_URL" ] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      echo "the emulator did not start:" >&2
      cat "$out" >&2
      exit 1
    fi
    sleep 0.05
  done
  if [ -z "$EMULATOR_URL" ]; then
    echo "the emulator did not say where it listens:" >&2
    cat "$out" >&2
    exit 1
  fi
  export EMULATOR_URL EMULATOR_PID
}

# A virtualenv under target/ with the given pip packages; prints nothing, sets VENV.
ensure_venv() {
  VENV="$ROOT/target/venv"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  if [ "$#" -gt 0 ]; then
    "$VENV/bin/python" -m pip install -q "$@"
  fi
  export VENV
}
