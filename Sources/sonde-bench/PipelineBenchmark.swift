import ArgumentParser
import Foundation
import SondeExport
import SondeModel
import SondePipeline
import SondeProtocols

/// `sonde-bench pipeline`: what parsing and span building cost per protocol, on the real fixture bytes of
/// Tests/Fixtures replayed as many connections, on one thread. Per protocol, the parser alone (a session fed
/// the chunks) and the whole pipeline (the events of the same chunks through a ``ConnectionTracker``:
/// reassembly, detection, parsing, stitching, spans) are measured side by side; then OTLP/JSON encoding of
/// the spans; then Sonde's HTTP/1 parser beside llhttp (through Python's httptools) on the same bytes.
struct PipelineBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Parser and pipeline throughput per protocol on the fixture bytes, OTLP encoding, HTTP/1 vs llhttp.")

    @Option(help: "The fixtures directory (its http1, http2, redis and mysql folders are replayed).")
    var fixtures = "Tests/Fixtures"

    @Option(help: "Megabytes of fixture bytes per protocol in each measurement.")
    var megabytes = 64

    @Flag(help: "Also print a row for each fixture connection, replayed alone.")
    var perFixture = false

    @Option(help: "Measurements per figure; the median is printed.")
    var repetitions = 5

    @Option(help: "The llhttp reference script, run by /usr/bin/python3.")
    var referenceScript = "scripts/llhttp_parse.py"

    /// Spans per OTLP request, as the exporter batches them by default.
    private static let batchSize = 512

    /// A protocol's workload: its fixture connections, each replayed `rounds` times.
    private struct Workload {
        var name: String
        var connections: [RecordedConnection]
        var rounds: Int

        var bytesPerRound: Int { connections.reduce(0) { $0 + $1.byteCount } }
        var megabytes: Double { Double(bytesPerRound * rounds) / 1e6 }
    }

    func run() throws {
        guard megabytes > 0, repetitions > 0 else {
            throw ValidationError("--megabytes and --repetitions take positive numbers.")
        }
        do {
            try measure()
        } catch let failure as BenchmarkFailure {
            FileHandle.standardError.write(Data("sonde-bench: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func measure() throws {
        let protocols = [("HTTP/1", "http1"), ("HTTP/2", "http2"), ("Redis", "redis"), ("MySQL", "mysql")]
        let workloads = try protocols.map { name, folder in
            workload(name, try RecordedConnection.load(protocolName: folder, from: fixtures))
        }
        print("""
            Fixture connections of \(fixtures) replayed as new connections, about \(megabytes) MB per protocol per \
            measurement, one thread, median of \(repetitions).
            parse: the session of the protocol detected in the first chunk, fed the chunks. pipeline: the same chunks \
            as events through ConnectionTracker (reassembly, detection, parse, stitch, spans).
            \(allocationNote)
            """)
        print("protocol".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
              + "  fixtures  bytes/round  rounds  parse-MB/s  exchanges/s  pipeline-MB/s      spans/s"
              + "  pipeline/parse  allocs/exchange  allocs/span")
        var spansToEncode: [Span] = []
        for workload in workloads {
            spansToEncode += try printRow(workload)
            guard perFixture else { continue }
            for connection in workload.connections {
                _ = try printRow(self.workload("  " + connection.name, [connection]))
            }
        }
        printEncodingFigures(spansToEncode)
        try printReferenceComparison(workloads[0])
    }

    private var nameWidth: Int { perFixture ? 26 : 8 }

    /// Measures `workload` and prints its row; returns some of its spans.
    private func printRow(_ workload: Workload) throws -> [Span] {
        let figures = try measure(workload)
        print([workload.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0),
               String(workload.connections.count).leftPadded(8), String(workload.bytesPerRound).leftPadded(11),
               String(workload.rounds).leftPadded(6), Measurement.format(workload.megabytes / figures.parseSeconds, 10),
               Measurement.format(Double(figures.exchanges) / figures.parseSeconds, 11, decimals: 0),
               Measurement.format(workload.megabytes / figures.pipelineSeconds, 13),
               Measurement.format(Double(figures.spans) / figures.pipelineSeconds, 11, decimals: 0),
               Measurement.format(figures.pipelineSeconds / figures.parseSeconds, 14),
               perItem(figures.parseAllocations, figures.exchanges, 15),
               perItem(figures.pipelineAllocations, figures.spans, 11)]
            .joined(separator: "  "))
        return figures.sample
    }

    private var allocationNote: String {
        AllocationCounter.isActive
            ? "allocs: malloc, calloc, realloc and posix_memalign calls, counted by ordo-one/malloc-interposer in one extra run."
            : "allocs: not counted (the malloc interposer does not see this process's allocations)."
    }

    private func workload(_ name: String, _ connections: [RecordedConnection]) -> Workload {
        let bytesPerRound = connections.reduce(0) { $0 + $1.byteCount }
        let eventsPerRound = connections.reduce(0) { $0 + $1.chunks.count + 2 }
        // At most a million events in memory (a fixture of a few bytes replayed alone).
        let rounds = min(megabytes * 1_000_000 / max(1, bytesPerRound), 1_000_000 / eventsPerRound)
        return Workload(name: name, connections: connections, rounds: max(1, rounds))
    }

    // MARK: Figures

    /// The median times of `runs`, measured in turns (one of each, again and again) after a warm-up of each,
    /// so that a change in the machine's load falls on all of them alike.
    private func medians(_ runs: [() -> Void]) -> [Double] {
        runs.forEach { $0() }
        var times = [[Double]](repeating: [], count: runs.count)
        for _ in 0..<repetitions {
            for (index, run) in runs.enumerated() { times[index].append(Measurement.seconds(run)) }
        }
        return times.map(Measurement.median)
    }

    /// `count / items`, or `-` when allocations were not counted.
    private func perItem(_ count: Int, _ items: Int, _ width: Int, decimals: Int = 1) -> String {
        AllocationCounter.isActive && items > 0
            ? Measurement.format(Double(count) / Double(items), width, decimals: decimals) : "-".leftPadded(width)
    }

    /// What the parser alone and the whole pipeline did with one workload, measured side by side.
    private struct Figures {
        var parseSeconds: Double
        var pipelineSeconds: Double
        var exchanges: Int
        var spans: Int
        var parseAllocations: Int
        var pipelineAllocations: Int
        /// Some of the spans the pipeline built.
        var sample: [Span]
    }

    private func measure(_ workload: Workload) throws -> Figures {
        let parseAll = try parser(for: workload)
        let (replay, sample) = pipeline(for: workload)
        var exchanges = 0, spans = 0
        let times = medians([{ exchanges = parseAll() }, { spans = replay() }])
        guard exchanges > 0 else { throw BenchmarkFailure("\(workload.name): the fixtures gave no exchange.") }
        guard spans > 0 else { throw BenchmarkFailure("\(workload.name): the pipeline built no span.") }
        return Figures(parseSeconds: times[0], pipelineSeconds: times[1], exchanges: exchanges, spans: spans,
                       parseAllocations: AllocationCounter.count { blackHole(parseAll()) },
                       pipelineAllocations: AllocationCounter.count { blackHole(replay()) }, sample: sample)
    }

    /// Parses every connection of every round with a fresh session seeing it from the client, of the
    /// protocol the tracker's detectors find in its first chunk; returns the exchanges.
    private func parser(for workload: Workload) throws -> () -> Int {
        let detectors = try workload.connections.map { connection in
            guard let first = connection.chunks.first,
                  let detector = ProtocolDetector.standard.first(where: { $0.recognizes(first.bytes[...]) }) else {
                throw BenchmarkFailure("No protocol is recognised in the first chunk of \(connection.name).")
            }
            return detector
        }
        return {
            var exchanges = 0
            var records: [ProtocolRecord] = []
            for _ in 0..<workload.rounds {
                for (connection, detector) in zip(workload.connections, detectors) {
                    let session = detector.makeSession(.client)
                    for (index, chunk) in connection.chunks.enumerated() {
                        session.receive(chunk.bytes, direction: chunk.fromClient ? .egress : .ingress,
                                        timestamp: UInt64(index), into: &records)
                    }
                    session.close(timestamp: UInt64(connection.chunks.count), into: &records)
                    exchanges += records.count
                    records.removeAll(keepingCapacity: true)
                }
            }
            return exchanges
        }
    }

    /// Replays every connection of every round, as the events a client's tracer produces, through a fresh
    /// tracker; returns the spans. Also the first spans of such a replay.
    private func pipeline(for workload: Workload) -> (replay: () -> Int, sample: [Span]) {
        var events: [RawEvent] = []
        var clock: UInt64 = 1_700_000_000_000_000_000
        for round in 0..<workload.rounds {
            for (index, connection) in workload.connections.enumerated() {
                let id = ConnectionID(pid: 4242, fd: Int32(3 + index), generation: UInt32(round + 1))
                events += connection.events(as: id, startingAt: clock)
                clock += 1_000_000
            }
        }
        let catalog = StaticProcessCatalog(resource: Self.resource)
        let replay = {
            let tracker = ConnectionTracker(configuration: .init(), catalog: catalog)
            return events.reduce(0) { $0 + tracker.handle($1).count }
        }
        return (replay, sampleSpans(events, catalog: catalog, count: 2_000))
    }

    /// The first `count` spans the tracker builds from `events`.
    private func sampleSpans(_ events: [RawEvent], catalog: any ProcessCatalog, count: Int) -> [Span] {
        let tracker = ConnectionTracker(configuration: .init(), catalog: catalog)
        var spans: [Span] = []
        for event in events where spans.count < count { spans += tracker.handle(event) }
        return spans
    }

    /// A resource like a traced process's.
    private static let resource = Resource(attributes: [
        Attribute("service.name", "checkout"), Attribute("process.pid", 4242),
        Attribute("process.executable.name", "checkout"), Attribute("host.name", "bench-host"),
        Attribute("telemetry.sdk.name", "sonde"), Attribute("telemetry.sdk.language", "swift"),
    ])

    private func printEncodingFigures(_ spans: [Span]) {
        let batches = stride(from: 0, to: spans.count, by: Self.batchSize).map {
            Array(spans[$0..<min($0 + Self.batchSize, spans.count)])
        }
        let rounds = max(1, 100_000 / max(1, spans.count))
        var jsonBytes = 0
        func encodeAll() -> Int {
            var bytes = 0
            for _ in 0..<rounds {
                for batch in batches { bytes += OTLPJSONEncoder().encode(batch).count }
            }
            return bytes
        }
        let seconds = medians([{ jsonBytes = encodeAll() }])[0]
        let allocations = AllocationCounter.count { blackHole(encodeAll()) }
        let encoded = spans.count * rounds
        print("OTLP/JSON encoding (OTLPJSONEncoder, \(spans.count) spans of the rows above in requests of "
              + "\(Self.batchSize)): \(Measurement.format(Double(encoded) / seconds, 0, decimals: 0)) spans/s, "
              + "\(Measurement.format(Double(jsonBytes) / 1e6 / seconds, 0)) MB/s of JSON, "
              + "\(perItem(allocations, encoded, 0, decimals: 3)) allocs/span")
    }

    // MARK: HTTP/1 beside llhttp

    private func printReferenceComparison(_ http1: Workload) throws {
        // llhttp's response parser cannot know a response answers HEAD, nor is told of the close that ends
        // an HTTP/1.0 body: those connections are left out of both sides.
        let comparable = http1.connections.filter { connection in
            let requests = connection.chunks.filter(\.fromClient).flatMap(\.bytes)
            return !requests.contains(Array("HEAD ".utf8)) && !requests.contains(Array(" HTTP/1.0\r\n".utf8))
        }
        let workload = workload(http1.name, comparable)
        let figures = try measure(workload)
        let reference = try LLHTTPReference.measure(workload.connections, rounds: workload.rounds,
                                                    repetitions: repetitions, script: referenceScript)
        print("""
            HTTP/1 beside llhttp (httptools \(reference.version), timed in /usr/bin/python3): the same \
            \(workload.connections.count) fixture connections (no HEAD, no HTTP/1.0) \(workload.rounds) times, each \
            chunk one call on both sides.
            llhttp-bare: callbacks reach Python only per complete message. llhttp-fields: method, target, headers \
            and status reach Python too. Sonde parse: exchanges built (method, target, headers, status, body sizes).
            """)
        print("parser                    MB/s  exchanges/s  time vs llhttp-bare")
        let base = reference.bare.seconds
        let rows = [("llhttp-bare", base), ("llhttp-fields", reference.fields.seconds),
                    ("Sonde parse", figures.parseSeconds), ("Sonde pipeline", figures.pipelineSeconds)]
        for (name, seconds) in rows {
            // The exchanges the bytes hold (Sonde's count; llhttp counts requests, responses and interim 1xx).
            print([name.padding(toLength: 16, withPad: " ", startingAt: 0), Measurement.format(workload.megabytes / seconds, 12),
                   Measurement.format(Double(figures.exchanges) / seconds, 11, decimals: 0),
                   Measurement.format(seconds / base, 19)]
                .joined(separator: "  "))
        }
    }
}
