#!/usr/bin/env bash
# Builds the npm packages in the napi-rs layout into $DIST/node/ (contract: packaging/lib.sh):
#   purecore-<version>.tgz                   the main package: JavaScript only, with an
#                                            optionalDependency on every platform package
#   purecore-<platform>-<version>.tgz        one per built platform: its .node file and a
#                                            package.json with os, cpu (and libc on Linux)
# Cross builds: `napi build --cross-compile` (cargo-zigbuild with zig from PyPI's ziglang,
# in target/venv-pack) for Linux and macOS; mingw-w64 (Debian) for Windows (x86_64-pc-
# windows-gnu: cargo-xwin, napi's choice for Windows, needs the MSVC SDK from the network).
# Linux glibc builds target glibc 2.17, so the addon loads on old distributions too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/packaging/lib.sh"
: "${DIST:?set DIST (scripts/package does)}"
PKG_PROFILE="${PKG_PROFILE:-release}"
PKG_TARGETS="${PKG_TARGETS:-$PLATFORMS}"
unset CARGO_TARGET_DIR
ensure_rust

NODE_DIR="$ROOT/bindings-node"
OUT="$DIST/node"
VERSION="$(workspace_version)"
rm -rf "$OUT"
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The napi CLI, from the lockfile (no build: --ignore-scripts).
if [ ! -x "$NODE_DIR/node_modules/.bin/napi" ]; then
  (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
napi=("$NODE_DIR/node_modules/.bin/napi")

host_platform() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64-gnu ;;
    Linux-aarch64) echo linux-arm64-gnu ;;
    *) echo none ;;
  esac
}

# Cross tools, installed when missing: zig and cargo-zigbuild from PyPI into a venv under
# target/, the Rust target, mingw-w64 for Windows.
ensure_zig() {
  local venv="$ROOT/target/venv-pack"
  if [ ! -x "$venv/bin/cargo-zigbuild" ] || ! "$venv/bin/python" -m ziglang version >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q ziglang cargo-zigbuild
  fi
  # napi looks for `zig` on PATH; PyPI's ziglang runs as `python -m ziglang`.
  if [ ! -x "$venv/bin/zig" ]; then
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$venv/bin/python" >"$venv/bin/zig"
    chmod +x "$venv/bin/zig"
  fi
  export PATH="$venv/bin:$PATH"
}
ensure_target() {
  rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}
ensure_apt() {
  command -v "$1" >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null 2>&1; }
}

if [ "$PKG_PROFILE" = release ]; then
  # Small, self-contained addons: LTO, one codegen unit, no debug info, stripped.
  export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=symbols
  profile_args=(--release --strip)
  target_dir="$ROOT/target/pkg-node"
else
  profile_args=()
  target_dir="$ROOT/target"
fi

