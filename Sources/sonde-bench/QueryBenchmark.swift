import ArgumentParser
import Foundation
import GRDB
import SondeQuery
import SondeStore

/// `sonde-bench query`: what `sonde query` costs over a full store. Fills a temporary store with
/// synthetic spans (one `spans` row each, which `http_events` shows, an hour's worth ending now), then
/// times typical scripts run read-only by the engine, as `sonde query` runs them.
struct QueryBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query time over a store of synthetic HTTP spans (default one million).")

    @Option(help: "Spans in the store.")
    var spans: Int = 1_000_000

    @Option(help: "Measurements per query; the median is printed.")
    var repetitions: Int = 3

    static let scripts: [(name: String, text: String)] = [
        ("head(100) of a filter, last 5 min", """
            import px
            df = px.DataFrame(table='http_events', start_time='-5m')
            df = df[df.resp_status >= 500 and px.contains(df.req_path, '/api/')]
            px.display(df.head(100))
            """),
        ("http_request_stats, last 5 min", BundledScript.named("http_request_stats")!.text),
        ("http_request_stats, whole hour", BundledScript.named("http_request_stats")!.text
            .replacingOccurrences(of: "start_time='-5m'", with: "start_time='-2h'")),
        ("px.bin 10 s + quantiles, hour", """
            import px
            df = px.DataFrame(table='http_events', start_time='-2h')
            df.timestamp = px.bin(df.time_, px.seconds(10))
            df = df.groupby('timestamp').agg(q=('latency', px.quantiles))
            df.p99 = px.pluck_float64(df.q, 'p99')
            px.display(df.drop('q'))
            """),
        ("merge 5xx with spans, last 5 min", """
            import px
            http = px.DataFrame(table='http_events', start_time='-5m', select=['span_id', 'req_path', 'resp_status'])
            http = http[http.resp_status >= 500]
            spans = px.DataFrame(table='spans', start_time='-5m', select=['span_id', 'name', 'status'])
            px.display(http.merge(spans, how='inner', left_on='span_id', right_on='span_id', suffixes=['', '_span']))
            """),
    ]

    func run() throws {
        guard spans > 0, repetitions > 0 else { throw ValidationError("--spans and --repetitions must be positive.") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-bench-query-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("spans.db").path
        let fillSeconds = try fill(path)
        let megabytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
        print("fill: \(spans) spans (one spans row each, one transaction) in \(Measurement.format(fillSeconds, 0)) s, "
              + "\(Measurement.format(Double(spans) / fillSeconds, 0, decimals: 0)) spans/s, store \(Measurement.format(megabytes, 0, decimals: 0)) MB")
        let engine = try QueryEngine(storePath: path)
        print("query                               rows  median-ms")
        for script in Self.scripts {
            var rows = 0
            var times: [Double] = []
            for _ in 0..<repetitions {
                times.append(try Measurement.seconds { rows = try engine.run(script.text).reduce(0) { $0 + $1.rows.count } })
            }
            print(script.name.padding(toLength: 33, withPad: " ", startingAt: 0) + String(rows).leftPadded(7)
                  + Measurement.format(Measurement.median(times) * 1e3, 11))
        }
    }

    /// Seconds to create the store and insert the spans in one transaction.
    private func fill(_ path: String) throws -> Double {
        let database = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(database)
        let end = QueryEngine.wallClockNow()
        let services = ["checkout", "catalog", "users", "gateway"]
        let paths = (0..<40).map { "/api/v1/resource\($0)" } + ["/healthz", "/metrics", "/", "/login"]
        var random = SplitMix64(seed: 42)
        return try Measurement.seconds {
            try database.write { db in
                // Spans spread over the partitions in time order, as the writer leaves them, with the attributes
                // no column holds.
                let span = try (0..<StoreSchema.partitionCount).map { partition in try db.makeStatement(sql: """
                    INSERT INTO \(StoreSchema.spans.partition(partition)) (time_, start_time, latency, trace_id, span_id,
                      parent_span_id, name, kind, status, status_message, protocol, upid, pid, service, remote_addr,
                      remote_port, local_addr, local_port, trace_role, encrypted, http_major_version, http_minor_version,
                      http_req_method, http_req_path, http_req_headers, http_req_body_size, http_resp_status,
                      http_resp_message, http_resp_headers, http_resp_body_size, attributes)
                    VALUES (?, ?, ?, ?, ?, '', ?, 'server', ?, '', 'http', ?, ?, ?, '10.0.0.2', ?, '10.0.0.1', 8080, 2, 0,
                      1, 1, ?, ?, '{"User-Agent":"curl/7.88.1"}', ?, ?, NULL, '{}', ?, ?)
                    """) }
                for index in 0..<spans {
                    let time = end - 3_600_000_000_000 + Int64(index) * 3_600_000_000_000 / Int64(spans)
                    // Paths: a few hot ones, a long tail (the square skews toward low indices).
                    let pathIndex = Int(Double(paths.count) * pow(random.unit(), 2))
                    let roll = random.next() % 100
                    let status: Int64 = roll < 1 ? 500 : roll < 4 ? 404 : 200
                    // Latency: 0.2 ms to about 1 s, most of it under 10 ms.
                    let latency = Int64(200_000 * exp(random.unit() * random.unit() * 8.5))
                    let serviceIndex = Int(random.next() % UInt64(services.count))
                    let method = pathIndex % 5 == 0 ? "POST" : "GET"
                    let traceID = String(format: "%032llx", UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
                    let spanID = String(format: "%016llx", UInt64(index) &* 0xBF58_476D_1CE4_E5B9)
                    let pid = Int64(1000 + serviceIndex)
                    let partition = index * StoreSchema.partitionCount / spans
                    let port = 30_000 + index % 20_000
                    let attributes = #"{"url.scheme":"http","network.transport":"tcp","server.address":"10.0.0.1","#
                        + #""server.port":8080,"client.address":"10.0.0.2","client.port":\#(port)}"#
                    try span[partition].execute(arguments: [
                        time, time - latency, latency, traceID, spanID, "\(method) \(paths[pathIndex])",
                        status >= 500 ? "error" : "unset", "\(pid):0", pid, services[serviceIndex], port, method,
                        paths[pathIndex], Int64(random.next() % 2_000), status, Int64(random.next() % 50_000), attributes,
                    ])
                }
            }
        }
    }
}

/// A small deterministic generator, so every run fills the same store.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
