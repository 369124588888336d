import GRDB
import SondeModel

/// Writes spans as store rows inside one transaction: one row in `spans` per span, which its protocol's
/// table (`http_events`, `mysql_events`, `redis_events`) shows too, and one in `process` per process,
/// written by ``finish()`` with the newest time its spans ended.
///
/// Every value comes from the span's OpenTelemetry attributes and resource, so a span from a capture and
/// one from the kernel are stored alike. An attribute a column holds is not repeated in `attributes`.
struct SpanRowWriter {
    /// Inserts into `spans` of the columns each kind of row fills: HTTP's (gRPC's too), MySQL's, Redis's, or
    /// none beyond the span's and the connection's.
    private let httpSpans: TableInsert
    private let mysqlSpans: TableInsert
    private let redisSpans: TableInsert
    private let otherSpans: TableInsert
    private let processes: TableInsert
    /// The processes of the spans written so far, with the newest end time of their spans.
    private var lastSeen: [ObjectIdentifier: (facts: ResourceFacts, time: Int64)] = [:]
    private var json = JSONText()
    private var queryWords = RedisQueryWords()
    /// Rows written so far.
    private(set) var rowCount = 0

    /// Writes into partition `partition` of `spans`.
    init(_ db: Database, partition: Int) throws {
        func spans(holding protocols: [ProtocolColumns]) throws -> TableInsert {
            try TableInsert(StoreSchema.spans, columns: StoreSchema.spanRowColumns(holding: protocols),
                            partition: partition, in: db)
        }
        httpSpans = try spans(holding: [StoreSchema.httpColumns])
        mysqlSpans = try spans(holding: [StoreSchema.mysqlColumns])
        redisSpans = try spans(holding: [StoreSchema.redisColumns])
        otherSpans = try spans(holding: [])
        processes = try TableInsert(StoreSchema.process, in: db)
    }

    /// Writes the row of `span`, produced by the process `facts` describes.
    mutating func write(_ span: Span, from facts: ResourceFacts) throws {
        var row = SpanRow(span)
        let spans = switch row.rowProtocol {
        case .http, .grpc: httpSpans
        case .mysql: mysqlSpans
        case .redis: redisSpans
        case .other: otherSpans
        }
        try spans.insert { values in
            values.bind("time_", row.time)
            values.bind("start_time", Int64(bitPattern: span.startTime))
            values.bind("latency", row.latency)
            values.bind("trace_id", span.traceID)
            values.bind("span_id", span.spanID)
            values.bind("parent_span_id", span.parentSpanID)
            values.bind("name", span.name)
            values.bind("kind", row.kindName)
            values.bind("status", row.statusName)
            values.bind("status_message", span.statusMessage ?? "")
            values.bind("protocol", row.rowProtocol.name)
            values.bind("upid", facts.upid)
            values.bind("pid", facts.pid)
            values.bind("service", facts.service)
            row.bindConnection(to: &values)
            switch row.rowProtocol {
            case .http, .grpc: bindHTTP(&row, of: span, to: &values)
            case .mysql: bindMySQL(&row, of: span, to: &values)
            case .redis: bindRedis(&row, of: span, to: &values)
            case .other: break
            }
            json.clear()
            json.writeObject(row.attributes.untaken)
            values.bind("attributes", utf8: json.bytes)
        }
        rowCount += 1
        if facts.pid != nil {
            let newest = max(lastSeen[ObjectIdentifier(facts)]?.time ?? .min, row.time)
            lastSeen[ObjectIdentifier(facts)] = (facts, newest)
        }
    }

    /// Writes the `process` row of every process whose spans were written, last seen at its newest span.
    mutating func finish() throws {
        for (facts, time) in lastSeen.values {
            try processes.insert { values in
                values.bind("time_", time)
                values.bind("upid", facts.upid)
                values.bind("pid", facts.pid)
                values.bind("name", facts.executableName)
                values.bind("service", facts.service)
                values.bind("container_id", facts.containerID ?? "")
                values.bind("resource", facts.json)
            }
        }
        rowCount += lastSeen.count
        lastSeen.removeAll()
    }

