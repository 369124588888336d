/// One packet record of a capture file.
public struct CapturedPacket: Sendable {
    /// When the packet was captured, in nanoseconds since the Unix epoch.
    public var timestamp: UInt64
    /// How to read the start of `data`.
    public var linkType: LinkType
    /// The captured bytes, from the link-layer header on (possibly fewer than went by, see `originalLength`).
    public var data: ArraySlice<UInt8>
    /// The packet's length on the wire.
    public var originalLength: Int

    public init(timestamp: UInt64, linkType: LinkType, data: ArraySlice<UInt8>, originalLength: Int) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength
    }
}
