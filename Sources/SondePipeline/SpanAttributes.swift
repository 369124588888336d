import SondeModel

/// Appending OpenTelemetry attributes that are present only sometimes, shared by the span builders.
extension Array where Element == Attribute {
    /// Appends `key` if there is a value.
    mutating func append(_ key: String, _ value: String?) {
        if let value { append(Attribute(key, value)) }
    }

    /// Appends `key` if there is a value.
    mutating func append(_ key: String, _ value: Int?) {
        if let value { append(Attribute(key, value)) }
    }

    /// Appends `<namespace>.address` and `<namespace>.port` (e.g. `network.peer`) for a socket address.
    mutating func append(endpoint namespace: EndpointNamespace, _ address: SocketAddress?) {
        guard let address else { return }
        append(Attribute(namespace.addressKey, address.host))
        append(Attribute(namespace.portKey, Int(address.port)))
    }

    /// Appends the connection's ends: `server.*` (the `named` server, else the socket's server end),
    /// `client.*` on the server side, `network.peer.*` and `network.local.*`.
    mutating func append(connection: ConnectionInfo, isServer: Bool, server named: Endpoint?) {
        if isServer {
            append(server: named ?? connection.local.map(Endpoint.init))
            append(endpoint: .client, connection.remote)
        } else {
            append(server: named ?? connection.remote.map(Endpoint.init))
        }
        append(endpoint: .networkPeer, connection.remote)
        append(endpoint: .networkLocal, connection.local)
    }

    /// Appends what a database span says about its TCP connection: `network.transport`, the server
    /// (the local end when the traced process is the server, which also names the `client.*`), the
    /// peer and the local address.
    mutating func append(databaseConnection connection: ConnectionInfo, isServerSide: Bool) {
        append(Attribute("network.transport", "tcp"))
        append(connection: connection, isServer: isServerSide, server: nil)
    }

    /// Appends `server.address` and, when known, `server.port`.
    mutating func append(server: Endpoint?) {
        guard let server else { return }
        append(Attribute("server.address", server.host))
        append("server.port", server.port)
    }
}

/// A host and an optional port as a span names the server (`server.address`, `server.port`).
struct Endpoint: Equatable {
    var host: String
    var port: Int?

    init(host: String, port: Int?) {
        self.host = host
        self.port = port
    }

    init(_ address: SocketAddress) {
        self.init(host: address.host, port: Int(address.port))
    }
}
