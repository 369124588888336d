"""What the fixture scripts (Tests/Fixtures/PROTOCOL/make_fixtures.py) share: waiting for a server,
reading a socket until it falls idle, stopping a server, a recording TCP proxy, and writing NAME.chunks files.

A NAME.chunks file holds the chunks of one TCP connection in the order they were seen, each a header
line `C <length>` (the client sent) or `S <length>` (the server sent), then exactly that many bytes,
then a newline.
"""
import contextlib
import os
import shutil
import socket
import threading
import time


def wait_for_port(port, what, attempts=100):
    """Waits until 127.0.0.1:`port` accepts a connection; fails naming `what` after `attempts` tries."""
    for _ in range(attempts):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def read_until_idle(sock, idle):
    """The chunks `sock` receives until nothing arrives for `idle` seconds or the peer closes."""
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


def save_chunks(directory, name, chunks):
    """Writes `chunks` (pairs of b"C" or b"S" and bytes) as `directory`/`name`.chunks."""
    with open(os.path.join(directory, name + ".chunks"), "wb") as f:
        for side, data in chunks:
            f.write(b"%s %d\n" % (side, len(data)) + data + b"\n")
    sent = sum(len(d) for s, d in chunks if s == b"C")
    received = sum(len(d) for s, d in chunks if s == b"S")
    print(f"{name}: {len(chunks)} chunks, {sent} client bytes, {received} server bytes")


class RecordingProxy:
    """A TCP proxy from 127.0.0.1:`proxy_port` to 127.0.0.1:`server_port` that records the real chunks
    of one connection, as pairs of b"C" (the client sent) or b"S" (the server sent) and bytes."""

    def __init__(self, proxy_port, server_port):
        self.server_port = server_port
        self.listener = socket.create_server(("127.0.0.1", proxy_port))
        self.chunks = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_one)
        self.thread.start()

    def serve_one(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.server_port))
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
            destination.sendall(data)

    def finish(self):
        """Waits for the connection to end; returns its chunks."""
        self.thread.join()
        return self.chunks


@contextlib.contextmanager
def stopped_after(server, directory):
    """Runs the block, then stops the `server` process and removes its scratch `directory`."""
    try:
        yield
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(directory, ignore_errors=True)
