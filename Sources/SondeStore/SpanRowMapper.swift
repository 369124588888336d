import Foundation
import GRDB
import SondeModel

/// Turns one span into its store rows: always one in `spans`; one in the protocol's table (`http_events`,
/// `mysql_events`, `redis_events`); one in `process` when the resource names a process.
///
/// Every value comes from the span's OpenTelemetry attributes and resource, so a span from a capture and
/// one from the kernel are stored alike.
enum SpanRowMapper {
    static func rows(for span: Span) -> [StoreRow] {
        let facts = SpanFacts(span)
        var rows = [spanRow(span, facts)]
        if let row = protocolRow(span, facts) { rows.append(row) }
        if let row = processRow(facts) { rows.append(row) }
        return rows
    }

    private static func spanRow(_ span: Span, _ facts: SpanFacts) -> StoreRow {
        var row = StoreRow(StoreSchema.spans)
        row["time_"] = Int64(bitPattern: span.endTime)
        row["start_time"] = Int64(bitPattern: span.startTime)
        row["latency"] = Int64(span.duration)
        row["trace_id"] = span.traceID.description
        row["span_id"] = span.spanID.description
        row["parent_span_id"] = span.parentSpanID?.description ?? ""
        row["name"] = span.name
        row["kind"] = "\(span.kind)"
        row["status"] = "\(span.status)"
        row["status_message"] = span.statusMessage ?? ""
        row["protocol"] = facts.protocolName
        row["upid"] = facts.upid
        row["pid"] = facts.pid
        row["service"] = facts.service
        row["attributes"] = JSONText.object(span.attributes)
        row["resource"] = JSONText.object(span.resource.attributes)
        return row
    }

    private static func protocolRow(_ span: Span, _ facts: SpanFacts) -> StoreRow? {
        switch facts.protocolName {
        case "http", "grpc": httpRow(span, facts)
        case "redis": redisRow(span, facts)
        case "mysql": mysqlRow(span, facts)
        default: nil
        }
    }

    /// The columns every protocol table shares.
    private static func connectionRow(_ table: StoreTable, _ span: Span, _ facts: SpanFacts) -> StoreRow {
        let attributes = span.attributes
        var row = StoreRow(table)
        row["time_"] = Int64(bitPattern: span.endTime)
        row["upid"] = facts.upid
        row["pid"] = facts.pid
        row["service"] = facts.service
        row["remote_addr"] = attributes["network.peer.address"]?.description
        row["remote_port"] = attributes["network.peer.port"]?.integer
        row["local_addr"] = attributes["network.local.address"]?.description
        row["local_port"] = attributes["network.local.port"]?.integer
        row["trace_role"] = traceRole(span.kind)
        row["encrypted"] = attributes["url.scheme"]?.description == "https"
        row["latency"] = Int64(span.duration)
        row["trace_id"] = span.traceID.description
        row["span_id"] = span.spanID.description
        return row
    }

    /// Pixie's numbering: 1 = client (sent the request), 2 = server.
    private static func traceRole(_ kind: Span.Kind) -> Int64 {
        switch kind {
        case .client, .consumer: 1
        case .server, .producer: 2
        case .internal: 0
        }
    }

    private static func httpRow(_ span: Span, _ facts: SpanFacts) -> StoreRow {
        let attributes = span.attributes
        var row = connectionRow(StoreSchema.httpEvents, span, facts)
        let version = attributes["network.protocol.version"]?.description.split(separator: ".") ?? []
        row["major_version"] = version.first.flatMap { Int64($0) }
        // `network.protocol.version` is `1.1`, `1.0` or `2`: HTTP/2 has no minor version, so 0.
        row["minor_version"] = version.isEmpty ? nil : Int64(version.count > 1 ? version[1] : "0")
        if facts.protocolName == "grpc" {
            // gRPC calls are POSTs to /package.Service/Method; their outcome is the grpc-status.
            row["req_method"] = "POST"
            row["req_path"] = "/\(span.name)"
            row["resp_message"] = attributes["rpc.grpc.status_code"]?.description
        } else {
            let method = attributes["http.request.method_original"] ?? attributes["http.request.method"]
            let query = attributes["url.query"].map { "?\($0)" } ?? ""
            row["req_method"] = method?.description
            row["req_path"] = attributes["url.path"].map { "\($0)\(query)" }
            row["resp_status"] = attributes["http.response.status_code"]?.integer
        }
        let requestHeaders = attributes["user_agent.original"].map { [Attribute("User-Agent", $0)] } ?? []
        row["req_headers"] = JSONText.object(requestHeaders)
        row["resp_headers"] = JSONText.object([])
        row["req_body_size"] = attributes["http.request.body.size"]?.integer
        row["resp_body_size"] = attributes["http.response.body.size"]?.integer
        return row
    }

