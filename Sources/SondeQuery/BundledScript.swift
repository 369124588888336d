/// The scripts `sonde query --script NAME` runs, each readable PxL text (see Scripts/).
public struct BundledScript: Sendable {
    public var name: String
    public var summary: String
    public var text: String

    public static let all: [BundledScript] = [httpData, httpRequestStats, mysqlStats, redisData]

    public static func named(_ name: String) -> BundledScript? {
        all.first { $0.name == name }
    }
}
