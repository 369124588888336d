#!/usr/bin/env bash
# Installs what Sonde needs to build, run and test on Debian 12 (run as root). Idempotent: installs only
# what is missing, so it is cheap to call before every run.
set -euo pipefail

packages=(
    libbpf-dev libelf-dev zlib1g-dev      # libbpf and what it links
    libcurl4-openssl-dev                  # the OTLP exporter
    libsqlite3-dev                        # the span store: GRDB links the system SQLite
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

# pip_install PYTHON MODULE PACKAGE WHY: installs PACKAGE from PyPI for PYTHON unless MODULE imports already.
pip_install() {
    local python=$1 module=$2 package=$3 why=$4
    "$python" -c "import $module" >/dev/null 2>&1 && return 0
    echo "setup: installing $package ($why) from PyPI" >&2
    "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --break-system-packages "$package" 2>/dev/null \
    || "$python" -m pip install --quiet --disable-pip-version-check "$package"
}

pip_install python3 rotel rotel "a real OTLP collector"
# The MySQL end-to-end tests drive mysql-connector-python through the system Python.
pip_install /usr/bin/python3 mysql.connector mysql-connector-python "a real MySQL client library"
pip_install python3 grpc grpcio "real gRPC server and client"
pip_install python3 hypercorn hypercorn "a real server following the HTTP/1.1 upgrade to h2c"
# `sonde-bench pipeline` compares Sonde's HTTP/1 parser with llhttp (Node.js's C parser) through httptools.
pip_install /usr/bin/python3 httptools httptools "llhttp, the reference HTTP/1 parser"
