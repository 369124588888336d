import ArgumentParser

/// `sonde-bench`: Sonde's benchmarks, one subcommand each. Figures are printed, never asserted, and
/// compared side by side within one run.
@main
struct SondeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonde-bench",
        abstract: "Measure what Sonde costs; each benchmark prints its figures side by side.",
        subcommands: [ReplayThroughputBenchmark.self, TLSAttachBenchmark.self, PipelineBenchmark.self,
                      StoreWriteBenchmark.self, QueryBenchmark.self, OverheadBenchmark.self,
                      KernelCostBenchmark.self])
}
