#!/usr/bin/env bash
# Packages the Go module with prebuilt static libraries (contract: packaging/lib.sh):
#   $DIST/go/purecore-go/                 the module's tree as a release tags it: the files of
#                                         bindings-c/go a user needs (no tests), LICENSE, and
#                                         lib/<goos>_<goarch>/libpurecore.a per built platform,
#                                         which internal/native/native.go's #cgo lines select
#   $DIST/go/proxy/github.com/purecore-sdk/purecore-go/@v/v<version>.{info,mod,zip}, list
#                                         the same tree as the module proxy serves it (the zip
#                                         is what every `go get` downloads); checked by
#                                         `go mod download` from it (GOPROXY=file://...)
# When linux-arm64-gnu is built, the Go quickstart is cross-built against the packaged
# module (GOARCH=arm64, CC=aarch64-linux-gnu-gcc) and run under qemu-aarch64 against the
# emulator on this machine.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/packaging/lib.sh"
source "$ROOT/packaging/c/build-lib.sh"

version="$(workspace_version)"
module=github.com/purecore-sdk/purecore-go
out="$DIST/go/purecore-go"
rm -rf "$DIST/go"
mkdir -p "$out"

# The module's files: what git tracks under bindings-c/go, without tests and build outputs.
(cd "$ROOT/bindings-c/go" && git ls-files -z -- . ':!:*_test.go' ':!:lib/**') |
  (cd "$ROOT/bindings-c/go" && xargs -0 cp --parents -t "$out")
cp "$ROOT/LICENSE" "$out/LICENSE"

go_platform() {
  case "$1" in
    linux-x64-gnu) echo linux_amd64 ;;
    linux-arm64-gnu) echo linux_arm64 ;;
    darwin-x64) echo darwin_amd64 ;;
    darwin-arm64) echo darwin_arm64 ;;
    win32-x64) echo windows_amd64 ;;
    *) echo "" ;;
  esac
}

# cgo_line_covers GOOS,GOARCH LIBS: native.go's #cgo line for that platform links the
# packaged library and names every system library rustc says a static link needs.
cgo_line_covers() {
  local cons="$1" line lib missing=""
  line="$(grep -E "^#cgo $cons LDFLAGS:" "$ROOT/bindings-c/go/internal/native/native.go" || true)"
  [ -n "$line" ] || { echo "internal/native/native.go has no '#cgo $cons LDFLAGS:' line" >&2; return 1; }
  case "$line" in *"\${SRCDIR}/../../lib/${cons/,/_}/libpurecore.a"*) ;; *)
    echo "internal/native/native.go: the $cons line does not link \${SRCDIR}/../../lib/${cons/,/_}/libpurecore.a" >&2
    return 1
    ;;
  esac
  set -f
  for lib in $2; do
    case "$lib" in -lc | -lSystem | -lmsvcrt | -lmingwex | -lmingw32 | -lgcc | -lgcc_eh | -lkernel32 | -luser32 | -l:libpthread.a) continue ;; esac
    case " $line " in *" $lib "*) ;; *) missing="$missing $lib" ;; esac
  done
  set +f
  if [ -n "$missing" ]; then
    echo "internal/native/native.go: the $cons line lacks$missing (rustc --print native-static-libs: $2)" >&2
    return 1
  fi
}

built=""
for platform in $PKG_TARGETS; do
  gp="$(go_platform "$platform")"
  if [ -z "$gp" ]; then
    case "$platform" in
      linux-*-musl) summary_row go - "not built: $platform (cgo build constraints select by GOOS/GOARCH, not libc, so the module cannot ship a musl library beside the glibc one; on musl, build it from a checkout: scripts/build-go-lib --release --target $(rust_triple "$platform"))" ;;
      *) summary_row go - "not built: $platform has no Go platform mapping in packaging/go.sh" ;;
    esac
    continue
  fi
  say "go: libpurecore.a for $platform ($PKG_PROFILE)"
  if ! build_native_lib "$platform"; then
    echo "go: $platform not built: $NATIVE_WHY" >&2
    summary_row go - "not built: $platform: $NATIVE_WHY"
    continue
  fi
  cgo_line_covers "${gp/_/,}" "$NATIVE_LIBS"
  stripped_static_lib "$NATIVE_DIR/libpurecore.a" "$out/lib/$gp/libpurecore.a"
  lib_mb=$(($(stat -c %s "$out/lib/$gp/libpurecore.a") / 1048576))
  [ "$PKG_PROFILE" != release ] || [ "$lib_mb" -lt 25 ] || echo "go: WARNING lib/$gp/libpurecore.a is $lib_mb MB, over the 25 MB budget" >&2
  summary_row go "$out/lib/$gp/libpurecore.a" "$(describe_lib "$out/lib/$gp/libpurecore.a"); #cgo $gp line names every native-static-lib; budget 25 MB"
  built="$built $platform"
done

# The proxy's files for v<version>: .mod, .info, .zip and the list.
proxy="$DIST/go/proxy/$module/@v"
mkdir -p "$proxy"
cp "$out/go.mod" "$proxy/v$version.mod"
printf '{"Version":"v%s","Time":"%s"}\n' "$version" "$(git -C "$ROOT" log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)" >"$proxy/v$version.info"
echo "v$version" >"$proxy/list"
python3 - "$out" "$proxy/v$version.zip" "$module@v$version" <<'EOF'
# The module zip as golang.org/x/mod/zip lays it out: every file under <module>@<version>/,
# regular files only, sorted, no directories entries.
import os, sys, zipfile
src, dest, prefix = sys.argv[1:4]
files = []
for dirpath, dirnames, filenames in os.walk(src):
    dirnames.sort()
    for name in sorted(filenames):
        full = os.path.join(dirpath, name)
        if os.path.isfile(full) and not os.path.islink(full):
            files.append(os.path.relpath(full, src).replace(os.sep, "/"))
with zipfile.ZipFile(dest + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for rel in sorted(files):
        info = zipfile.ZipInfo(prefix + "/" + rel, date_time=(2019, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(src, rel), "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
os.replace(dest + ".tmp", dest)
EOF

# The go command itself must accept the zip: download it from a file:// proxy into an
# empty module cache (it checks the layout, paths and sizes as for any module).
check="$(mktemp -d)"
if ! (cd "$check" && GOPROXY="file://$DIST/go/proxy" GOSUMDB=off GOFLAGS=-mod=mod GOMODCACHE="$check/modcache" \
  go mod download -json "$module@v$version" >"$check/download.json" 2>&1); then
  cat "$check/download.json" >&2
  echo "go: the go command refused the module zip $proxy/v$version.zip" >&2
  exit 1
fi
chmod -R u+w "$check" && rm -rf "$check"
zip_mb=$(($(stat -c %s "$proxy/v$version.zip") / 1048576))
[ "$PKG_PROFILE" != release ] || [ "$zip_mb" -lt 150 ] || echo "go: WARNING the module zip is $zip_mb MB, over the 150 MB budget" >&2
summary_row go "$proxy/v$version.zip" "go mod download from GOPROXY=file://dist/go/proxy; libraries:${built:- none}; budget 150 MB"

# aarch64: the Go quickstart, cross-built against the packaged module, run under qemu.
case " $built " in
  *" linux-arm64-gnu "*)
    arm64_quickstart go "$out/lib/linux_arm64/libpurecore.a" "GOARCH=arm64 CC=aarch64-linux-gnu-gcc"
    ;;
esac
