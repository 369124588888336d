#!/usr/bin/env python3
"""Regenerates the HTTP/2 fixtures from real peers: nginx serving h2c, with curl and nghttp as clients,
and a grpcio server and client (grpc_peer.py), each connection recorded by a TCP proxy in between.

Each fixture is one TCP connection seen from the client, written as NAME.chunks (the format is in
../fixture_support.py). Chunk boundaries are the real recv() ones of the proxy.

Usage: python3 make_fixtures.py [FIXTURE...]   (all by default; needs nginx, curl, nghttp, grpcio and
hypercorn; uses ports 16480 and 16481)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fixture_support import RecordingProxy, save_chunks, wait_for_port  # noqa: E402
PORT = 16480
PROXY_PORT = 16481


def save(name, chunks):
    save_chunks(HERE, name, chunks)


def through_proxy(name, command, check=True):
    proxy = RecordingProxy(PROXY_PORT, PORT)
    subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    save(name, proxy.finish())


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
    wait_for_port(PORT, "nginx")
    return nginx


def record_nginx():
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


def record_grpc():
    grpc_server = subprocess.Popen([sys.executable, os.path.join(HERE, "grpc_peer.py"), str(PORT), str(PROXY_PORT)],
                                   stdout=subprocess.DEVNULL)
    proxy = RecordingProxy(PROXY_PORT, PORT)
    grpc_server.wait()
    save("grpc_calls", proxy.finish())


def record_upgrade():
    server = subprocess.Popen([sys.executable, "-m", "hypercorn", "--bind", f"127.0.0.1:{PORT}", "h2c_upgrade_app:app"],
                              cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(PORT, "hypercorn")
        proxy = f"http://127.0.0.1:{PROXY_PORT}"
        # The first request upgrades the connection (stream 1); the second goes out as HTTP/2 (stream 3).
        through_proxy("curl_upgrade", ["curl", "--http2", "-s", "-o", "/dev/null", "-o", "/dev/null",
                                       f"{proxy}/index.txt", f"{proxy}/missing"])
    finally:
        server.terminate()
        server.wait()


RECORDERS = {"nghttp_parallel": record_nginx, "curl_post": record_nginx, "curl_large": record_nginx,
             "grpc_calls": record_grpc, "curl_upgrade": record_upgrade}


def main():
    recorders = [RECORDERS[name] for name in sys.argv[1:]] or list(RECORDERS.values())
    for recorder in dict.fromkeys(recorders):
        recorder()


if __name__ == "__main__":
    main()
