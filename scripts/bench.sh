#!/usr/bin/env bash
# Runs Sonde's benchmarks and prints their tables: parser throughput per protocol, replay throughput, the
# span store's writer and queries over a million stored spans, and the overhead of tracing real nginx and
# redis-server under load (root). Installs what it needs (scripts/setup.sh: wrk, nginx, redis) and builds release first.
# Options are passed to `sonde-bench overhead` (e.g. --seconds 5 --rounds 1 --workloads nginx,redis).
# Last, `sonde-bench kernel-cost`: the time in Sonde's BPF programs per request, probe-only and full.
set -euo pipefail
cd "$(dirname "$0")/.."

root=$([ "$(id -u)" -eq 0 ] && echo yes || echo no)
if [ "$root" = yes ]; then scripts/setup.sh; fi
scratch=${SONDE_SCRATCH_PATH:-.build}
swift build -c release --scratch-path "$scratch" >&2
bench="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sonde-bench"

section() { printf '\n== %s ==\n' "$1"; }

section "sonde-bench pipeline: parser throughput per protocol"
"$bench" pipeline

section "sonde-bench replay-throughput: captures replayed into spans"
"$bench" replay-throughput

section "sonde-bench store-write and query: the span store"
"$bench" store-write
"$bench" query

section "sonde-bench overhead: nginx and redis-server untraced, probe-only and fully traced"
if [ "$root" = no ]; then
    echo "bench: the overhead benchmark attaches BPF programs and installs wrk, nginx and redis: run scripts/bench.sh as root." >&2
    exit 1
fi
"$bench" overhead "$@"

section "sonde-bench overhead --tracer-cpu: the same with Sonde alone on the last CPU"
"$bench" overhead --tracer-cpu "$(( $(nproc) - 1 ))" "$@"

section "sonde-bench kernel-cost: time in Sonde's BPF programs per request, probe-only and full"
"$bench" kernel-cost
