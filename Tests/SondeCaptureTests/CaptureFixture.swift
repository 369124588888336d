import Foundation
import SondeCapture
import SondeModel
import SondePipeline
import SondeTestSupport

/// The captures of Tests/Fixtures/captures (see its README) and what replaying them gives.
enum CaptureFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Every packet record of a fixture, as a pcap writer takes them back.
    static func records(_ name: String) throws -> [PcapWriter.Record] {
        var file = try CaptureFile(bytes: try bytes(name))
        var records: [PcapWriter.Record] = []
        while let packet = try file.nextPacket() {
            records.append(PcapWriter.Record(timestamp: packet.timestamp, data: Array(packet.data)))
        }
        return records
    }
}

/// The result of replaying a capture through the pipeline, as `sonde replay` does.
struct Replay {
    var spans: [Span] = []
    var capture = CaptureStatistics()
    var tracker = TrackerStatistics()
    /// The error that ended the reading early, if any.
    var failure: CaptureError?

    static let resource = Resource(attributes: [Attribute("service.name", "unknown_service")])

    /// Replays `bytes`; throws only when they are not a capture at all.
    init(_ bytes: [UInt8]) throws {
        var events = try CaptureEventReader(bytes: bytes)
        var driver = ReplayDriver(catalog: StaticProcessCatalog(resource: Self.resource))
        do {
            while let event = try events.nextEvent() { spans += driver.handle(event) }
        } catch let error as CaptureError {
            failure = error
        }
        spans += driver.finish()
        capture = events.statistics
        tracker = driver.tracker.statistics
    }

    init(fixture name: String) throws {
        try self.init(try CaptureFixture.bytes(name))
    }

    /// The HTTP spans in the readable form the tests compare.
    var exchanges: [Exchange] { spans.filter { $0.attributes["http.request.method"] != nil }.map(Exchange.init) }

    /// The Redis spans as `KIND db.query.text client -> server`.
    var redisCommands: [String] {
        spans.filter { $0.attributes["db.system.name"] == .string("redis") }.map { span in
            let attributes = span.attributes
            func text(_ key: String) -> String { attributes[key]?.description ?? "-" }
            return "\(span.kind) \(text("db.query.text")) \(text("client.address")) \(text("client.port")) -> \(text("server.address")) \(text("server.port"))"
        }
    }
}

/// What a test asserts of an HTTP span: kind, request, status, both ends and the capture's times.
struct Exchange: Hashable, CustomStringConvertible {
    var kind: Span.Kind
    var method: String
    var path: String
    var status: Int
    var client: String
    var server: String
    var start: UInt64
    var end: UInt64

    init(_ method: String, _ path: String, _ status: Int, client: String, server: String,
         start: UInt64, end: UInt64, kind: Span.Kind = .server) {
        self.kind = kind
        self.method = method
        self.path = path
        self.status = status
        self.client = client
        self.server = server
        self.start = start
        self.end = end
    }

    init(_ span: Span) {
        let attributes = span.attributes
        func text(_ key: String) -> String { attributes[key]?.description ?? "-" }
        let isServer = span.kind == .server
        self.init(text("http.request.method"), text("url.path") + (attributes["url.query"].map { "?\($0)" } ?? ""),
                  Int(text("http.response.status_code")) ?? 0,
                  client: isServer ? "\(text("client.address")) \(text("client.port"))"
                                   : "\(text("network.local.address")) \(text("network.local.port"))",
                  server: isServer ? "\(text("network.local.address")) \(text("network.local.port"))"
                                   : "\(text("network.peer.address")) \(text("network.peer.port"))",
                  start: span.startTime, end: span.endTime, kind: span.kind)
    }

    var description: String { "\(kind) \(method) \(path) \(status) \(client) -> \(server) [\(start), \(end)]" }
}
