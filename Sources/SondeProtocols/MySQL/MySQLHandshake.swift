/// Capability flags of the MySQL client/server protocol that change what the parser sees.
struct MySQLCapabilities: OptionSet, Hashable, Sendable {
    let rawValue: UInt32

    static let connectWithDatabase = MySQLCapabilities(rawValue: 0x0000_0008)
    static let compress = MySQLCapabilities(rawValue: 0x0000_0020)
    static let protocol41 = MySQLCapabilities(rawValue: 0x0000_0200)
    static let ssl = MySQLCapabilities(rawValue: 0x0000_0800)
    static let secureConnection = MySQLCapabilities(rawValue: 0x0000_8000)
    static let pluginAuth = MySQLCapabilities(rawValue: 0x0008_0000)
    static let connectAttributes = MySQLCapabilities(rawValue: 0x0010_0000)
    static let pluginAuthLengthEncodedData = MySQLCapabilities(rawValue: 0x0020_0000)
    static let deprecateEOF = MySQLCapabilities(rawValue: 0x0100_0000)
}

/// The server's greeting (Protocol::HandshakeV10), the first packet of a connection.
struct MySQLServerGreeting: Equatable {
    var serverVersion: String
    var capabilities: MySQLCapabilities

    /// MariaDB announces itself in its version (`5.5.5-10.11.6-MariaDB-...`).
    var isMariaDB: Bool { serverVersion.contains("MariaDB") }

    /// Parses a greeting payload: protocol version 10, a printable NUL-terminated version, then the
    /// capability halves around the auth data.
    init?(_ payload: [UInt8]) {
        var reader = MySQLPayloadReader(payload)
        guard reader.byte() == 10, let version = reader.nulTerminatedString(), !version.isEmpty,
              version.utf8.count < 64, version.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
              reader.skip(4 + 8 + 1), let lower = reader.integer(width: 2) else { return nil }
        var capabilities = UInt32(lower)
        if reader.skip(1 + 2), let upper = reader.integer(width: 2) { capabilities |= UInt32(upper) << 16 }
        serverVersion = version
        self.capabilities = MySQLCapabilities(rawValue: capabilities)
    }
}

/// The client's answer to the greeting (Protocol::HandshakeResponse41), or the short SSL request
/// that precedes a TLS handshake.
struct MySQLClientHandshake: Equatable {
    var capabilities: MySQLCapabilities
    var user: String?
    var database: String?
    /// The 32-byte SSL request: TLS follows on the socket.
    var isSSLRequest: Bool

    init?(_ payload: [UInt8], length: Int) {
        var reader = MySQLPayloadReader(payload)
        guard let flags = reader.integer(width: 4), reader.skip(4 + 1 + 23) else { return nil }
        capabilities = MySQLCapabilities(rawValue: UInt32(truncatingIfNeeded: flags))
        isSSLRequest = length == 32 && capabilities.contains(.ssl)
        guard !isSSLRequest else { return }
        user = reader.nulTerminatedString()
        let authLength: Int? = if capabilities.contains(.pluginAuthLengthEncodedData) {
            reader.lengthEncodedInteger()
        } else if capabilities.contains(.secureConnection) {
            reader.byte().map(Int.init)
        } else {
            reader.nulTerminatedString().map { _ in 0 }
        }
        if capabilities.contains(.connectWithDatabase), let authLength, reader.skip(authLength) {
            database = reader.nulTerminatedString().flatMap { $0.isEmpty ? nil : $0 }
        }
    }
}
