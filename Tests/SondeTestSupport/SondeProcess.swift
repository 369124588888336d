import Foundation

/// The `sonde` binary built beside the tests, run as a child process the way a user runs it.
public final class SondeProcess: @unchecked Sendable {
    private let process = Process()
    private let output = CapturedOutput()
    private let errors = CapturedOutput()

    /// The `sonde` executable in the build directory of the running test binary.
    public static var executableURL: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appending(path: "sonde")
    }

    /// Starts `sonde ARGUMENTS` with `environment` added to this process's and, when `waitForTracing`, waits
    /// until it says on stderr that it is tracing.
    public init(arguments: [String], environment: [String: String] = [:], waitForTracing: Bool = true,
                timeout: Duration = .seconds(30)) throws {
        process.executableURL = Self.executableURL
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output.pipe
        process.standardError = errors.pipe
        try process.run()
        guard waitForTracing else { return }
        let deadline = ContinuousClock.now + timeout
        while !errors.text.contains("sonde: tracing") {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                throw TestSupportError("sonde did not start tracing: \(errors.text)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Sends SIGTERM (sonde flushes and exits), waits, and returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        output.finish()
        errors.finish()
        return process.terminationStatus
    }

    /// Kills sonde with SIGKILL (no flush, no summary), as a crash would, and waits for it.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        output.finish()
        errors.finish()
    }

    /// Waits for a run that ends by itself (`--duration`, a usage error) and returns the exit status.
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        output.finish()
        errors.finish()
        return process.terminationStatus
    }

    /// The process id of the running `sonde`.
    public var processIdentifier: Int32 { process.processIdentifier }

    public var standardOutput: String { output.text }
    public var standardError: String { errors.text }
}

/// Collects what a child process writes to one pipe, as it writes it.
final class CapturedOutput: @unchecked Sendable {
    let pipe = Pipe()
    private let lock = NSLock()
    private var data = Data()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self, !chunk.isEmpty else { return }
            self.lock.withLock { self.data.append(chunk) }
        }
    }

    /// Reads what is left after the writer exited.
    func finish() {
        pipe.fileHandleForReading.readabilityHandler = nil
        let rest = (try? pipe.fileHandleForReading.readToEnd()) ?? nil
        if let rest { lock.withLock { data.append(rest) } }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
