#!/usr/bin/env bash
# Installs what Sonde needs to build, run and test on Debian 12 (run as root). Idempotent: installs only
# what is missing, so it is cheap to call before every run.
set -euo pipefail

packages=(
    libbpf-dev libelf-dev zlib1g-dev      # libbpf and what it links
    libcurl4-openssl-dev                  # the OTLP exporter
    pkg-config                            # SwiftPM finds libbpf and libcurl through it
    nginx-light curl                      # real servers and clients for the end-to-end tests
    openssl libssl-dev                    # TLS tests: certificates, and a client linking OpenSSL statically
    redis-server redis-tools              # real Redis server, redis-cli and redis-benchmark
    mariadb-server mariadb-client         # real MariaDB server and the mariadb client
    nghttp2-client                        # nghttp: HTTP/2 client for the HTTP/2 end-to-end tests
    wrk                                   # HTTP load generator of the overhead benchmark (scripts/bench.sh)
    python3 python3-pip libpython3.11     # rotel (a real OTLP collector) ships as a Python wheel
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The packaged servers start on their default ports when installed (nginx 80, redis 6379, mariadb 3306);
# the tests run their own.
if command -v systemctl >/dev/null 2>&1; then
    for service in nginx redis-server mariadb; do systemctl disable --now "$service" >/dev/null 2>&1 || true; done
fi

if ! python3 -c 'import rotel' >/dev/null 2>&1; then
    echo "setup: installing rotel (OTLP collector) from PyPI" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --break-system-packages rotel 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check rotel
fi

# The MySQL end-to-end tests drive mysql-connector-python through the system Python.
if ! /usr/bin/python3 -c 'import mysql.connector' >/dev/null 2>&1; then
    echo "setup: installing mysql-connector-python from PyPI" >&2
    /usr/bin/python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --break-system-packages mysql-connector-python
fi

if ! python3 -c 'import grpc' >/dev/null 2>&1; then
    echo "setup: installing grpcio (real gRPC server and client) from PyPI" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --break-system-packages grpcio 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check grpcio
fi