    private static func redisRow(_ span: Span, _ facts: SpanFacts) -> StoreRow {
        let attributes = span.attributes
        var row = connectionRow(StoreSchema.redisEvents, span, facts)
        let command = attributes["db.operation.name"]?.description ?? span.name
        let words = RedisQueryWords.split(attributes["db.query.text"]?.description ?? "")
        let commandWords = command.split(separator: " ").count
        row["req_cmd"] = command
        row["req_args"] = JSONText.array(Array(words.dropFirst(commandWords)))
        row["resp"] = span.statusMessage ?? ""
        return row
    }

    private static func mysqlRow(_ span: Span, _ facts: SpanFacts) -> StoreRow {
        let attributes = span.attributes
        var row = connectionRow(StoreSchema.mysqlEvents, span, facts)
        row["req_cmd"] = attributes["mysql.command.code"]?.integer
        row["req_body"] = attributes["db.query.text"]?.description ?? ""
        let isError = span.status == .error
        row["resp_status"] = isError ? 3 : 2
        if isError {
            row["resp_body"] = span.statusMessage ?? attributes["error.type"]?.description ?? ""
        } else if let rows = attributes["db.response.returned_rows"] {
            row["resp_body"] = "Resultset rows = \(rows)"
        } else if let rows = attributes["mysql.response.affected_rows"] {
            row["resp_body"] = "Affected rows = \(rows)"
        } else {
            row["resp_body"] = ""
        }
        row["db"] = attributes["db.namespace"]?.description
        return row
    }

    private static func processRow(_ facts: SpanFacts) -> StoreRow? {
        guard let pid = facts.pid else { return nil }
        var row = StoreRow(StoreSchema.process)
        row["time_"] = facts.time
        row["upid"] = facts.upid
        row["pid"] = pid
        row["name"] = facts.executableName
        row["service"] = facts.service
        row["container_id"] = facts.containerID ?? ""
        return row
    }
}

/// What the rows of a span share: its protocol and the process that produced it.
struct SpanFacts {
    /// `http`, `grpc`, `mysql`, `redis`, or the span name's first word for anything else.
    var protocolName: String
    var time: Int64
    var pid: Int64?
    /// `pid:start_ns` (start 0 when `process.creation.time` is unknown); nil without a pid.
    var upid: String?
    var service: String?
    var executableName: String?
    var containerID: String?

    init(_ span: Span) {
        let attributes = span.attributes
        let resource = span.resource.attributes
        if attributes["rpc.system"]?.description == "grpc" {
            protocolName = "grpc"
        } else if attributes["http.request.method"] != nil {
            protocolName = "http"
        } else if let system = attributes["db.system.name"]?.description {
            protocolName = system == "mariadb" ? "mysql" : system
        } else {
            protocolName = "other"
        }
        time = Int64(bitPattern: span.endTime)
        pid = resource["process.pid"]?.integer
        let start = resource["process.creation.time"].flatMap { Self.nanoseconds(iso8601: $0.description) } ?? 0
        upid = pid.map { "\($0):\(start)" }
        service = resource["service.name"]?.description
        executableName = resource["process.executable.name"]?.description
        containerID = resource["container.id"]?.description
    }

    /// Nanoseconds since the epoch of an ISO 8601 time such as `2026-11-21T10:21:16.25Z`.
    static func nanoseconds(iso8601 text: String) -> Int64? {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
    }
}

extension AttributeValue {
    /// The value as an integer, when it is one.
    var integer: Int64? {
        switch self {
        case .int(let value): value
        case .string(let value): Int64(value)
        case .double, .bool: nil
        }
    }
}
