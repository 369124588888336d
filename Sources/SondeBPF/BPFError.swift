import Foundation

/// A failure of the kernel side, in one plain sentence.
public struct BPFError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// `what` failed with the current `errno`.
    static func lastError(_ what: String) -> BPFError {
        BPFError("\(what): \(String(cString: strerror(errno)))")
    }
}
