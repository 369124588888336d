import Foundation
import SondeTestSupport

/// `sonde run` tracing one server for one measurement: started before the load, stopped after it, with
/// what it cost (CPU and memory from /proc) and what it said on exit (spans built, events lost).
final class TracerRun {
    /// What one traced measurement cost and produced.
    struct Report {
        /// Sonde's user plus system CPU seconds while the load ran (start-up excluded).
        var cpuSeconds: Double
        var peakResidentBytes: Int
        var spans: Int
        var lostEvents: Int
        /// Spans the span store could not keep (its queue was full: its writer fell behind); 0 without a store.
        var storeDroppedSpans: Int
    }

    private let sonde: SondeProcess
    private let startUsage: ProcessUsage

    /// Starts Sonde in `mode` on the connections of `port` in processes named `executable`, and waits
    /// until it traces.
    init(mode arguments: [String], port: Int, executable: String) throws {
        sonde = try SondeProcess(arguments: ["run", "--port", "\(port)", "--exe", executable] + arguments)
        guard let usage = ProcessUsage.of(pid: sonde.processIdentifier) else {
            throw BenchmarkFailure("sonde exited after it started: \(sonde.standardError)")
        }
        startUsage = usage
    }

    /// Gives Sonde `drainSeconds` to read what is left in the ring buffer, stops it and reports.
    func finish(drainSeconds: Double = 1) throws -> Report {
        Thread.sleep(forTimeInterval: drainSeconds)
        let usage = ProcessUsage.of(pid: sonde.processIdentifier)
        let status = sonde.stop()
        let errors = sonde.standardError
        guard let usage, status == 0, let summary = errors.split(separator: "\n").last(where: { $0.hasPrefix("sonde: stopped: ") }) else {
            throw BenchmarkFailure("sonde failed (exit status \(status)): \(errors)")
        }
        // "sonde: stopped: 1234 spans from 32 connections, lost events 0, ..."
        let words = summary.split(separator: " ")
        let lost = words.indices.first { $0 + 2 < words.count && words[$0] == "lost" && words[$0 + 1] == "events" }
            .flatMap { Int(words[$0 + 2].trimmingCharacters(in: .punctuationCharacters)) }
        guard let spans = Int(words[2]), let lost else { throw BenchmarkFailure("could not read sonde's summary: \(summary)") }
        return Report(cpuSeconds: usage.cpuSeconds - startUsage.cpuSeconds, peakResidentBytes: usage.peakResidentBytes,
                      spans: spans, lostEvents: lost, storeDroppedSpans: try Self.storeDroppedSpans(in: errors))
    }

    /// The spans the store dropped, from its line on exit (0 when Sonde ran without a store):
    /// "sonde: store /path: 120 rows written (40 spans) in 3 flushes, 0 dropped, 12 evicted".
    private static func storeDroppedSpans(in errors: String) throws -> Int {
        guard let line = errors.split(separator: "\n").last(where: { $0.hasPrefix("sonde: store ") }) else { return 0 }
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(where: { $0.hasPrefix("dropped") }), index > 0,
              let dropped = Int(words[index - 1]) else {
            throw BenchmarkFailure("could not read the store's summary: \(line)")
        }
        return dropped
    }

    /// Stops Sonde also when a measurement failed before ``finish(drainSeconds:)``.
    deinit {
        sonde.stop()
    }
}
