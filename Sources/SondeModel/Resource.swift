/// The entity that produced a span: for Sonde, one traced process on one host.
public struct Resource: Hashable, Sendable {
    /// Resource attributes (`service.name`, `process.pid`, `host.name`, ...).
    public var attributes: [Attribute]

    public init(attributes: [Attribute]) {
        self.attributes = attributes
    }
}
