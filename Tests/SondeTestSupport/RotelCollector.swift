import Foundation
import SondeModel


/// A real OTLP/HTTP collector for tests: `rotel-agent` (PyPI package `rotel`) on a loopback port,
/// printing every span it receives, which `receivedSpans()` reads back.
///
/// Each `start()` writes to a fresh output file, so a collector can be stopped and started again on the
/// same port and still report everything it received.
public final class RotelCollector: @unchecked Sendable {
    /// The loopback port the OTLP/HTTP receiver listens on.
    public let port: Int
    /// The URL to export traces to.
    public var tracesEndpoint: String { "http://127.0.0.1:\(port)/v1/traces" }

    private let lock = NSLock()
    private let directory: URL
    private var process: Process?
    private var outputFiles: [URL] = []

    /// A collector for `port`; nothing runs until `start()`.
    public init(port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sonde-rotel-\(port)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A collector on a free loopback port, already accepting connections.
    public static func started() throws -> RotelCollector {
        let collector = try RotelCollector(port: try TCPPort.freeLoopbackPort())
        try collector.start()
        return collector
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The `rotel-agent` binary: `$ROTEL_AGENT`, else the one inside the `rotel` Python package.
    public static func executablePath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["ROTEL_AGENT"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw TestSupportError("ROTEL_AGENT is '\(path)', which is not an executable file.")
            }
            return path
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import rotel, os; print(os.path.dirname(rotel.__file__))"]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = FileHandle.nullDevice
        do {
            try python.run()
        } catch {
            throw notInstalled("python3 could not be run (\(error))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        let packageDirectory = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let path = packageDirectory + "/rotel-agent"
        guard python.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw notInstalled("python3 cannot import the rotel package")
        }
        return path
    }

    private static func notInstalled(_ reason: String) -> TestSupportError {
        TestSupportError("The OTLP collector rotel-agent is required but was not found: \(reason). "
                            + "Install it with `pip install rotel` (or set ROTEL_AGENT to the binary).")
    }

    /// Starts `rotel-agent` and waits until its OTLP/HTTP port accepts connections.
    public func start(timeout: Duration = .seconds(15)) throws {
        let executable = try Self.executablePath()
        let outputFile = directory.appendingPathComponent("output-\(outputFiles.count).txt")
        let errorFile = directory.appendingPathComponent("stderr-\(outputFiles.count).txt")
        for file in [outputFile, errorFile] {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw TestSupportError("Cannot create \(file.path).")
            }
        }

        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: executable)
        agent.arguments = [
            "start",
            "--otlp-http-endpoint", "127.0.0.1:\(port)",
            "--otlp-grpc-endpoint", "127.0.0.1:0",  // any free port: collectors running side by side never clash
            "--exporter", "blackhole",
            "--debug-log", "traces", "--debug-log-verbosity", "detailed",
            "--log-format", "json",
            "--pid-file", directory.appendingPathComponent("rotel.pid").path,
            "--log-file", directory.appendingPathComponent("rotel.log").path,
        ]
        agent.standardOutput = try FileHandle(forWritingTo: outputFile)
        agent.standardError = try FileHandle(forWritingTo: errorFile)
        agent.standardInput = FileHandle.nullDevice
        try agent.run()
        lock.withLock {
            process = agent
            outputFiles.append(outputFile)
        }

        let deadline = ContinuousClock.now + timeout
        while !TCPPort.acceptsConnections(port: port) {
            guard agent.isRunning else {
                agent.waitUntilExit()
                let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
                let stdout = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
                throw TestSupportError("rotel-agent on port \(port) exited with status "
                                          + "\(agent.terminationStatus) before listening: \(stderr)\(stdout)")
            }
            guard ContinuousClock.now < deadline else {
                stop()
                throw TestSupportError("rotel-agent did not accept connections on 127.0.0.1:\(port) "
                                          + "within \(timeout).")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Stops the collector (SIGTERM, then waits for it to exit). Received spans stay readable.
    public func stop() {
        let running = lock.withLock {
            defer { process = nil }
            return process
        }
        guard let running, running.isRunning else { return }
        running.terminate()
        running.waitUntilExit()
    }

    /// Everything the collector printed to stdout so far, across all its runs.
    public func output() -> String {
        let files = lock.withLock { outputFiles }
        return files.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined()
    }

    /// Every span received so far, in arrival order.
    public func receivedSpans() -> [CollectedSpan] {
        let files = lock.withLock { outputFiles }
        return files.flatMap { RotelDebugOutputParser.parse((try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
    }

    /// Waits until at least `count` spans have arrived and the collector's output has stopped growing
    /// (so no span is read half-written), and returns all of them; throws, with the collector's output,
    /// if they have not arrived by the deadline.
    @discardableResult
    public func waitForSpans(count: Int, timeout: Duration = .seconds(20)) throws -> [CollectedSpan] {
        let deadline = ContinuousClock.now + timeout
        var previousOutput = ""
        while true {
            let current = output()
            let spans = RotelDebugOutputParser.parse(current)
            if spans.count >= count && current == previousOutput { return spans }
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("The collector on port \(port) received \(spans.count) of \(count) "
                                       + "spans within \(timeout). Its output:\n\(current)")
            }
            previousOutput = current
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Log lines in which the collector refused a request (e.g. "Failed to decode OTLP HTTP/JSON request").
    public func refusals() -> [String] {
        output().split(separator: "\n").filter { $0.contains("\"level\":50") || $0.contains("\"level\":40") }
            .map(String.init)
    }
}
