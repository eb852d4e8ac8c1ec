#!/usr/bin/env bash
# Python binding: builds the extension into a virtualenv (target/venv-python) with
# maturin, builds the emulator, runs the pytest suite against it and mypy --strict
# on the examples. Installs what a fresh machine lacks (a venv with maturin, pytest
# and mypy from PyPI). Runnable from any directory; exits non-zero on any failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TARGET="${PURECORE_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/venv-python"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n== python: %s\n' "$*"; }

command -v cargo >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"
command -v python3 >/dev/null 2>&1 || { echo "python3 (>= 3.9) is required" >&2; exit 1; }

say "virtualenv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q "maturin>=1.9,<2" "pytest>=8" "mypy>=1.16"
export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH"

say "build the extension (maturin develop, debug, target dir $TARGET)"
(cd "$HERE" && maturin develop --quiet --target-dir "$TARGET")

say "build the emulator"
(cd "$ROOT" && cargo build --quiet --target-dir "$TARGET" -p purecore-emulator)

say "pytest"
status=0
(cd "$HERE" && PURECORE_EMULATOR="$TARGET/debug/purecore-emulator" python -m pytest -q -p no:cacheprovider tests) || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"

say "mypy --strict on the typed hand-written facade, against _purecore.pyi and the generated stubs"
(cd "$HERE/python" && mypy --strict --cache-dir "$TARGET/mypy-cache-python" \
  purecore/_secrets.py purecore/logger.py purecore/purecloud_region_hosts.py purecore/rest.py)
# The modules with a public stub beside them (__init__, _configuration, api_client, models,
# platform_client), and _suggest: one at a time, so each is checked against the others'
# .pyi stubs, as users see them (checked together, mypy would read the other .py files
# instead, where _configuration's official names are generated at import).
for module in __init__ _configuration _suggest api_client models platform_client; do
  (cd "$HERE/python" && mypy --strict --cache-dir "$TARGET/mypy-cache-python" "purecore/$module.py")
done
say "mypy --strict on the examples"
(cd "$HERE/examples" && mypy --strict --cache-dir "$TARGET/mypy-cache-python" quickstart.py typed_usage.py tutorial.py)
say "mypy --strict reports the mistakes in tests/typecheck/must_fail.py"
found="$(cd "$HERE/tests/typecheck" && mypy --strict --cache-dir "$TARGET/mypy-cache-python" must_fail.py || true)"
for expected in 'must_fail.py:8: error: Incompatible types in assignment (expression has type "Awaitable[UserMe]"' \
  'must_fail.py:9: error: Incompatible types in "await" (actual type "UserMe"' \
  'must_fail.py:10: error: Missing positional argument "user_id" in call to "get_user"' \
  'must_fail.py:11: error: Incompatible types in assignment (expression has type "ApiResponse[User]"'; do
  grep -qF "$expected" <<<"$found" || { echo "mypy did not report: $expected"; echo "$found"; exit 1; }
done
