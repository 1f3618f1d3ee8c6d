#!/usr/bin/env bash
# Benchmarks of the release server over loopback: upload throughput and memory growth for a
# 100 MiB file, supplier home page requests per second with 32 signed-in suppliers, and the
# staff board with 2,000 cards (server render, moves per second with 32 clients, and in
# Chromium the time until interactive and from drop to settled), on SQLite and PostgreSQL.
# Prints figures; the targets are in the issues and the README.
#   scripts/bench.sh         everything
#   scripts/bench.sh board   the board's figures only
#   scripts/bench.sh numbering   deal numbers per second with 32 clients, and the no-gap proof
#   scripts/bench.sh scale   upload/download against an S3 store; moves/s with one and two servers
#   scripts/bench.sh payments   the payment register (10,000 requests), the approval sheet, decisions/s
#   scripts/bench.sh settlements   100,000 ledger entries: home with the panel, balance page, 1-year statement PDF;
#                                  a 100,000-row CSV import (rows/s, memory), then the same file again
#   scripts/bench.sh fuzz [SECONDS]   each fuzz target of app/fuzz for SECONDS (default 30)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
if [ "${1:-}" = "fuzz" ]; then
  ensure_cargo_fuzz
  seconds="${2:-30}"
  for target in $(cargo fuzz list --fuzz-dir app/fuzz); do
    say "Fuzzing $target for $seconds s"
    # The multipart receiver is server code: its target alone builds the app with `ssr`.
    features=()
    [ "$target" = multipart ] && features=(--features multipart)
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" --fuzz-dir app/fuzz "${features[@]}" -- \
      -max_total_time="$seconds" -print_final_stats=1 2>&1 \
      | grep -E "^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)" || true
    if ls app/fuzz/artifacts/"$target"/crash-* >/dev/null 2>&1; then
      echo "a crash of $target is in app/fuzz/artifacts/$target: make it a regression test" >&2
      exit 1
    fi
  done
  exit 0
fi
ensure_rust_tools
ensure_wasm_opt
ensure_e2e_tools
ensure_s3_server
say "Building the server, the browser bundle and the benchmark (release)"
build_site --release
cargo build --release -p server --bins
say "Running"
"$CARGO_TARGET_DIR/release/bench" "$@"
if [ "${1:-}" != "numbering" ] && [ "${1:-}" != "scale" ] && [ "${1:-}" != "payments" ] && [ "${1:-}" != "settlements" ]; then
  (cd end2end && SERVER_BIN="$(server_binary --release)" SITE_ROOT="$ROOT/target/site" node bench/board.mjs)
fi
