#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests on fixtures captured from real servers, and
# end-to-end tests (as root, with BPF) against real nginx, curl and a real OTLP collector.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests

# XCTest reports first and Swift Testing last, so a failure would scroll far above the end of the log:
# the failing tests and their messages are repeated last, where a reader of the log's tail sees them.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "test.sh: the test run failed (exit $status). Its failures:"
  grep -E "error: |' failed \(|✘|Fatal error|Test Suite '.*' failed" "$log" | grep -v "Test Suite 'All tests'" | head -60 || true
fi
exit "$status"
