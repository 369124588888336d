import Foundation
import SondeQuery
import SondeStore
import Testing

/// Scripts run on a store of rows chosen here; every expected value is computed in the test.
@Suite struct QueryResultTests {
    /// /users: 20 requests (3 of them 500s), /orders: 7 (2 of them 404s), /health: 3 from another
    /// service; plus 2 /users requests ten minutes old, outside a '-5m' window.
    static let userLatencies: [Int64] = [7, 3, 19, 1, 12, 15, 4, 20, 9, 11, 2, 18, 6, 14, 8, 16, 5, 13, 10, 17].map { $0 * 1_000_000 }
    static let orderLatencies: [Int64] = [30, 10, 70, 20, 60, 40, 50].map { $0 * 100_000 }

    static func rows() -> [TestStore.HTTPRow] {
        var rows: [TestStore.HTTPRow] = []
        for (index, latency) in userLatencies.enumerated() {
            rows.append(.init(secondsAgo: Int64(index * 7), path: "/users", status: index % 7 == 3 ? 500 : 200,
                              latency: latency, requestBytes: 10, responseBytes: Int64(100 + index)))
        }
        for (index, latency) in orderLatencies.enumerated() {
            rows.append(.init(secondsAgo: Int64(index * 13), method: "POST", path: "/orders/\(index)",
                              status: index < 2 ? 404 : 201, latency: latency, requestBytes: 50, responseBytes: 5))
        }
        for index in 0..<3 {
            rows.append(.init(secondsAgo: Int64(index), service: "probe", path: "/health", status: 200, latency: 1_000, pid: 7))
        }
        rows.append(.init(secondsAgo: 600, path: "/users", status: 200, latency: 1))
        rows.append(.init(secondsAgo: 601, path: "/users", status: 500, latency: 2))
        return rows
    }

    static func store() throws -> TestStore {
        let store = try TestStore()
        try store.insert(rows())
        return store
    }

    /// Nearest rank, computed the plain way: the value at 1-based rank ceil(q·n) of the sorted values.
    static func nearestRank(_ values: [Int64], _ quantile: Double) -> Double {
        let sorted = values.sorted()
        return Double(sorted[max(1, Int((quantile * Double(sorted.count)).rounded(.up))) - 1])
    }

