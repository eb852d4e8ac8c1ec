#!/usr/bin/env bash
# Installs the packaged Go module the way a user's project uses it and runs the Go
# quickstart against the emulator (contract: packaging/lib.sh; scripts/test-install runs it
# with Rust hidden, a fresh HOME and GOPROXY=off). In an empty folder: a new module
# (`go mod init example.com/try`) that requires github.com/purecore-sdk/purecore-go with a
# replace to $DIST/go/purecore-go, the quickstart's main.go, `go build`, then run it.
#
# env EMULATOR_URL (required), DIST, INSTALL_PLATFORM (default linux-x64-gnu; with
# linux-arm64-gnu the program is cross-built with GOARCH=arm64 CC=aarch64-linux-gnu-gcc and
# run under `qemu-aarch64 -L /usr/aarch64-linux-gnu`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/packaging/lib.sh"
: "${EMULATOR_URL:?EMULATOR_URL must name the running emulator}"
: "${DIST:?DIST must name the folder scripts/package wrote}"
platform="${INSTALL_PLATFORM:-linux-x64-gnu}"
version="$(workspace_version)"
module=github.com/purecore-sdk/purecore-go
pkg="$DIST/go/purecore-go"

run=()
case "$platform" in
  linux-x64-gnu) export GOOS=linux GOARCH=amd64 ;;
  linux-arm64-gnu)
    export GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc
    run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
    ;;
  *) echo "install-test-go: no way to run $platform here" >&2; exit 2 ;;
esac
export CGO_ENABLED=1
[ -f "$pkg/lib/${GOOS}_$GOARCH/libpurecore.a" ] || { echo "install-test-go: $pkg has no lib/${GOOS}_$GOARCH/libpurecore.a" >&2; exit 1; }

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
go mod init example.com/try >/dev/null 2>&1
go mod edit -require="$module@v$version" -replace="$module=$pkg"
cp "$ROOT/bindings-c/go/examples/quickstart/main.go" main.go
echo "install-test-go: go build ($GOOS/$GOARCH) of a fresh module requiring $module v$version"
go build -o try .
file -b try | grep -q "$([ "$GOARCH" = arm64 ] && echo aarch64 || echo x86-64)" || { echo "install-test-go: built $(file -b try), not $GOARCH" >&2; exit 1; }
PURECORE_EMULATOR_URL="$EMULATOR_URL" ${run[@]+"${run[@]}"} ./try | tee out.txt
for want in '^1\. logged in' '^2\. users/me: .* \(status 200' '^3\. after a forced expiry: status 200, 1 new token request' \
  '^4\. after a 429 with Retry-After 1: status 200' '^5\. GetUser\(nobody\): .*\(status 404'; do
  grep -Eq "$want" out.txt || { echo "install-test-go: the quickstart's output lacks /$want/" >&2; exit 1; }
done
echo "install-test-go: $platform ok"
