import Foundation
import GRDB
import SondeCapture
import SondeModel
import SondePipeline
import SondeStore

/// A store in a fresh temporary directory, and ways to fill it and read it back.
struct StoreFixture {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")

    let directory: URL
    var path: String { directory.appendingPathComponent("store/spans.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func openStore(_ change: (inout StoreConfiguration) -> Void = { _ in }) throws -> SpanStore {
        var configuration = StoreConfiguration(path: path)
        change(&configuration)
        return try SpanStore(configuration: configuration)
    }

    /// A fresh store holding the spans of fixture capture `name`, written and shut down.
    static func filled(with name: String) throws -> (fixture: StoreFixture, store: SpanStore) {
        let fixture = try StoreFixture()
        let store = try fixture.openStore()
        store.consume(try replay(name))
        store.shutdown()
        return (fixture, store)
    }

    /// The spans of a fixture capture, replayed as `sonde replay` does.
    static func replay(_ name: String) throws -> [Span] {
        let bytes = [UInt8](try Data(contentsOf: captures.appendingPathComponent(name)))
        var events = try CaptureEventReader(bytes: bytes)
        let resource = Resource(attributes: [Attribute("service.name", "replayed")])
        var driver = ReplayDriver(catalog: StaticProcessCatalog(resource: resource))
        var spans: [Span] = []
        while let event = try events.nextEvent() { spans += driver.handle(event) }
        return spans + driver.finish()
    }

    /// A reader of the store file, as another process (`sonde query`) opens it.
    func reader() throws -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// Every row of `sql`, each as `column=value` pairs joined by ` | `, in the order of `columns`.
    func rows(_ sql: String, columns: [String]) throws -> [String] {
        try reader().read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                columns.map { "\(row[$0] as DatabaseValue)" }.joined(separator: " | ")
            }
        }
    }

    func count(_ table: String) throws -> Int {
        try reader().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    /// The partition of `spans` that holds the span `id`, if any.
    func partition(holdingSpan id: SpanID) throws -> Int? {
        try (0..<StoreSchema.partitionCount).first { index in
            let sql = "SELECT span_id FROM \(StoreSchema.spans.partition(index)) WHERE span_id = '\(id.hex)'"
            return try !rows(sql, columns: ["span_id"]).isEmpty
        }
    }

    /// The spans in each partition of `spans`, in partition order.
    func partitionCounts() throws -> [Int] {
        try (0..<StoreSchema.partitionCount).map { try count(StoreSchema.spans.partition($0)) }
    }
}

/// Made-up HTTP server span number `number` (its ids), ending `seconds` (default: `number`) after a fixed
/// instant, for eviction and load tests.
func syntheticSpan(_ number: UInt64, endingAt seconds: UInt64? = nil, path: String = "/") -> Span {
    let end = 1_795_000_000_000_000_000 + (seconds ?? number) * 1_000_000_000
    return Span(traceID: TraceID(high: 1, low: number + 1), spanID: SpanID(value: number + 1), name: "GET", kind: .server, startTime: end - 1_000_000,
                endTime: end, attributes: [Attribute("http.request.method", "GET"), Attribute("url.path", path),
                                           Attribute("http.response.status_code", 200)],
                resource: Resource(attributes: [Attribute("service.name", "synthetic")]))
}
