import Foundation

/// Collects the exporter's log lines so tests can assert on them.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storedLines: [String] = []

    var lines: [String] { lock.withLock { storedLines } }

    func record(_ line: String) {
        lock.withLock { storedLines.append(line) }
    }
}
