import Dispatch
import Foundation
import SondeBPF
import SondeExport
import SondeHost
import SondeModel
import SondePipeline
import SondeStore
import Synchronization

/// One live tracing run: kernel events through the connection tracker into the span sinks, until
/// SIGINT, SIGTERM or the requested duration; then a flush and a summary on stderr.
final class TracingSession {
    private let tracer: KernelTracer
    private let resources = ProcessResources(distroVersion: SondeVersion.string)
    private let sinks: [any SpanSink]
    private let exporter: OTLPExporter?
    private let store: SpanStore?
    private let trackerConfiguration: ConnectionTracker.Configuration
    private let probeOnly: Bool
    private var reportedLostEvents: UInt64 = 0

    /// Loads and attaches the kernel side, then opens the span store (unless `--no-store`); throws one plain
    /// sentence when either is not possible.
    init(options: TracingOptions, storage: StoreOptions, sinks: [any SpanSink], exporter: OTLPExporter?) throws {
        tracer = try KernelTracer(configuration: options.kernelConfiguration)
        trackerConfiguration = options.trackerConfiguration
        store = try storage.openStore()
        probeOnly = options.probeOnly
        self.sinks = sinks + (store.map { [$0] } ?? [])
        self.exporter = exporter
    }

    /// How the probes are attached, for the `sonde: tracing` line.
    var modeDescription: String {
        let mode = tracer.mode == .kprobe ? "kprobes" : "syscall tracepoints"
        let syscalls = tracer.modeReason.map { "\(mode) (\($0))" } ?? mode
        let probeOnly = probeOnly ? "; probe-only: every probe returns at once, nothing is captured" : ""
        guard let probes = tracer.tlsProbes else {
            return "\(syscalls); no TLS (\(tracer.tlsUnavailableReason ?? "off"))\(probeOnly)"
        }
        let attached = probes.attachments.filter { $0.failure == nil }
        let libraries = Set(attached.map(\.library.path)).count
        let processes = Set(attached.compactMap(\.process)).count
        let scope = processes == 0 ? "" : " in \(processes) selected \(processes == 1 ? "process" : "processes")"
        return "\(syscalls) and OpenSSL uprobes (\(libraries) \(libraries == 1 ? "library" : "libraries")\(scope) so far)\(probeOnly)"
    }

    /// Traces until a stop signal or `duration` seconds, then flushes every sink. `destinations` (exporting,
    /// printing) are announced on the `sonde: tracing` line, with the store.
    func run(duration: Double?, destinations: [String]) {
        let stopRequested = StopSignal(signals: [SIGINT, SIGTERM])
        let tracker = ConnectionTracker(configuration: trackerConfiguration, catalog: resources)
        let deadline = duration.map { Date(timeIntervalSinceNow: $0) }
        var destinations = destinations
        if let store { destinations.append("storing in \(store.configuration.path)") }
        if destinations.isEmpty {
            destinations.append("no OTEL_EXPORTER_OTLP_ENDPOINT, no --print and --no-store: spans are only counted")
        }
        StandardError.write("sonde: tracing with \(modeDescription); \(destinations.joined(separator: ", "))")
        tracer.start()
        var lastExpiry = Date()
        // Kept from batch to batch for its capacity: a fresh array per batch grew by doubling every time.
        var spans: [Span] = []
        while let batch = tracer.nextBatch(timeout: 0.2) {
            // By index: each event is read in place, where a `for` loop copied it (a retain and a release of
            // its payload).
            for index in batch.indices {
                if case .opened(let opened) = batch[index] {
                    resources.observe(pid: opened.id.pid, commandName: opened.processName,
                                      startedAfterBoot: opened.processStartAfterBoot)
                }
                tracker.handle(batch[index], into: &spans)
                // After the tracker: an exit's last spans still name the process.
                if case .process(let process) = batch[index] { resources.forget(pid: process.pid) }
                // A batch of pipelined requests makes hundreds of thousands of spans (one read of a few
                // hundred bytes, 16 of them); held until the batch's end, they had taken 200 MiB.
                if spans.count >= Self.spansPerHandOff { sinks.handOff(&spans) }
            }
            if lastExpiry.timeIntervalSinceNow < -1 {
                spans += tracker.expire(now: UInt64(Date().timeIntervalSince1970 * 1e9))
                lastExpiry = Date()
                reportLostEvents()
            }
            sinks.handOff(&spans)
            if stopRequested.isSet || deadline.map({ $0 < Date() }) == true { tracer.stop() }
        }
        sinks.forEach { $0.shutdown() }
        StandardError.write(summary(tracker.statistics))
        if let store { StandardError.write(store.summaryLine) }
    }

    /// The most spans built before they go to the sinks.
    private static let spansPerHandOff = 4096

    /// Says on stderr when the kernel side dropped events since the last report (the ring buffer was
    /// full); the connections concerned resync on their own.
    private func reportLostEvents() {
        let lost = tracer.lostEvents
        if lost > reportedLostEvents {
            StandardError.write("sonde: \(lost - reportedLostEvents) events lost (ring buffer full; --ring-buffer-mb raises it), \(lost) in all")
            reportedLostEvents = lost
        }
    }

    private func summary(_ statistics: TrackerStatistics) -> String {
        var parts = [
            "\(statistics.spansBuilt) spans from \(statistics.connectionsSeen) connections",
            "lost events \(tracer.lostEvents)",
            "TLS connections \(statistics.tlsConnections)",
            "gaps \(statistics.gaps)", "resyncs \(statistics.resyncs)",
            "unrecognised connections \(statistics.unrecognisedConnections)",
        ]
        if let exporter { parts.append("export: \(exporter.statistics)") }
        return "sonde: stopped: " + parts.joined(separator: ", ")
    }
}

extension ProcessResources: ProcessCatalog {}

/// Set once by one of its signals; the handlers run on a dispatch queue, never inside the signal.
final class StopSignal: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)
    /// Kept for the handlers' lifetime; never changed after `init`.
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32]) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.stopped.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
    }

    var isSet: Bool { stopped.load(ordering: .relaxed) }
}

/// One line at a time to stderr.
enum StandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

