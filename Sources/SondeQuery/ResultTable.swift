/// What one `px.display(df, 'name')` shows: named, typed columns and their rows.
public struct ResultTable: Hashable, Sendable {
    public var name: String
    public var columns: [ResultColumn]
    public var rows: [[QueryValue]]

    public init(name: String, columns: [ResultColumn], rows: [[QueryValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}
