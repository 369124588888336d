import SondeModel

/// The span attributes the store's columns are made of, found in one pass over a span's attributes
/// rather than one search per column. The first of a repeated key wins, as with `[Attribute]`'s subscript.
struct StoredAttributes {
    /// The attributes columns come from.
    enum Key: Int, CaseIterable {
        case rpcSystem
        case grpcStatusCode
        case method
        case methodOriginal
        case path
        case query
        case scheme
        case statusCode
        case protocolVersion
        case userAgent
        case requestBodySize
        case responseBodySize
        case peerAddress
        case peerPort
        case localAddress
        case localPort
        case databaseSystem
        case operationName
        case queryText
        case namespace
        case returnedRows
        case affectedRows
        case mysqlCommand
        case errorType

        /// The OpenTelemetry attribute's name.
        var name: String {
            switch self {
            case .rpcSystem: "rpc.system"
            case .grpcStatusCode: "rpc.grpc.status_code"
            case .method: "http.request.method"
            case .methodOriginal: "http.request.method_original"
            case .path: "url.path"
            case .query: "url.query"
            case .scheme: "url.scheme"
            case .statusCode: "http.response.status_code"
            case .protocolVersion: "network.protocol.version"
            case .userAgent: "user_agent.original"
            case .requestBodySize: "http.request.body.size"
            case .responseBodySize: "http.response.body.size"
            case .peerAddress: "network.peer.address"
            case .peerPort: "network.peer.port"
            case .localAddress: "network.local.address"
            case .localPort: "network.local.port"
            case .databaseSystem: "db.system.name"
            case .operationName: "db.operation.name"
            case .queryText: "db.query.text"
            case .namespace: "db.namespace"
            case .returnedRows: "db.response.returned_rows"
            case .affectedRows: "mysql.response.affected_rows"
            case .mysqlCommand: "mysql.command.code"
            case .errorType: "error.type"
            }
        }
    }

    /// By `Key.rawValue`.
    private var values: [AttributeValue?]

    init(_ attributes: [Attribute]) {
        values = Array(repeating: nil, count: Self.keys.count)
        for attribute in attributes {
            guard let key = Self.keys[attribute.key], values[key.rawValue] == nil else { continue }
            values[key.rawValue] = attribute.value
        }
    }

    subscript(key: Key) -> AttributeValue? { values[key.rawValue] }

    private static let keys = Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.name, $0) })
}
