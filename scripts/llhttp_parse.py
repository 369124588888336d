#!/usr/bin/python3
"""The reference side of `sonde-bench pipeline`: parses HTTP/1 connections with llhttp (Node.js's C parser)
through httptools, timing only the parse loop.

    llhttp_parse.py ROUNDS MEASUREMENTS FILE.chunks...

Each FILE holds one connection in the fixtures' .chunks format (`C <length>` or `S <length>`, the bytes, a
newline). Every round parses every connection with a fresh request parser (client chunks) and response
parser (server chunks), each chunk one `feed_data` call, as Sonde receives them. Two ways, each measured
MEASUREMENTS times: `bare` (llhttp's callbacks reach Python only at message completion: the C parser's own
speed) and `fields` (method, target, header names and values, and status reach Python, which keeps them:
about what Sonde extracts). Prints one JSON object: per way the median seconds, bytes and messages
completed per measurement.
"""
import json
import statistics
import sys
import time

import httptools


def read_chunks(path):
    data = open(path, "rb").read()
    chunks, index = [], 0
    while index < len(data):
        line_end = data.index(b"\n", index)
        side, length = data[index:line_end].split(b" ")
        start = line_end + 1
        chunks.append((side == b"C", data[start:start + int(length)]))
        index = start + int(length) + 1
    return chunks


class Bare:
    """Counts completed messages only."""

    def __init__(self):
        self.messages = 0

    def on_message_complete(self):
        self.messages += 1


class Fields(Bare):
    """Keeps what a span needs of each message, as Sonde's exchange does."""

    def __init__(self):
        super().__init__()
        self.urls, self.headers = [], []

    def on_url(self, url):
        self.urls.append(url)

    def on_header(self, name, value):
        self.headers.append((name, value))

    def on_status(self, status):
        self.urls.append(status)


def parse_all(connections, rounds, protocol_type):
    """Parses every connection `rounds` times; returns (seconds, messages)."""
    messages = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for chunks in connections:
            protocol = protocol_type()
            request = httptools.HttpRequestParser(protocol)
            response = httptools.HttpResponseParser(protocol)
            for from_client, data in chunks:
                (request if from_client else response).feed_data(data)
            messages += protocol.messages
    return time.perf_counter() - start, messages


def main():
    rounds, measurements = int(sys.argv[1]), int(sys.argv[2])
    connections = [read_chunks(path) for path in sys.argv[3:]]
    byte_count = rounds * sum(len(data) for chunks in connections for _, data in chunks)
    result = {"httptools": httptools.__version__}
    for name, protocol_type in (("bare", Bare), ("fields", Fields)):
        parse_all(connections, max(1, rounds // 10), protocol_type)  # warm-up
        runs = [parse_all(connections, rounds, protocol_type) for _ in range(measurements)]
        result[name] = {"seconds": statistics.median(seconds for seconds, _ in runs),
                        "bytes": byte_count, "messages": runs[0][1]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
