#!/usr/bin/env python3
"""Regenerates the Redis fixtures from a real redis-server (and redis-cli through a recording proxy).

Each fixture is one TCP connection seen from the client, written as NAME.chunks: the chunks in the
order they were seen, each a header line `C <length>` (the client sent) or `S <length>` (the server
sent), then exactly that many bytes, then a newline. Chunk boundaries are the real send()/recv() ones.

Usage: python3 make_fixtures.py   (needs redis-server and redis-cli; uses ports 16390 and 16391)
"""
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 16390
PROXY_PORT = 16391


def wait_for_port(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def command(*words):
    """One command as redis-cli and every client library send it: an array of bulk strings."""
    out = b"*%d\r\n" % len(words)
    for word in words:
        word = word if isinstance(word, bytes) else word.encode()
        out += b"$%d\r\n%s\r\n" % (len(word), word)
    return out


def read_until_idle(sock, idle=0.25):
    sock.settimeout(idle)
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return chunks
        if not chunk:
            return chunks
        chunks.append(chunk)


def save(name, chunks):
    with open(os.path.join(HERE, name + ".chunks"), "wb") as f:
        for side, data in chunks:
            f.write(b"%s %d\n" % (side, len(data)) + data + b"\n")
    sent = sum(len(d) for s, d in chunks if s == b"C")
    received = sum(len(d) for s, d in chunks if s == b"S")
    print(f"{name}: {len(chunks)} chunks, {sent} client bytes, {received} server bytes")


def raw_exchange(name, sends, port=PORT):
    """Sends each element of `sends` on one connection (a list element is sent byte-group by
    byte-group), reading what arrives after each; saves every chunk both ways."""
    sock = socket.create_connection(("127.0.0.1", port))
    chunks = []
    for payload in sends:
        if callable(payload):
            payload(sock, chunks)
            continue
        sock.sendall(payload)
        chunks.append((b"C", payload))
        chunks += [(b"S", c) for c in read_until_idle(sock)]
    sock.close()
    save(name, chunks)


class RecordingProxy:
    """A TCP proxy between redis-cli and redis-server that records the real chunks of one connection."""

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
            data = source.recv(65536)
            with self.lock:
                if data:
                    self.chunks.append((side, data))
            if not data:
                try:
                    destination.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            destination.sendall(data)


def through_proxy(name, arguments, stdin=None):
    proxy = RecordingProxy()
    subprocess.run(["redis-cli", "-p", str(PROXY_PORT)] + arguments, input=stdin, check=True,
                   stdout=subprocess.DEVNULL)
    proxy.thread.join()
    save(name, proxy.chunks)


def blpop_then_push(sock, chunks):
    """BLPOP on an empty list; another connection pushes 0.3 s later."""
    request = command("BLPOP", "queue", "5")
    sock.sendall(request)
    chunks.append((b"C", request))
    time.sleep(0.3)
    other = socket.create_connection(("127.0.0.1", PORT))
    other.sendall(command("RPUSH", "queue", "job-1"))
    other.recv(100)
    other.close()
    chunks += [(b"S", c) for c in read_until_idle(sock)]


def publish(*messages):
    def run(sock, chunks):
        other = socket.create_connection(("127.0.0.1", PORT))
        for channel, payload in messages:
            other.sendall(command("PUBLISH", channel, payload))
            other.recv(100)
        other.close()
        chunks.extend((b"S", c) for c in read_until_idle(sock))
    return run


def main():
    directory = tempfile.mkdtemp(prefix="sonde-redis-fixtures-")
    server = subprocess.Popen(["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", directory, "--enable-debug-command", "yes"],
                              stdout=subprocess.DEVNULL)
    try:
        wait_for_port(PORT)
        raw_exchange("strings", [
            command("SET", "greeting", "hello world"), command("GET", "greeting"), command("GET", "missing"),
            command("INCR", "counter"), command("MSET", "a", "1", "b", "2"), command("MGET", "a", "b", "missing"),
            command("DEL", "a", "b", "counter"),
        ])
        raw_exchange("hashes_lists", [
            command("HSET", "user:1", "name", "ada", "lang", "swift"), command("HGET", "user:1", "name"),
            command("HGETALL", "user:1"), command("LPUSH", "list", "c", "b", "a"),
            command("LRANGE", "list", "0", "-1"), command("DEL", "user:1", "list"),
        ])
        raw_exchange("errors", [
            command("SET", "text", "x"), command("LPUSH", "text", "y"), command("NOSUCHCOMMAND", "arg"),
            command("GET"), command("DEL", "text"),
        ])
        raw_exchange("pipeline", [
            b"".join(command("SET", "k%d" % i, "v%d" % i) for i in range(8))
            + b"".join(command("GET", "k%d" % i) for i in range(8)),
        ])
        raw_exchange("inline", [b"PING\r\n", b"SET inline 42\r\n", b"get inline\r\n", b"\r\n", b"DEL inline\r\n"])
        value = bytes((i * 7 + i // 251) % 256 for i in range(100000))
        raw_exchange("large_value", [
            command("SET", "big", value), command("STRLEN", "big"), command("GET", "big"), command("DEL", "big"),
        ])
        raw_exchange("resp3", [
            command("HELLO", "3"), command("DEBUG", "PROTOCOL", "map"), command("DEBUG", "PROTOCOL", "set"),
            command("DEBUG", "PROTOCOL", "double"), command("DEBUG", "PROTOCOL", "true"),
            command("DEBUG", "PROTOCOL", "false"), command("DEBUG", "PROTOCOL", "bignum"),
            command("DEBUG", "PROTOCOL", "verbatim"), command("DEBUG", "PROTOCOL", "null"),
            command("DEBUG", "PROTOCOL", "attrib"), command("DEBUG", "PROTOCOL", "push"),
            command("GET", "missing"), command("HGETALL", "missing"), command("PING"),
        ])
        raw_exchange("pubsub_resp2", [
            command("SUBSCRIBE", "news", "weather"), command("PSUBSCRIBE", "sport.*"),
            publish(("news", "extra"), ("sport.tennis", "ace"), ("weather", "rain")),
            command("PING"), command("UNSUBSCRIBE"), command("PUNSUBSCRIBE", "sport.*"), command("GET", "x"),
        ])
        raw_exchange("pubsub_resp3", [
            command("HELLO", "3"), command("SUBSCRIBE", "news"),
            publish(("news", "first"), ("news", "second")),
            command("SET", "x", "1"), command("UNSUBSCRIBE", "news"), command("GET", "x"), command("DEL", "x"),
        ])
        raw_exchange("multi_exec", [
            command("MULTI"), command("SET", "t", "1"), command("INCR", "t"), command("LPUSH", "t", "x"),
            command("EXEC"), command("DEL", "t"),
        ])
        raw_exchange("blpop", [blpop_then_push])
        raw_exchange("client_reply", [
            command("CLIENT", "REPLY", "OFF"), command("SET", "quiet", "1"), command("INCR", "quiet"),
            command("CLIENT", "REPLY", "ON"), command("CLIENT", "REPLY", "SKIP"), command("GET", "quiet"),
            command("GET", "quiet"), command("DEL", "quiet"),
        ])
        raw_exchange("select", [
            command("SELECT", "3"), command("SET", "in3", "yes"), command("SELECT", "99"), command("GET", "in3"),
            command("CONFIG", "GET", "maxmemory"), command("SELECT", "0"), command("EXISTS", "in3"),
        ])
        through_proxy("cli_commands", ["-n", "2"], stdin=b"SET name sonde\nHSET h f v\nHGETALL h\nDEL name h\n")
        through_proxy("cli_pipe", ["--pipe"], stdin=b"".join(command("SET", "p%d" % i, "x") for i in range(20)))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
