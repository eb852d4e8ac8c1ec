#!/usr/bin/env bash
# Builds and tests the C library and the Go module (runnable from any directory):
#   1. the crate: format, its Rust tests (the C ABI driven from Rust, and the header
#      drift check: include/purecore.h must equal a fresh cbindgen generation)
#   2. C: gcc builds tests/c/test_purecore.c, tests/c/test_bad_input.c and the examples
#      against the header and the static library; both tests run against the emulator
#      under valgrind (no leak, no invalid access; test_bad_input prints the bad-input
#      table's counts of crashes, hangs and untyped errors, which must all be 0);
#      tests/c/test_scenarios.c runs the scenarios that need more than the shared
#      emulator (it starts --tls and --mtls emulators of its own)
#   3. Go: scripts/build-go-lib, go vet ./..., go test ./... against the emulator
# Uses the workspace's target/ directory. Installs gcc/valgrind (apt) when missing.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"
cd "$ROOT"
ensure_rust
HERE="$ROOT/bindings-c"

need_apt() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "missing: $* (install them and run again)" >&2
    exit 1
  fi
}
command -v gcc >/dev/null 2>&1 || need_apt gcc libc6-dev
command -v valgrind >/dev/null 2>&1 || need_apt valgrind
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; else need_apt golang-go; fi
fi

say "bindings-c: format, Rust tests of the C ABI, header drift check"
cargo fmt -p purecore-c --check
cargo build -q -p purecore-c -p purecore-emulator
cargo test -q -p purecore-c

say "bindings-c: C test program and examples (gcc, static library)"
LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl)
BUILD="$ROOT/target/debug/bindings-c"
mkdir -p "$BUILD"
for src in "$HERE/tests/c/test_purecore.c" "$HERE/tests/c/test_bad_input.c" "$HERE"/examples/*.c; do
  gcc -std=c11 -Wall -Wextra -Werror -g -O0 -o "$BUILD/$(basename "$src" .c)" "$src" "$ROOT/target/debug/libpurecore.a" "${LIBS[@]}"
done
start_emulator
valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=1 \
  --suppressions="$HERE/tests/c/valgrind.supp" "$BUILD/test_purecore" "$EMULATOR_URL"
# NULL out-pointers (no leak) and the bad-input table (typed errors, no crash or hang).
valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=1 \
  --suppressions="$HERE/tests/c/valgrind.supp" "$BUILD/test_bad_input" "$EMULATOR_URL"
# Scenarios of tests/scenarios.toml: proactive refresh, live config reload, paging, gateway
# and proxies on the shared emulator; TLS and mTLS on emulators it starts (and stops).
gcc -std=c11 -Wall -Wextra -Werror -g -O0 -o "$BUILD/test_scenarios" "$HERE/tests/c/test_scenarios.c" \
  "$ROOT/target/debug/libpurecore.a" "${LIBS[@]}"
valgrind -q --num-callers=30 --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=1 \
  --suppressions="$HERE/tests/c/valgrind.supp" --suppressions="$HERE/tests/c/valgrind-tls.supp" \
  "$BUILD/test_scenarios" "$EMULATOR_URL" "$ROOT/target/debug/purecore-emulator"

say "bindings-c: Go module (build-go-lib, go vet, go test)"
"$ROOT/scripts/build-go-lib"
cd "$HERE/go"
go vet ./...
# -v so the bad-input table's summary shows; only the summary and results are printed.
GO_LOG="$ROOT/target/debug/bindings-c/go-test.log"
set +e
PURECORE_EMULATOR="$ROOT/target/debug/purecore-emulator" go test -count=1 -v ./... >"$GO_LOG" 2>&1
GO_STATUS=$?
set -e
grep -E '^(ok|FAIL|--- FAIL|panic:|bad input \(Go\))|^\s+\S+_test\.go:[0-9]+: ' "$GO_LOG" || true
if [ "$GO_STATUS" != 0 ]; then
  echo "go test failed (whole log: $GO_LOG)" >&2
  exit "$GO_STATUS"
fi
