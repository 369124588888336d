import SondeModel

/// One span on its way into the store, with what its columns are made of: its protocol, its process and its
/// attributes.
struct SpanRow {
    let span: Span
    let facts: ResourceFacts
    /// Taken by the columns that hold them.
    var attributes: StoredAttributes
    /// `http`, `grpc`, `mysql`, `redis`, or `other`.
    let protocolName: String

    init(span: Span, facts: ResourceFacts) {
        self.span = span
        self.facts = facts
        attributes = StoredAttributes(span.attributes)
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

    /// Binds the connection's columns beyond those of the span: which ends, which role, whether encrypted.
    mutating func bindConnection(to values: inout RowBinding) {
        values.bind("remote_addr", attributes.take(.peerAddress)?.description)
        values.bind("remote_port", attributes.take(.peerPort)?.integer)
        values.bind("local_addr", attributes.take(.localAddress)?.description)
        values.bind("local_port", attributes.take(.localPort)?.integer)
        values.bind("trace_role", Self.traceRole(span.kind))
        values.bind("encrypted", attributes[.scheme]?.description == "https")
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
