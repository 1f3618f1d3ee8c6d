#!/usr/bin/env bash
# Every check: formatting, clippy on both builds, unit tests, integration tests on SQLite and
# PostgreSQL, and the end-to-end suite in Chromium.
#   REQUIRE_POSTGRES=1   fail instead of skipping the PostgreSQL pass when it is unreachable
#   TEST_DATABASE_URL    PostgreSQL for the integration tests (default: the local server)
set -euo pipefail
# No stdin for anything below: rustc inherits it for cargo's target probe (see .ci/run).
exec </dev/null
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

# Incremental state is kept per checkout path; CI's fresh clones would pile it up.
export CARGO_INCREMENTAL=0
started=$(date +%s)
results="$(mktemp)"
e2e_data="$(mktemp -d)"
trap 'rm -rf "$results" "$e2e_data"' EXIT
ensure_rust_tools
ensure_e2e_tools
ensure_pdf_tools

say "Formatting"
cargo fmt --all -- --check

say "Layering: the data layer never names the server functions, components never name pages"
if grep -rn "crate::api" app/src/server; then
  echo "app/src/server names crate::api: the types it returns belong in app/src/model" >&2
  exit 1
fi
if grep -rn "ui::pages" app/src/ui/components; then
  echo "a component names a page: move what both use into app/src/ui/components" >&2
  exit 1
fi

say "Clippy: server build (ssr)"
cargo clippy -p migrations -p app -p server --all-targets --features app/ssr -- -D warnings
say "Clippy: browser build (hydrate)"
cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

say "Unit tests (domain rules, passwords, policies)"
cargo test -p app --features ssr --lib 2>&1 | tee -a "$results"

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_host_port="$(echo "$TEST_DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:]+)(:([0-9]+))?/.*#\2 \4#')"
read -r pg_host pg_port <<<"$pg_host_port"
if pg_isready -q -h "$pg_host" -p "${pg_port:-5432}" 2>/dev/null; then
  export SKIP_POSTGRES=0
  say "Integration tests on SQLite and PostgreSQL ($pg_host:${pg_port:-5432})"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL at $pg_host:${pg_port:-5432} is not reachable and REQUIRE_POSTGRES=1" >&2
  exit 1
else
  export SKIP_POSTGRES=1
  printf '\n\033[1;41m  !!! PostgreSQL is not reachable at %s:%s: THE POSTGRESQL PASS IS SKIPPED !!!  \033[0m\n\n' \
    "$pg_host" "${pg_port:-5432}"
  say "Integration tests on SQLite only"
fi
cargo test -p server 2>&1 | tee -a "$results"

build_site
say "End-to-end tests in Chromium (desktop and phone)"
(
  cd end2end
  E2E_SERVER_BIN="$(server_binary)" E2E_DATA_DIR="$e2e_data" SITE_ROOT="$ROOT/target/site" \
    E2E_JSON="$e2e_data/results.json" npx playwright test
)
grep -E '"(expected|unexpected|skipped|flaky)":' "$e2e_data/results.json" >>"$results"

# One closing line for all the suites: Rust's test results plus Playwright's JSON summary.
awk '
  /^test result:/ { passed += $4; failed += $6; skipped += $8 }
  /"expected":/ { gsub(/[^0-9]/, ""); passed += $0 }
  /"unexpected":/ { gsub(/[^0-9]/, ""); failed += $0 }
  /"skipped":/ { gsub(/[^0-9]/, ""); skipped += $0 }
  /"flaky":/ { gsub(/[^0-9]/, ""); flaky += $0 }
  END {
    printf "tests: %d passed, %d failed, %d skipped", passed, failed, skipped
    if (flaky > 0) printf " (and %d FLAKY: failed once, passed on retry)", flaky
    printf "\n"
  }
' "$results"
say "All checks passed in $(( $(date +%s) - started )) s"
