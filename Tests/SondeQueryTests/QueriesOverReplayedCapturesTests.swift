import Foundation
import SondeCapture
import SondeModel
import SondePipeline
import SondeQuery
import SondeStore
import Testing

/// The whole way a user takes without root: real captures replayed into a store by the real writer,
/// then PxL queries whose results are checked against figures computed here from the spans themselves.
@Suite struct QueriesOverReplayedCapturesTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures")
    static let names = ["http_ipv4.pcap", "http_keepalive.pcap", "http_ipv6.pcapng", "two_interfaces.pcapng",
                        "redis.pcap", "mariadb.pcap"]

    /// The spans of every capture, and a store holding them (written by `SpanStore`, shut down).
    static func filledStore() throws -> (path: String, spans: [Span]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-query-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("spans.db").path
        let store = try SpanStore(configuration: StoreConfiguration(path: path))
        var spans: [Span] = []
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: captures.appendingPathComponent(name)))
            var events = try CaptureEventReader(bytes: bytes)
            var driver = ReplayDriver(catalog: StaticProcessCatalog(resource: Resource(attributes: [Attribute("service.name", name)])))
            while let event = try events.nextEvent() { spans += driver.handle(event) }
            spans += driver.finish()
        }
        store.consume(spans)
        store.shutdown()
        return (path, spans)
    }

    static func attribute(_ span: Span, _ key: String) -> String? {
        span.attributes.first { $0.key == key }.map { "\($0.value)" }
    }

    /// Nearest rank: the value at rank ceil(q × n) of the sorted values.
    static func nearestRank(_ values: [UInt64], _ q: Double) -> Int64 {
        let sorted = values.sorted()
        return Int64(sorted[max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1)])
    }

    /// All rows of the one table `script` displays; the captures are years old, so windows start at 0.
    static func rows(_ script: String, path: String) throws -> [[QueryValue]] {
        let tables = try QueryEngine(storePath: path).run("import px\n" + script)
        #expect(tables.count == 1)
        return tables.first?.rows ?? []
    }

    @Test func countsAndLatencyQuantilesPerPathAndStatusMatchTheSpans() throws {
        let (path, spans) = try Self.filledStore()
        let http = spans.filter { Self.attribute($0, "http.request.method") != nil }
        #expect(http.count > 10)
        // req_path is the target: the path and its query string.
        let groups = Dictionary(grouping: http) { span in
            let target = Self.attribute(span, "url.path")! + (Self.attribute(span, "url.query").map { "?" + $0 } ?? "")
            return "\(target) \(Self.attribute(span, "http.response.status_code") ?? "-")"
        }
        let expected = groups.map { key, group in
            "\(key) \(group.count) \(Self.nearestRank(group.map(\.duration), 0.5)) \(Self.nearestRank(group.map(\.duration), 0.99))"
        }.sorted()

        let rows = try Self.rows("""
            df = px.DataFrame(table='http_events', start_time=0)
            df.path = df.req_path
            df = df.groupby(['path', 'resp_status']).agg(n=('latency', px.count), q=('latency', px.quantiles))
            df.p50 = px.pluck_float64(df.q, 'p50')
            df.p99 = px.pluck_float64(df.q, 'p99')
            px.display(df[['path', 'resp_status', 'n', 'p50', 'p99']])
            """, path: path)
        let got = rows.map { row in
            row.map { value -> String in
                switch value {
                case .integer(let number): String(number)
                case .real(let number): String(Int64(number))
                case .text(let text): text
                case .null: "-"
                }
            }.joined(separator: " ")
        }.sorted()
        #expect(got == expected)
    }

    @Test func filtersBinsAndMergesAgreeWithTheSpans() throws {
        let (path, spans) = try Self.filledStore()
        let http = spans.filter { Self.attribute($0, "http.request.method") != nil }
        let failures = http.filter { Int(Self.attribute($0, "http.response.status_code") ?? "0")! >= 400 }

        let filtered = try Self.rows("""
            df = px.DataFrame('http_events', start_time=0)
            df = df[df.resp_status >= 400 and not px.contains(df.req_path, 'never-there')]
            px.display(df.agg(n=('latency', px.count)))
            """, path: path)
        #expect(filtered == [[.integer(Int64(failures.count))]])

        // Ten-second bins: the counts add up to every HTTP span, one bin per distinct ten seconds.
        let binned = try Self.rows("""
            df = px.DataFrame('http_events', start_time=0)
            df.bin = px.bin(df.time_, px.seconds(10))
            px.display(df.groupby('bin').agg(n=('latency', px.count)))
            """, path: path)
        let bins = Set(http.map { $0.endTime / 10_000_000_000 * 10_000_000_000 })
        #expect(binned.count == bins.count)
        #expect(binned.map { row -> Int64 in if case .integer(let n) = row[1] { n } else { -1 } }.reduce(0, +) == Int64(http.count))

        // Each HTTP row joins its span: the span names are the methods.
        let merged = try Self.rows("""
            http = px.DataFrame('http_events', start_time=0)
            spans = px.DataFrame('spans', start_time=0)
            df = http.merge(spans, how='inner', left_on=['span_id'], right_on=['span_id'], suffixes=['', '_span'])
            px.display(df.groupby('name').agg(n=('latency', px.count)))
            """, path: path)
        let names = Dictionary(grouping: http, by: \.name).mapValues(\.count)
        #expect(merged == names.keys.sorted().map { [.text($0), .integer(Int64(names[$0]!))] })
    }

    @Test func redisAndMySQLTablesCountEveryCommand() throws {
        let (path, spans) = try Self.filledStore()
        let redis = Dictionary(grouping: spans.filter { Self.attribute($0, "db.system.name") == "redis" }) {
            Self.attribute($0, "db.operation.name")!
        }.mapValues(\.count)
        let redisRows = try Self.rows("""
            df = px.DataFrame('redis_events', start_time=0)
            px.display(df.groupby('req_cmd').agg(n=('latency', px.count)))
            """, path: path)
        #expect(redisRows == redis.keys.sorted().map { [.text($0), .integer(Int64(redis[$0]!))] })

        let mysql = spans.filter { ["mysql", "mariadb"].contains(Self.attribute($0, "db.system.name")) }
        let mysqlRows = try Self.rows("""
            df = px.DataFrame('mysql_events', start_time=0)
            df = df[df.resp_status == 3]
            px.display(df[['req_body']])
            """, path: path)
        let failed = mysql.filter { $0.status == .error }.compactMap { Self.attribute($0, "db.query.text") }
        #expect(!failed.isEmpty)
        #expect(mysqlRows == failed.map { [.text($0)] })
    }
}
