import Foundation
import SondeHost
import SondeModel

/// Keeps the OpenSSL probes on every library in use: every process's at start, each new program's soon
/// after it executes, and every process's again now and then.
///
/// When the tracer is limited to some processes (`--pid`, `--exe`), only those are looked at, and the probes
/// are attached in each of them alone: other processes' SSL calls then never trap into the kernel. A
/// selected process's forks (a server's workers) are probed as they start, and a process's probes are
/// removed when it exits.
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
    /// Only processes with this command name are looked at, when set (the tracer's `--exe`, as the kernel's
    /// comm holds it).
    private let selectedCommand: String?
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var pending: [(due: Date, pid: Int32)] = []
    private var stopped = false

    init(probes: TLSProbeSet, selectedPID: Int32?, selectedCommand: String?) {
        self.probes = probes
        self.selectedPID = selectedPID
        self.selectedCommand = selectedCommand
    }

    /// Whether probes are attached in each selected process rather than to the files themselves.
    private var probesPerProcess: Bool { selectedPID != nil || selectedCommand != nil }

    /// Looks at every selected process now, on the caller's thread (before ``start()``).
    func scanAll() {
        for pid in selectedPID.map({ [$0] }) ?? TLSLibraryFinder.runningProcesses() where isSelected(pid) {
            scan(pid)
        }
    }

    /// A process started (exec, fork) or exited. A started one is looked at over the next seconds; an exited
    /// one loses its own probes. Called from any thread.
    func processChanged(_ event: ProcessEvent) {
        switch event.kind {
        case .exec, .fork:
            guard isSelected(event.pid) else { return }
            let now = Date()
            condition.withLock {
                pending += Self.rescanDelays.map { (now.addingTimeInterval($0), event.pid) }
                condition.signal()
            }
        case .exit:
            guard probesPerProcess else { return }
            condition.withLock { pending.removeAll { $0.pid == event.pid } }
            probes.detach(process: event.pid)
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
            probes.attach(library, process: probesPerProcess ? pid : nil)
        }
        return libraries.isEmpty
    }

    /// Whether `pid` passes the tracer's selection (as the kernel side's filter judges it).
    private func isSelected(_ pid: Int32) -> Bool {
        if let selectedPID, pid != selectedPID { return false }
        guard let selectedCommand else { return true }
        return ProcessResources.commandName(of: pid) == selectedCommand
    }
}
