# Builds purecore-c (the C ABI library) for one platform: sourced by packaging/go.sh and
# packaging/c.sh, after packaging/lib.sh. Not run on its own.
# shellcheck shell=bash
#
# build_native_lib PLATFORM
#   sets NATIVE_DIR (folder with libpurecore.a and, where it can be linked here, the shared
#   library), NATIVE_SHARED (its file name, or empty), NATIVE_LIBS (the system libraries a
#   static link needs, as rustc's --print native-static-libs says), NATIVE_TRIPLE; returns 1
#   with NATIVE_WHY set when the platform cannot be built on this machine.
#
# PKG_PROFILE=release: LTO (fat), codegen-units=1, opt-level "s" (PKG_OPT_LEVEL), no debug
# info, panic strategy unchanged (unwind: the ABI catches panics); the static library is
# then stripped of debug sections. Release output goes to target/pkg-native/ (macOS:
# target/pkg-native-darwin{,-x64}/, so both build beside the rest): target dirs of their
# own, so the profile env vars never dirty target/release. PKG_PROFILE=debug on this
# machine's own platform reuses target/debug (warm); any other debug build goes to
# target/pkg-native-debug/.
#
# PKG_BUILD_TIMEOUT (seconds, default none) time-boxes each platform's build: one that runs
# longer gets a "not built" row instead of a file.
#
# Cross toolchains, installed when missing: Debian's gcc-aarch64-linux-gnu (linker and C
# compiler for aarch64-unknown-linux-gnu), mingw-w64 (x86_64-pc-windows-gnu), and zig from
# PyPI's `ziglang` in target/venv-pack (C compiler for ring on *-apple-darwin; only the
# static library is built for macOS: linking the dylib needs Apple's SDK frameworks).

PKG_CROSS_BIN="$PKG_ROOT/target/pkg-native-bin"

_apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local i
  for i in $(seq 1 30); do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$PKG_ROOT/target/pkg-native-apt.log" 2>&1; then
      return 0
    fi
    grep -qi 'lock' "$PKG_ROOT/target/pkg-native-apt.log" || return 1
    sleep 10
  done
  return 1
}

# need_tool COMMAND DEBIAN-PACKAGE...: the command, installed through apt when missing.
need_tool() {
  local tool="$1"
  shift
  command -v "$tool" >/dev/null 2>&1 && return 0
  _apt_install "$@" && command -v "$tool" >/dev/null 2>&1
}

# zig_cc TARGET: a wrapper script that runs `zig cc -target TARGET`, for the cc crate.
zig_cc() {
  local zt="$1" venv="$PKG_ROOT/target/venv-pack"
  if [ ! -x "$venv/bin/python-zig" ] && [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || return 1
  fi
  if ! "$venv/bin/python" -c 'import ziglang' 2>/dev/null; then
    "$venv/bin/python" -m pip install -q ziglang >/dev/null || return 1
  fi
  mkdir -p "$PKG_CROSS_BIN"
  cat >"$PKG_CROSS_BIN/zigcc-$zt" <<EOF
#!/bin/sh
# cc for $zt (packaging/c/build-lib.sh): zig's clang, from PyPI's ziglang. The cc crate's
# own --target=... (an LLVM triple zig does not take) is dropped: -target $zt says it.
for a in "\$@"; do
  shift
  case "\$a" in --target=*) ;; *) set -- "\$@" "\$a" ;; esac
done
exec "$venv/bin/python" -m ziglang cc -target $zt "\$@"
EOF
  cat >"$PKG_CROSS_BIN/zigar" <<EOF
#!/bin/sh
exec "$venv/bin/python" -m ziglang ar "\$@"
EOF
  chmod +x "$PKG_CROSS_BIN/zigcc-$zt" "$PKG_CROSS_BIN/zigar"
  echo "$PKG_CROSS_BIN/zigcc-$zt"
}

