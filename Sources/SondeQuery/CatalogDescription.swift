import SondeStore

/// The store's tables and columns as `sonde query --describe` prints them: what a script can name.
public enum CatalogDescription {
    public static var text: String {
        StoreSchema.tables.map { table in
            let nameWidth = table.columns.map(\.name.count).max() ?? 0
            let columns = table.columns.map { column in
                "  " + column.name.padded(to: nameWidth, left: false) + "  "
                    + column.type.rawValue.padded(to: 8, left: false) + "  " + column.summary + "\n"
            }
            return "\(table.name): \(table.summary)\n" + columns.joined()
        }.joined(separator: "\n")
    }
}