# build PLATFORM: the addon for PLATFORM in $work/build/PLATFORM/purecore.<napi name>.node;
# prints that path, or returns non-zero with the reason on stderr.
build_addon() {
  local platform="$1" triple args=()
  triple="$(rust_triple "$platform")"
  ensure_target "$triple" >&2 || { echo "rustup target add $triple failed" >&2; return 1; }
  local out="$work/build/$platform" tdir="$target_dir"
  mkdir -p "$out"
  # Release: the glibc builds share target/pkg-node, the others get one each, so that
  # builds for several platforms can run at once (cargo locks a target dir while it builds).
  case "$PKG_PROFILE:$platform" in release:linux-*-gnu | debug:*) ;; *) tdir="$target_dir-$platform" ;; esac
  if [ "$platform" = "$(host_platform)" ] && [ "$PKG_PROFILE" = debug ]; then
    : # the host's own debug build, in the workspace's warm target/debug
  else
    case "$platform" in
      win32-*)
        ensure_apt x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64 || { echo "mingw-w64 (x86_64-w64-mingw32-gcc) is not installed and apt-get could not install it" >&2; return 1; }
        export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
        # napi-build links a windows-gnu addon with -lnode from LIBNODE_PATH (a libnode.dll
        # must be there). The napi_* functions live in node.exe, as for every addon on
        # Windows: an import library naming node.exe, made by mingw's dlltool from the
        # function list of napi-sys (the version in Cargo.lock), is what -lnode finds first.
        local ver napisys libnode="$tdir/libnode"
        ver="$(awk '/^name = "napi-sys"$/ { getline; gsub(/"/, "", $3); print $3 }' "$ROOT/Cargo.lock")"
        napisys="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/napi-sys-"$ver" 2>/dev/null | head -n 1)"
        if [ -z "$napisys" ]; then
          (cd "$ROOT" && cargo fetch -q) >&2 || true
          napisys="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/napi-sys-"$ver" 2>/dev/null | head -n 1)"
        fi
        [ -f "$napisys/src/functions.rs" ] || { echo "not built: napi-sys $ver sources not found (for the node.exe import library)" >&2; return 1; }
        mkdir -p "$libnode"
        { echo "LIBRARY node.exe"; echo "EXPORTS"; grep -ohE 'fn (napi|node_api)_[a-z_0-9]+' "$napisys/src/functions.rs" | sed 's/^fn //' | sort -u; } >"$libnode/node.def"
        x86_64-w64-mingw32-dlltool -d "$libnode/node.def" -l "$libnode/libnode.dll.a" >&2 || { echo "not built: dlltool could not make the node.exe import library" >&2; return 1; }
        : >"$libnode/libnode.dll"
        export LIBNODE_PATH="$libnode"
        args=(--target "$triple")
        ;;
      linux-*-gnu)
        ensure_zig || { echo "could not install zig and cargo-zigbuild from PyPI" >&2; return 1; }
        args=(--cross-compile --target "$triple.2.17")
        ;;
      darwin-*)
        ensure_zig || { echo "could not install zig and cargo-zigbuild from PyPI" >&2; return 1; }
        # The addon links Apple's Security and CoreFoundation frameworks (rustls-native-certs
        # -> security-framework); zig carries libSystem's stubs but no frameworks, so a
        # macOS SDK (SDKROOT) is needed. Probe that in seconds instead of failing at the link.
        if [ -z "${SDKROOT:-}" ]; then
          printf 'int main(void){return 0;}\n' >"$work/probe.c"
          local zarch=x86_64
          [ "$platform" = darwin-arm64 ] && zarch=aarch64
          if ! zig cc -target "$zarch-macos" -framework Security -framework CoreFoundation "$work/probe.c" -o "$work/probe" >"$work/probe.log" 2>&1; then
            echo "not built: needs the macOS SDK (SDKROOT unset): the addon links the Security and CoreFoundation frameworks (rustls-native-certs), and zig has none: $(grep -m1 -o 'unable to find system framework "[A-Za-z]*"' "$work/probe.log")" >&2
            return 1
          fi
        fi
        args=(--cross-compile --target "$triple")
        ;;
      *)
        ensure_zig || { echo "could not install zig and cargo-zigbuild from PyPI" >&2; return 1; }
        args=(--cross-compile --target "$triple")
        ;;
    esac
  fi
  # NODE_BUILD_TIMEOUT (seconds): time-box each build (e.g. wanted platforms on a busy machine).
  local limit=()
  [ -n "${NODE_BUILD_TIMEOUT:-}" ] && limit=(timeout "$NODE_BUILD_TIMEOUT")
  (cd "$NODE_DIR" && nice "${limit[@]}" "${napi[@]}" build --platform --no-js --target-dir "$tdir" \
    --output-dir "$out" "${profile_args[@]}" "${args[@]}") >&2 || {
    local rc=$?
    [ "$rc" = 124 ] && echo "not built: the build did not finish within NODE_BUILD_TIMEOUT=${NODE_BUILD_TIMEOUT}s here" >&2
    return 1
  }
  local files=("$out"/purecore.*.node)
  [ -f "${files[0]}" ] || { echo "napi build wrote no .node file into $out" >&2; return 1; }
  echo "${files[0]}"
}

