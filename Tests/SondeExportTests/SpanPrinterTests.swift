import Foundation
import SondeExport
import SondeModel
import XCTest

final class SpanPrinterTests: XCTestCase {
    func testTextFormatWritesOneLinePerSpan() throws {
        let output = try printed(format: .text, batches: [[SampleSpans.serverSpan], [SampleSpans.clientSpan]])
        let formatter = SpanTextFormatter()
        XCTAssertEqual(output, formatter.format(SampleSpans.serverSpan) + "\n"
                       + formatter.format(SampleSpans.clientSpan) + "\n")
    }

    func testJSONFormatWritesTheExportersRequestOnePerLine() throws {
        let batches = [[SampleSpans.serverSpan, SampleSpans.clientSpan], SampleSpans.numbered(2)]
        let output = try printed(format: .json, batches: batches)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines.last, "")
        for (line, batch) in zip(lines, batches) {
            XCTAssertEqual(Array(line.utf8), OTLPJSONEncoder().encode(batch))
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)))
        }
    }

    private func printed(format: SpanPrinter.Format, batches: [[Span]]) throws -> String {
        let pipe = Pipe()
        let printer = SpanPrinter(format: format, output: pipe.fileHandleForWriting)
        for batch in batches { printer.consume(batch) }
        printer.consume([])
        printer.shutdown()
        try pipe.fileHandleForWriting.close()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