# The host's llvm-objcopy that rustup ships (handles ELF, Mach-O and COFF archives); it
# finds its libLLVM through LD_LIBRARY_PATH (its RUNPATH points beside rustlib, not at it).
rust_objcopy() {
  local sysroot host
  sysroot="$(rustc --print sysroot)"
  host="$(rustc -vV | sed -n 's/^host: //p')"
  echo "$sysroot/lib/rustlib/$host/bin/rust-objcopy"
}

build_native_lib() {
  local platform="$1" triple host envs=() crate_types="staticlib,cdylib" target_dir profile_args=() sub log libs upper
  NATIVE_WHY="" NATIVE_SHARED="" NATIVE_LIBS="" NATIVE_DIR=""
  triple="$(rust_triple "$platform")" || return 2
  NATIVE_TRIPLE="$triple"
  host="$(rustc -vV | sed -n 's/^host: //p')"
  upper="$(echo "$triple" | tr 'a-z-' 'A-Z_')"
  local lower="${triple//-/_}"

  if ! rustup target list --installed 2>/dev/null | grep -qx "$triple"; then
    rustup target add "$triple" >/dev/null 2>&1 || { NATIVE_WHY="rustup target add $triple failed"; return 1; }
  fi
  case "$triple" in
    "$host") ;;
    aarch64-unknown-linux-gnu)
      need_tool aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross ||
        { NATIVE_WHY="no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu failed)"; return 1; }
      envs+=("CARGO_TARGET_${upper}_LINKER=aarch64-linux-gnu-gcc" "CC_${lower}=aarch64-linux-gnu-gcc" "AR_${lower}=aarch64-linux-gnu-ar")
      ;;
    x86_64-pc-windows-gnu)
      need_tool x86_64-w64-mingw32-gcc mingw-w64 ||
        { NATIVE_WHY="no x86_64-w64-mingw32-gcc (apt-get install mingw-w64 failed)"; return 1; }
      envs+=("CARGO_TARGET_${upper}_LINKER=x86_64-w64-mingw32-gcc" "CC_${lower}=x86_64-w64-mingw32-gcc" "AR_${lower}=x86_64-w64-mingw32-ar")
      ;;
    *-apple-darwin)
      local zt cc
      case "$triple" in x86_64-*) zt=x86_64-macos ;; *) zt=aarch64-macos ;; esac
      cc="$(zig_cc "$zt")" || { NATIVE_WHY="no zig (pip install ziglang into target/venv-pack failed)"; return 1; }
      envs+=("CC_${lower}=$cc" "AR_${lower}=$PKG_CROSS_BIN/zigar")
      # A static library needs no linker; the dylib needs Apple's SDK (Security,
      # CoreFoundation frameworks), which is not redistributable, so it is not built here.
      crate_types="staticlib"
      ;;
    *)
      NATIVE_WHY="no cross toolchain set up for $triple in packaging/c/build-lib.sh"
      return 1
      ;;
  esac

  if [ "$PKG_PROFILE" = release ]; then
    target_dir="$PKG_ROOT/target/pkg-native"
    # macOS in a target dir of its own: its zig-based build can run beside the others
    case "$triple" in
      aarch64-apple-darwin) target_dir="$PKG_ROOT/target/pkg-native-darwin" ;;
      x86_64-apple-darwin) target_dir="$PKG_ROOT/target/pkg-native-darwin-x64" ;;
    esac
    profile_args=(--release)
    sub=release
    envs+=(CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
      "CARGO_PROFILE_RELEASE_OPT_LEVEL=${PKG_OPT_LEVEL:-s}" CARGO_PROFILE_RELEASE_DEBUG=false
      CARGO_PROFILE_RELEASE_STRIP=debuginfo CARGO_PROFILE_RELEASE_INCREMENTAL=false)
  elif [ "$triple" = "$host" ]; then
    target_dir="${CARGO_TARGET_DIR:-$PKG_ROOT/target}"
    sub=debug
  else
    target_dir="$PKG_ROOT/target/pkg-native-debug"
    sub=debug
  fi
  NATIVE_DIR="$target_dir/$triple/$sub"
  local target_args=(--target "$triple")
  if [ "$PKG_PROFILE" != release ] && [ "$triple" = "$host" ]; then
    # the warm target/debug: same layout as `cargo build -p purecore-c`
    NATIVE_DIR="$target_dir/debug"
    target_args=()
  fi

  mkdir -p "$PKG_ROOT/target"
  log="$PKG_ROOT/target/pkg-native-$triple-$sub.log"
  local attempt
  for attempt in 1 2; do
    local rc=0
    (cd "$PKG_ROOT" && timeout "${PKG_BUILD_TIMEOUT:-0}" env "${envs[@]}" CARGO_TARGET_DIR="$target_dir" nice cargo rustc -p purecore-c --lib \
      ${target_args[@]+"${target_args[@]}"} ${profile_args[@]+"${profile_args[@]}"} --crate-type "$crate_types" \
      -- --print native-static-libs) >"$log" 2>&1 || rc=$?
    if [ "$rc" = 124 ]; then
      NATIVE_WHY="the build of purecore-c for $triple did not finish within PKG_BUILD_TIMEOUT=${PKG_BUILD_TIMEOUT}s on this machine (log: ${log#"$PKG_ROOT"/})"
      return 1
    elif [ "$rc" != 0 ]; then
      tail -n 30 "$log" >&2
      NATIVE_WHY="cargo build of purecore-c for $triple failed (log: ${log#"$PKG_ROOT"/})"
      return 1
    fi
    libs="$(sed -n 's/^note: native-static-libs: //p' "$log" | tail -n 1)"
    if [ -n "$libs" ]; then
      echo "$libs" >"$NATIVE_DIR/native-static-libs.txt"
      break
    fi
    [ -s "$NATIVE_DIR/native-static-libs.txt" ] && break
    # The build was fresh, so rustc did not print the note: rebuild the one crate.
    touch "$PKG_ROOT/bindings-c/src/lib.rs"
  done
  NATIVE_LIBS="$(cat "$NATIVE_DIR/native-static-libs.txt")"
  [ -f "$NATIVE_DIR/libpurecore.a" ] || { NATIVE_WHY="no libpurecore.a in $NATIVE_DIR"; return 1; }
  case "$crate_types" in
    *cdylib*)
      case "$triple" in
        *windows*) NATIVE_SHARED=purecore.dll ;;
        *apple*) NATIVE_SHARED=libpurecore.dylib ;;
        *) NATIVE_SHARED=libpurecore.so ;;
      esac
      ;;
  esac
  return 0
}

