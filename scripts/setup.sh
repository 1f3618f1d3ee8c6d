# Sourced by run.sh and test.sh: puts the toolchain pieces in place, in a cache outside the
# clone so repeated runs on one machine are warm. Safe to run again: it installs only what is
# missing or at the wrong version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${KABINET_CACHE:-$HOME/.cache/kabinet}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
mkdir -p "$TOOLS" "$CARGO_TARGET_DIR"

CARGO_LEPTOS_VERSION="0.3.10"
WASM_OPT_VERSION="0.116.1"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

install_tool() { # crate version [extra cargo install args...]
  local crate="$1" version="$2"
  shift 2
  say "Installing $crate $version into $TOOLS (once per machine, a few minutes)"
  CARGO_TARGET_DIR="$CACHE/tools-target" cargo install "$crate" --version "$version" \
    --root "$TOOLS" "$@"
  # The installed binary is all we keep; its build tree is gigabytes.
  rm -rf "$CACHE/tools-target"
}

# cargo-fuzz for the fuzz targets in app/fuzz (the toolchain is stable: RUSTC_BOOTSTRAP=1 lets
# it use the nightly flags it needs).
ensure_cargo_fuzz() {
  if ! cargo fuzz --version 2>/dev/null | grep -q "0.13"; then
    install_tool cargo-fuzz 0.13.1 --locked
  fi
}

# An S3-compatible server for the benchmarks (the tests start s3s-fs inside their process).
ensure_s3_server() {
  if ! s3s-fs --version 2>/dev/null | grep -q "0.14"; then
    install_tool s3s-fs 0.14.1 --locked --features binary
  fi
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    install_tool cargo-leptos "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  # wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly. Its own lock names a
  # crate version the registry here lacks, so no --locked.
  local wbg
  wbg="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    install_tool wasm-bindgen-cli "$wbg"
  fi
}

# Needed by release builds only. Debian's binaryen (108) emits WASM that fails in the browser.
ensure_wasm_opt() {
  if ! "$TOOLS/bin/wasm-opt" --version 2>/dev/null | grep -q "116"; then
    install_tool wasm-opt "$WASM_OPT_VERSION" --locked
  fi
}

# pdftotext reads the approval sheets back in the tests (poppler-utils, from Debian's packages).
ensure_pdf_tools() {
  if ! command -v pdftotext >/dev/null 2>&1; then
    say "Installing Debian's poppler-utils (pdftotext) for the PDF tests"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils >/dev/null
  fi
}

ensure_e2e_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Debian's Chromium for the end-to-end tests"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    say "Installing the end-to-end test packages (npm, no browser download)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

build_site() { # [--release]
  say "Building the server and the browser bundle (cargo leptos build $*)"
  (cd "$ROOT" && cargo leptos build "$@")
}

server_binary() { # [--release]
  if [ "${1:-}" = "--release" ]; then
    echo "$CARGO_TARGET_DIR/release/server"
  else
    echo "$CARGO_TARGET_DIR/debug/server"
  fi
}