    @Test func countsPerPathAndStatus() throws {
        let rows = try Self.store().rows("""
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            df.path = px.regex_match('/orders/.*', df.req_path)
            df = df[not df.path]
            df = df.groupby(['req_path', 'resp_status']).agg(n=('latency', px.count))
            px.display(df, 'counts')
            """)
        #expect(rows == [
            [.text("/health"), .integer(200), .integer(3)],
            [.text("/users"), .integer(200), .integer(17)],
            [.text("/users"), .integer(500), .integer(3)],
        ])
    }

    @Test func allTimeIncludesOldRowsAndEndTimeBoundsTheWindow() throws {
        let store = try Self.store()
        let all = try store.rows("""
            import px
            df = px.DataFrame('http_events', select=['req_path'])
            df = df[df.req_path == '/users']
            px.display(df.agg(n=('req_path', px.count)))
            """)
        #expect(all == [[.integer(22)]])
        let old = try store.rows("""
            import px
            df = px.DataFrame(table='http_events', start_time='-20m', end_time=px.now() - px.minutes(5))
            px.display(df[['latency', 'resp_status']].sort('latency'))
            """)
        #expect(old == [[.integer(1), .integer(200)], [.integer(2), .integer(500)]])
        let absolute = try store.rows("""
            import px
            df = px.DataFrame(table='http_events', start_time=\(TestStore.now - 1_000_000_000), end_time=\(TestStore.now))
            px.display(df.agg(n=('latency', px.count)))
            """)
        #expect(absolute == [[.integer(4)]])  // /users #0, /orders/0 and two /health at 0 and 1 s ago
    }

    @Test func quantilesAgainstNearestRankComputedHere() throws {
        let tables = try Self.store().run("""
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            df = df[df.req_path == '/users' or px.contains(df.req_path, '/orders/')]
            df.group = px.regex_match('/orders/[0-9]+', df.req_path)
            df = df.groupby('group').agg(q=('latency', px.quantiles), mean=('latency', px.mean),
                                         low=('latency', px.min), high=('latency', px.max), total=('latency', px.sum))
            df.p50 = px.pluck_float64(df.q, 'p50')
            df.p99 = px.pluck_float64(df.q, 'p99')
            df.p01 = px.pluck_float64(df.q, 'p01')
            df = df.drop('q')
            px.display(df, 'latency')
            """)
        #expect(tables[0].columns.map(\.name) == ["group", "mean", "low", "high", "total", "p50", "p99", "p01"])
        #expect(tables[0].columns.map(\.type.rawValue) == ["boolean", "duration", "duration", "duration", "duration",
                                                            "float64", "float64", "float64"])
        for (group, latencies) in [(0, Self.userLatencies), (1, Self.orderLatencies)] {
            let mean = Double(latencies.reduce(0, +)) / Double(latencies.count)
            #expect(tables[0].rows[group] == [
                .integer(Int64(group)), .real(mean), .integer(latencies.min()!), .integer(latencies.max()!),
                .integer(latencies.reduce(0, +)), .real(Self.nearestRank(latencies, 0.5)),
                .real(Self.nearestRank(latencies, 0.99)), .real(Self.nearestRank(latencies, 0.01)),
            ])
        }
    }

    @Test func filtersWithAndOrNotContainsRegex() throws {
        let store = try Self.store()
        let script = { (condition: String) in """
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            df = df[\(condition)]
            px.display(df.agg(n=('latency', px.count)))
            """ }
        let expectations: [(String, Int64)] = [
            ("df.resp_status >= 400 and df.req_method == 'GET'", 3),
            ("df.resp_status == 404 or df.ctx['service'] == 'probe'", 5),
            ("not (df.resp_status == 200)", 10),
            ("px.contains(df.req_path, 'ord') and not df.resp_status != 201", 5),
            ("px.regex_match('/(users|health)', df.req_path)", 23),
            ("px.regex_match('/user', df.req_path)", 0),
            ("df.latency > 15 * 1000 * 1000 and df.latency <= px.milliseconds(18)", 3),
            ("df.ctx['pid'] == 7", 3),
        ]
        for (condition, count) in expectations {
            #expect(try store.rows(script(condition)) == [[.integer(count)]], "\(condition)")
        }
    }

    @Test func arithmeticColumns() throws {
        let rows = try Self.store().rows("""
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            df = df[df.req_path == '/orders/2']
            df.latency_ms = df.latency / 1000000
            df['bytes'] = df.req_body_size + df.resp_body_size * 2
            df.negative = -df.resp_status
            df.odd = df.resp_status % 2
            df.age = px.now() - df.time_
            df.label = df.req_method + ' ' + df.req_path
            df = df[['latency_ms', 'bytes', 'negative', 'odd', 'age', 'label']]
            px.display(df)
            """)
        #expect(rows == [[.real(7.0), .integer(60), .integer(-201), .integer(1), .integer(26_000_000_000), .text("POST /orders/2")]])
    }

    @Test func binsOfTenSeconds() throws {
        let store = try TestStore()
        let rows = (0..<25).map { TestStore.HTTPRow(secondsAgo: Int64($0), path: "/", status: 200, latency: Int64($0)) }
        try store.insert(rows)
        let result = try store.rows("""
            import px
            df = px.DataFrame(table='http_events')
            df.timestamp = px.bin(df.time_, px.seconds(10))
            df = df.groupby('timestamp').agg(n=('latency', px.count), slowest=('latency', px.max))
            px.display(df)
            """)
        // now is a whole multiple of 10 s: ages 0 -> bin now, 1...10 -> now-10s, 11...20 -> now-20s, 21...24 -> now-30s.
        let second: Int64 = 1_000_000_000
        #expect(result == [
            [.integer(TestStore.now - 30 * second), .integer(4), .integer(24)],
            [.integer(TestStore.now - 20 * second), .integer(10), .integer(20)],
            [.integer(TestStore.now - 10 * second), .integer(10), .integer(10)],
            [.integer(TestStore.now), .integer(1), .integer(0)],
        ])
    }

    @Test func mergeInnerAndLeft() throws {
        let store = try Self.store()
        try store.insert([.init(secondsAgo: 1, path: "/joined", status: 200, latency: 5, spanID: "aaaa"),
                          .init(secondsAgo: 1, path: "/lonely", status: 200, latency: 6, spanID: "bbbb")])
        // Every exchange is a span too: only the named one is left on the right.
        try store.execute("UPDATE \(StoreSchema.spans.partition(0)) SET name = 'GET /joined' WHERE span_id = 'aaaa'")
        let script = { (how: String) in """
            import px
            http = px.DataFrame(table='http_events', select=['span_id', 'req_path', 'latency'])
            http = http[http.span_id != '']
            spans = px.DataFrame(table='spans', select=['span_id', 'name', 'latency'])
            spans = spans[spans.name == 'GET /joined']
            df = http.merge(spans, how='\(how)', left_on=['span_id'], right_on='span_id', suffixes=['', '_span'])
            df = df.sort('req_path')
            px.display(df, 'joined')
            """ }
        let inner = try store.run(script("inner"))
        #expect(inner[0].columns.map(\.name) == ["span_id", "req_path", "latency", "span_id_span", "name", "latency_span"])
        #expect(inner[0].rows == [[.text("aaaa"), .text("/joined"), .integer(5), .text("aaaa"), .text("GET /joined"), .integer(5)]])
        let left = try store.rows(script("left"))
        #expect(left == [
            [.text("aaaa"), .text("/joined"), .integer(5), .text("aaaa"), .text("GET /joined"), .integer(5)],
            [.text("bbbb"), .text("/lonely"), .integer(6), .null, .null, .null],
        ])
    }

    @Test func sortHeadDropAndSeveralDisplays() throws {
        let tables = try Self.store().run("""
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            slowest = df.sort('latency', ascending=False).head(3)
            slowest = slowest.drop(['upid', 'pid', 'remote_addr', 'remote_port', 'local_addr', 'local_port',
                                    'trace_role', 'encrypted', 'trace_id', 'span_id', 'major_version',
                                    'minor_version', 'req_headers', 'resp_message', 'resp_headers', 'time_'])
            px.display(slowest, 'slowest')
            paths = df.sort(['resp_status', 'req_path'], ascending=[False, True])[['resp_status', 'req_path']].head(4)
            px.display(paths, 'by_status')
            """)
        #expect(tables.map(\.name) == ["slowest", "by_status"])
        #expect(tables[0].columns.map(\.name) == ["service", "latency", "req_method", "req_path", "req_body_size",
                                                  "resp_status", "resp_body_size"])
        #expect(tables[0].rows.map { $0[1] } == [.integer(20_000_000), .integer(19_000_000), .integer(18_000_000)])
        #expect(tables[1].rows == [
            [.integer(500), .text("/users")], [.integer(500), .text("/users")], [.integer(500), .text("/users")],
            [.integer(404), .text("/orders/0")],
        ])
    }

    @Test func readsCommittedRowsWhileTheWriterHoldsATransaction() throws {
        let store = try Self.store()
        let script = "import px; px.display(px.DataFrame(table='http_events').agg(n=('latency', px.count)))"
        try store.whileWriting(.init(secondsAgo: 0, path: "/pending", status: 200, latency: 1)) {
            let rows = try store.rows(script)
            #expect(rows == [[.integer(Int64(Self.rows().count))]])
        }
        #expect(try store.rows(script) == [[.integer(Int64(Self.rows().count + 1))]])
    }

    @Test func missingStoreIsOneSentence() {
        #expect(throws: QueryError("no span store at /nonexistent/spans.db; start `sonde run` or fill one with `sonde replay FILE --store /nonexistent/spans.db`", at: nil)) {
            try QueryEngine(storePath: "/nonexistent/spans.db")
        }
    }
}
