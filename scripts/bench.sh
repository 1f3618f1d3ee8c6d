#!/usr/bin/env bash
# Benchmarks of the release server over loopback: upload throughput and memory growth for a
# 100 MiB file, supplier home page requests per second with 32 signed-in suppliers, and the
# staff board with 2,000 cards (server render, moves per second with 32 clients, and in
# Chromium the time until interactive and from drop to settled), on SQLite and PostgreSQL.
# Prints figures; the targets are in the issues and the README.
#   scripts/bench.sh         everything
#   scripts/bench.sh board   the board's figures only
#   scripts/bench.sh numbering   deal numbers per second with 32 clients, and the no-gap proof
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
ensure_rust_tools
ensure_wasm_opt
ensure_e2e_tools
say "Building the server, the browser bundle and the benchmark (release)"
build_site --release
cargo build --release -p server --bins
say "Running"
"$CARGO_TARGET_DIR/release/bench" "$@"
if [ "${1:-}" != "numbering" ]; then
  (cd end2end && SERVER_BIN="$(server_binary --release)" SITE_ROOT="$ROOT/target/site" node bench/board.mjs)
fi
