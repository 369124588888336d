/// A protocol's own columns: those of its table beyond the connection's, which `spans` holds under the
/// protocol's prefix (`http_req_method` is `http_events.req_method`).
struct ProtocolColumns {
    /// The protocol's table, e.g. `http_events`.
    let tableName: String
    /// The start of the names in `spans`, e.g. `http`.
    let prefix: String
    /// The values of `spans.protocol` whose rows the protocol's table shows.
    let protocols: [String]
    /// Under Pixie's names, as the protocol's table shows them.
    let columns: [StoreColumn]

    /// The columns as `spans` holds them, prefixed.
    var spanColumns: [StoreColumn] {
        columns.map { StoreColumn("\(prefix)_\($0.name)", $0.type, "\(tableName).\($0.name): \($0.summary)") }
    }

    /// The protocol's table: a view of its rows of `spans`, with the connection's columns, then its own.
    func table(summary: String) -> StoreTable {
        let columns = StoreSchema.connectionColumns + columns
        let sources = StoreSchema.connectionColumns.map(\.name) + spanColumns.map(\.name)
        return StoreTable(name: tableName, summary: summary, columns: columns,
                          storage: .spanRows(protocols: protocols, sourceColumns: sources))
    }
}
