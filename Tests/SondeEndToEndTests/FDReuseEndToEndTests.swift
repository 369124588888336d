import Foundation
import SondeTestSupport
import XCTest

/// A connection ends where its fd stops naming it, with or without a close(): Sonde keeps what it knows of
/// an fd until then and does not look the fd up again on every call. A real Python client puts a UNIX
/// socket in place of its traced TCP connections (by dup2, after close_range, across an exec) and sends
/// HTTP-looking bytes over it; none of that may become a span of the old connection.
final class FDReuseEndToEndTests: XCTestCase {
    /// Shared by both programs: `GET /small.txt?step=STEP` on a connection (printing `STEP STATUS`), and a
    /// fake exchange on a UNIX socket put at an fd, which would make a span if taken for the connection the
    /// fd named before.
    static let helpers = """
        import ctypes, fcntl, os, socket, sys

        def connection(port):
            return socket.create_connection(("127.0.0.1", port))

        def get(connection, step):
            connection.sendall(f"GET /small.txt?step={step} HTTP/1.1\\r\\nHost: sonde\\r\\n\\r\\n".encode())
            response = b""
            while b"\\r\\n\\r\\n" not in response:
                response += connection.recv(4096)
            head, body = response.split(b"\\r\\n\\r\\n", 1)
            length = next(int(line.split(b":")[1]) for line in head.split(b"\\r\\n")
                          if line.lower().startswith(b"content-length:"))
            while len(body) < length:
                body += connection.recv(4096)
            print(step, head.split(b" ")[1].decode(), flush=True)

        def fake_exchange_at(fd, step, by_dup2=False):
            ours, peer = socket.socketpair()
            if peer.fileno() == fd:
                ours, peer = peer, ours
            if by_dup2:
                os.dup2(ours.fileno(), fd)
            elif ours.fileno() != fd:
                assert fcntl.fcntl(ours.fileno(), fcntl.F_DUPFD, fd) == fd
            os.write(fd, f"GET /fake?step={step} HTTP/1.1\\r\\nHost: sonde\\r\\n\\r\\n".encode())
            peer.recv(4096)
            peer.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n")
            os.read(fd, 4096)

        """

    /// Arguments: the port, and the program to exec (``afterExec``).
    static let beforeExec = helpers + """
        port = int(sys.argv[1])
        # dup2 puts another file in place of a connection.
        first = connection(port)
        get(first, "dup2")
        fake_exchange_at(first.fileno(), "dup2", by_dup2=True)
        # close_range closes a connection; its number then goes to another file.
        second = connection(port)
        get(second, "close_range")
        fd = second.detach()
        if ctypes.CDLL(None, use_errno=True).close_range(fd, fd, 0) != 0:
            raise OSError(ctypes.get_errno(), "close_range")
        fake_exchange_at(fd, "close_range")
        # exec closes a close-on-exec connection, moved to fd 100, which the new program's start-up (opening
        # and closing files of its own at the lowest free numbers) leaves alone. An inheritable one stays
        # open across the exec, the same connection.
        moved = connection(port)
        closed = socket.socket(fileno=fcntl.fcntl(moved.fileno(), fcntl.F_DUPFD_CLOEXEC, 100))
        moved.close()
        kept = connection(port)
        get(closed, "exec")
        get(kept, "kept")
        kept.set_inheritable(True)
        os.execv(sys.executable, [sys.executable, "-c", sys.argv[2], str(port), str(closed.fileno()), str(kept.fileno())])
        """

    /// Arguments: the port, the fd of the connection the exec closed and that of the one it kept.
    static let afterExec = helpers + """
        port, closed_fd, kept_fd = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        fake_exchange_at(closed_fd, "exec")
        get(socket.socket(fileno=kept_fd), "kept-after-exec")
        get(connection(port), "after-exec")
        """

    func testAnFdGivenToAnotherFileWithoutACloseNeverCarriesItsOldConnection() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--exe", "python3", "--port", "\(port)"])
        let steps = try Python.run(Self.beforeExec, arguments: ["\(port)", Self.afterExec])
        let stepNames = ["dup2", "close_range", "exec", "kept", "kept-after-exec", "after-exec"]
        XCTAssertEqual(steps, stepNames.map { "\($0) 200\n" }.joined())
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let urls = try HTTP1EndToEndTests.printedSpans(sonde.standardOutput).map { span in
            (span["attributes"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "url.full" }
                .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? "-"
        }
        XCTAssertEqual(urls.sorted(), stepNames.map { "http://sonde/small.txt?step=\($0)" }.sorted(), sonde.standardOutput)
    }
}
