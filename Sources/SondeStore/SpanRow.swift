import SondeModel

/// One span on its way into the store, with what its columns are made of: its protocol, its kind and status,
/// and its attributes. The span itself is not copied: its other fields are read where they are bound (a copy
/// would retain each of its strings and arrays, made on the tracer's thread).
struct SpanRow {
    /// Taken by the columns that hold them.
    var attributes: StoredAttributes
    /// Whose columns the row fills beyond the span's and the connection's.
    let rowProtocol: RowProtocol
    let kind: Span.Kind
    let status: Span.StatusCode
    /// The span's end, nanoseconds since the epoch: every table's `time_`.
    let time: Int64
    let latency: Int64

    init(_ span: borrowing Span) {
        kind = span.kind
        status = span.status
        time = Int64(bitPattern: span.endTime)
        latency = Int64(span.duration)
        attributes = StoredAttributes(span.attributes)
        if attributes[.rpcSystem]?.description == "grpc" {
            rowProtocol = .grpc
        } else if attributes[.method] != nil {
            rowProtocol = .http
        } else if let system = attributes[.databaseSystem]?.description {
            rowProtocol = switch system {
            case "mariadb", "mysql": .mysql
            case "redis": .redis
            default: .other(system)
            }
        } else {
            rowProtocol = .other("other")
        }
    }

    /// A protocol whose columns a row fills, found once per span rather than matched by name at each use.
    enum RowProtocol {
        case http
        case grpc
        case mysql
        case redis
        /// No protocol's columns: `other`, or a database system without columns of its own, by its name.
        case other(String)

        /// The `protocol` column: `http`, `grpc`, `mysql`, `redis`, `other` or the database system.
        var name: String {
            switch self {
            case .http: "http"
            case .grpc: "grpc"
            case .mysql: "mysql"
            case .redis: "redis"
            case .other(let name): name
            }
        }
    }

    /// Binds the connection's columns beyond those of the span: which ends, which role, whether encrypted.
    ///
    /// The ends also give back `client.*` and `server.*` when those name the socket's ends (the server named
    /// by a `Host` header stays among the attributes), and `encrypted` gives back `url.scheme`.
    mutating func bindConnection(to values: inout RowBinding) {
        let remote = (address: attributes.take(.peerAddress), port: attributes.take(.peerPort))
        let local = (address: attributes.take(.localAddress), port: attributes.take(.localPort))
        values.bind("remote_addr", remote.address?.description)
        values.bind("remote_port", remote.port?.integer)
        values.bind("local_addr", local.address?.description)
        values.bind("local_port", local.port?.integer)
        let role = Self.traceRole(kind)
        values.bind("trace_role", role)
        let (server, client) = role == Self.serverRole ? (local, remote) : (remote, local)
        attributes.take(.serverAddress, ifEqualTo: server.address)
        attributes.take(.serverPort, ifEqualTo: server.port)
        attributes.take(.clientAddress, ifEqualTo: client.address)
        attributes.take(.clientPort, ifEqualTo: client.port)
        let isEncrypted = attributes[.scheme] == .string("https")
        values.bind("encrypted", isEncrypted)
        attributes.take(.scheme, ifEqualTo: .string(isEncrypted ? "https" : "http"))
    }

    /// `server`, `client`, `producer`, `consumer` or `internal`.
    var kindName: String {
        switch kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        case .internal: "internal"
        }
    }

    /// `unset`, `ok` or `error`.
    var statusName: String {
        switch status {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        }
    }

    /// Pixie's numbering: 1 = client (sent the request), 2 = server.
    private static func traceRole(_ kind: Span.Kind) -> Int64 {
        switch kind {
        case .client, .consumer: 1
        case .server, .producer: serverRole
        case .internal: 0
        }
    }

    private static let serverRole: Int64 = 2
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
