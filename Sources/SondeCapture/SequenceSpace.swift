/// Turns the 32-bit TCP sequence numbers of one direction into 64-bit stream offsets.
///
/// The stream starts (offset 0) at the byte after the direction's SYN; when the SYN is not in the capture,
/// at the first byte the other end acknowledged, or else at the first payload byte seen. Sequence numbers
/// wrap around: each is read relative to the furthest one seen, so reordered and retransmitted segments
/// map back to the offsets they had.
struct SequenceSpace {
    /// The sequence number of offset 0, once known.
    private(set) var start: UInt32?
    /// The furthest sequence number seen and its offset.
    private var reference: (sequence: UInt32, offset: Int64) = (0, 0)

    /// Whether the start is known.
    var isAnchored: Bool { start != nil }

    /// Fixes offset 0 at `sequence`, unless it is fixed already.
    mutating func anchor(at sequence: UInt32) {
        guard start == nil else { return }
        start = sequence
        reference = (sequence, 0)
    }

    /// The stream offset of `sequence` (anchoring there if nothing did before); nil for bytes before the
    /// start of the stream.
    mutating func offset(of sequence: UInt32) -> UInt64? {
        anchor(at: sequence)
        let offset = reference.offset + Int64(Int32(bitPattern: sequence &- reference.sequence))
        if offset > reference.offset { reference = (sequence, offset) }
        return offset >= 0 ? UInt64(offset) : nil
    }
}
