import SondeCapture
import SondeExport
import SondeModel
import SondePipeline

/// The closing line of a replay on stderr: packets, streams, spans by protocol, gaps.
struct ReplaySummary {
    /// Spans per protocol (`http`, or the `db.system.name`), in the order first seen.
    private(set) var spansByProtocol: [(String, Int)] = []

    mutating func count(_ spans: [Span]) {
        for span in spans {
            let name = span.attributes["db.system.name"]?.description
                ?? (span.attributes["http.request.method"] != nil ? "http" : span.name)
            if let index = spansByProtocol.firstIndex(where: { $0.0 == name }) {
                spansByProtocol[index].1 += 1
            } else {
                spansByProtocol.append((name, 1))
            }
        }
    }

    /// e.g. `sonde: replayed x.pcap: 42 packets (1 skipped, not TCP), 5 TCP streams, 5 spans (http 5), gaps 0, ...`.
    /// Gaps are the ranges the capture proves missing plus those the tracker declared lost at a timeout
    /// or close.
    func line(file: String, capture: CaptureStatistics, tracker: TrackerStatistics,
              export: OTLPExporterStatistics?) -> String {
        let total = spansByProtocol.reduce(0) { $0 + $1.1 }
        let byProtocol = spansByProtocol.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        var parts = [
            "\(capture.packets) packets (\(capture.skippedPackets) skipped, not TCP)",
            "\(capture.streams) TCP streams",
            "\(total) spans" + (byProtocol.isEmpty ? "" : " (\(byProtocol))"),
            "gaps \(capture.missingRanges + tracker.gaps)", "resyncs \(tracker.resyncs)",
            "unrecognised connections \(tracker.unrecognisedConnections)",
        ]
        if let export { parts.append("export: \(export)") }
        return "sonde: replayed \(file): " + parts.joined(separator: ", ")
    }
}
