import ArgumentParser
import Foundation
import SondeCapture
import SondeExport
import SondeModel
import SondePipeline

/// `sonde-bench replay-throughput`: how fast captures are read, and replayed into spans, in MB/s and
/// packets/s of capture. The fixture captures are replayed from memory over and over (each repetition a
/// fresh replay, as `sonde replay` of one file) until the requested volume, three ways in one run: reading
/// (capture to events), the pipeline (events through the tracker into spans) and the pipeline plus
/// OTLP/JSON encoding; the ratios compare them on the same machine at the same moment.
struct ReplayThroughputBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay-throughput",
        abstract: "Replay the fixture captures from memory and print MB/s and packets/s: reader only vs full pipeline.")

    @Option(help: "The directory of .pcap and .pcapng files to replay.")
    var fixtures = "Tests/Fixtures/captures"

    @Option(help: "Megabytes of capture to replay in each measurement.")
    var megabytes = 32

    /// One way of consuming a capture; returns the spans it made.
    enum Stage: String, CaseIterable {
        case reader = "read (capture -> events)"
        case pipeline = "replay (-> tracker -> spans)"
        case encoded = "replay + OTLP/JSON encoding"
    }

    func run() throws {
        let directory = URL(fileURLWithPath: fixtures)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
        guard !names.isEmpty else { throw ValidationError("No .pcap or .pcapng file in \(fixtures).") }
        let captures = try names.map { [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))) }
        let bytesPerRound = captures.reduce(0) { $0 + $1.count }
        let rounds = max(1, megabytes << 20 / bytesPerRound)
        print("replaying \(names.count) captures (\(bytesPerRound) bytes) \(rounds) times: "
              + String(format: "%.1f MB per measurement", Double(bytesPerRound * rounds) / 1e6))

        var baseline: Double?
        for stage in Stage.allCases {
            _ = try measure(stage, captures: captures, rounds: max(1, rounds / 10))  // warm-up
            let (seconds, packets, spans) = try measure(stage, captures: captures, rounds: rounds)
            let megabytesPerSecond = Double(bytesPerRound * rounds) / 1e6 / seconds
            let ratio = baseline.map { megabytesPerSecond / $0 } ?? 1
            baseline = baseline ?? megabytesPerSecond
            let name = stage.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0)
            print(name + String(format: " %8.1f MB/s %12.0f packets/s %9d spans  x%.2f of reading",
                                megabytesPerSecond, Double(packets) / seconds, spans, ratio))
        }
    }

    /// Replays every capture `rounds` times through `stage`; returns seconds, packets and spans.
    private func measure(_ stage: Stage, captures: [[UInt8]], rounds: Int) throws -> (Double, Int, Int) {
        let catalog = StaticProcessCatalog(resource: Resource(attributes: [Attribute("service.name", "unknown_service")]))
        var packets = 0
        var spans = 0
        var encodedBytes = 0
        let seconds = try Measurement.seconds {
            for _ in 0..<rounds {
                for capture in captures {
                    var events = try CaptureEventReader(bytes: capture)
                    var driver = ReplayDriver(catalog: catalog)
                    while let event = try events.nextEvent() {
                        guard stage != .reader else { continue }
                        let made = driver.handle(event)
                        spans += made.count
                        if stage == .encoded, !made.isEmpty { encodedBytes += OTLPJSONEncoder().encode(made).count }
                    }
                    let remaining = driver.finish()
                    spans += remaining.count
                    if stage == .encoded, !remaining.isEmpty { encodedBytes += OTLPJSONEncoder().encode(remaining).count }
                    packets += events.statistics.packets
                }
            }
        }
        precondition(stage != .encoded || spans == 0 || encodedBytes > 0)
        return (seconds, packets, spans)
    }
}
