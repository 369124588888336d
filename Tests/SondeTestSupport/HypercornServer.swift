import Foundation

/// A real hypercorn (PyPI) on a loopback port serving Tests/Fixtures/http2/h2c_upgrade_app.py: the one
/// server here that follows an HTTP/1.1 `Upgrade: h2c` (nginx and nghttpd do not).
public final class HypercornServer: @unchecked Sendable {
    public let port: Int
    private let server: ServerProcess

    static let application = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/http2/h2c_upgrade_app.py").path

    public init(port: Int) throws {
        self.port = port
        server = try ServerProcess(name: "hypercorn", port: port)
        try server.start("/usr/bin/env", ["python3", "-m", "hypercorn", "--bind", "127.0.0.1:\(port)",
                                          "\(Self.application):app"],
                         what: "hypercorn")
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops hypercorn and waits for it.
    public func stop() { server.stop() }
}
