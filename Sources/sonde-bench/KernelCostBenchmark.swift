import ArgumentParser
import Foundation

/// `sonde-bench kernel-cost`: the time Sonde's BPF programs take per request of a real service under load,
/// by the kernel's own run-time accounting, with every probe returning at once (`--probe-only`: the floor
/// of this design) and with full capture. Throughput loss moves with everything else on a shared machine;
/// this counts only the programs' own time. Rounds alternate the two modes; medians are printed.
struct KernelCostBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel-cost",
        abstract: "Time in Sonde's BPF programs per request of nginx and redis-server under load, probe-only and full (root).")

    @Option(help: "Seconds of load per measurement.")
    var seconds: Double = 3

    @Option(help: "Rounds per workload, each running both modes once; the median is printed.")
    var rounds: Int = 4

    @OptionGroup var service: ServiceLoadOptions

    /// The modes compared. Full tracing runs without the span store, which adds nothing in the kernel.
    static let modes: [TracingMode] = [.probeOnly, .fullWithoutStore]

    func validate() throws {
        guard seconds >= 1, rounds >= 1 else { throw ValidationError("--seconds and --rounds must be at least 1.") }
    }

    func run() throws {
        let selected = try service.selectedWorkloads()
        let binding = service.binding
        OverheadBenchmark.emit("kernel-cost: \(rounds) rounds x \(Self.modes.count) modes x \(Int(seconds)) s per workload, "
                               + "\(service.connections) connections, Sonde on the server's port and executable; \(binding.description)")
        OverheadBenchmark.emit(["workload        ", "mode          ", "     req/s", "  ns/req", "    min", "  programs, ns/req"]
            .joined(separator: "  "))
        for workload in selected {
            try binding.onServiceCPUs { try workload.start() }
            defer { workload.stop() }
            let costs = try TracingMode.interleave(Self.modes, rounds: rounds) { mode in
                try measure(workload, mode: mode, binding: binding)
            }
            for line in Self.rows(workload: workload.name, costs) { OverheadBenchmark.emit(line) }
        }
        OverheadBenchmark.emit("""
            ns/req: nanoseconds in Sonde's BPF programs per request, median of the rounds (min: the lowest round),
            and the programs that took most. The accounting itself adds two clock reads to every program run, in
            both modes alike, so the difference of the modes is what capturing costs above the floor.
            """)
    }

    /// One measurement: the load's throughput and the programs' time per request, by program.
    struct Cost {
        var requestsPerSecond: Double
        var nanosecondsPerRequest: [String: Double]
        var total: Double { nanosecondsPerRequest.values.reduce(0, +) }
    }

    private func measure(_ workload: any OverheadWorkload, mode: TracingMode, binding: CPUBinding) throws -> Cost {
        let loadedBefore = Set(KernelProgramStatistics.snapshot().programs.keys)
        let tracer = try binding.onTracerCPU {
            try TracerRun(mode: mode.sondeArguments(store: []) ?? [], port: workload.port, executable: workload.serverExecutable)
        }
        let sondePrograms = Set(KernelProgramStatistics.snapshot().programs.keys).subtracting(loadedBefore)
        let (load, nanoseconds) = try KernelProgramStatistics.accounting(of: sondePrograms) {
            try binding.onServiceCPUs { try workload.generateLoad(seconds: seconds) }
        }
        _ = try tracer.finish(drainSeconds: 0.2)
        return Cost(requestsPerSecond: load.requestsPerSecond,
                    nanosecondsPerRequest: nanoseconds.mapValues { Double($0) / Double(load.requests) })
    }

    private static func rows(workload: String, _ costs: [TracingMode: [Cost]]) -> [String] {
        var lines = modes.compactMap { mode -> String? in
            guard let runs = costs[mode] else { return nil }
            let names = Set(runs.flatMap(\.nanosecondsPerRequest.keys))
            let byProgram = names.map { name in (name, Measurement.median(runs.map { $0.nanosecondsPerRequest[name] ?? 0 })) }
            let top = byProgram.sorted { $0.1 > $1.1 }.prefix(4).map { "\($0.0) \(Int($0.1.rounded()))" }
            return [
                workload.padding(toLength: 16, withPad: " ", startingAt: 0),
                mode.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0),
                Measurement.format(Measurement.median(runs.map(\.requestsPerSecond)), 10, decimals: 0),
                Measurement.format(Measurement.median(runs.map(\.total)), 8, decimals: 0),
                Measurement.format(runs.map(\.total).min() ?? 0, 7, decimals: 0),
                "  " + top.joined(separator: ", "),
            ].joined(separator: "  ")
        }
        if let floor = costs[.probeOnly].map({ Measurement.median($0.map(\.total)) }),
           let full = costs[.fullWithoutStore].map({ Measurement.median($0.map(\.total)) }), floor > 0 {
            lines.append(workload.padding(toLength: 16, withPad: " ", startingAt: 0)
                         + "  capture above the floor: \(Int((full - floor).rounded())) ns/req (full / probe-only "
                         + String(format: "%.2f", full / floor) + ")")
        }
        return lines
    }
}
