/// The overhead benchmark's table: one row per workload and mode, the medians of the rounds.
enum OverheadTable {
    /// One measurement: what the load generator reported and, when traced, what Sonde cost.
    struct Run {
        var load: LoadResult
        var tracer: TracerRun.Report?
    }

    static let header = [
        "workload".padding(toLength: 16, withPad: " ", startingAt: 0), "mode          ", "     req/s", "  p99 ms",
        " loss %", "full/probe", "CPU s/10k req", "RSS MiB", "  lost", "spans/req",
    ].joined(separator: "  ")

    static let legend = """
        req/s and p99: the load generator's, median of the rounds. loss: throughput lost against untraced.
        full/probe: full tracing's loss over probe-only's (the floor of this design; target <= 1.5), each
        round's own (its modes ran back to back), median of the rounds; '-' when most rounds' floor was
        under 0.5%. CPU s/10k req: Sonde's user+system CPU seconds per 10,000 requests, which is also the
        CPU cores Sonde uses per 10,000 requests per second (target <= 0.10). RSS: Sonde's peak resident
        memory. lost: events the ring buffer had no room for (all rounds). spans/req: spans built per
        request sent (1.00: every request traced); a line under the row says how many of them the store
        dropped, if any.
        """

    /// The rows of one workload, in the order of ``TracingMode/allCases``.
    static func rows(workload: String, _ measurements: [TracingMode: [Run]]) -> [String] {
        let untraced = measurements[.untraced].map(throughput) ?? 0
        return TracingMode.allCases.flatMap { mode -> [String] in
            guard let runs = measurements[mode] else { return [] }
            let loss = 1 - throughput(runs) / untraced
            let reports = runs.compactMap(\.tracer)
            let requests = runs.reduce(0) { $0 + $1.load.requests }
            var columns = [
                workload.padding(toLength: 16, withPad: " ", startingAt: 0),
                mode.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0),
                Measurement.format(throughput(runs), 10, decimals: 0),
                Measurement.format(Measurement.median(runs.map(\.load.p99Milliseconds)), 8),
                mode == .untraced ? "-".leftPadded(7) : Measurement.format(loss * 100, 7, decimals: 1),
            ]
            if mode == .full || mode == .fullWithoutStore, let ratio = lossOverFloor(runs, measurements) {
                columns.append(Measurement.format(ratio, 10))
            } else {
                columns.append("-".leftPadded(10))
            }
            guard !reports.isEmpty else {
                return [(columns + [13, 7, 6, 9].map { "-".leftPadded($0) }).joined(separator: "  ")]
            }
            let cpuPer10k = Measurement.median(zip(runs, reports).map { $1.cpuSeconds / Double($0.load.requests) * 10_000 })
            let lost = reports.reduce(0) { $0 + $1.lostEvents }
            let spans = reports.reduce(0) { $0 + $1.spans }
            let storeDropped = reports.reduce(0) { $0 + $1.storeDroppedSpans }
            columns += [
                Measurement.format(cpuPer10k, 13, decimals: 3),
                Measurement.format(Double(reports.map(\.peakResidentBytes).max() ?? 0) / 1_048_576, 7, decimals: 1),
                String(lost).leftPadded(6),
                Measurement.format(Double(spans) / Double(requests), 9),
            ]
            return [columns.joined(separator: "  ")]
                + (lost == 0 ? [] : ["  ^ the limit: \(lost) events lost at \(Int(throughput(runs))) req/s with the default ring buffer and capture size"])
                + (storeDropped == 0 ? [] : ["  ^ the store's limit: it dropped \(storeDropped) of \(spans) spans (its writer fell behind; counted, as sonde says on exit)"])
        }
    }

    /// The median over the rounds of `runs`' loss over probe-only's loss, both against the same round's
    /// untraced run: each round's modes ran back to back, so the drift of a shared machine between rounds
    /// (the floor alone moved by a fifth from run to run) cancels out. Nil when most rounds' floor is under
    /// 0.5%, too small to divide by.
    private static func lossOverFloor(_ runs: [Run], _ measurements: [TracingMode: [Run]]) -> Double? {
        guard let untraced = measurements[.untraced], let probeOnly = measurements[.probeOnly] else { return nil }
        let ratios = zip(untraced, zip(probeOnly, runs)).compactMap { untraced, pair -> Double? in
            let base = untraced.load.requestsPerSecond
            let floor = 1 - pair.0.load.requestsPerSecond / base
            return floor >= 0.005 ? (1 - pair.1.load.requestsPerSecond / base) / floor : nil
        }
        return ratios.count * 2 > runs.count ? Measurement.median(ratios) : nil
    }

    private static func throughput(_ runs: [Run]) -> Double {
        Measurement.median(runs.map(\.load.requestsPerSecond))
    }
}
