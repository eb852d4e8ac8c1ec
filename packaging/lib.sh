# Shared helpers for packaging/*.sh and scripts/package, scripts/test-install: sourced, not run.
# shellcheck shell=bash
#
# The contract every packaging/<lang>.sh follows (lang: node, python, go, c):
#   env DIST          absolute path of the output folder (scripts/package: <root>/dist)
#   env PKG_PROFILE   debug | release (release: LTO, stripped, no debug info)
#   env PKG_TARGETS   space-separated platform names, from PLATFORMS below
#   writes its files under $DIST/<lang>/ and one row per file (or per target it could not
#   build) to $DIST/summary.tsv with `summary_row`.
# And every packaging/install-test-<lang>.sh:
#   runs after `hide_rust` (no cargo, rustc or rustup on PATH, a fresh HOME), with the
#   emulator already started (EMULATOR_URL), installs from $DIST/<lang>/ into an empty
#   folder and runs that language's quickstart; exits non-zero on any failure.

PKG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Platform name -> Rust target triple. The names are napi-rs's.
PLATFORMS="linux-x64-gnu linux-arm64-gnu linux-x64-musl linux-arm64-musl darwin-x64 darwin-arm64 win32-x64"
rust_triple() {
  case "$1" in
    linux-x64-gnu) echo x86_64-unknown-linux-gnu ;;
    linux-arm64-gnu) echo aarch64-unknown-linux-gnu ;;
    linux-x64-musl) echo x86_64-unknown-linux-musl ;;
    linux-arm64-musl) echo aarch64-unknown-linux-musl ;;
    darwin-x64) echo x86_64-apple-darwin ;;
    darwin-arm64) echo aarch64-apple-darwin ;;
    win32-x64) echo x86_64-pc-windows-gnu ;;
    *) echo "unknown platform: $1 (known: $PLATFORMS)" >&2; return 2 ;;
  esac
}

# The one version: the workspace's (Cargo.toml [workspace.package] version).
workspace_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$PKG_ROOT/Cargo.toml" | head -n 1
}

# summary_row LANG FILE(relative to DIST or absolute) CHECKED-WITH
# summary_row LANG - "not built: <why>"
summary_row() {
  local lang="$1" file="$2" checked="$3" size="-"
  if [ "$file" != "-" ]; then
    local abs="$file"
    [ "${file#/}" = "$file" ] && abs="$DIST/$file"
    size="$(du -sb "$abs" | cut -f1)"
    file="${abs#"$DIST"/}"
  fi
  printf '%s\t%s\t%s\t%s\n' "$lang" "$file" "$size" "$checked" >>"$DIST/summary.tsv"
}

# hide_rust: PATH keeps every tool but cargo, rustc, rustup, rustdoc and rust-*; HOME is
# a fresh empty folder (no ~/.cargo, no npm or pip caches, no Go module cache).
hide_rust() {
  local bin="$1/bin" dir f name
  mkdir -p "$bin"
  IFS=: read -r -a dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [ -d "$dir" ] || continue
    case "$dir" in */.cargo/bin|*/.rustup/*) continue ;; esac
    for f in "$dir"/*; do
      name="${f##*/}"
      case "$name" in cargo|cargo-*|rustc|rustup|rustdoc|rust-*|rls|clippy-driver|maturin) continue ;; esac
      [ -x "$f" ] && [ ! -d "$f" ] && [ ! -e "$bin/$name" ] && ln -s "$f" "$bin/$name"
    done
  done
  export PATH="$bin"
  export HOME="$1/home"
  mkdir -p "$HOME"
  unset CARGO_HOME RUSTUP_HOME CARGO_TARGET_DIR RUSTC RUSTFLAGS
  export GOPATH="$HOME/go" GOCACHE="$HOME/go-cache"
  export GOPROXY=off GONOSUMDB=* GOFLAGS=-mod=mod
  export npm_config_cache="$HOME/npm-cache" PIP_CACHE_DIR="$HOME/pip-cache" PIP_NO_INDEX=1
  if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1 || command -v rustup >/dev/null 2>&1; then
    echo "hide_rust: cargo, rustc or rustup is still on PATH" >&2
    return 1
  fi
}

# arm64_quickstart LANG FILE HOW: cross-builds LANG's quickstart (packaging/install-test-LANG.sh
# with INSTALL_PLATFORM=linux-arm64-gnu) against the packaged files, runs it under
# qemu-aarch64 against an emulator on this machine, and records it in FILE's summary row.
arm64_quickstart() {
  local lang="$1" file="$2" how="$3"
  say "$lang: quickstart for linux-arm64-gnu under qemu-aarch64"
  need_tool qemu-aarch64 qemu-user || { echo "$lang: no qemu-aarch64 (apt-get install qemu-user failed)" >&2; exit 1; }
  (cd "$ROOT" && cargo build -q -p purecore-emulator --bin purecore-emulator)
  start_emulator
  INSTALL_PLATFORM=linux-arm64-gnu bash "$ROOT/packaging/install-test-$lang.sh"
  kill "$EMULATOR_PID" 2>/dev/null || true
  summary_row "$lang" "$file" "quickstart built with $how, ran under qemu-aarch64 against the emulator: ok"
}
