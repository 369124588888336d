import Testing
@testable import SondeProtocols

@Suite struct SQLStatementTests {
    @Test(arguments: [
        ("SELECT id, name FROM items WHERE price > 2 AND name = 'it''s' ORDER BY id",
         "SELECT id, name FROM items WHERE price > ? AND name = ? ORDER BY id", "SELECT", "items"),
        ("insert into `shop`.`items` (name, price) values (\"plum\", -4.5e3), (x'ff', 0x1F)",
         "insert into `shop`.`items` (name, price) values (?, -?), (?, ?)", "INSERT", "shop.items"),
        ("UPDATE LOW_PRIORITY items SET name = 'a\\'b' WHERE id = 7", "UPDATE LOW_PRIORITY items SET name = ? WHERE id = ?",
         "UPDATE", "items"),
        ("DELETE FROM items WHERE id IN (1, 2)", "DELETE FROM items WHERE id IN (?, ?)", "DELETE", "items"),
        ("SELECT a.id FROM items a JOIN prices p ON p.id = a.id", "SELECT a.id FROM items a JOIN prices p ON p.id = a.id",
         "SELECT", nil),
        ("SELECT * FROM items, prices", "SELECT * FROM items, prices", "SELECT", nil),
        ("SELECT (SELECT 1 FROM t2) FROM items", "SELECT (SELECT ? FROM t2) FROM items", "SELECT", "items"),
        ("/* hint */ select 1", "/* hint */ select ?", "SELECT", nil),
        ("CREATE TABLE IF NOT EXISTS log (id INT)", "CREATE TABLE IF NOT EXISTS log (id INT)", "CREATE", "log"),
        ("SELECT col1 FROM t -- trailing 5\n", "SELECT col1 FROM t -- trailing 5\n", "SELECT", "t"),
        ("USE other", "USE other", "USE", nil),
        ("", "", nil, nil),
        ("'unterminated", "?", nil, nil),
    ] as [(String, String, String?, String?)])
    func summarisesTheStatement(_ text: String, _ sanitized: String, _ operation: String?, _ collection: String?) {
        let statement = SQLStatement(text)
        #expect(statement.sanitized == sanitized)
        #expect(statement.operation == operation)
        #expect(statement.collection == collection)
    }

    @Test func useNamesTheSchema() {
        #expect(SQLStatement("USE other").useTarget == "other")
        #expect(SQLStatement("use `my db`").useTarget == "my db")
        #expect(SQLStatement("SELECT 1").useTarget == nil)
    }

    /// The session's shortcut (no reading of texts without the letters `use`) agrees with the full reading.
    @Test(arguments: [
        ("USE other", "other"), ("/* switch */ uSe `my db`", "my db"), ("use\tshop", "shop"),
        ("SELECT * FROM users", nil), ("SELECT 'use other'", nil), ("SELECT 1", nil), ("us", nil), ("", nil),
    ] as [(String, String?)])
    func useTargetShortcutAgreesWithTheStatement(_ text: String, _ target: String?) {
        #expect(SQLStatement.useTarget(of: text) == target)
        #expect(SQLStatement(text).useTarget == target)
    }
}
