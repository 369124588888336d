#!/usr/bin/env python3
"""Regenerates the HTTP/1.x fixtures from a real nginx (and curl through a recording proxy).

Each fixture is one TCP connection seen from the client: NAME.request.bin holds every byte the
client sent, NAME.response.bin every byte it received, each concatenated in order.

Usage: python3 make_fixtures.py   (needs /usr/sbin/nginx and curl; uses ports 18080 and 18081)
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from chunk_recording import wait_for_port  # noqa: E402
PORT = 18080
PROXY_PORT = 18081
NGINX = "/usr/sbin/nginx"

CONFIG = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    types {{ text/plain txt; text/html html; application/octet-stream bin; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server_tokens off;
    gzip on;
    gzip_types text/plain;
    gzip_http_version 1.0;
    gzip_min_length 20;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        location = /submit {{ return 200 "ok\\n"; }}
        location = /empty {{ return 204; }}
        location /upload/ {{ dav_methods PUT; create_full_put_path on; }}
    }}
}}
"""


def make_site(root):
    os.makedirs(os.path.join(root, "upload"))
    with open(os.path.join(root, "small.txt"), "wb") as f:
        f.write(b"hello from nginx\n")
    with open(os.path.join(root, "index.html"), "wb") as f:
        f.write(b"<html><body>sonde fixture</body></html>\n")
    with open(os.path.join(root, "text.txt"), "wb") as f:
        f.write(b"".join(b"line %04d of a compressible text file\n" % i for i in range(200)))
    with open(os.path.join(root, "large.bin"), "wb") as f:
        f.write(bytes((i * 7 + i // 251) % 256 for i in range(70000)))


def read_until_idle(sock, idle=0.3):
    sock.settimeout(idle)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return data
        if not chunk:
            return data
        data += chunk


def raw_exchange(name, sends):
    """Sends each element of `sends` on one connection, reading what arrives after each; saves both ways."""
    sock = socket.create_connection(("127.0.0.1", PORT))
    sent = b""
    received = b""
    for payload in sends:
        if callable(payload):
            payload = payload(received)
        sock.sendall(payload)
        sent += payload
        received += read_until_idle(sock)
    sock.close()
    save(name, sent, received)


def save(name, sent, received):
    with open(os.path.join(HERE, name + ".request.bin"), "wb") as f:
        f.write(sent)
    with open(os.path.join(HERE, name + ".response.bin"), "wb") as f:
        f.write(received)
    print(f"{name}: {len(sent)} request bytes, {len(received)} response bytes")


class RecordingProxy:
    """A TCP proxy between curl and nginx that records the real bytes of one connection."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", PROXY_PORT))
        self.sent = b""
        self.received = b""
        self.thread = threading.Thread(target=self.serve_one)
        self.thread.start()

    def serve_one(self):
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", PORT))

        def pump(source, sink, record):
            while True:
                data = source.recv(65536)
                if not data:
                    break
                record(data)
                sink.sendall(data)
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        def to_server(data):
            self.sent += data

        def to_client(data):
            self.received += data

        upward = threading.Thread(target=pump, args=(client, upstream, to_server))
        upward.start()
        pump(upstream, client, to_client)
        upward.join()
        client.close()
        upstream.close()
        self.listener.close()

    def finish(self):
        self.thread.join()
        return self.sent, self.received


def curl_through_proxy(name, args):
    proxy = RecordingProxy()
    subprocess.run(["curl", "-s", "-o", "/dev/null"] + args, check=True)
    sent, received = proxy.finish()
    save(name, sent, received)


def request(method, target, headers=(), body=b"", version="HTTP/1.1"):
    lines = [f"{method} {target} {version}", f"Host: 127.0.0.1:{PORT}", "User-Agent: sonde-fixtures"]
    lines += list(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def conditional_get(received):
    etag = next(line.split(b": ", 1)[1] for line in received.split(b"\r\n") if line.lower().startswith(b"etag:"))
    return request("GET", "/small.txt", [f"If-None-Match: {etag.decode()}", "Connection: close"])


def main():
    prefix = tempfile.mkdtemp(prefix="sonde-nginx-")
    os.chmod(prefix, 0o755)  # nginx workers run as an unprivileged user when started by root
    make_site(os.path.join(prefix, "www"))
    os.chmod(os.path.join(prefix, "www", "upload"), 0o777)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(CONFIG.format(prefix=prefix, port=PORT))
    nginx = subprocess.Popen([NGINX, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf")])
    try:
        wait_for_port(PORT)
        close = ["Connection: close"]
        raw_exchange("get_keepalive", [
            request("GET", "/small.txt"),
            request("GET", "/index.html"),
            request("GET", "/small.txt?again=1", close),
        ])
        raw_exchange("post_body", [
            request("POST", "/submit", ["Content-Type: application/x-www-form-urlencoded",
                                        "Content-Length: 11"], b"hello=world"),
            request("POST", "/small.txt", ["Content-Length: 5"] + close, b"abcde"),
        ])
        raw_exchange("not_found", [request("GET", "/missing", close)])
        raw_exchange("head", [request("HEAD", "/small.txt"), request("HEAD", "/large.bin", close)])
        raw_exchange("chunked_gzip", [request("GET", "/text.txt", ["Accept-Encoding: gzip"] + close)])
        raw_exchange("large_70k", [request("GET", "/large.bin", close)])
        raw_exchange("pipelined", [
            request("GET", "/small.txt") + request("HEAD", "/small.txt") +
            request("GET", "/text.txt", ["Accept-Encoding: gzip"]) + request("GET", "/missing", close),
        ])
        raw_exchange("http10", [request("GET", "/text.txt", ["Accept-Encoding: gzip"], version="HTTP/1.0")])
        raw_exchange("not_modified", [request("GET", "/small.txt"), conditional_get])
        raw_exchange("no_content", [request("GET", "/empty", close)])
        upload = os.path.join(prefix, "upload.txt")
        with open(upload, "wb") as f:
            f.write(b"".join(b"upload line %04d\n" % i for i in range(128)))
        curl_through_proxy("expect_100", [
            "-H", "Expect: 100-continue", "-T", upload,
            f"http://127.0.0.1:{PROXY_PORT}/upload/expect.txt"])
        curl_through_proxy("chunked_put", [
            "-H", "Transfer-Encoding: chunked", "-T", upload,
            f"http://127.0.0.1:{PROXY_PORT}/upload/expect.txt"])
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    main()
