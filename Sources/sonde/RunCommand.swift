import ArgumentParser
import Foundation
import SondeExport
import SondeStore

/// `sonde run`: trace this host and export spans to the configured OTLP endpoint (and print them).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Trace this host; export spans to OTEL_EXPORTER_OTLP_ENDPOINT, and print them with --print.")

    @OptionGroup var tracing: TracingOptions
    @OptionGroup var storage: StoreOptions

    @Flag(help: "Also print one line per span on stdout.")
    var print = false

    @Option(help: "With --print: text (one readable line per span) or json (one OTLP/JSON request per line).")
    var format: SpanPrinter.Format = .text

    func run() throws {
        let export = try CommandFailure.reporting {
            try OTLPExporterConfiguration(environment: ProcessInfo.processInfo.environment)
        }
        let exporter = export.map { OTLPExporter(configuration: $0) }
        var sinks: [any SpanSink] = exporter.map { [$0] } ?? []
        if print { sinks.append(SpanPrinter(format: format)) }
        let store = try storage.openStore()
        if let store { sinks.append(store) }
        var destinations = [String]()
        if let export { destinations.append("exporting to \(export.endpoint)") }
        if print { destinations.append("printing") }
        if let store { destinations.append("storing in \(store.configuration.path)") }
        if destinations.isEmpty {
            destinations.append("no OTEL_EXPORTER_OTLP_ENDPOINT, no --print and --no-store: spans are only counted")
        }
        try CommandFailure.reporting {
            try TracingSession(options: tracing, sinks: sinks, exporter: exporter, store: store)
        }.run(duration: tracing.duration, announcing: destinations.joined(separator: ", "))
    }
}

extension SpanPrinter.Format: ExpressibleByArgument {}
