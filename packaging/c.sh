#!/usr/bin/env bash
# Packages the C SDK (contract: packaging/lib.sh): one archive per platform,
#   $DIST/c/purecore-<version>-<rust target triple>.tar.gz
# with the top folder purecore-<version>-<triple>/ holding
#   include/purecore.h
#   lib/libpurecore.a                       static library (debug sections stripped)
#   lib/libpurecore.so | lib/libpurecore.dylib | bin/purecore.dll + lib/libpurecore.dll.a
#                                           shared library, where it can be linked here
#   lib/pkgconfig/purecore.pc               shared link; purecore-static.pc: static link
#   lib/cmake/purecore/purecoreConfig.cmake (+ ConfigVersion): imported target purecore::purecore
#   LICENSE
# Templates: packaging/c/*.in. Each archive's libraries are checked with readelf/file
# (format and architecture), written in the summary. When linux-arm64-gnu is built, its
# quickstart is built with aarch64-linux-gnu-gcc (pkg-config and CMake) and run under
# qemu-aarch64 against the emulator on this machine.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/packaging/lib.sh"
source "$ROOT/packaging/c/build-lib.sh"

version="$(workspace_version)"
rm -rf "$DIST/c"
mkdir -p "$DIST/c"
stage_root="$(mktemp -d)"
trap 'rm -rf "$stage_root"' EXIT

# fill TEMPLATE DEST: the template with @VERSION@, @LIBS@, @CMAKE_LIBS@, @SHARED@, @IMPLIB@.
fill() {
  sed -e "s|@VERSION@|$version|g" -e "s|@LIBS@|$LIBS|g" -e "s|@CMAKE_LIBS@|$CMAKE_LIBS|g" \
    -e "s|@SHARED@|$SHARED|g" -e "s|@IMPLIB@|$IMPLIB|g" "$1" >"$2"
}

built=""
for platform in $PKG_TARGETS; do
  case "$platform" in
    linux-*-musl)
      summary_row c - "not built: $platform (C archives ship for glibc Linux, macOS and Windows; issue 13 asks musl of npm and PyPI only)"
      continue
      ;;
  esac
  say "c: archive for $platform ($PKG_PROFILE)"
  if ! build_native_lib "$platform"; then
    echo "c: $platform not built: $NATIVE_WHY" >&2
    summary_row c - "not built: $platform: $NATIVE_WHY"
    continue
  fi
  name="purecore-$version-$NATIVE_TRIPLE"
  stage="$stage_root/$name"
  mkdir -p "$stage/include" "$stage/lib/pkgconfig" "$stage/lib/cmake/purecore"
  cp "$ROOT/bindings-c/include/purecore.h" "$stage/include/"
  cp "$ROOT/LICENSE" "$stage/LICENSE"
  stripped_static_lib "$NATIVE_DIR/libpurecore.a" "$stage/lib/libpurecore.a"
  SHARED="" IMPLIB=""
  case "$NATIVE_SHARED" in
    purecore.dll)
      mkdir -p "$stage/bin"
      cp "$NATIVE_DIR/purecore.dll" "$stage/bin/"
      cp "$NATIVE_DIR/libpurecore.dll.a" "$stage/lib/"
      SHARED=bin/purecore.dll IMPLIB=lib/libpurecore.dll.a
      ;;
    ?*)
      cp "$NATIVE_DIR/$NATIVE_SHARED" "$stage/lib/"
      SHARED="lib/$NATIVE_SHARED"
      ;;
  esac
  # pkg-config keeps rustc's flags as they are; CMake wants a list, "-framework X" as one item.
  LIBS="$NATIVE_LIBS"
  CMAKE_LIBS="$(echo "$NATIVE_LIBS" | sed 's/-framework \([^ ]*\)/-framework_\1/g' | tr ' ' ';' | sed 's/-framework_/-framework /g')"
  fill "$ROOT/packaging/c/purecore.pc.in" "$stage/lib/pkgconfig/purecore.pc"
  fill "$ROOT/packaging/c/purecore-static.pc.in" "$stage/lib/pkgconfig/purecore-static.pc"
  fill "$ROOT/packaging/c/purecoreConfig.cmake.in" "$stage/lib/cmake/purecore/purecoreConfig.cmake"
  fill "$ROOT/packaging/c/purecoreConfigVersion.cmake.in" "$stage/lib/cmake/purecore/purecoreConfigVersion.cmake"

  checked="static $(describe_lib "$stage/lib/libpurecore.a")"
  [ -n "$SHARED" ] && checked="$checked; shared $(describe_lib "$stage/$SHARED")" || checked="$checked; no shared library (macOS: linking a dylib needs Apple's SDK)"
  tar -C "$stage_root" --owner=0 --group=0 --numeric-owner --sort=name -czf "$DIST/c/$name.tar.gz" "$name"
  # what a user unpacks must have every promised file
  listing="$(tar -tzf "$DIST/c/$name.tar.gz")"
  for f in include/purecore.h lib/libpurecore.a lib/pkgconfig/purecore.pc lib/pkgconfig/purecore-static.pc \
    lib/cmake/purecore/purecoreConfig.cmake lib/cmake/purecore/purecoreConfigVersion.cmake LICENSE ${SHARED:+"$SHARED"}; do
    grep -qx "$name/$f" <<<"$listing" || { echo "c: $name.tar.gz lacks $f" >&2; exit 1; }
  done
  mb=$(($(stat -c %s "$DIST/c/$name.tar.gz") / 1048576))
  [ "$PKG_PROFILE" != release ] || [ "$mb" -lt 30 ] || echo "c: WARNING $name.tar.gz is $mb MB, over the 30 MB budget" >&2
  summary_row c "$DIST/c/$name.tar.gz" "$checked; budget 30 MB"
  built="$built $platform"
done
rm -rf "$stage_root"

case " $built " in
  *" linux-arm64-gnu "*)
    arm64_quickstart c "$DIST/c/purecore-$version-aarch64-unknown-linux-gnu.tar.gz" "aarch64-linux-gnu-gcc (pkg-config shared and static, CMake)"
    ;;
esac
