import Foundation
import SondeModel

/// Writes spans to a file handle (standard output by default), one line per span in text format or
/// one OTLP/JSON `ExportTraceServiceRequest` per batch in JSON format (the exporter's exact body).
///
/// Each batch is written at once, as whole lines, so lines from different callers never interleave.
public final class SpanPrinter: SpanSink, @unchecked Sendable {
    /// The line format.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        /// `SpanTextFormatter` lines.
        case text
        /// OTLP/JSON, one request per line.
        case json
    }

    public let format: Format
    private let output: FileHandle
    private let formatter: SpanTextFormatter
    private let lock = NSLock()

    public init(format: Format, output: FileHandle = .standardOutput,
                formatter: SpanTextFormatter = SpanTextFormatter()) {
        self.format = format
        self.output = output
        self.formatter = formatter
    }

    public func consume(_ spans: [Span]) {
        guard !spans.isEmpty else { return }
        var bytes: [UInt8]
        switch format {
        case .text:
            bytes = []
            for span in spans {
                bytes.append(contentsOf: formatter.format(span).utf8)
                bytes.append(UInt8(ascii: "\n"))
            }
        case .json:
            bytes = OTLPJSONEncoder().encode(spans)
            bytes.append(UInt8(ascii: "\n"))
        }
        lock.withLock {
            // A closed reader (e.g. `| head`) leaves nowhere to report to; the spans are simply not shown.
            try? output.write(contentsOf: bytes)
        }
    }

    /// Nothing is buffered: every batch was written when consumed.
    public func shutdown() {}
}
