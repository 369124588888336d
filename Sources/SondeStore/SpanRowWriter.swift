import GRDB
import SondeModel

/// Writes spans as store rows inside one transaction: one row in `spans` per span, one in its protocol's
/// table (`http_events`, `mysql_events`, `redis_events`), and one in `process` per process, written by
/// ``finish()`` with the newest time its spans ended.
///
/// Every value comes from the span's OpenTelemetry attributes and resource, so a span from a capture and
/// one from the kernel are stored alike.
struct SpanRowWriter {
    private let spans: TableInsert
    private let httpEvents: TableInsert
    private let mysqlEvents: TableInsert
    private let redisEvents: TableInsert
    private let processes: TableInsert
    /// The processes of the spans written so far, with the newest end time of their spans.
    private var lastSeen: [ObjectIdentifier: (facts: ResourceFacts, time: Int64)] = [:]
    private var json = JSONText()
    /// Rows written so far.
    private(set) var rowCount = 0

    /// Writes into partition `partition` of the partitioned tables.
    init(_ db: Database, partition: Int) throws {
        spans = try TableInsert(StoreSchema.spans, partition: partition, in: db)
        httpEvents = try TableInsert(StoreSchema.httpEvents, partition: partition, in: db)
        mysqlEvents = try TableInsert(StoreSchema.mysqlEvents, partition: partition, in: db)
        redisEvents = try TableInsert(StoreSchema.redisEvents, partition: partition, in: db)
        processes = try TableInsert(StoreSchema.process, in: db)
    }

    /// Writes the rows of `span`, produced by the process `facts` describes.
    mutating func write(_ span: Span, from facts: ResourceFacts) throws {
        let row = SpanRow(span: span, facts: facts)
        json.clear()
        json.writeObject(span.attributes)
        try spans.insert { values in
            values.bind("time_", row.time)
            values.bind("start_time", Int64(bitPattern: span.startTime))
            values.bind("latency", row.latency)
            values.bind("trace_id", row.traceID)
            values.bind("span_id", row.spanID)
            values.bind("parent_span_id", span.parentSpanID?.hex ?? "")
            values.bind("name", span.name)
            values.bind("kind", row.kindName)
            values.bind("status", row.statusName)
            values.bind("status_message", span.statusMessage ?? "")
            values.bind("protocol", row.protocolName)
            values.bind("upid", facts.upid)
            values.bind("pid", facts.pid)
            values.bind("service", facts.service)
            values.bind("attributes", utf8: json.bytes)
        }
        rowCount += 1
        switch row.protocolName {
        case "http", "grpc": try writeHTTP(row)
        case "redis": try writeRedis(row)
        case "mysql": try writeMySQL(row)
        default: break
        }
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

    private mutating func writeHTTP(_ row: SpanRow) throws {
        let attributes = row.attributes
        let version = attributes[.protocolVersion]?.description.split(separator: ".") ?? []
        json.clear()
        json.writeObject(attributes[.userAgent].map { [Attribute("User-Agent", $0)] } ?? [])
        try httpEvents.insert { values in
            row.bindConnection(to: &values)
            values.bind("major_version", version.first.flatMap { Int64($0) })
            // `network.protocol.version` is `1.1`, `1.0` or `2`: HTTP/2 has no minor version, so 0.
            values.bind("minor_version", version.isEmpty ? nil : Int64(version.count > 1 ? version[1] : "0"))
            if row.protocolName == "grpc" {
                // gRPC calls are POSTs to /package.Service/Method; their outcome is the grpc-status.
                values.bind("req_method", "POST")
                values.bind("req_path", "/\(row.span.name)")
                values.bind("req_headers", utf8: json.bytes)
                values.bind("req_body_size", attributes[.requestBodySize]?.integer)
                values.bind("resp_message", attributes[.grpcStatusCode]?.description)
            } else {
                let method = attributes[.methodOriginal] ?? attributes[.method]
                let query = attributes[.query].map { "?\($0)" } ?? ""
                values.bind("req_method", method?.description)
                values.bind("req_path", attributes[.path].map { "\($0)\(query)" })
                values.bind("req_headers", utf8: json.bytes)
                values.bind("req_body_size", attributes[.requestBodySize]?.integer)
                values.bind("resp_status", attributes[.statusCode]?.integer)
            }
            values.bind("resp_headers", "{}")
            values.bind("resp_body_size", attributes[.responseBodySize]?.integer)
        }
        rowCount += 1
    }

    private mutating func writeRedis(_ row: SpanRow) throws {
        let attributes = row.attributes
        let command = attributes[.operationName]?.description ?? row.span.name
        let words = RedisQueryWords.split(attributes[.queryText]?.description ?? "")
        json.clear()
        json.writeArray(Array(words.dropFirst(command.split(separator: " ").count)))
        try redisEvents.insert { values in
            row.bindConnection(to: &values)
            values.bind("req_cmd", command)
            values.bind("req_args", utf8: json.bytes)
            values.bind("resp", row.span.statusMessage ?? "")
        }
        rowCount += 1
    }

    private mutating func writeMySQL(_ row: SpanRow) throws {
        let attributes = row.attributes
        let isError = row.span.status == .error
        let responseBody = if isError {
            row.span.statusMessage ?? attributes[.errorType]?.description ?? ""
        } else if let rows = attributes[.returnedRows] {
            "Resultset rows = \(rows)"
        } else if let rows = attributes[.affectedRows] {
            "Affected rows = \(rows)"
        } else {
            ""
        }
        try mysqlEvents.insert { values in
            row.bindConnection(to: &values)
            values.bind("req_cmd", attributes[.mysqlCommand]?.integer)
            values.bind("req_body", attributes[.queryText]?.description ?? "")
            values.bind("resp_status", Int64(isError ? 3 : 2))
            values.bind("resp_body", responseBody)
            values.bind("db", attributes[.namespace]?.description)
        }
        rowCount += 1
    }
}
