import ArgumentParser

/// `sonde-bench`: Sonde's benchmarks. Each prints figures measured side by side in one run; none is a test.
@main
struct SondeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonde-bench",
        abstract: "Measure what Sonde costs; figures are printed side by side in one run.",
        subcommands: [TLSAttachBenchmark.self, HTTP2ParseBenchmark.self])
}
