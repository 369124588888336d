import SondeModel
@testable import SondeProtocols

/// One connection captured from MariaDB (see Tests/Fixtures/mysql/README.md): its chunks in the order
/// they were seen, each from the client or the server.
struct MySQLFixture: CustomStringConvertible, Sendable {
    let name: String
    let chunks: [FixtureChunk]
    /// The exchanges the README lists, as `summary(_:)` writes them.
    let expected: [String]

    var description: String { name }

    init(_ name: String, _ expected: [String]) {
        self.name = name
        chunks = FixtureChunk.load(directory: "mysql", name: name)
        self.expected = expected
    }

    /// What mysql-connector-python sends after logging in.
    static let connectorSetup = ["QUERY SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci' -> 0 affected",
                                 "QUERY SET @@session.autocommit = OFF -> 0 affected"]
    static let preparedSelect = "SELECT id, name, price FROM items WHERE price > ? ORDER BY id"
    static let preparedInsert = "INSERT INTO items (name, price) VALUES (?, ?)"
    static let preparedUpdate = "UPDATE shop.items SET name = ? WHERE id = ?"

    static let all: [MySQLFixture] = [
        MySQLFixture("cli_queries", ["QUERY SELECT id, name FROM items ORDER BY id -> 3 rows",
                                     "QUERY INSERT INTO items (name, price) VALUES ('plum', 4) -> 1 affected",
                                     "QUERY UPDATE items SET price = price + 1 WHERE name = 'pear' -> 1 affected",
                                     "QUERY SELECT DATABASE() -> 1 rows", "INIT_DB other",
                                     "QUERY SELECT DATABASE() -> 1 rows"]),
        MySQLFixture("cli_error", ["QUERY SELECT * FROM nowhere -> !1146"]),
        MySQLFixture("cli_multi_result", ["QUERY CALL two_results() -> 5 rows -> 0 affected"]),
        MySQLFixture("cli_large_result", ["QUERY SELECT seq, REPEAT('abcdefgh', 100) FROM seq_1_to_200 -> 200 rows"]),
        MySQLFixture("connector_prepared", connectorSetup + [
            "PING", "PREPARE \(preparedSelect)", "RESET \(preparedSelect)", "EXECUTE \(preparedSelect) -> 3 rows",
            "RESET \(preparedSelect)", "EXECUTE \(preparedSelect) -> 0 rows", "CLOSE \(preparedSelect)",
            "PREPARE \(preparedInsert)", "RESET \(preparedInsert)", "EXECUTE \(preparedInsert) -> 1 affected",
            "CLOSE \(preparedInsert)", "QUERY COMMIT -> 0 affected",
        ]),
        MySQLFixture("connector_commands", connectorSetup + [
            "PING", "INIT_DB other", "INIT_DB missing_db -> !1049", "PREPARE \(preparedUpdate)",
            "SEND_LONG_DATA \(preparedUpdate)", "EXECUTE \(preparedUpdate) -> 1 affected", "RESET \(preparedUpdate)",
            "CLOSE \(preparedUpdate)", "PREPARE SELECT * FROM nowhere WHERE a = ? -> !1146",
        ]),
    ]

    static func named(_ name: String) -> MySQLFixture { all.first { $0.name == name }! }

    /// Plays the fixture into a session seeing it from the client (`role: .client`, client bytes are
    /// egress) or from the server (`.server`), or joined mid-stream (`.unknown`, from the client's side,
    /// starting at chunk `first`). Chunk `i` is seen at time `(i + 1) * 1000`.
    func play(role: ConnectionRole = .client, from first: Int = 0,
              deliver: (MySQLSession, FixtureChunk, Direction, UInt64, inout [ProtocolRecord]) -> Void = Self.deliverWhole)
        -> [MySQLExchange] {
        let session = MySQLSession(role: role)
        var records: [ProtocolRecord] = []
        for (index, chunk) in chunks.enumerated().dropFirst(first) {
            let clientDirection: Direction = role == .server ? .ingress : .egress
            let direction = chunk.fromClient ? clientDirection : clientDirection.opposite
            deliver(session, chunk, direction, UInt64(index + 1) * 1000, &records)
        }
        session.close(timestamp: UInt64(chunks.count + 1) * 1000, into: &records)
        return records.map { record in
            guard case .mysql(let exchange) = record else { fatalError("not a MySQL record") }
            return exchange
        }
    }

    static func deliverWhole(_ session: MySQLSession, _ chunk: FixtureChunk, _ direction: Direction, _ time: UInt64,
                             _ records: inout [ProtocolRecord]) {
        session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
    }

    /// `COMMAND [sql | object | #statement] [-> N rows] [-> N affected] [-> !ERRNO]`.
    static func summary(_ exchange: MySQLExchange) -> String {
        let command = exchange.command
        var words = [command.code.operationName]
        if let sql = command.sql { words.append(sql) }
        if let object = command.objectName { words.append(object) }
        if exchange.isStatementUnknown, let id = command.statementID { words.append("#\(id)") }
        if let rows = exchange.returnedRows { words.append("-> \(rows) rows") }
        if let affected = exchange.affectedRows { words.append("-> \(affected) affected") }
        if let error = exchange.error { words.append("-> !\(error.code)") }
        return words.joined(separator: " ")
    }
}
