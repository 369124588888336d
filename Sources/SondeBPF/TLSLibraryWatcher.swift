import Foundation
import SondeHost

/// Keeps the OpenSSL probes on every library in use: every process's at start, each new program's soon
/// after it executes, and every process's again now and then.
///
/// The dynamic loader maps a program's libraries only after exec, and interpreters load libssl when a
/// script first imports it, so a started process is looked at several times over its first seconds
/// (``rescanDelays``). Libraries opened later still (dlopen long after start) are found by the periodic
/// full scan. Processes sharing an already-probed file are covered at once: uprobes belong to the file.
final class TLSLibraryWatcher: @unchecked Sendable {
    /// When a started process is looked at, in seconds after its exec.
    static let rescanDelays: [TimeInterval] = [0.02, 0.1, 0.3, 1, 3]
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
                    condition.wait(until: min(nextFullScan, pending.map(\.due).min() ?? nextFullScan))
                }
                guard !stopped else { return nil }
                let now = Date()
                let due = pending.filter { $0.due <= now }.map(\.pid)
                pending.removeAll { $0.due <= now }
                return due
            }
            guard let due else { return }
            for pid in Set(due) { scan(pid) }
            if Date() >= nextFullScan {
                scanAll()
                nextFullScan = Date().addingTimeInterval(Self.fullScanInterval)
            }
        }
    }

    private func scan(_ pid: Int32) {
        for library in finder.libraries(ofProcess: pid) {
            probes.attach(library)
        }
    }
}
