import SondeModel

/// Describes the processes that spans come from.
///
/// The live implementation reads `/proc` (and caches); replays of captures use
/// ``StaticProcessCatalog``. Called from the tracker's thread only.
public protocol ProcessCatalog: AnyObject {
    /// The OpenTelemetry resource of process `pid` (`service.name`, `process.pid`, ...).
    func resource(for pid: Int32) -> Resource
}

/// A catalog that gives every process the same resource: the capture, or the replayed service.
public final class StaticProcessCatalog: ProcessCatalog, Sendable {
    private let resource: Resource

    public init(resource: Resource) {
        self.resource = resource
    }

    public func resource(for pid: Int32) -> Resource { resource }
}
