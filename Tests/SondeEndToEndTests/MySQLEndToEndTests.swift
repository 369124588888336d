import Foundation
import SondeModel
import SondeTestSupport
import XCTest

/// Sonde traces a real MariaDB server and its real clients (the `mariadb` command-line client and
/// mysql-connector-python with server-side prepared statements) from the kernel, as root; every
/// expected span arrives at a real OTLP collector (rotel) with exact attributes, and no other span does.
final class MySQLEndToEndTests: XCTestCase {
    /// A traced MariaDB server on a port of its own, with Sonde exporting to a collector.
    private struct Setup {
        let collector: RotelCollector
        let mariadb: MariaDBServer
        let sonde: SondeProcess

        init(sondeArguments: [String] = []) throws {
            collector = try RotelCollector.started()
            mariadb = try MariaDBServer(port: try TCPPort.freeLoopbackPort())
            sonde = try SondeProcess(
                arguments: ["run", "--port", "\(mariadb.port)"] + sondeArguments,
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                              "OTEL_BSP_SCHEDULE_DELAY": "200"])
        }
    }

    /// What is compared of every span: kind, name, query text, schema, rows, error number.
    private static func summary(_ span: CollectedSpan) -> String {
        let kind = span.kind.map { "\($0)".uppercased() } ?? "?"
        let attributes = span.attributes
        return [kind, span.name, attributes["db.query.text"] ?? "-", "db=\(attributes["db.namespace"] ?? "-")",
                "rows=\(attributes["db.response.returned_rows"] ?? "-")",
                "affected=\(attributes["mysql.response.affected_rows"] ?? "-")",
                attributes["db.response.status_code"] ?? "ok"].joined(separator: " | ")
    }

    /// Each command seen from both ends: the client's CLIENT span and mariadbd's SERVER span.
    private static func bothEnds(_ name: String, _ query: String = "-", db: String = "shop", rows: String = "-",
                                 affected: String = "-", error: String = "ok") -> [String] {
        ["CLIENT", "SERVER"].map { [$0, name, query, "db=\(db)", "rows=\(rows)", "affected=\(affected)", error]
            .joined(separator: " | ") }
    }

    func testMariaDBClientAndConnectorPreparedStatementsArriveWithExactAttributes() throws {
        let setup = try Setup()
        let mariadb = setup.mariadb
        var expected: [String] = []

        XCTAssertEqual(try mariadb.client("SELECT id, name FROM items ORDER BY id"), "id\tname\n1\tapple\n2\tpear\n3\tfig\n")
        try mariadb.client("INSERT INTO items (name, price) VALUES ('plum', 4)")
        try mariadb.client("UPDATE items SET price = price + 1 WHERE name = 'pear'")
        XCTAssertThrowsError(try mariadb.client("SELECT * FROM nowhere"))
        // `USE` is COM_INIT_DB; the mariadb client asks for the current schema itself before it.
        XCTAssertEqual(try mariadb.client("USE other; SELECT DATABASE()"), "DATABASE()\nother\n")
        expected += Self.bothEnds("SELECT items", "SELECT id, name FROM items ORDER BY id", rows: "3")
            + Self.bothEnds("INSERT items", "INSERT INTO items (name, price) VALUES (?, ?)", affected: "1")
            + Self.bothEnds("UPDATE items", "UPDATE items SET price = price + ? WHERE name = ?", affected: "1")
            + Self.bothEnds("SELECT nowhere", "SELECT * FROM nowhere", error: "1146")
            + Self.bothEnds("SELECT", "SELECT DATABASE()", rows: "1") + Self.bothEnds("INIT_DB")
            + Self.bothEnds("SELECT", "SELECT DATABASE()", db: "other", rows: "1")

        // A result set of 160 KB, far larger than the capture of each chunk.
        let large = try mariadb.client("SELECT seq, REPEAT('abcdefgh', 100) FROM seq_1_to_200")
        XCTAssertEqual(large.split(separator: "\n").count, 201)
        expected += Self.bothEnds("SELECT seq_1_to_200", "SELECT seq, REPEAT(?, ?) FROM seq_1_to_200", rows: "200")

        // Server-side prepared statements: PREPARE, EXECUTE twice (binary parameters and rows), CLOSE. The
        // connector first sets the session up, pings, and resets the statement before each EXECUTE.
        let output = try mariadb.connector("""
            cursor = connection.cursor(prepared=True)
            cursor.execute("SELECT id, name FROM items WHERE price > ? ORDER BY id", (3,))
            print(cursor.fetchall())
            cursor.execute("SELECT id, name FROM items WHERE price > ? ORDER BY id", (100,))
            print(cursor.fetchall())
            cursor.close()
            connection.commit()
            """)
        XCTAssertEqual(output, "[(2, 'pear'), (4, 'plum')]\n[]\n")
        let select = "SELECT id, name FROM items WHERE price > ? ORDER BY id"
        expected += Self.bothEnds("SET", "SET NAMES ? COLLATE ?", affected: "0")
            + Self.bothEnds("SET", "SET @@session.autocommit = OFF", affected: "0") + Self.bothEnds("PING")
            + Self.bothEnds("PREPARE items", select) + Self.bothEnds("RESET items", select)
            + Self.bothEnds("SELECT items", select, rows: "2") + Self.bothEnds("RESET items", select)
            + Self.bothEnds("SELECT items", select, rows: "0") + Self.bothEnds("CLOSE items", select)
            + Self.bothEnds("COMMIT", "COMMIT", affected: "0")

        XCTAssertEqual(setup.sonde.stop(), 0, setup.sonde.standardError)
        let spans = try setup.collector.waitForSpans(count: expected.count)
        XCTAssertEqual(setup.collector.refusals(), [])
        XCTAssertEqual(spans.map(Self.summary).sorted(), expected.sorted())

        for span in spans {
            XCTAssertEqual(span.attributes["db.system.name"], "mariadb")
            XCTAssertEqual(span.attributes["server.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["server.port"], "\(mariadb.port)")
            let isError = span.attributes["db.response.status_code"] != nil
            XCTAssertEqual(span.statusCode, isError ? .error : .unset, Self.summary(span))
            XCTAssertEqual(span.attributes["error.type"], span.attributes["db.response.status_code"])
        }
        for span in spans where span.name == "SELECT nowhere" {
            XCTAssertEqual(span.statusMessage, "Table 'shop.nowhere' doesn't exist")
            XCTAssertEqual(span.attributes["db.collection.name"], "nowhere")
        }
        let clientNames = Set(spans.filter { $0.kind == .client }.compactMap { $0.resourceAttributes["process.executable.name"] })
        XCTAssertEqual(clientNames.map { $0.hasPrefix("python3") ? "python3" : $0 }.sorted(), ["mariadb", "python3"])
    }

    /// `--db-query-values` shows the literals in `db.query.text`.
    func testLiteralsAreShownOnlyOnRequest() throws {
        let setup = try Setup(sondeArguments: ["--db-query-values"])
        try setup.mariadb.client("UPDATE items SET price = 9 WHERE name = 'fig'")
        XCTAssertEqual(setup.sonde.stop(), 0, setup.sonde.standardError)
        let spans = try setup.collector.waitForSpans(count: 2)
        XCTAssertEqual(spans.map(Self.summary).sorted(),
                       Self.bothEnds("UPDATE items", "UPDATE items SET price = 9 WHERE name = 'fig'", affected: "1"))
    }
}
