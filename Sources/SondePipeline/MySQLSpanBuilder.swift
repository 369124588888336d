import SondeModel
import SondeProtocols

/// Builds the span of one MySQL exchange, following the OpenTelemetry database, SQL and MySQL
/// semantic conventions.
///
/// `db.operation.name` is the statement's first keyword (`SELECT`) for queries and for commands on a
/// prepared statement whose PREPARE was seen, else the command (`PING`, `INIT_DB`, `PREPARE`,
/// `EXECUTE`, `CLOSE`); `db.collection.name` is the one table the statement names. The span is named
/// `{operation} {collection}`, `{operation}`, or the system name. `db.query.text` has literals replaced
/// by `?` unless `SpanOptions.includesQueryValues`. `mysql.command.code` is the command byte (3 = COM_QUERY,
/// 22 = COM_STMT_PREPARE, 23 = COM_STMT_EXECUTE; no semantic convention exists for it). Rows: `db.response.returned_rows` for result sets,
/// and `mysql.response.affected_rows` (no semantic convention exists for it) from OK packets. An EXECUTE
/// whose PREPARE was not seen carries `mysql.statement.id` and `mysql.statement.unknown=true`. ERR
/// sets ERROR status, `db.response.status_code` and `error.type` to the error number.
public enum MySQLSpanBuilder {
    /// The most attributes a span gets; reserved up front, so that the list is allocated once.
    static let maxAttributeCount = 21

    public static func span(for exchange: MySQLExchange, connection: ConnectionInfo, resource: Resource,
                            options: SpanOptions) -> Span {
        let command = exchange.command
        let statement = command.sql.map(SQLStatement.init)
        let usesStatementOperation = command.code == .query || command.code == .statementExecute
        let operation = (usesStatementOperation ? statement?.operation : nil) ?? command.code.operationName
        let collection = statement?.collection ?? (command.code == .fieldList ? command.objectName : nil)
        let system = exchange.isMariaDB ? "mariadb" : "mysql"
        var attributes: [Attribute] = []
        attributes.reserveCapacity(maxAttributeCount)
        attributes.append(Attribute("db.system.name", system))
        attributes.append(Attribute("db.operation.name", operation))
        attributes.append("db.namespace", exchange.namespace)
        attributes.append("db.collection.name", collection)
        attributes.append(Attribute("mysql.command.code", Int(command.code.rawValue)))
        if let statement, let sql = command.sql {
            attributes.append(Attribute("db.query.text", options.includesQueryValues ? sql : statement.sanitized))
        }
        if exchange.isStatementUnknown, let id = command.statementID {
            attributes.append(Attribute("mysql.statement.id", Int(id)))
            attributes.append(Attribute("mysql.statement.unknown", .bool(true)))
        }
        attributes.append("db.response.returned_rows", exchange.returnedRows)
        attributes.append("mysql.response.affected_rows", exchange.affectedRows)
        let errorCode = exchange.error.map { String($0.code) }
        attributes.append("db.response.status_code", errorCode)
        attributes.append("error.type", errorCode)
        let isServerSide = exchange.requestDirection == .ingress
        attributes.append(databaseConnection: connection, isServerSide: isServerSide)
        let name = [operation, collection].compactMap { $0 }.joined(separator: " ")
        return Span(traceID: .random(), spanID: .random(), name: name, kind: isServerSide ? .server : .client,
                    startTime: exchange.start, endTime: exchange.end, attributes: attributes,
                    status: exchange.error == nil ? .unset : .error, statusMessage: exchange.error?.message,
                    resource: resource)
    }
}