# check_binary PLATFORM FILE: the .node's format, machine and C library match PLATFORM;
# prints what was checked.
check_binary() {
  local platform="$1" file="$2" desc want_fmt want_arch needed
  desc="$(file -b "$file")"
  case "$platform" in
    linux-x64-*) want_fmt="ELF 64-bit LSB"; want_arch="x86-64" ;;
    linux-arm64-*) want_fmt="ELF 64-bit LSB"; want_arch="ARM aarch64" ;;
    darwin-x64) want_fmt="Mach-O 64-bit"; want_arch="x86_64" ;;
    darwin-arm64) want_fmt="Mach-O 64-bit"; want_arch="arm64" ;;
    win32-x64) want_fmt="PE32+ executable"; want_arch="x86-64" ;;
  esac
  case "$platform:$desc" in win32-*:*DLL*|linux-*|darwin-*) ;; *)
    echo "$file is \"$desc\", not a DLL" >&2; return 1 ;;
  esac
  case "$platform:$desc" in linux-*:*"shared object"*|darwin-*:*"shared library"*|win32-*) ;; *)
    echo "$file is \"$desc\", not a shared library" >&2; return 1 ;;
  esac
  case "$desc" in *"$want_fmt"*"$want_arch"*) ;; *)
    echo "$file is \"$desc\", not $want_fmt $want_arch" >&2; return 1 ;;
  esac
  local checked="file: $want_fmt $want_arch"
  case "$platform" in
    linux-*)
      local machine
      machine="$(readelf -h "$file" | sed -n 's/^ *Machine: *//p')"
      case "$platform:$machine" in linux-x64-*:*X86-64*|linux-arm64-*:*AArch64*) ;; *)
        echo "$file: readelf says machine $machine" >&2; return 1 ;;
      esac
      needed="$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd ' ')"
      case "$platform" in
        *-gnu)
          case "$needed" in *libc.so.6*) ;; *) echo "$file: no libc.so.6 among NEEDED ($needed)" >&2; return 1 ;; esac
          case "$needed" in *musl*) echo "$file: a glibc build needs musl ($needed)" >&2; return 1 ;; esac
          local glibc
          glibc="$({ readelf -W --dyn-syms "$file" || true; } | grep -o 'GLIBC_[0-9.]*' | sort -V -u | tail -n 1 || true)"
          # Release builds target glibc 2.17 (zig's sysroot): nothing newer may be needed.
          if [ "$PKG_PROFILE" = release ] && [ "$(printf '%s\nGLIBC_2.17\n' "$glibc" | sort -V | tail -n 1)" != GLIBC_2.17 ]; then
            echo "$file needs $glibc, newer than the 2.17 it was built for" >&2
            return 1
          fi
          checked="$checked; readelf -h $machine; readelf -d NEEDED glibc ($needed), newest symbol ${glibc:-none}"
          ;;
        *-musl)
          case "$needed" in *libc.so.6*|*ld-linux*) echo "$file: a musl build needs glibc ($needed)" >&2; return 1 ;; esac
          checked="$checked; readelf -h $machine; readelf -d NEEDED musl (${needed:-none}: no glibc)"
          ;;
      esac
      ;;
    win32-*)
      local dlls
      local objdump=objdump
      command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1 && objdump=x86_64-w64-mingw32-objdump
      dlls="$({ "$objdump" -p "$file" || true; } | sed -n 's/.*DLL Name: //p' | paste -sd ' ')"
      checked="$checked; objdump -p DLLs: $dlls"
      ;;
  esac
  echo "$checked"
}

# smoke_arm64 FILE: when qemu-aarch64 and an aarch64 cross compiler are here, load the
# addon in a small aarch64 program under qemu (node for arm64 is not here: the program
# defines stand-ins for the napi_* functions node would provide, as the addon binds every
# symbol at load) and find its napi_register_module_v1; prints what was checked, or
# nothing when the tools are missing.
smoke_arm64() {
  local file="$1" sysroot=/usr/aarch64-linux-gnu
  command -v qemu-aarch64 >/dev/null 2>&1 && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && [ -d "$sysroot/lib" ] || return 0
  {
    echo '#include <dlfcn.h>'
    echo '#include <stdio.h>'
    readelf -W --dyn-syms "$file" | awk '$7 == "UND" { print $8 }' | sed 's/@.*//' | grep '^napi_' | sort -u | sed 's/.*/void &(void) {}/'
    cat <<'EOF_C'
int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
  if (!dlsym(h, "napi_register_module_v1")) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
  puts("loaded");
  return 0;
}
EOF_C
  } >"$work/dlopen.c"
  aarch64-linux-gnu-gcc -rdynamic -o "$work/dlopen-arm64" "$work/dlopen.c" -ldl >&2 || return 1
  if qemu-aarch64 -L "$sysroot" "$work/dlopen-arm64" "$file" >&2; then
    echo "; qemu-aarch64: loads (dlopen), napi_register_module_v1 found"
  else
    echo "$file does not load under qemu-aarch64" >&2
    return 1
  fi
}

# check_manifest TGZ PLATFORM: the platform package holds only its .node file and
# declares os, cpu and (Linux) libc; prints what was checked.
check_manifest() {
  local tgz="$1" platform="$2"
  node "$NODE_DIR/npm/packages.js" check-platform "$tgz" "$platform"
}

