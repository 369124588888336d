import ArgumentParser
import Foundation
import SondeBPF
import SondeHost

/// `sonde-bench tls-attach`: how long finding and probing OpenSSL takes with N processes mapping the same
/// libssl. Finding reads every process's maps (it grows with N); attaching happens once per library file
/// (it should not).
struct TLSAttachBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls-attach",
        abstract: "Time libssl discovery and uprobe attaching with N processes mapping the same libssl (root).")

    @Option(help: "Comma-separated numbers of Python processes that have imported ssl.")
    var processes: String = "1,10,100,250"

    @Option(help: "Measurements per row; the median is printed.")
    var repetitions: Int = 5

    func run() throws {
        let counts = processes.split(separator: ",").compactMap { Int($0) }.sorted()
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), repetitions > 0 else {
            throw ValidationError("--processes takes positive numbers, e.g. 1,10,100, and --repetitions a positive number.")
        }
        let pool = SSLProcessPool()
        defer { pool.stopAll() }
        print("processes  host-pids  scan-all-ms  scan-one-new-ms  attach-ms  libraries  probes  scan/scan(1)  attach/attach(1)")
        var baseline: (scan: Double, attach: Double)?
        for count in counts {
            try pool.grow(to: count)
            var scans: [Double] = [], singles: [Double] = [], attaches: [Double] = []
            var found: [(library: TLSLibrary, pids: [Int32])] = []
            var probes = 0
            for _ in 0..<repetitions {
                let finder = TLSLibraryFinder()
                scans.append(Self.milliseconds { found = finder.librariesOfAllProcesses() })
                // What the watcher does for one started process, with the file already examined.
                singles.append(Self.milliseconds { _ = finder.libraries(ofProcess: pool.newest) })
                let set = try TLSProbeSet()
                attaches.append(Self.milliseconds { probes = found.map { set.attach($0.library).probes }.reduce(0, +) })
            }
            let scan = Measurement.median(scans), attach = Measurement.median(attaches)
            let reference = baseline ?? (scan, attach)
            baseline = reference
            let hostPIDs = TLSLibraryFinder.runningProcesses().count
            print([String(count).leftPadded(9), String(hostPIDs).leftPadded(9), Measurement.format(scan, 11),
                   Measurement.format(Measurement.median(singles), 15), Measurement.format(attach, 9),
                   String(found.count).leftPadded(9), String(probes).leftPadded(6),
                   Measurement.format(scan / reference.scan, 12), Measurement.format(attach / reference.attach, 16)]
                .joined(separator: "  "))
        }
    }

    private static func milliseconds(_ work: () throws -> Void) rethrows -> Double {
        try Measurement.seconds(work) * 1e3
    }
}

/// Python processes that imported ssl (so they map the system libssl) and wait for their stdin to close.
private final class SSLProcessPool {
    private var processes: [(process: Process, input: Pipe)] = []

    /// The pid of the latest process started.
    var newest: Int32 { processes.last?.process.processIdentifier ?? 0 }

    func grow(to count: Int) throws {
        while processes.count < count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", "import ssl, sys; print('ready', flush=True); sys.stdin.read()"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            _ = output.fileHandleForReading.availableData
            processes.append((process, input))
        }
    }

    func stopAll() {
        for (_, input) in processes { try? input.fileHandleForWriting.close() }
        for (process, _) in processes { process.waitUntilExit() }
    }
}
