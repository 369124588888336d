#!/usr/bin/env python3
"""Regenerates the Redis fixtures from a real redis-server (and redis-cli through a recording proxy).

Each fixture is one TCP connection seen from the client, written as NAME.chunks (the format is in
../chunk_recording.py). Chunk boundaries are the real send()/recv() ones.

Usage: python3 make_fixtures.py   (needs redis-server and redis-cli; uses ports 16390 and 16391)
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from chunk_recording import RecordingProxy, save_chunks, wait_for_port  # noqa: E402
PORT = 16390
PROXY_PORT = 16391


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
    save_chunks(HERE, name, chunks)


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


def through_proxy(name, arguments, stdin=None):
    proxy = RecordingProxy(PROXY_PORT, PORT)
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
