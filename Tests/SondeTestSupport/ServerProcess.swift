import Foundation

/// A server program a test runs on a loopback port of its own, with a fresh scratch directory; when it
/// goes away the program is stopped and the directory removed.
final class ServerProcess: @unchecked Sendable {
    /// The scratch directory, `sonde-NAME-PORT-XXXXXXXX` in the temporary directory.
    let directory: URL
    private let port: Int
    private let process = Process()

    /// Creates the scratch directory of server `name` on `port`; the program starts with `start`.
    init(name: String, port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appending(path: "sonde-\(name)-\(port)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `executable ARGUMENTS` with its output discarded and waits until the port accepts
    /// connections (`what` names the program in the error when it never does).
    func start(_ executable: String, _ arguments: [String], what: String) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try TCPPort.waitUntilAccepting(port: port, what: what)
    }

    /// Stops the program and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
