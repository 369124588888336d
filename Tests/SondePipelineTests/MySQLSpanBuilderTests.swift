import SondeModel
import SondePipeline
import SondeProtocols
import Testing

private let resource = Resource(attributes: [Attribute("service.name", "shop")])
private let clientConnection = ConnectionInfo(
    id: ConnectionID(pid: 11, fd: 6, generation: 1), role: .client,
    local: SocketAddress(host: "10.0.0.2", port: 51234), remote: SocketAddress(host: "10.0.0.1", port: 3306))

private func exchange(_ command: MySQLCommand, error: MySQLExchange.ServerError? = nil, rows: Int? = nil,
                      affected: Int? = nil, isStatementUnknown: Bool = false, isMariaDB: Bool = false) -> MySQLExchange {
    MySQLExchange(command: command, isMariaDB: isMariaDB, namespace: "shop", error: error, returnedRows: rows,
                  affectedRows: affected, isStatementUnknown: isStatementUnknown, requestDirection: .egress,
                  start: 1_000, end: 4_000)
}

private func attributes(_ span: Span) -> [String: String] {
    Dictionary(span.attributes.map { ($0.key, "\($0.value)") }, uniquingKeysWith: { first, _ in first })
}

@Suite struct MySQLSpanBuilderTests {
    @Test func querySpanFollowsTheDatabaseConventions() {
        let span = MySQLSpanBuilder.span(
            for: exchange(MySQLCommand(code: .query, sql: "SELECT id FROM items WHERE name = 'fig'"), rows: 1),
            connection: clientConnection, resource: resource, options: SpanOptions())
        #expect(span.name == "SELECT items")
        #expect(span.kind == .client)
        #expect(span.status == .unset)
        #expect(span.attributes.map(\.key) == [
            "db.system.name", "db.operation.name", "db.namespace", "db.collection.name", "mysql.command.code",
            "db.query.text", "db.response.returned_rows", "network.transport", "server.address", "server.port",
            "network.peer.address", "network.peer.port", "network.local.address", "network.local.port",
        ])
        let values = attributes(span)
        #expect(values["db.system.name"] == "mysql")
        #expect(values["db.query.text"] == "SELECT id FROM items WHERE name = ?")
        #expect(values["db.response.returned_rows"] == "1")
        #expect(values["mysql.command.code"] == "3")
    }

    @Test func valuesAreShownOnRequest() {
        let span = MySQLSpanBuilder.span(
            for: exchange(MySQLCommand(code: .query, sql: "UPDATE items SET price = 9"), affected: 3, isMariaDB: true),
            connection: clientConnection, resource: resource, options: SpanOptions(includesQueryValues: true))
        let values = attributes(span)
        #expect(values["db.query.text"] == "UPDATE items SET price = 9")
        #expect(values["mysql.response.affected_rows"] == "3")
        #expect(values["db.system.name"] == "mariadb")
    }

    @Test func errorSetsStatusAndErrorNumber() {
        let error = MySQLExchange.ServerError(code: 1146, sqlState: "42S02", message: "Table 'shop.nowhere' doesn't exist")
        let span = MySQLSpanBuilder.span(for: exchange(MySQLCommand(code: .query, sql: "SELECT * FROM nowhere"), error: error),
                                         connection: clientConnection, resource: resource, options: SpanOptions())
        #expect(span.status == .error)
        #expect(span.statusMessage == "Table 'shop.nowhere' doesn't exist")
        #expect(attributes(span)["db.response.status_code"] == "1146")
        #expect(attributes(span)["error.type"] == "1146")
    }

    @Test func executeOfAnUnseenPrepareSaysSo() {
        let span = MySQLSpanBuilder.span(
            for: exchange(MySQLCommand(code: .statementExecute, statementID: 7), rows: 2, isStatementUnknown: true),
            connection: clientConnection, resource: resource, options: SpanOptions())
        #expect(span.name == "EXECUTE")
        let values = attributes(span)
        #expect(values["db.query.text"] == nil)
        #expect(values["mysql.statement.id"] == "7")
        #expect(values["mysql.statement.unknown"] == "true")
    }

    @Test func commandsWithoutSQLAreNamedByTheCommand() {
        let span = MySQLSpanBuilder.span(for: exchange(MySQLCommand(code: .ping)), connection: clientConnection,
                                         resource: resource, options: SpanOptions())
        #expect(span.name == "PING")
        #expect(attributes(span)["db.operation.name"] == "PING")
    }
}
