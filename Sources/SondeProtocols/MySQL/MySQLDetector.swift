/// Recognises the first bytes of MySQL or MariaDB traffic: the server's greeting (protocol version 10)
/// on a connection seen opening, or, on one joined mid-stream, a command packet with sequence id 0
/// whose length matches the bytes. A chunk of exactly the 4-byte header of a greeting-sized packet with
/// sequence id 0 is taken too (clients that read headers apart). A text protocol (HTTP, Redis) never has a zero byte fourth.
public enum MySQLDetector {
    /// How long a server greeting's payload can be.
    static let greetingLengths = 40...1024

    /// Keywords a SQL statement starts with.
    static let sqlKeywords: Set<String> = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "SET", "SHOW", "USE", "CALL", "BEGIN", "COMMIT",
        "ROLLBACK", "START", "CREATE", "DROP", "ALTER", "TRUNCATE", "WITH", "EXPLAIN", "DESCRIBE", "DESC", "GRANT",
        "REVOKE", "LOCK", "UNLOCK", "SAVEPOINT", "RELEASE", "PREPARE", "EXECUTE", "DEALLOCATE", "KILL", "FLUSH",
        "ANALYZE", "OPTIMIZE", "LOAD", "DO", "HANDLER", "XA", "RENAME", "CHECKSUM", "VALUES", "TABLE",
    ]

    public static func recognizes(_ prefix: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(prefix)
        guard bytes.count >= 4, bytes[3] == 0 else { return false }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        // Clients that read the greeting's header apart from its payload (mysql-connector-python).
        if bytes.count == 4 { return greetingLengths.contains(length) }
        let payload = Array(bytes[4..<min(bytes.count, 4 + length)])
        if MySQLServerGreeting(payload) != nil { return greetingLengths.contains(length) && bytes.count == 4 + length }
        guard length >= 1, let command = MySQLCommand(payload: payload) else { return false }
        switch command.code {
        case .query, .statementPrepare:
            // The statement text, as far as it was captured, is text; the whole packet fits the chunk
            // unless the capture cut it.
            let isText = payload.dropFirst().allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            return length >= 2 && isText && bytes.count <= 4 + length && payload.count > 1
                && SQLStatement(command.sql ?? "").operation.map(sqlKeywords.contains) == true
        case .ping, .quit, .statistics, .resetConnection, .debug:
            return length == 1 && bytes.count == 5
        case .initDB:
            return length > 1 && bytes.count == 4 + length && payload.dropFirst().allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        case .statementExecute, .statementClose, .statementReset, .statementFetch:
            return bytes.count == 4 + length && length >= 5
        default:
            return false
        }
    }
}
