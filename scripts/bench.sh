#!/usr/bin/env bash
# Benchmarks of the release server over loopback: upload throughput and memory growth for a
# 100 MiB file, and supplier home page requests per second with 32 signed-in suppliers on
# SQLite and PostgreSQL. Prints figures; the targets are in the issue and the README.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
say "Building the server and the benchmark (release)"
cargo build --release -p server --bins
say "Running"
"$CARGO_TARGET_DIR/release/bench"
