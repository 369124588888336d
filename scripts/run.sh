#!/usr/bin/env bash
# Installs what Sonde needs, builds it, and traces this host: spans are printed, kept, and exported when
# OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set. Extra arguments go to
# `sonde run`, e.g. `scripts/run.sh --port 8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product sonde
exec .build/release/sonde run --print "$@"
