import SondeModel

/// One span on its way into the store, with what its rows share: its protocol, its process, and the
/// columns every protocol table has.
struct SpanRow {
    let span: Span
    let facts: ResourceFacts
    let attributes: StoredAttributes
    /// `http`, `grpc`, `mysql`, `redis`, or `other`.
    let protocolName: String
    /// The span's ids in hex, as `spans` and the protocol table both keep them.
    let traceID: String
    let spanID: String

    init(span: Span, facts: ResourceFacts) {
        self.span = span
        self.facts = facts
        attributes = StoredAttributes(span.attributes)
        traceID = span.traceID.hex
        spanID = span.spanID.hex
        if attributes[.rpcSystem]?.description == "grpc" {
            protocolName = "grpc"
        } else if attributes[.method] != nil {
            protocolName = "http"
        } else if let system = attributes[.databaseSystem]?.description {
            protocolName = system == "mariadb" ? "mysql" : system
        } else {
            protocolName = "other"
        }
    }

    /// The span's end, nanoseconds since the epoch: every table's `time_`.
    var time: Int64 { Int64(bitPattern: span.endTime) }
    var latency: Int64 { Int64(span.duration) }

    /// Binds the columns every protocol table shares: when, which process, which connection, how long.
    func bindConnection(to values: inout RowBinding) {
        values.bind("time_", time)
        values.bind("upid", facts.upid)
        values.bind("pid", facts.pid)
        values.bind("service", facts.service)
        values.bind("remote_addr", attributes[.peerAddress]?.description)
        values.bind("remote_port", attributes[.peerPort]?.integer)
        values.bind("local_addr", attributes[.localAddress]?.description)
        values.bind("local_port", attributes[.localPort]?.integer)
        values.bind("trace_role", Self.traceRole(span.kind))
        values.bind("encrypted", attributes[.scheme]?.description == "https")
        values.bind("latency", latency)
        values.bind("trace_id", traceID)
        values.bind("span_id", spanID)
    }

    /// `server`, `client`, `producer`, `consumer` or `internal`.
    var kindName: String {
        switch span.kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        case .internal: "internal"
        }
    }

    /// `unset`, `ok` or `error`.
    var statusName: String {
        switch span.status {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        }
    }

    /// Pixie's numbering: 1 = client (sent the request), 2 = server.
    private static func traceRole(_ kind: Span.Kind) -> Int64 {
        switch kind {
        case .client, .consumer: 1
        case .server, .producer: 2
        case .internal: 0
        }
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
