import GRDB

/// The tables of the recent-span store, with Pixie's column names so PxL habits carry over.
///
/// Every table has `time_` (nanoseconds since the Unix epoch, the end of the exchange) and is evicted oldest
/// first by it. A span is written once, as a row of `spans`: the span's own columns, its connection's, its
/// protocol's (named `http_…`, `mysql_…`, `redis_…`; NULL for the other protocols) and, as a JSON object,
/// its attributes that no column holds. The protocol tables (`http_events`, `mysql_events`, `redis_events`:
/// one row per request/response pair) are views of those rows under Pixie's names. `spans` is itself a view
/// over ``partitionCount`` tables written in turn, so that eviction empties a whole partition instead of
/// deleting rows one by one. `process` names the processes that produced the spans.
public enum StoreSchema {
    /// Partitions of `spans`, evicted oldest first: writing moves to the next partition, emptying it, each
    /// time the one being written has grown by this fraction of the store's size bound.
    public static let partitionCount = 8

    /// Columns every protocol table shares: when, which process, which connection, how long.
    static let connectionColumns: [StoreColumn] = [
        StoreColumn("time_", .time, "End of the exchange: the response's last byte"),
        StoreColumn("upid", .string, "Process identity, `pid:start_time_ns` (unique across pid reuse; start 0 when unknown)"),
        StoreColumn("pid", .int64, "Process id of the traced process"),
        StoreColumn("service", .string, "service.name of the traced process"),
        StoreColumn("remote_addr", .string, "Address of the other end"),
        StoreColumn("remote_port", .int64, "Port of the other end"),
        StoreColumn("local_addr", .string, "Address of the traced process's end"),
        StoreColumn("local_port", .int64, "Port of the traced process's end"),
        StoreColumn("trace_role", .int64, "1 = client (the process sent the request), 2 = server, 0 = unknown"),
        StoreColumn("encrypted", .boolean, "Seen as plaintext through the TLS library (1) or on the socket (0)"),
        StoreColumn("latency", .duration, "From the request's first byte to the response's last, in ns"),
        StoreColumn("trace_id", .string, "Trace id of the exchange's span (32 hex digits)"),
        StoreColumn("span_id", .string, "Span id of the exchange's span (16 hex digits); joins `spans`"),
    ]

    /// HTTP's own columns: the exchange.
    static let httpColumns = ProtocolColumns(tableName: "http_events", prefix: "http", protocols: ["http", "grpc"], columns: [
        StoreColumn("major_version", .int64, "HTTP major version: 1 or 2"),
        StoreColumn("minor_version", .int64, "HTTP minor version: 0 or 1 for HTTP/1.x, 0 for HTTP/2"),
        StoreColumn("req_method", .string, "Request method"),
        StoreColumn("req_path", .string, "Request target path, with the query string"),
        StoreColumn("req_headers", .string, "Request headers Sonde keeps, as a JSON object"),
        StoreColumn("req_body_size", .int64, "Request body size in bytes"),
        StoreColumn("resp_status", .int64, "Response status code"),
        StoreColumn("resp_message", .string, "Response reason phrase (HTTP/1.x) or gRPC status code"),
        StoreColumn("resp_headers", .string, "Response headers Sonde keeps, as a JSON object"),
        StoreColumn("resp_body_size", .int64, "Response body size in bytes"),
    ])

    /// MySQL's own columns: the command and its response.
    static let mysqlColumns = ProtocolColumns(tableName: "mysql_events", prefix: "mysql", protocols: ["mysql"], columns: [
        StoreColumn("req_cmd", .int64, "Command byte: 3 = COM_QUERY, 22 = COM_STMT_PREPARE, 23 = COM_STMT_EXECUTE, ..."),
        StoreColumn("req_body", .string, "The statement (literals as ? unless --db-query-values)"),
        StoreColumn("resp_status", .int64, "0 = unknown, 1 = none, 2 = OK, 3 = error (Pixie's numbering)"),
        StoreColumn("resp_body", .string, "Error message, or e.g. `Resultset rows = 3`, `Affected rows = 2`"),
        StoreColumn("db", .string, "Database (schema) in use"),
    ])

