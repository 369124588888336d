import ArgumentParser
import Foundation

/// `sonde-bench overhead`: what tracing costs a real service under load. Each workload (nginx over plain
/// HTTP/1.1 and TLS, both keep-alive, driven by wrk; redis-server driven by redis-benchmark, one request at
/// a time and pipelined) runs in rounds, each round interleaving four modes: untraced, `--probe-only` (every
/// probe attached, each returning at once: the floor), full tracing, and full tracing without the span store.
/// The table gives the medians of the rounds, the throughput lost against untraced, how full tracing's loss
/// compares with the floor's, and Sonde's own CPU, peak memory, lost events and spans per request.
struct OverheadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overhead",
        abstract: "Run nginx and redis-server under wrk and redis-benchmark untraced, probe-only and fully traced (root).")

    @Option(help: "Seconds of load per measurement.")
    var seconds: Double = 8

    @Option(help: "Rounds per workload, each running every mode once; the median is printed.")
    var rounds: Int = 3

    @OptionGroup var service: ServiceLoadOptions

    @Option(help: ArgumentHelp("The bound of full tracing's span store, in MiB.",
                               discussion: "The store is a fresh file, kept across the runs, and small enough that it soon evicts as much as it writes: the steady state of a busy host."))
    var storeMaxMB = 32

    func validate() throws {
        guard seconds >= 1, rounds >= 1, storeMaxMB >= 1 else {
            throw ValidationError("--seconds, --rounds and --store-max-mb must be at least 1.")
        }
    }

    func run() throws {
        let selected = try service.selectedWorkloads()
        let storeDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: storeDirectory) }
        let store = ["--store", storeDirectory.appendingPathComponent("spans.db").path, "--store-max-mb", "\(storeMaxMB)"]
        let binding = service.binding
        Self.emit("overhead: \(rounds) rounds x \(TracingMode.allCases.count) modes x \(Int(seconds)) s per workload, "
              + "\(service.connections) connections; Sonde traces the server's port and executable with its default sizes, "
              + "full tracing into a span store bounded at \(storeMaxMB) MiB; \(binding.description)")
        Self.emit(OverheadTable.header)
        for workload in selected {
            try binding.onServiceCPUs { try workload.start() }
            defer { workload.stop() }
            let measurements = try measure(workload, store: store, binding: binding)
            for line in OverheadTable.rows(workload: workload.name, measurements) { Self.emit(line) }
        }
        Self.emit(OverheadTable.legend)
    }

    /// Every mode once per round (``TracingMode/interleave(_:rounds:_:)``).
    private func measure(_ workload: any OverheadWorkload, store: [String],
                         binding: CPUBinding) throws -> [TracingMode: [OverheadTable.Run]] {
        try TracingMode.interleave(TracingMode.allCases, rounds: rounds) { mode in
            let tracer = try mode.sondeArguments(store: store).map { arguments in
                try binding.onTracerCPU {
                    try TracerRun(mode: arguments, port: workload.port, executable: workload.serverExecutable)
                }
            }
            let load = try binding.onServiceCPUs { try workload.generateLoad(seconds: seconds) }
            return OverheadTable.Run(load: load, tracer: try tracer?.finish())
        }
    }

    /// Writes `line` at once (not buffered), so each workload's rows show as soon as it is measured.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
