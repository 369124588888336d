import Foundation
import GRDB

/// Runs scripts against a span store opened read-only: each `px.display` becomes one SQL statement
/// that SQLite runs, so filtering, grouping and joining cost what they cost in the database engine.
/// Read-only over WAL, a query never blocks the writer (`sonde run --store`).
public struct QueryEngine: Sendable {
    private let database: DatabaseQueue

    /// Opens the store at `path` read-only; a missing file is a plain one-sentence error.
    public init(storePath path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw QueryError("no span store at \(path); start `sonde run` or fill one with `sonde replay FILE --store \(path)`",
                             at: nil)
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in QueryFunctions.register(on: db) }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw QueryError("cannot open the span store at \(path): \(error)", at: nil)
        }
    }

    /// The tables `script` displays, in the order of its `px.display` calls. Relative times count from
    /// `now` (nanoseconds since the epoch; the wall clock by default).
    public func run(_ script: String, now: Int64 = QueryEngine.wallClockNow()) throws -> [ResultTable] {
        let displays = try Planner.plan(script, now: now)
        return try database.read { db in
            try displays.map { display in
                let rows: [[QueryValue]]
                do {
                    rows = try Row.fetchAll(db, sql: display.frame.orderedSQL).map { row in
                        row.databaseValues.map(QueryValue.init)
                    }
                } catch let error as DatabaseError {
                    throw QueryError("SQLite could not run '\(display.name)': \(error.message ?? "error \(error.resultCode)")", at: nil)
                }
                return ResultTable(name: display.name, columns: display.frame.columns, rows: rows)
            }
        }
    }

    /// The SQL each `px.display` of `script` runs, for `--explain`-style inspection and tests.
    public static func sql(for script: String, now: Int64) throws -> [String] {
        try Planner.plan(script, now: now).map(\.frame.orderedSQL)
    }

    /// Nanoseconds since the Unix epoch, now.
    public static func wallClockNow() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1e9)
    }
}

extension QueryValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
