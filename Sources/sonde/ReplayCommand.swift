import ArgumentParser
import Foundation
import SondeCapture
import SondeExport
import SondeModel
import SondePipeline
import SondeStore

/// `sonde replay FILE`: a pcap or pcapng capture through the pipeline live events take, without root.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay the TCP connections of a pcap or pcapng capture and print (or export) their spans.",
        discussion: """
            Each connection is seen from its server, as tracing the server process would see it: one SERVER \
            span per exchange, timed by the capture. When the handshake is not in the capture, the lower port \
            is taken for the server and the bytes confirm it (if they show otherwise, the span is the \
            client's view). A truncated capture yields the spans of what was read, then an error.
            """)

    @Argument(help: "The capture file (pcap or pcapng).")
    var file: String

    @Option(help: "text (one readable line per span) or json (one OTLP/JSON ExportTraceServiceRequest per line).")
    var format: SpanPrinter.Format = .text

    @Flag(help: "Also export the spans to OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).")
    var export = false

    @Option(help: "The spans' service.name (default: OTEL_SERVICE_NAME, else unknown_service).")
    var serviceName: String?

    @Option(help: "Also keep the spans in this local span store (created owner-only if missing).")
    var store: String?

    /// Spans are handed to the sinks in batches of at most this many (one JSON line each).
    static let batchSize = 512

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let exporter = try CommandFailure.reporting { try makeExporter(environment: environment) }
        var events = try CommandFailure.reporting { try openCapture() }
        let spanStore = try store.map { path in
            try CommandFailure.reporting { try SpanStore(configuration: StoreConfiguration(path: path)) }
        }
        let sinks: [any SpanSink] = [SpanPrinter(format: format)] + (exporter.map { [$0] } ?? [])
            + (spanStore.map { [$0] } ?? [])
        let resource = Self.resource(serviceName: serviceName ?? environment["OTEL_SERVICE_NAME"])
        var driver = ReplayDriver(catalog: StaticProcessCatalog(resource: resource))
        var summary = ReplaySummary()
        var batch: [Span] = []
        var failure: CaptureError?
        do {
            while let event = try events.nextEvent() {
                batch += driver.handle(event)
                if batch.count >= Self.batchSize { deliver(&batch, to: sinks, counting: &summary) }
            }
        } catch {
            failure = error as? CaptureError ?? .malformed(atByte: 0, reason: "\(error)")
        }
        batch += driver.finish()
        deliver(&batch, to: sinks, counting: &summary)
        sinks.forEach { $0.shutdown() }
        StandardError.write(summary.line(file: file, capture: events.statistics, tracker: driver.tracker.statistics,
                                         export: exporter?.statistics))
        if let spanStore { StandardError.write(spanStore.summaryLine) }
        if let failure {
            StandardError.write("sonde: \(file) \(failure); the spans above come from the packets before it")
            throw ExitCode.failure
        }
    }

    private func deliver(_ batch: inout [Span], to sinks: [any SpanSink], counting summary: inout ReplaySummary) {
        summary.count(batch)
        sinks.handOff(&batch)
    }

    private func openCapture() throws -> CaptureEventReader {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped))
        } catch {
            throw ReplayFailure("cannot read \(file): \((error as NSError).localizedDescription)")
        }
        do {
            return try CaptureEventReader(bytes: bytes)
        } catch {
            throw ReplayFailure("\(file) \(error)")
        }
    }

    private func makeExporter(environment: [String: String]) throws -> OTLPExporter? {
        guard export else { return nil }
        guard let configuration = try OTLPExporterConfiguration(environment: environment) else {
            throw ReplayFailure("--export needs OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.")
        }
        return OTLPExporter(configuration: configuration)
    }

    /// What is true of spans from a capture: the service they are said to come from, and Sonde. No
    /// process or host attributes (the capture has none).
    static func resource(serviceName: String?) -> Resource {
        let name = serviceName.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown_service"
        return Resource(attributes: [
            Attribute("service.name", name),
            Attribute("telemetry.distro.name", "sonde"),
            Attribute("telemetry.distro.version", SondeVersion.string),
        ])
    }
}

/// A replay that cannot start, in one sentence.
struct ReplayFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
