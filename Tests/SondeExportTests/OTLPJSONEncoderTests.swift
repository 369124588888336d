import Foundation
import SondeExport
import SondeModel
import XCTest

final class OTLPJSONEncoderTests: XCTestCase {
    func testEncodesExactCanonicalJSON() {
        let json = String(decoding: OTLPJSONEncoder().encode([SampleSpans.serverSpan, SampleSpans.clientSpan]),
                          as: UTF8.self)
        let expected = #"""
        {"resourceSpans":[\#
        {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"nginx"}},\#
        {"key":"process.pid","value":{"intValue":"4242"}},\#
        {"key":"process.executable.name","value":{"stringValue":"nginx"}}]},\#
        "scopeSpans":[{"scope":{"name":"sonde","version":"0.1.0"},"spans":[\#
        {"traceId":"0123456789abcdef00000000000000ff","spanId":"00abcdef01234567",\#
        "parentSpanId":"1111222233334444","name":"GET /index.html","kind":2,\#
        "startTimeUnixNano":"1763716061123456789","endTimeUnixNano":"1763716061124691000","attributes":[\#
        {"key":"http.request.method","value":{"stringValue":"GET"}},\#
        {"key":"url.path","value":{"stringValue":"/index.html"}},\#
        {"key":"url.query","value":{"stringValue":"q=1&r=\"two\""}},\#
        {"key":"url.scheme","value":{"stringValue":"http"}},\#
        {"key":"http.response.status_code","value":{"intValue":"200"}},\#
        {"key":"network.protocol.version","value":{"stringValue":"1.1"}},\#
        {"key":"server.address","value":{"stringValue":"127.0.0.1"}},\#
        {"key":"server.port","value":{"intValue":"8080"}},\#
        {"key":"client.address","value":{"stringValue":"127.0.0.1"}},\#
        {"key":"client.port","value":{"intValue":"51234"}},\#
        {"key":"sonde.ratio","value":{"doubleValue":0.25}},\#
        {"key":"sonde.keep_alive","value":{"boolValue":true}},\#
        {"key":"sonde.negative","value":{"intValue":"-9223372036854775808"}}],\#
        "status":{"code":0}}]}]},\#
        {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"curl"}},\#
        {"key":"process.pid","value":{"intValue":"777"}},\#
        {"key":"process.executable.name","value":{"stringValue":"curl"}}]},\#
        "scopeSpans":[{"scope":{"name":"sonde","version":"0.1.0"},"spans":[\#
        {"traceId":"fedcba98765432100f0f0f0f0f0f0f0f","spanId":"0000000000000001",\#
        "name":"POST","kind":3,\#
        "startTimeUnixNano":"1763716062000000000","endTimeUnixNano":"1763716062000850000","attributes":[\#
        {"key":"http.request.method","value":{"stringValue":"POST"}},\#
        {"key":"url.path","value":{"stringValue":"/api/\u0007tab\there\\back\"quote\nline\u001fend é ✓"}},\#
        {"key":"url.scheme","value":{"stringValue":"https"}},\#
        {"key":"http.response.status_code","value":{"intValue":"503"}},\#
        {"key":"network.protocol.version","value":{"stringValue":"1.1"}},\#
        {"key":"server.address","value":{"stringValue":"10.0.0.9"}},\#
        {"key":"server.port","value":{"intValue":"443"}}],\#
        "status":{"code":2,"message":"HTTP 503"}}]}]}]}
        """#
        XCTAssertEqual(json, expected)
    }

    func testGroupsSpansByResourceInOrderOfFirstAppearance() throws {
        var second = SampleSpans.serverSpan
        second.spanID = SpanID(value: 2)
        let request = try parse([SampleSpans.serverSpan, SampleSpans.clientSpan, second])
        let resourceSpans = try XCTUnwrap(request["resourceSpans"] as? [[String: Any]])
        XCTAssertEqual(resourceSpans.count, 2)
        let spanIDs = resourceSpans.map { group -> [String] in
            let scopeSpans = group["scopeSpans"] as? [[String: Any]] ?? []
            XCTAssertEqual(scopeSpans.count, 1)
            let spans = scopeSpans.first?["spans"] as? [[String: Any]] ?? []
            return spans.map { $0["spanId"] as? String ?? "" }
        }
        XCTAssertEqual(spanIDs, [["00abcdef01234567", "0000000000000002"], ["0000000000000001"]])
    }

    func testEscapedStringsRoundTripThroughAJSONParser() throws {
        let request = try parse([SampleSpans.clientSpan])
        let resourceSpans = try XCTUnwrap(request["resourceSpans"] as? [[String: Any]])
        let scopeSpans = try XCTUnwrap(resourceSpans.first?["scopeSpans"] as? [[String: Any]])
        let span = try XCTUnwrap((scopeSpans.first?["spans"] as? [[String: Any]])?.first)
        let attributes = try XCTUnwrap(span["attributes"] as? [[String: Any]])
        let path = (attributes[1]["value"] as? [String: Any])?["stringValue"] as? String
        XCTAssertEqual(path, "/api/\u{7}tab\there\\back\"quote\nline\u{1F}end é ✓")
        XCTAssertNil(span["parentSpanId"])
    }

    func testNonFiniteDoublesUseTheProtoJSONStrings() {
        var span = SampleSpans.clientSpan
        span.attributes = [Attribute("a", .double(.nan)), Attribute("b", .double(-.infinity)),
                           Attribute("c", .double(1e300))]
        let json = String(decoding: OTLPJSONEncoder().encode([span]), as: UTF8.self)
        XCTAssertTrue(json.contains(#"{"key":"a","value":{"doubleValue":"NaN"}},"#
                                    + #"{"key":"b","value":{"doubleValue":"-Infinity"}},"#
                                    + #"{"key":"c","value":{"doubleValue":1e+300}}"#), json)
    }

    func testAnEmptyBatchIsAnEmptyRequest() {
        XCTAssertEqual(String(decoding: OTLPJSONEncoder().encode([]), as: UTF8.self), #"{"resourceSpans":[]}"#)
    }

    private func parse(_ spans: [Span]) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(OTLPJSONEncoder().encode(spans)))
        return try XCTUnwrap(object as? [String: Any])
    }
}
