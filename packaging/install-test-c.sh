#!/usr/bin/env bash
# Uses the packaged C SDK archive the way a C user does and runs the C quickstart against
# the emulator (contract: packaging/lib.sh; scripts/test-install runs it with Rust hidden
# and a fresh HOME). The archive is unpacked into an empty folder, then
# bindings-c/examples/quickstart.c (including <purecore.h>, as a user writes it) is built
#   1. with `cc $(pkg-config --cflags --libs purecore)`: the shared library (run with
#      LD_LIBRARY_PATH into the archive; its NEEDED names libpurecore.so);
#   2. with `cc $(pkg-config --cflags --libs --static purecore-static)`: the static library
#      (no libpurecore in its NEEDED);
#   3. with CMake: find_package(purecore CONFIG REQUIRED) + purecore::purecore (static);
#   4. the same with -DPURECORE_SHARED=ON;
# and each runs the quickstart. A small program checks purecore_version() is the
# workspace version.
#
# env EMULATOR_URL (required), DIST, INSTALL_PLATFORM (default linux-x64-gnu; with
# linux-arm64-gnu the programs are built with aarch64-linux-gnu-gcc and run under
# `qemu-aarch64 -L /usr/aarch64-linux-gnu`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/packaging/lib.sh"
: "${EMULATOR_URL:?EMULATOR_URL must name the running emulator}"
: "${DIST:?DIST must name the folder scripts/package wrote}"
platform="${INSTALL_PLATFORM:-linux-x64-gnu}"
version="$(workspace_version)"
triple="$(rust_triple "$platform")"
archive="$DIST/c/purecore-$version-$triple.tar.gz"
[ -f "$archive" ] || { echo "install-test-c: no $archive" >&2; exit 1; }

run=()
cmake_args=()
case "$platform" in
  linux-x64-gnu) CC="${CC:-cc}" machine="X86-64" ;;
  linux-arm64-gnu)
    CC=aarch64-linux-gnu-gcc machine="AArch64"
    run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
    cmake_args=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc)
    ;;
  *) echo "install-test-c: no way to run $platform here" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sdk" "$work/src"
tar -C "$work/sdk" -xzf "$archive"
prefix="$work/sdk/purecore-$version-$triple"
sed 's|#include "../include/purecore.h"|#include <purecore.h>|' "$ROOT/bindings-c/examples/quickstart.c" >"$work/src/quickstart.c"
grep -q '#include <purecore.h>' "$work/src/quickstart.c" || { echo "install-test-c: quickstart.c no longer includes ../include/purecore.h" >&2; exit 1; }
cp "$ROOT/bindings-c/examples/emu_http.h" "$work/src/"
cat >"$work/src/version.c" <<'C'
#include <stdio.h>
#include <purecore.h>
int main(void) { printf("%s\n", purecore_version()); return 0; }
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

# check_machine BINARY: an ELF for this platform's architecture.
check_machine() {
  readelf -h "$1" | grep -q "Machine: *.*$machine" || { echo "install-test-c: $1 is not $machine: $(file -b "$1")" >&2; exit 1; }
}
# quickstart BINARY [ENV...]: runs it against the emulator and checks each step.
quickstart() {
  local bin="$1"
  shift
  echo "install-test-c: run $(basename "$bin")"
  env PURECORE_EMULATOR_URL="$EMULATOR_URL" "$@" ${run[@]+"${run[@]}"} "$bin" | tee "$bin.out"
  for want in '^1\. logged in' '^2\. users/me: status 200' '^3\. after a forced expiry: status 200, 1 new token request' \
    '^4\. after a 429 with Retry-After 1: status 200 in 2 attempts' '^5\. getUser\(nobody\): .*HTTP 404'; do
    grep -Eq "$want" "$bin.out" || { echo "install-test-c: $(basename "$bin")'s output lacks /$want/" >&2; exit 1; }
  done
}

cd "$work/src"
echo "install-test-c: $CC \$(pkg-config --cflags --libs purecore) (shared)"
# shellcheck disable=SC2046
"$CC" -o qs-shared quickstart.c $(pkg-config --cflags --libs purecore)
check_machine qs-shared
readelf -d qs-shared | grep -q 'NEEDED.*libpurecore\.so' || { echo "install-test-c: qs-shared does not load libpurecore.so" >&2; exit 1; }
quickstart "$work/src/qs-shared" LD_LIBRARY_PATH="$prefix/lib"

echo "install-test-c: $CC \$(pkg-config --cflags --libs --static purecore-static) (static)"
# shellcheck disable=SC2046
"$CC" -o qs-static quickstart.c $(pkg-config --cflags --libs --static purecore-static)
check_machine qs-static
if readelf -d qs-static | grep -q 'NEEDED.*libpurecore'; then echo "install-test-c: qs-static still needs libpurecore.so" >&2; exit 1; fi
quickstart "$work/src/qs-static"

# shellcheck disable=SC2046
"$CC" -o version version.c $(pkg-config --cflags --libs --static purecore-static)
got="$(${run[@]+"${run[@]}"} ./version)"
[ "$got" = "$version" ] || { echo "install-test-c: purecore_version() says $got, the workspace says $version" >&2; exit 1; }
pc_version="$(pkg-config --modversion purecore)"
[ "$pc_version" = "$version" ] || { echo "install-test-c: purecore.pc says $pc_version, the workspace says $version" >&2; exit 1; }
echo "install-test-c: purecore_version() and purecore.pc say $version"

cat >CMakeLists.txt <<CM
cmake_minimum_required(VERSION 3.16)
project(try C)
find_package(purecore $version CONFIG REQUIRED)
add_executable(quickstart quickstart.c)
target_link_libraries(quickstart PRIVATE purecore::purecore)
CM
for variant in static shared; do
  echo "install-test-c: CMake find_package(purecore CONFIG) ($variant)"
  extra=()
  [ "$variant" = shared ] && extra=(-DPURECORE_SHARED=ON)
  cmake -S . -B "build-$variant" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    ${cmake_args[@]+"${cmake_args[@]}"} "${extra[@]+"${extra[@]}"}" >"cmake-$variant.log" 2>&1 ||
    { cat "cmake-$variant.log" >&2; exit 1; }
  cmake --build "build-$variant" >>"cmake-$variant.log" 2>&1 || { cat "cmake-$variant.log" >&2; exit 1; }
  check_machine "build-$variant/quickstart"
  if [ "$variant" = shared ]; then
    readelf -d "build-$variant/quickstart" | grep -q 'NEEDED.*libpurecore\.so' || { echo "install-test-c: the CMake shared build does not load libpurecore.so" >&2; exit 1; }
    quickstart "$work/src/build-$variant/quickstart" LD_LIBRARY_PATH="$prefix/lib"
  else
    if readelf -d "build-$variant/quickstart" | grep -q 'NEEDED.*libpurecore'; then echo "install-test-c: the CMake static build needs libpurecore.so" >&2; exit 1; fi
    quickstart "$work/src/build-$variant/quickstart"
  fi
done
echo "install-test-c: $platform ok"
