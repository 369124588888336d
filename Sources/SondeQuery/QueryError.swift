/// Why a script cannot run: where (when the script is to blame) and what was expected or found.
public struct QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The place in the script, or nil when the store rather than the script is to blame.
    public var location: ScriptLocation?
    public var message: String

    public init(_ message: String, at location: ScriptLocation?) {
        self.location = location
        self.message = message
    }

    /// `line 3, column 14: expected ')' ...`, or the bare message when there is no place.
    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}
