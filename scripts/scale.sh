#!/usr/bin/env bash
# Two app servers on one PostgreSQL and one S3-compatible store (s3s-fs on loopback, started by
# the test): a file uploaded through A downloads from B, a move on A reaches a board open on B,
# a session made on A works on B, two schedulers make each reminder once, two mailers send
# each letter once, killing A mid-upload leaves nothing B can see, and B drains on SIGTERM.
# Prints the figures. Needs PostgreSQL at TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
say "Two app servers, one PostgreSQL, one S3 store"
cargo test -p server --test integration -- --exact scale::two_app_servers_share_one_postgresql_and_one_store --nocapture 2>&1 \
  | grep -E "two servers:|test result|panicked|assert"
