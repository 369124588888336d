import SondeModel
@testable import SondeProtocols
import SondeTestSupport

/// One connection captured from MariaDB (see Tests/Fixtures/mysql/README.md): its chunks in the order
/// they were seen, each from the client or the server.
struct MySQLFixture: ChunkFixture {
    let name: String
    let chunks: [FixtureChunk]
    /// The exchanges the README lists, as `summary(_:)` writes them.
    let expected: [String]

    static let directory = "mysql"

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

    static func makeSession(role: ConnectionRole) -> MySQLSession { MySQLSession(role: role) }

    static func exchange(in record: ProtocolRecord) -> MySQLExchange? {
        guard case .mysql(let exchange) = record else { return nil }
        return exchange
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
