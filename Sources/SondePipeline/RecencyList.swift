/// Tracked connections from least to most recently active, for O(1) eviction.
///
/// The links live in the connections themselves; a connection is in the list exactly while the
/// tracker tracks it. The list owns its connections through `first` and each `moreRecent`; the links
/// back (`last`, `lessRecent`) hold no count and are only followed to connections still listed.
struct RecencyList {
    /// The least recently active connection.
    private(set) var first: TrackedConnection?
    private unowned(unsafe) var last: TrackedConnection?

    /// Adds a connection as the most recently active.
    mutating func append(_ connection: TrackedConnection) {
        connection.lessRecent = last
        connection.moreRecent = nil
        if let last {
            last.moreRecent = connection
        } else {
            first = connection
        }
        last = connection
    }

    mutating func remove(_ connection: TrackedConnection) {
        if let lessRecent = connection.lessRecent {
            lessRecent.moreRecent = connection.moreRecent
        } else {
            first = connection.moreRecent
        }
        if let moreRecent = connection.moreRecent {
            moreRecent.lessRecent = connection.lessRecent
        } else {
            last = connection.lessRecent
        }
        connection.moreRecent = nil
        connection.lessRecent = nil
    }

    /// Marks a connection as the most recently active.
    mutating func touch(_ connection: TrackedConnection) {
        guard connection !== last else { return }
        remove(connection)
        append(connection)
    }
}

extension RecencyList {
    /// Unlinks every connection one by one, so releasing a long list never recurses deeply.
    mutating func removeAll() {
        while let first {
            remove(first)
        }
    }
}
