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

# The nightly toolchain and cargo-fuzz that the fuzz targets in fuzz/ need (installed when
# missing; the stable toolchain stays the default).
ensure_fuzz() {
  ensure_rust
  if ! cargo +nightly --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
  fi
}

# run_fuzz SECONDS [TARGET...]: builds the fuzz targets (every one when none is named) and
# runs each for SECONDS, starting from its committed seeds in fuzz/corpus/<target>/.
# FUZZ_BUILD=release (default: optimized, for long runs) or dev (unoptimized: builds in about
# a third of the time and runs 3-5 times slower, the right trade for a short pass). No
# sanitizer (`-s none`: the parsers are safe Rust, and the AddressSanitizer build is too slow
# for the short pass); debug assertions on, so overflow and assertion panics count. New
# corpus entries go to target/fuzz-corpus/<target>/ and crashes to
# target/fuzz-artifacts/<target>/, never into the repository. Fails on the first crash,
# naming the input.
run_fuzz() {
  local seconds="$1" triple bin t log profile_flag=() profile_dir=release
  shift
  local targets=("$@")
  case "${FUZZ_BUILD:-release}" in
    release) ;;
    dev) profile_flag=(--dev) profile_dir=debug ;;
    *) echo "FUZZ_BUILD must be release or dev, not '${FUZZ_BUILD}'" >&2; return 1 ;;
  esac
  if [ "${#targets[@]}" -eq 0 ]; then
    for t in "$ROOT"/fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$t" .rs)"); done
  fi
  mkdir -p "$ROOT/target/fuzz-artifacts"
  log="$ROOT/target/fuzz-artifacts/build.log"
  # All targets in one build (one compile of the core); `cargo fuzz build` takes one name at most.
  if ! (cd "$ROOT" && cargo +nightly fuzz build -s none --debug-assertions ${profile_flag[@]+"${profile_flag[@]}"} \
    --target-dir "$ROOT/target/fuzz-$profile_dir") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "the fuzz targets did not build (log: $log)" >&2
    return 1
  fi
  triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"
  bin="$ROOT/target/fuzz-$profile_dir/$triple/$profile_dir"
  for t in "${targets[@]}"; do
    if [ ! -x "$bin/$t" ]; then
      echo "no fuzz target '$t' (targets: $(cd "$ROOT/fuzz/fuzz_targets" && ls | sed 's/\.rs$//' | tr '\n' ' '))" >&2
      return 1
    fi
    mkdir -p "$ROOT/target/fuzz-corpus/$t" "$ROOT/target/fuzz-artifacts/$t"
    log="$ROOT/target/fuzz-artifacts/$t.log"
    if "$bin/$t" "$ROOT/target/fuzz-corpus/$t" "$ROOT/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$ROOT/target/fuzz-artifacts/$t/" >"$log" 2>&1; then
      echo "fuzz $t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${seconds} s, no crash"
    else
      echo "fuzz $t: CRASH (log: $log)" >&2
      grep -A 12 -m1 -E 'panicked at|ERROR: libFuzzer|==[0-9]+==' "$log" >&2 || tail -n 30 "$log" >&2
      grep -E '^(artifact_prefix|Test unit written to)' "$log" >&2 || true
      echo "reproduce: $bin/$t <that file>; then add the input as a test in core/src/fuzzing.rs" >&2
      return 1
    fi
  done
}

# redis-server (Debian's package, installed when missing and we are root with apt-get).
ensure_redis_server() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  command -v redis-server >/dev/null 2>&1 || {
    echo "redis-server not found: install it (apt-get install redis-server) and run again" >&2
    exit 1
  }
}

# Starts redis-server on 127.0.0.1 on a free port, in a temporary directory, with no
# persistence; exports PURECORE_TEST_REDIS_URL (the token-store tests use it) and
# REDIS_PID, and stops it (by PID) and removes the directory when the script exits.
start_redis() {
  ensure_redis_server
  REDIS_DIR="$(mktemp -d)"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$REDIS_DIR" --save '' --appendonly no \
    --daemonize no --logfile "$REDIS_DIR/redis.log" &
  REDIS_PID=$!
  trap 'kill "$REDIS_PID" 2>/dev/null || true; rm -rf "$REDIS_DIR"' EXIT
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export PURECORE_TEST_REDIS_URL="redis://127.0.0.1:$port/0" REDIS_PID REDIS_DIR
      return 0
    fi
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "redis-server did not start:" >&2
  cat "$REDIS_DIR/redis.log" >&2 || true
  exit 1
}
