import ArgumentParser
import SondeExport
import SondeStore

/// `sonde print`: trace this host and print one line per span.
struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print", abstract: "Trace this host and print one line per span (nothing is exported).")

    @OptionGroup var tracing: TracingOptions
    @OptionGroup var storage: StoreOptions

    @Option(help: "text (one readable line per span) or json (one OTLP/JSON ExportTraceServiceRequest per line).")
    var format: SpanPrinter.Format = .text

    func run() throws {
        let store = try storage.openStore()
        let sinks: [any SpanSink] = [SpanPrinter(format: format)] + (store.map { [$0] } ?? [])
        try CommandFailure.reporting {
            try TracingSession(options: tracing, sinks: sinks, exporter: nil, store: store)
        }.run(duration: tracing.duration,
              announcing: "printing" + (store.map { ", storing in \($0.configuration.path)" } ?? ""))
    }
}
