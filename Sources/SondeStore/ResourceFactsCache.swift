import SondeModel

/// The ``ResourceFacts`` of the resources seen lately, by process id.
///
/// A hit is confirmed by comparing the resources, which costs next to nothing when they share their
/// attribute storage, as the spans of one traced process do.
struct ResourceFactsCache {
    private var entries: [Int64: ResourceFacts] = [:]
    /// Beyond this many processes the cache starts afresh: a few facts are worked out again.
    private let capacity = 4096

    mutating func facts(for resource: Resource) -> ResourceFacts {
        let key = resource.attributes["process.pid"]?.integer ?? -1
        if let known = entries[key], known.resource == resource { return known }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let facts = ResourceFacts(resource)
        entries[key] = facts
        return facts
    }
}
