/// A store that cannot be opened or a limit that cannot be understood, in one plain sentence.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
