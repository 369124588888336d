#!/usr/bin/env python3
"""A real gRPC server and client (grpcio, no generated code: raw-bytes generic handlers) in one process.

The server (demo.Greeter) listens on SERVER_PORT; the client dials CLIENT_PORT (the same port, or a
recording proxy in front of it) and makes, on one connection:
  1. SayHello (unary) "world" -> "hello world", status OK
  2. Fail (unary) -> status NOT_FOUND (5), message "no such greeting"
  3. Count (server streaming) "3" -> "1", "2", "3", status OK
  4. Count (server streaming) "50", cancelled by the client after the first message (RST_STREAM CANCEL)
It prints one line per call: METHOD STATUS MESSAGES. With --pause, it waits for a line on stdin after
the first call (so a tracer can start with the connection already open).

Usage: python3 grpc_peer.py SERVER_PORT [CLIENT_PORT] [--pause]
"""
import sys
import threading
import time
from concurrent import futures

import grpc


def say_hello(request, context):
    return b"hello " + request


def fail(request, context):
    context.abort(grpc.StatusCode.NOT_FOUND, "no such greeting")


def count(request, context):
    for number in range(1, int(request) + 1):
        yield str(number).encode()
        if int(request) > 3:
            time.sleep(0.05)


def serve(port):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    handlers = {
        "SayHello": grpc.unary_unary_rpc_method_handler(say_hello),
        "Fail": grpc.unary_unary_rpc_method_handler(fail),
        "Count": grpc.unary_stream_rpc_method_handler(count),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("demo.Greeter", handlers),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    return server


def call(port, pause):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        reply = channel.unary_unary("/demo.Greeter/SayHello")(b"world")
        print("SayHello OK", reply.decode(), flush=True)
        if pause:
            sys.stdin.readline()
        try:
            channel.unary_unary("/demo.Greeter/Fail")(b"x")
        except grpc.RpcError as error:
            print("Fail", error.code().name, error.details())
        replies = list(channel.unary_stream("/demo.Greeter/Count")(b"3"))
        print("Count OK", " ".join(r.decode() for r in replies))
        stream = channel.unary_stream("/demo.Greeter/Count")(b"50")
        first = next(stream)
        stream.cancel()
        print("Count CANCELLED", first.decode())
        time.sleep(0.2)


if __name__ == "__main__":
    pause = "--pause" in sys.argv
    ports = [int(argument) for argument in sys.argv[1:] if argument != "--pause"]
    server = serve(ports[0])
    try:
        call(ports[-1], pause)
    finally:
        server.stop(0.5).wait()