# NODE_JOBS=parallel: start every platform's build at once (each release build ends in a
# long single-threaded LTO link; the glibc ones still take turns on their target dir).
if [ "${NODE_JOBS:-}" = parallel ]; then
  for platform in $PKG_TARGETS; do
    (
      rc=0
      build_addon "$platform" >"$work/addon-$platform" 2>"$work/err-$platform" || rc=$?
      echo "$rc" >"$work/rc-$platform"
    ) &
  done
  say "node: building $PKG_TARGETS at once"
  wait
fi

built_any=0
for platform in $PKG_TARGETS; do
  say "node: $platform ($PKG_PROFILE)"
  if [ "${NODE_JOBS:-}" = parallel ]; then
    addon="$(cat "$work/addon-$platform" 2>/dev/null || true)"
    [ "$(cat "$work/rc-$platform" 2>/dev/null)" = 0 ] && [ -f "$addon" ] && ok=1 || ok=0
  else
    ok=1
    addon="$(build_addon "$platform" 2>"$work/err-$platform")" || ok=0
  fi
  if [ "$ok" = 0 ]; then
    tail -n 20 "$work/err-$platform" >&2
    reason="$(sed -n 's/^not built: //p' "$work/err-$platform" | head -n 1)"
    [ -n "$reason" ] || reason="$(grep -v '^\s*$' "$work/err-$platform" | grep -iE 'error|not |fail|cannot|unable' | head -n 1 | cut -c1-300)"
    summary_row node - "not built: $platform: ${reason:-napi build failed}"
    continue
  fi
  checked_bin="$(check_binary "$platform" "$addon")"
  [ "$platform" = linux-arm64-gnu ] && checked_bin="$checked_bin$(smoke_arm64 "$addon")"
  pkg_dir="$work/pkg-$platform"
  node "$NODE_DIR/npm/packages.js" platform "$platform" "$VERSION" "$addon" "$pkg_dir"
  tgz="$(cd "$pkg_dir" && npm pack --ignore-scripts --silent --pack-destination "$OUT")"
  checked_pkg="$(check_manifest "$OUT/$tgz" "$platform")"
  summary_row node "node/$tgz" "$checked_bin; $checked_pkg"
  built_any=1
done

say "node: main package (purecore $VERSION)"
# npm pack of bindings-node selects the files (package.json "files"); the packed
# package.json then gets the release's version and optionalDependencies.
before="$(git -C "$ROOT" status --porcelain -- bindings-node)"
mkdir -p "$work/main"
tgz="$(cd "$NODE_DIR" && npm pack --ignore-scripts --silent --pack-destination "$work/main")"
after="$(git -C "$ROOT" status --porcelain -- bindings-node)"
[ "$before" = "$after" ] || { echo "npm pack changed tracked files in bindings-node:" >&2; echo "$after" >&2; exit 1; }
tar -xzf "$work/main/$tgz" -C "$work/main"
node "$NODE_DIR/npm/packages.js" main "$VERSION" "$work/main/package"
tgz="$(cd "$work/main/package" && npm pack --ignore-scripts --silent --pack-destination "$OUT")"
checked_main="$(node "$NODE_DIR/npm/packages.js" check-main "$OUT/$tgz" "$VERSION")"
summary_row node "node/$tgz" "$checked_main"

# Budget: main + linux-x64-gnu unpacked <= 5 MB.
gnu="$OUT/purecore-linux-x64-gnu-$VERSION.tgz"
if [ -f "$gnu" ]; then
  mkdir -p "$work/unpacked/main" "$work/unpacked/gnu"
  tar -xzf "$OUT/$tgz" -C "$work/unpacked/main"
  tar -xzf "$gnu" -C "$work/unpacked/gnu"
  bytes="$(du -sb "$work/unpacked" | cut -f1)"
  verdict="within"
  [ "$bytes" -le $((5 * 1024 * 1024)) ] || verdict="OVER"
  printf 'node\t(main + linux-x64-gnu, unpacked)\t%s\tbudget 5 MB: %s\n' "$bytes" "$verdict" >>"$DIST/summary.tsv"
  if [ "$verdict" = OVER ] && [ "$PKG_PROFILE" = release ]; then
    echo "node: main + linux-x64-gnu unpacked is $bytes bytes, over the 5 MB budget" >&2
    exit 1
  fi
fi
[ "$built_any" = 1 ] || { echo "node: no platform package was built" >&2; exit 1; }
ls -l "$OUT"
