"""Shared by the fixture scripts (Tests/Fixtures/*/make_fixtures.py): waiting for a server, a TCP proxy
that records the real chunks of one connection, and the `.chunks` file format.

A `.chunks` file holds one TCP connection seen from the client: the chunks in the order they were seen,
each a header line `C <length>` (the client sent) or `S <length>` (the server sent), then exactly that
many bytes, then a newline.
"""
import os
import socket
import threading
import time


def wait_for_port(port):
    """Returns once something accepts connections on 127.0.0.1:port (up to 10 seconds)."""
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing accepts connections on port {port}")


def save_chunks(directory, name, chunks):
    """Writes `chunks` ((b"C" or b"S", bytes) pairs) as directory/NAME.chunks and prints a summary."""
    with open(os.path.join(directory, name + ".chunks"), "wb") as f:
        for side, data in chunks:
            f.write(b"%s %d\n" % (side, len(data)) + data + b"\n")
    sent = sum(len(d) for s, d in chunks if s == b"C")
    received = sum(len(d) for s, d in chunks if s == b"S")
    print(f"{name}: {len(chunks)} chunks, {sent} client bytes, {received} server bytes")


class RecordingProxy:
    """A TCP proxy from 127.0.0.1:listen_port to 127.0.0.1:target_port that records the real chunks
    (recv() boundaries) of one connection in `chunks`; `thread` ends when both sides have closed."""

    def __init__(self, listen_port, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", listen_port))
        self.chunks = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_one)
        self.thread.start()

    def serve_one(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.target_port))
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
