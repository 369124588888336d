#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests on fixtures captured from real servers, and
# end-to-end tests (as root, with BPF) against real nginx, curl and a real OTLP collector.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
