#!/usr/bin/env bash
# Regenerates the capture fixtures of Tests/Fixtures/captures (see README.md there for what each holds).
#
# Starts real servers on loopback (nginx from nginx-light, redis-server, MariaDB's mariadbd), each with its
# own temporary directory and port, drives known traffic with curl, redis-cli and the mariadb client,
# and records it with tcpdump. editcap and mergecap (wireshark-common) write the pcapng variants.
# Run as root (tcpdump needs it). Timestamps, ports and ids change on every run; the exchanges do not,
# but the timestamps asserted by Tests/SondeCaptureTests must then be updated from `tcpdump -tt -r`.
set -euo pipefail
cd "$(dirname "$0")"

packages=(tcpdump wireshark-common nginx-light curl redis-server redis-tools mariadb-server mariadb-client)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

HTTP_PORT=18480
REDIS_PORT=16379
MYSQL_PORT=13306
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as nobody and read the files below
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Starts tcpdump writing FILE with the remaining arguments, and waits until it listens.
capture() {
    local file=$1; shift
    tcpdump -Z root --immediate-mode -U -s 0 -w "$file" "$@" 2>"$work/tcpdump.err" &
    capture_pid=$!
    pids+=("$capture_pid")
    for _ in $(seq 50); do
        # "listening on" comes a moment before the socket sees every packet.
        grep -q "listening on" "$work/tcpdump.err" && { sleep 1; return; }
        sleep 0.1
    done
    echo "tcpdump did not start: $(cat "$work/tcpdump.err")" >&2; exit 1
}

stop_capture() {
    sleep 0.5
    kill -INT "$capture_pid"
    wait "$capture_pid" || true
}

# --- nginx ----------------------------------------------------------------------------------------
mkdir -p "$work/nginx/html" "$work/nginx/logs"
printf 'hello from nginx\n' > "$work/nginx/html/small.txt"
printf '<html><body>sonde fixture</body></html>\n' > "$work/nginx/html/index.html"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$HTTP_PORT;
        listen [::1]:$HTTP_PORT;
        root $work/nginx/html;
        location = /submit { return 201 "created\n"; }
        location = /fail { return 500 "failed\n"; }
    }
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
sleep 0.5
base4="http://127.0.0.1:$HTTP_PORT"
base6="http://[::1]:$HTTP_PORT"

http_traffic() {
    curl -s -o /dev/null -o /dev/null "$base4/index.html" "$base4/small.txt"
    curl -s -o /dev/null --data-binary 'name=sonde' "$base4/submit"
    curl -s -o /dev/null "$base4/missing"
    curl -s -o /dev/null "$base4/fail"
}

# IPv4 over lo (Ethernet link type), microsecond pcap.
capture http_ipv4.pcap -i lo "tcp port $HTTP_PORT"
http_traffic
stop_capture

# The same traffic, nanosecond pcap.
capture http_ipv4_nano.pcap -i lo --time-stamp-precision=nano "tcp port $HTTP_PORT"
http_traffic
stop_capture

# Linux cooked captures from the "any" device: SLL (v1) and SLL2.
capture http_any_sll.pcap -i any -y LINUX_SLL "tcp port $HTTP_PORT"
curl -s -o /dev/null "$base4/small.txt"
stop_capture
capture http_any_sll2.pcap -i any -y LINUX_SLL2 "tcp port $HTTP_PORT"
curl -s -o /dev/null "$base4/small.txt"
stop_capture

# IPv6, nanosecond, then written as pcapng.
capture "$work/http_ipv6.pcap" -i lo --time-stamp-precision=nano "tcp port $HTTP_PORT"
curl -s -o /dev/null -o /dev/null "$base6/small.txt" "$base6/index.html"
stop_capture
editcap -F pcapng "$work/http_ipv6.pcap" http_ipv6.pcapng

# A keep-alive connection with five requests, for the edited-capture tests (drop and reorder).
capture http_keepalive.pcap -i lo "tcp port $HTTP_PORT"
curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
    "$base4/small.txt" "$base4/index.html" "$base4/missing" "$base4/small.txt?n=4" "$base4/index.html?n=5"
stop_capture

# --- redis ----------------------------------------------------------------------------------------
mkdir -p "$work/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" \
    --daemonize no >"$work/redis/log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break; sleep 0.1; done

capture "$work/redis_sll2.pcap" -i any -y LINUX_SLL2 "tcp port $REDIS_PORT"
# --pipe sends the commands on one connection as they are (no COMMAND DOCS first) and ends with its own
# ECHO of a random 20-byte marker.
printf 'SET greeting hello\r\nGET greeting\r\nINCR visits\r\nDEL greeting\r\nGET greeting\r\n' \
    | redis-cli -p "$REDIS_PORT" --pipe >/dev/null
redis-cli -p "$REDIS_PORT" LPUSH queue a b c >/dev/null
stop_capture
cp "$work/redis_sll2.pcap" redis.pcap

# --- MariaDB --------------------------------------------------------------------------------------
mkdir -p "$work/mysql"
mariadb-install-db --no-defaults --user=root --datadir="$work/mysql/data" --auth-root-authentication-method=normal \
    >"$work/mysql/install.log" 2>&1
mariadbd --no-defaults --user=root --datadir="$work/mysql/data" --socket="$work/mysql/sock" \
    --port="$MYSQL_PORT" --bind-address=127.0.0.1 --skip-grant-tables --skip-ssl \
    --pid-file="$work/mysql/pid" >"$work/mysql/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root --skip-ssl -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
done

capture mariadb.pcap -i lo "tcp port $MYSQL_PORT"
mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root --skip-ssl >/dev/null 2>&1 <<'SQL' || true
CREATE DATABASE shop;
CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20));
INSERT INTO shop.items VALUES (1, 'apple'), (2, 'pear');
SELECT name FROM shop.items WHERE id = 2;
SELECT * FROM shop.missing;
SQL
stop_capture

# --- two interfaces in one pcapng ------------------------------------------------------------------
# HTTP over IPv6 on lo (Ethernet, nanoseconds) and redis from "any" (SLL2, microseconds), merged in time.
mergecap -F pcapng -w two_interfaces.pcapng "$work/http_ipv6.pcap" "$work/redis_sll2.pcap"

ls -l *.pcap *.pcapng
