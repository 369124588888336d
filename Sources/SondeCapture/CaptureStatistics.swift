/// What a replay read from a capture.
public struct CaptureStatistics: Hashable, Sendable {
    /// Packet records read.
    public var packets = 0
    /// Bytes of the packet records read (link-layer headers included), the measure of replay throughput.
    public var capturedBytes = 0
    /// Packets that were not TCP over IPv4 or IPv6 (other protocols, IP fragments, unknown link types,
    /// headers cut short by the snap length): skipped.
    public var skippedPackets = 0
    /// TCP connections followed.
    public var streams = 0
    /// TCP segments whose payload came from before the start of its stream (joined mid-stream): dropped.
    public var segmentsBeforeStart = 0
    /// Ranges of a stream the other end acknowledged but the capture never showed, with bytes captured
    /// after them: reported to the tracker as bytes not captured (the session skips them and resyncs).
    public var missingRanges = 0
    /// The bytes of those ranges.
    public var missingBytes = 0
    /// TCP segments of closed connections, or control segments of connections never seen: ignored.
    public var segmentsIgnored = 0

    public init() {}
}
