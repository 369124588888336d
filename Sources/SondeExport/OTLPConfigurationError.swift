/// A standard `OTEL_*` variable holds a value Sonde cannot use.
public struct OTLPConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One plain sentence naming the variable and its value.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
