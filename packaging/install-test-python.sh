#!/usr/bin/env bash
# Installs the Linux x86_64 wheel from $DIST/python/ as a user would, and runs the Python
# quickstart against the emulator at $EMULATOR_URL. Run by scripts/test-install after
# `hide_rust` (no cargo, rustc or rustup on PATH, a fresh HOME, PIP_NO_INDEX=1): a fresh
# virtualenv in an empty folder, `pip install --no-index` of the wheel, and the quickstart
# run from that folder, so nothing of the checkout (its python/ folder) is importable.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
: "${DIST:?DIST must name the folder scripts/package wrote}" "${EMULATOR_URL:?EMULATOR_URL must name a running emulator}"

fail() { echo "install-test-python: $*" >&2; exit 1; }
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then fail "cargo or rustc is on PATH: run me after hide_rust"; fi
shopt -s nullglob
wheels=("$DIST"/python/purecore-*-cp39-abi3-*manylinux_2_17_x86_64*.whl)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] || fail "expected one manylinux_2_17_x86_64 wheel in $DIST/python, found ${#wheels[@]}: $(ls "$DIST/python" 2>&1)"
wheel="${wheels[0]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
python3 -m venv venv
echo "install-test-python: pip install --no-index ${wheel##*/} into a fresh venv ($(venv/bin/python --version))"
venv/bin/python -m pip install -q --no-index --disable-pip-version-check "$wheel"

# The installed package is the wheel's, not the checkout's.
where="$(venv/bin/python -c 'import purecore, purecore._purecore as ext; print(purecore.__file__); print(ext.__file__)')"
while read -r f; do
  case "$f" in "$work/venv/"*) ;; *) fail "purecore was imported from $f, not from the venv" ;; esac
done <<<"$where"
echo "install-test-python: imports from the venv: $(tail -n 1 <<<"$where")"

cp "$ROOT/bindings-python/examples/quickstart.py" "$work/quickstart.py"
status=0
out="$(env -u GENESYS_CLOUD_REGION EMULATOR_URL="$EMULATOR_URL" venv/bin/python quickstart.py 2>&1)" || status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "the quickstart exited with status $status"
for expected in "logged in as " "token expired and renewed transparently" "a 429 was retried: users/me succeeded after 2 attempts" "asyncio: 20 concurrent calls"; do
  grep -qF "$expected" <<<"$out" || fail "the quickstart did not print '$expected'"
done
echo "install-test-python: the wheel installed without Rust and the quickstart ran against the emulator"
