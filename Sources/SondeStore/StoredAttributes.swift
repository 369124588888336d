import SondeModel

/// The span attributes the store's columns are made of, found in one pass over a span's attributes
/// rather than one search per column. The first of a repeated key wins, as with `[Attribute]`'s subscript.
///
/// A column that holds an attribute, so that its value gives the attribute back, ``take(_:)``s it; the row's
/// `attributes` JSON keeps the others (``untaken``), so a span is stored whole and each value once.
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
        case serverAddress
        case serverPort
        case clientAddress
        case clientPort
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
            case .serverAddress: "server.address"
            case .serverPort: "server.port"
            case .clientAddress: "client.address"
            case .clientPort: "client.port"
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

    private let attributes: [Attribute]
    /// By `Key.rawValue`: where the key's attribute is in `attributes`, or -1. Inline, so a span's row needs no
    /// allocation of its own for it. Room for 32 keys: a 33rd would trap at the first row that looks it up.
    private var positions = InlineArray<32, Int8>(repeating: -1)
    /// Bit `n` set: a column holds `attributes[n]`. Only the first 64 attributes are looked up.
    private var taken: UInt64 = 0

    init(_ attributes: [Attribute]) {
        self.attributes = attributes
        // By index: each key is read in place, not copied out with its value.
        for position in 0..<min(attributes.count, 64) {
            guard let key = Key(named: attributes[position].key), positions[key.rawValue] < 0 else { continue }
            positions[key.rawValue] = Int8(position)
        }
    }

    /// The value of `key`'s attribute, if the span has one.
    subscript(key: Key) -> AttributeValue? {
        let position = Int(positions[key.rawValue])
        return position < 0 ? nil : attributes[position].value
    }

    /// The value of `key`'s attribute, which the caller's column holds from now on.
    mutating func take(_ key: Key) -> AttributeValue? {
        let position = Int(positions[key.rawValue])
        guard position >= 0 else { return nil }
        taken |= 1 << UInt64(position)
        return attributes[position].value
    }

    /// Takes `key`'s attribute if its value is `value`: the caller's column holds `value`, which gives it back.
    mutating func take(_ key: Key, ifEqualTo value: AttributeValue?) {
        let position = Int(positions[key.rawValue])
        guard position >= 0, let value, attributes[position].value == value else { return }
        taken |= 1 << UInt64(position)
    }

    /// The attributes no column took, in their order.
    var untaken: some Sequence<Attribute> {
        let taken = taken
        return attributes.enumerated().lazy
            .filter { position, _ in position >= 64 || taken & (1 << UInt64(position)) == 0 }
            .map(\.element)
    }
}

extension StoredAttributes.Key {
    /// The key whose attribute is called `name`, found among the few of its length: no hashing.
    init?(named name: String) {
        let length = name.utf8.count
        guard length < Self.byLength.count, let key = Self.byLength[length].first(where: { $0.name == name }) else {
            return nil
        }
        self = key
    }

    /// The keys by the UTF-8 length of their names.
    private static let byLength: [[Self]] = allCases.reduce(into: []) { table, key in
        let length = key.name.utf8.count
        if table.count <= length { table += Array(repeating: [], count: length + 1 - table.count) }
        table[length].append(key)
    }
}
