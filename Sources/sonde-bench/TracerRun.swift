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
                      spans: spans, lostEvents: lost)
    }

    /// Stops Sonde also when a measurement failed before ``finish(drainSeconds:)``.
    deinit {
        sonde.stop()
    }
}
