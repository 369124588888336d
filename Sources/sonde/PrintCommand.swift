import ArgumentParser
import SondeExport

/// `sonde print`: trace this host and print one line per span.
struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print", abstract: "Trace this host and print one line per span (nothing is exported).")

    @OptionGroup var tracing: TracingOptions
    @OptionGroup var storage: StoreOptions

    @Option(help: "text (one readable line per span) or json (one OTLP/JSON ExportTraceServiceRequest per line).")
    var format: SpanPrinter.Format = .text

    func run() throws {
        try CommandFailure.reporting {
            try TracingSession(options: tracing, storage: storage, sinks: [SpanPrinter(format: format)], exporter: nil)
        }.run(duration: tracing.duration, destinations: ["printing"])
    }
}
