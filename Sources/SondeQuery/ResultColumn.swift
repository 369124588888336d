import SondeStore

/// A column of a result table (or of a frame on the way to one): its name and its type, which decides
/// how the table format shows it (`time` as a UTC timestamp, `duration` as e.g. `1.50ms`).
public struct ResultColumn: Hashable, Sendable {
    public var name: String
    public var type: StoreColumn.ValueType

    public init(name: String, type: StoreColumn.ValueType) {
        self.name = name
        self.type = type
    }
}
