#!/usr/bin/env python3
"""Regenerates the HTTP/2 fixtures from real peers: nginx serving h2c, with curl and nghttp as clients,
and a grpcio server and client (grpc_peer.py), each connection recorded by a TCP proxy in between.

Each fixture is one TCP connection seen from the client, written as NAME.chunks: the chunks in the
order they were seen, each a header line `C <length>` (the client sent) or `S <length>` (the server
sent), then exactly that many bytes, then a newline. Chunk boundaries are the real recv() ones of the proxy.

Usage: python3 make_fixtures.py   (needs nginx, curl, nghttp and grpcio; uses ports 16480 and 16481)
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
PORT = 16480
PROXY_PORT = 16481


def wait_for_port(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing accepts on port {port}")


def save(name, chunks):
    with open(os.path.join(HERE, name + ".chunks"), "wb") as f:
        for side, data in chunks:
            f.write(b"%s %d\n" % (side, len(data)) + data + b"\n")
    sent = sum(len(d) for s, d in chunks if s == b"C")
    received = sum(len(d) for s, d in chunks if s == b"S")
    print(f"{name}: {len(chunks)} chunks, {sent} client bytes, {received} server bytes")


class RecordingProxy:
    """A TCP proxy in front of PORT that records the real chunks of one connection."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", PROXY_PORT))
        self.chunks = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_one)
        self.thread.start()

    def serve_one(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", PORT))
        pumps = [threading.Thread(target=self.pump, args=(client, server, b"C")),
                 threading.Thread(target=self.pump, args=(server, client, b"S"))]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        client.close()
        server.close()
        self.listener.close()

    def pump(self, source, destination, side):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            with self.lock:
                if data:
                    self.chunks.append((side, data))
            if not data:
                try:
                    destination.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            try:
                destination.sendall(data)
            except OSError:
                pass


def through_proxy(name, command, check=True):
    proxy = RecordingProxy()
    subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy.thread.join()
    save(name, proxy.chunks)


NGINX_CONF = """
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    types {{ text/html html; text/plain txt; application/octet-stream bin; }}
    server {{
        listen 127.0.0.1:{port} http2;
        root {dir}/html;
        location = /submit {{ return 201 "created\\n"; }}
    }}
}}
"""


def start_nginx(directory):
    html = os.path.join(directory, "html")
    os.makedirs(html)
    os.makedirs(os.path.join(directory, "body"))
    with open(os.path.join(html, "index.html"), "w") as f:
        f.write("<h1>sonde test page</h1>\n\n")
    with open(os.path.join(html, "small.txt"), "w") as f:
        f.write("small file\n\n")
    with open(os.path.join(html, "big.bin"), "wb") as f:
        f.write(bytes((i * 31 + 7) & 0xFF for i in range(70_000)))
    with open(os.path.join(directory, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(dir=directory, port=PORT))
    nginx = subprocess.Popen(["nginx", "-c", os.path.join(directory, "nginx.conf"), "-p", directory],
                             stderr=subprocess.DEVNULL)
    wait_for_port(PORT)
    return nginx


def main():
    directory = tempfile.mkdtemp(prefix="sonde-h2-fixtures-")
    nginx = start_nginx(directory)
    proxy = f"http://127.0.0.1:{PROXY_PORT}"
    try:
        through_proxy("nghttp_parallel", ["nghttp", "-n", f"{proxy}/index.html", f"{proxy}/small.txt",
                                          f"{proxy}/big.bin", f"{proxy}/missing"])
        through_proxy("curl_post", ["curl", "--http2-prior-knowledge", "-s", "-o", "/dev/null",
                                    "--data-binary", "0123456789" * 500, f"{proxy}/submit"])
        through_proxy("curl_large", ["curl", "--http2-prior-knowledge", "-s", "-o", "/dev/null", f"{proxy}/big.bin"])
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(directory)

    grpc_server = subprocess.Popen([sys.executable, os.path.join(HERE, "grpc_peer.py"), str(PORT), str(PROXY_PORT)],
                                   stdout=subprocess.DEVNULL)
    proxy = RecordingProxy()
    grpc_server.wait()
    proxy.thread.join()
    save("grpc_calls", proxy.chunks)


if __name__ == "__main__":
    main()
