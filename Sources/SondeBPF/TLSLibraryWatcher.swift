import Foundation
import SondeHost

/// Keeps the OpenSSL probes on every library in use: every process's at start, each new program's soon
/// after it executes, and every process's again now and then.
///
/// The dynamic loader maps a program's libraries only after exec, and interpreters load libssl when a
/// script first imports it, so a started process is looked at several times over its first seconds
/// (``rescanDelays``: never more than a quarter of a second apart in the first second, each a read of
/// one maps file). Libraries opened later still (dlopen long after start) are found by the periodic
/// full scan. Processes sharing an already-probed file are covered at once: uprobes belong to the file.
final class TLSLibraryWatcher: @unchecked Sendable {
    /// When a started process is looked at, in seconds after its exec.
    static let rescanDelays: [TimeInterval] = [0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5]
    /// How often every process is looked at again.
    static let fullScanInterval: TimeInterval = 10

    private let probes: TLSProbeSet
    private let finder = TLSLibraryFinder()
    /// Only this process is looked at, when set (the tracer's `--pid`).
    private let selectedPID: Int32?
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var pending: [(due: Date, pid: Int32)] = []
    private var stopped = false

    init(probes: TLSProbeSet, selectedPID: Int32?) {
        self.probes = probes
        self.selectedPID = selectedPID
    }

    /// Looks at every selected process now, on the caller's thread (before ``start()``).
    func scanAll() {
        for pid in selectedPID.map({ [$0] }) ?? TLSLibraryFinder.runningProcesses() {
            scan(pid)
        }
    }

    /// `pid` executed a new program: look at it over the next seconds. Called from any thread.
    func processStarted(_ pid: Int32) {
        let now = Date()
        condition.withLock {
            pending += Self.rescanDelays.map { (now.addingTimeInterval($0), pid) }
            condition.signal()
        }
    }

    /// Starts watching on a thread of its own.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "sonde-tls-libraries"
        thread.start()
    }

    func stop() {
        condition.withLock {
            stopped = true
            condition.signal()
        }
    }

    private func run() {
        var nextFullScan = Date().addingTimeInterval(Self.fullScanInterval)
        while true {
            let due: [Int32]? = condition.withLock {
                while !stopped {
                    let now = Date()
                    if now >= nextFullScan || pending.contains(where: { $0.due <= now }) { break }
                    _ = condition.wait(until: min(nextFullScan, pending.map(\.due).min() ?? nextFullScan))
                }
                guard !stopped else { return nil }
                let now = Date()
                let due = pending.filter { $0.due <= now }.map(\.pid)
                pending.removeAll { $0.due <= now }
                return due
            }
            guard let due else { return }
            let settled = Set(due).filter { !scan($0) }
            if !settled.isEmpty {
                condition.withLock { pending.removeAll { settled.contains($0.pid) } }
            }
            if Date() >= nextFullScan {
                scanAll()
                nextFullScan = Date().addingTimeInterval(Self.fullScanInterval)
            }
        }
    }

    /// Attaches to the libraries `pid` maps; whether to look at it again later (not when it is gone or
    /// already uses OpenSSL).
    @discardableResult
    private func scan(_ pid: Int32) -> Bool {
        guard let libraries = finder.libraries(ofProcess: pid) else { return false }
        for library in libraries {
            probes.attach(library)
        }
        return libraries.isEmpty
    }
}
