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
