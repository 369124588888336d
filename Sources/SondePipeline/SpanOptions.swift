/// Choices about what spans carry, shared by the span builders.
public struct SpanOptions: Hashable, Sendable {
    /// Whether `db.query.text` shows argument values (Redis values, SQL literals). Off by default: only
    /// command names and key names are shown, values become `?`.
    public var includesQueryValues: Bool

    public init(includesQueryValues: Bool = false) {
        self.includesQueryValues = includesQueryValues
    }
}
