#!/usr/bin/env bash
# Checks that the committed generated code compiles in each language:
#   TypeScript: tsc --noEmit --strict over tests/check/example.ts (imports index.d.ts)
#   JavaScript: node loads apis.js and defines every class
#   Python:     py_compile over every generated .py; mypy --strict over the stubs if mypy is installed
#   Go:         go vet and go build of the platformclientv2 package (bindings-c/test.sh runs its tests,
#               which need the native library and the emulator)
#   Settings:   the per-language settings declarations equal a fresh generation from the core's
#               schema (core/tests/settings_declarations.rs)
# Tools that are missing are reported and skipped, unless CHECK_ALL=1 (then they fail).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
fail=0
missing() {
  echo "SKIP: $1 not found"
  if [[ "${CHECK_ALL:-0}" == 1 ]]; then fail=1; fi
}

if command -v npx >/dev/null; then
  echo "== tsc --strict (bindings-node/generated/index.d.ts)"
  npx -y -p typescript@5 tsc --noEmit --strict --target es2020 --lib es2020,dom --module commonjs \
    codegen/tests/check/example.ts || fail=1
else missing npx; fi

if command -v node >/dev/null; then
  echo "== node require (bindings-node/generated/apis.js)"
  node -e "
    const { defineApis } = require('./bindings-node/generated/apis.js');
    const calls = [];
    const ApiClient = { instance: { callOperation: (id, params, opts) => { calls.push([id, params, opts]); return Promise.resolve(null); } } };
    // The addon hands apis.js its methods (the catalog's table); here, one line of it.
    const apis = defineApis(ApiClient, () => 'UsersApi\\tgetUser userId|expand,integrationPresenceSource\\n');
    const n = Object.keys(apis).length;
    new apis.UsersApi().getUser('u1', { expand: ['presence'] });
    const [id, params] = calls[0];
    if (id !== 'getUser' || params.userId !== 'u1' || params.expand[0] !== 'presence') throw new Error('bad call ' + JSON.stringify(calls));
    console.log(n + ' API classes');
  " || fail=1
else missing node; fi

if command -v python3 >/dev/null; then
  echo "== python3 -m py_compile (bindings-python/python/purecore/_generated)"
  tmp="$(mktemp -d)"
  PYTHONPYCACHEPREFIX="$tmp" python3 -m py_compile bindings-python/python/purecore/_generated/*.py || fail=1
  rm -rf "$tmp"
  if python3 -m mypy --version >/dev/null 2>&1; then
    echo "== mypy --strict (stubs)"
    (cd bindings-python/python && python3 -m mypy --strict --no-incremental --cache-dir=/dev/null \
      -c "from purecore._generated import UsersApi, models
def f(api: UsersApi) -> str | None:
    u: models.User = api.get_user('x', expand=['presence'])
    return u.name") || fail=1
  else missing mypy; fi
else missing python3; fi

if command -v go >/dev/null; then
  echo "== go vet + go build (bindings-c/go/platformclientv2)"
  (cd bindings-c/go && go vet ./platformclientv2/ && go build ./platformclientv2/) || fail=1
else missing go; fi

echo "== settings declarations are current (generated from core/src/config/schema.rs)"
(env -u CARGO_TARGET_DIR cargo test -q -p purecore --test settings_declarations) || fail=1

echo "== every generated file (a DO NOT EDIT header in its first 3 lines) is marked linguist-generated in .gitattributes"
unmarked=$(cd "$ROOT" && git ls-files -z | xargs -0 -r grep -I -l -m1 -E 'DO NOT EDIT' -- 2>/dev/null | while IFS= read -r f; do
  head -n 3 "$f" | grep -q 'DO NOT EDIT' || continue
  [[ "$(git check-attr linguist-generated -- "$f" | awk '{print $NF}')" == set ]] || echo "$f"
done)
if [[ -n "$unmarked" ]]; then echo "not marked generated in .gitattributes:"; echo "$unmarked"; fail=1; fi

if [[ $fail != 0 ]]; then echo "generated code check FAILED"; exit 1; fi
echo "generated code check passed"
