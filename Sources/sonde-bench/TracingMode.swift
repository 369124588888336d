/// How the server is watched while under load in the overhead benchmark.
enum TracingMode: String, CaseIterable {
    /// Sonde is not running.
    case untraced
    /// Sonde attaches every probe but each returns at once (`--probe-only`): the floor of this design.
    case probeOnly = "probe-only"
    /// Sonde captures, parses and builds a span of every request, and keeps it in a span store (the default).
    case full
    /// As `full`, without the span store (`--no-store`): what the store adds is the difference.
    case fullWithoutStore = "full, no store"

    /// Runs `measure` once per mode in each of `rounds` rounds, in an order rotated each round so that no
    /// mode always runs first, and gives each mode's results in round order.
    static func interleave<Result>(_ modes: [TracingMode], rounds: Int,
                                   _ measure: (TracingMode) throws -> Result) rethrows -> [TracingMode: [Result]] {
        var results: [TracingMode: [Result]] = [:]
        for round in 0..<rounds {
            for index in modes.indices {
                let mode = modes[(index + round) % modes.count]
                results[mode, default: []].append(try measure(mode))
            }
        }
        return results
    }

    /// The arguments `sonde run` gets in this mode beyond the selection, `store` those of the span store;
    /// nil when Sonde does not run.
    func sondeArguments(store: [String]) -> [String]? {
        switch self {
        case .untraced: nil
        case .probeOnly: ["--probe-only"]
        case .full: store
        case .fullWithoutStore: ["--no-store"]
        }
    }
}
