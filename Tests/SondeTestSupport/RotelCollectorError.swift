/// Why the test collector could not run or did not receive what was expected.
public struct RotelCollectorError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
