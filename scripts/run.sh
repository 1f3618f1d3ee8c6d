#!/usr/bin/env bash
# Builds and runs the app on SQLite in ./data with demo data.
#   scripts/run.sh            debug build (quick to build)
#   scripts/run.sh --release  optimised build with a small, compressed WASM bundle
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

mode=()
if [ "${1:-}" = "--release" ]; then
  mode=(--release)
  ensure_wasm_opt
fi
ensure_rust_tools
build_site "${mode[@]}"

export LISTEN_ADDR="${LISTEN_ADDR:-127.0.0.1:3000}"
export DATA_DIR="${DATA_DIR:-$ROOT/data}"
export SITE_ROOT="${SITE_ROOT:-$ROOT/target/site}"
export DEMO_DATA="${DEMO_DATA:-true}"
# Plain HTTP on this machine: cookies without `Secure` (browsers drop them otherwise).
export SECURE_COOKIES="${SECURE_COOKIES:-off}"

cat <<INFO

  Supplier cabinet is starting on  http://$LISTEN_ADDR
  Database: ${DATABASE_URL:-SQLite in $DATA_DIR}

  Demo sign-ins (password for all: demo-password)
    supplier, ООО «Ромашка»   supplier@romashka.demo
    supplier, АО «Вектор»     supplier@vektor.demo
    procurement manager       manager@demo.local
    supervisor                supervisor@demo.local
    accountant                accountant@demo.local
    administrator             admin@demo.local

  Stop with Ctrl-C.

INFO
exec "$(server_binary "${mode[@]}")"