    /// Binds the `http_` columns: HTTP's, or gRPC's, whose calls are POSTs to /package.Service/Method and
    /// whose outcome is the grpc-status.
    private mutating func bindHTTP(_ row: inout SpanRow, of span: borrowing Span, to values: inout RowBinding) {
        // `network.protocol.version` is `1.1`, `1.0` or `2`: HTTP/2 has no minor version, so 0.
        let version = row.attributes.take(.protocolVersion)?.description
        let dot = version?.firstIndex(of: ".")
        json.clear()
        json.writeObject(row.attributes.take(.userAgent).map { Attribute("User-Agent", $0) })
        values.bind("http_major_version", version.flatMap { Int64($0[..<(dot ?? $0.endIndex)]) })
        let minor: Int64? = if let version { dot.map { Int64(version[version.index(after: $0)...]) } ?? 0 } else { nil }
        values.bind("http_minor_version", minor)
        if case .grpc = row.rowProtocol {
            values.bind("http_req_method", "POST")
            values.bind("http_req_path", "/\(span.name)")
            values.bind("http_req_headers", utf8: json.bytes)
            values.bind("http_req_body_size", row.attributes.take(.requestBodySize)?.integer)
            values.bind("http_resp_message", row.attributes.take(.grpcStatusCode)?.description)
        } else {
            // An unknown method is `_OTHER` in `http.request.method`, which stays among the attributes.
            let method = row.attributes.take(.methodOriginal) ?? row.attributes.take(.method)
            let path = row.attributes.take(.path)
            let query = row.attributes.take(.query).map { "?\($0)" } ?? ""
            values.bind("http_req_method", method?.description)
            values.bind("http_req_path", path.map { "\($0)\(query)" })
            values.bind("http_req_headers", utf8: json.bytes)
            values.bind("http_req_body_size", row.attributes.take(.requestBodySize)?.integer)
            values.bind("http_resp_status", row.attributes.take(.statusCode)?.integer)
        }
        values.bind("http_resp_headers", "{}")
        values.bind("http_resp_body_size", row.attributes.take(.responseBodySize)?.integer)
    }

    /// Binds the `mysql_` columns.
    private func bindMySQL(_ row: inout SpanRow, of span: borrowing Span, to values: inout RowBinding) {
        let isError = row.status == .error
        // The response summary is made of attributes, which stay among the attributes.
        let responseBody = if isError {
            span.statusMessage ?? row.attributes[.errorType]?.description ?? ""
        } else if let rows = row.attributes[.returnedRows] {
            "Resultset rows = \(rows)"
        } else if let rows = row.attributes[.affectedRows] {
            "Affected rows = \(rows)"
        } else {
            ""
        }
        values.bind("mysql_req_cmd", row.attributes.take(.mysqlCommand)?.integer)
        values.bind("mysql_req_body", row.attributes.take(.queryText)?.description ?? "")
        values.bind("mysql_resp_status", Int64(isError ? 3 : 2))
        values.bind("mysql_resp_body", responseBody)
        values.bind("mysql_db", row.attributes.take(.namespace)?.description)
    }

    /// Binds the `redis_` columns. The query text stays among the attributes: the argument list is made of
    /// it, but does not give it back.
    private mutating func bindRedis(_ row: inout SpanRow, of span: borrowing Span, to values: inout RowBinding) {
        let command = row.attributes.take(.operationName)?.description ?? span.name
        queryWords.split(row.attributes[.queryText]?.description ?? "")
        json.clear()
        // The arguments follow the command's words (two for `CLIENT SETNAME`).
        json.writeArray(queryWords, from: command.utf8.reduce(1) { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 })
        values.bind("redis_req_cmd", command)
        values.bind("redis_req_args", utf8: json.bytes)
        values.bind("redis_resp", span.statusMessage ?? "")
    }
}