    /// Redis's own columns: the command and its reply.
    static let redisColumns = ProtocolColumns(tableName: "redis_events", prefix: "redis", protocols: ["redis"], columns: [
        StoreColumn("req_cmd", .string, "Command name, e.g. `GET`, `CLIENT SETNAME`"),
        StoreColumn("req_args", .string, "Arguments as a JSON array (values as ? unless --db-query-values)"),
        StoreColumn("resp", .string, "Reply summary, e.g. `OK`, an error, or the element count"),
    ])

    /// HTTP/1.x and HTTP/2 (gRPC included) request/response pairs.
    public static let httpEvents = httpColumns.table(summary: "HTTP/1.x and HTTP/2 (gRPC included) request/response pairs")

    /// MySQL and MariaDB commands and their responses.
    public static let mysqlEvents = mysqlColumns.table(summary: "MySQL and MariaDB commands and their responses")

    /// Redis commands and their replies.
    public static let redisEvents = redisColumns.table(summary: "Redis commands and their replies")

    /// The columns of the span itself, first in `spans`.
    static let spanColumns: [StoreColumn] = [
        StoreColumn("time_", .time, "Span end"),
        StoreColumn("start_time", .time, "Span start"),
        StoreColumn("latency", .duration, "end - start, in ns"),
        StoreColumn("trace_id", .string, "32 hex digits"),
        StoreColumn("span_id", .string, "16 hex digits"),
        StoreColumn("parent_span_id", .string, "16 hex digits, or empty"),
        StoreColumn("name", .string, "Span name"),
        StoreColumn("kind", .string, "server, client, producer, consumer or internal"),
        StoreColumn("status", .string, "unset, ok or error"),
        StoreColumn("status_message", .string, "Status description, or empty"),
        StoreColumn("protocol", .string, "http, grpc, mysql, redis or other"),
        StoreColumn("upid", .string, "Process identity, `pid:start_time_ns`"),
        StoreColumn("pid", .int64, "Process id"),
        StoreColumn("service", .string, "service.name"),
    ]

    /// Every span, whatever its protocol: its own columns, its connection's, each protocol's own (NULL but
    /// for its protocol), then the attributes no column holds.
    public static let spans = StoreTable(
        name: "spans", summary: "Every span Sonde produced, with its protocol's columns and its other attributes",
        columns: spanRowColumns(holding: [httpColumns, mysqlColumns, redisColumns]), storage: .partitions)

    /// The columns of `spans` a row of `protocols` fills, in the table's order: the span's, its connection's,
    /// those protocols' own, then the attributes no column holds.
    static func spanRowColumns(holding protocols: [ProtocolColumns]) -> [StoreColumn] {
        spanColumns
            + connectionColumns.filter { column in !spanColumns.contains { $0.name == column.name } }
            + protocols.flatMap(\.spanColumns)
            + [StoreColumn("attributes", .string, "The span's attributes no column holds, as a JSON object")]
    }

    /// The processes that produced stored spans.
    public static let process = StoreTable(
        name: "process", summary: "Processes that produced stored spans",
        columns: [
            StoreColumn("time_", .time, "Last time a span of this process was stored"),
            StoreColumn("upid", .string, "Process identity, `pid:start_time_ns`"),
            StoreColumn("pid", .int64, "Process id"),
            StoreColumn("name", .string, "Executable name (process.executable.name)"),
            StoreColumn("service", .string, "service.name"),
            StoreColumn("container_id", .string, "container.id, or empty"),
            StoreColumn("resource", .string, "Resource attributes (the OpenTelemetry resource) as a JSON object"),
        ],
        storage: .table(uniqueKey: "upid"))

    /// All tables, in the order `sonde query --describe` lists them.
    public static let tables: [StoreTable] = [httpEvents, mysqlEvents, redisEvents, spans, process]

    /// The table called `name`, if there is one.
    public static func table(named name: String) -> StoreTable? {
        tables.first { $0.name == name }
    }

    /// Creates the tables in a new store. A store written with other tables (by another version of Sonde)
    /// is emptied and made anew: it holds the last hour or so of spans, which are not worth a migration.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.eraseDatabaseOnSchemaChange = true
        migrator.registerMigration("v1") { db in
            // The views of `spans` after the tables they read.
            for table in tables.filter({ !$0.physicalTables.isEmpty }) + tables.filter(\.physicalTables.isEmpty) {
                for statement in table.createStatements {
                    try db.execute(sql: statement)
                }
            }
        }
        return migrator
    }
}
