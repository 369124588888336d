import ArgumentParser
import Foundation
import SondeCapture
import SondeExport
import SondeHost
import SondeModel
import SondePipeline
import SondeStore

/// `sonde-bench store-write`: what the span store costs. The spans of the fixture captures (HTTP, Redis,
/// MariaDB) are repeated with fresh ids to the requested count and handed to a ``SpanStore`` on a temporary
/// file in batches of 512, as the tracer does. Their resource is this process's, read from /proc as the
/// tracer reads a traced process's (pid, start time, executable, host, ...), so its rows cost what live ones do; in the same run they are also OTLP/JSON encoded, so the
/// tracer-thread cost of `consume` reads as a ratio of encoding's. Then the writer's throughput (spans and
/// rows per second, until `shutdown` has committed everything), the bytes per span on disk, and the writer's
/// CPU time per span (the process's but the tracer thread's), which other load on the machine does not inflate.
struct StoreWriteBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-write",
        abstract: "Write replayed spans into a span store: tracer-thread cost per span vs OTLP/JSON encoding, writer spans/s.")

    @Option(help: "The directory of .pcap and .pcapng files whose spans are stored.")
    var fixtures = "Tests/Fixtures/captures"

    @Option(help: "Spans to store.")
    var spans = 100_000

    @Option(name: .customLong("store-max-mb"),
            help: "Bound of the store in MiB; below spans x ~850 bytes, the run includes steady-state eviction.")
    var storeMaximumMegabytes = 256

    func run() throws {
        let model = try Self.replayedSpans(in: fixtures)
        guard !model.isEmpty else { throw ValidationError("No spans in the captures of \(fixtures).") }
        let batches = stride(from: 0, to: spans, by: 512).map { start in
            (start..<min(start + 512, spans)).map { index in
                var span = model[index % model.count]
                span.traceID = .random()
                span.spanID = .random()
                return span
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-bench-store-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("spans.db").path

        let encodeSeconds = Measurement.seconds { for batch in batches { _ = OTLPJSONEncoder().encode(batch) } }
        let store = try SpanStore(configuration: StoreConfiguration(path: path, maximumBytes: storeMaximumMegabytes << 20, queueCapacity: spans))
        var consumeSeconds = 0.0
        let cpuBefore = ProcessUsage.of(pid: getpid())?.cpuSeconds ?? 0
        let totalSeconds = Measurement.seconds {
            for batch in batches { consumeSeconds += Measurement.seconds { store.consume(batch) } }
            store.shutdown()
        }
        // The process's CPU time but the tracer thread's: the writer's, which contention cannot inflate.
        let writerCPUSeconds = (ProcessUsage.of(pid: getpid())?.cpuSeconds ?? 0) - cpuBefore - consumeSeconds
        let statistics = store.statistics
        let fileBytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0

        print("\(spans) spans (\(model.count) distinct from \(fixtures)), batches of 512")
        print("tracer thread: consume      " + Measurement.format(consumeSeconds / Double(spans) * 1e9, 9, decimals: 0)
              + " ns/span  x" + String(format: "%.3f", consumeSeconds / encodeSeconds) + " of OTLP/JSON encoding")
        print("tracer thread: OTLP encode  " + Measurement.format(encodeSeconds / Double(spans) * 1e9, 9, decimals: 0)
              + " ns/span")
        print("writer: " + Measurement.format(Double(statistics.spansWritten) / totalSeconds, 9, decimals: 0)
              + " spans/s, " + Measurement.format(Double(statistics.rowsWritten) / totalSeconds, 9, decimals: 0)
              + " rows/s in \(statistics.flushes) transactions; \(statistics.spansDropped) dropped; "
              + "\(fileBytes / max(statistics.spansWritten, 1)) bytes/span on disk, \(statistics.rowsEvicted) rows evicted")
        print("writer CPU: " + Measurement.format(writerCPUSeconds / Double(max(statistics.spansWritten, 1)) * 1e6, 6, decimals: 2)
              + " µs/span")
    }

    /// The spans of every capture in `directory`, replayed once.
    static func replayedSpans(in directory: String) throws -> [Span] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
        let resource = ProcessResources(distroVersion: "bench").resource(for: getpid())
        let catalog = StaticProcessCatalog(resource: resource)
        var spans: [Span] = []
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
            var events = try CaptureEventReader(bytes: bytes)
            var driver = ReplayDriver(catalog: catalog)
            while let event = try events.nextEvent() { spans += driver.handle(event) }
            spans += driver.finish()
        }
        return spans
    }
}
