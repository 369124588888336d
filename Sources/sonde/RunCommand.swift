import ArgumentParser
import Foundation
import SondeExport

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
        var destinations = [String]()
        if let export { destinations.append("exporting to \(export.endpoint)") }
        if print { destinations.append("printing") }
        try CommandFailure.reporting {
            try TracingSession(options: tracing, storage: storage, sinks: sinks, exporter: exporter)
        }.run(duration: tracing.duration, destinations: destinations)
    }
}

extension SpanPrinter.Format: ExpressibleByArgument {}
