import Foundation
import GRDB
import SondeQuery
import SondeStore

/// A span store (WAL, as the writer keeps it) in a temporary directory, created by the store's own migrator
/// and filled with plain SQL rows the test chooses, so every expected result is computed independently.
/// Rows go into the first partition of their table, where a new store's writer starts.
final class TestStore {
    let directory: URL
    let path: String
    private let writer: DatabaseQueue

    /// Fixed "now" for relative times: 2026-01-01T00:00:00Z in nanoseconds.
    static let now: Int64 = 1_767_225_600_000_000_000

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("spans.db").path
        writer = try DatabaseQueue(path: path)
        try writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try StoreSchema.migrator.migrate(writer)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// One HTTP exchange `secondsAgo` before `now`.
    struct HTTPRow {
        var secondsAgo: Int64
        var service = "api"
        var method = "GET"
        var path: String
        var status: Int64
        var latency: Int64
        var requestBytes: Int64 = 0
        var responseBytes: Int64 = 0
        var pid: Int64 = 100
        var spanID = ""
    }

    func insert(_ rows: [HTTPRow]) throws {
        try writer.write { db in
            for row in rows {
                try db.execute(sql: """
                    INSERT INTO \(StoreSchema.spans.partition(0)) (time_, upid, pid, service, protocol, remote_addr, remote_port,
                      local_addr, local_port, trace_role, encrypted, latency, trace_id, span_id, http_major_version,
                      http_minor_version, http_req_method, http_req_path, http_req_headers, http_req_body_size,
                      http_resp_status, http_resp_message, http_resp_headers, http_resp_body_size)
                    VALUES (?, ?, ?, ?, 'http', '10.0.0.2', 40000, '10.0.0.1', 8080, 2, 0, ?, '', ?, 1, 1, ?, ?, '{}', ?, ?, '',
                      '{}', ?)
                    """, arguments: [Self.now - row.secondsAgo * 1_000_000_000, "\(row.pid):0", row.pid, row.service,
                                     row.latency, row.spanID, row.method, row.path, row.requestBytes, row.status, row.responseBytes])
            }
        }
    }

    /// Runs `body` inside an open write transaction that has inserted `row`, as a busy writer would.
    func whileWriting(_ row: HTTPRow, _ body: () throws -> Void) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO \(StoreSchema.spans.partition(0)) (time_, protocol, http_req_path, http_resp_status, latency) VALUES (?, 'http', ?, ?, ?)",
                           arguments: [Self.now - row.secondsAgo * 1_000_000_000, row.path, row.status, row.latency])
            try body()
        }
    }

    /// Runs plain SQL against the store (for the other tables).
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try writer.write { try $0.execute(sql: sql, arguments: arguments) }
    }

    /// The tables `script` displays, run read-only by the engine at `now`.
    func run(_ script: String) throws -> [ResultTable] {
        try QueryEngine(storePath: path).run(script, now: Self.now)
    }

    /// The one displayed table's rows.
    func rows(_ script: String) throws -> [[QueryValue]] {
        let tables = try run(script)
        precondition(tables.count == 1, "expected one displayed table")
        return tables[0].rows
    }
}