# stripped_static_lib SRC DEST: copies the static library without its debug sections.
stripped_static_lib() {
  local src="$1" dest="$2"
  mkdir -p "$(dirname "$dest")"
  LD_LIBRARY_PATH="$(rustc --print sysroot)/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$(rust_objcopy)" --strip-debug "$src" "$dest.tmp"
  mv "$dest.tmp" "$dest"
}

# describe_lib FILE: the format and architecture of a library, for the summary: readelf's
# class and machine for ELF (static: of its objects), else `file` (of the first object).
describe_lib() {
  local f="$1" tmp m
  if readelf -h "$f" >/dev/null 2>&1; then
    m="$(readelf -h "$f" 2>/dev/null | sed -n 's/^ *\(Class\|Machine\|Type\): *//p' | sort -u | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
    echo "readelf: $m"
    return
  fi
  case "$f" in
    *.a)
      tmp="$(mktemp -d)"
      f="$(realpath "$f")"
      m="$(ar t "$f" | grep -v '^/' | grep -m1 -E '\.o(bj)?$')"
      (cd "$tmp" && ar x "$f" "$m" 2>/dev/null)
      echo "file (first object): $(file -b "$tmp/$m" | cut -d, -f1-2)"
      rm -rf "$tmp"
      ;;
    *) echo "file: $(file -b "$f" | cut -d, -f1-2)" ;;
  esac
}
