/// Which bytes of one direction's stream the capture has shown, to tell a segment the capture missed
/// from one still to come.
///
/// A range not captured but acknowledged by the other end, with captured bytes after it, went by while
/// the capture was not looking (the capture dropped it, or it began mid-stream): it will never appear, so
/// it is reported at once as bytes not captured instead of held as possible reordering until a timeout.
/// Unacknowledged holes may still be filled by a retransmission or a reordered segment.
struct StreamCoverage {
    /// Every byte before this offset was captured or reported missing.
    private(set) var contiguousEnd: UInt64 = 0
    /// Captured ranges beyond `contiguousEnd`, sorted and disjoint.
    private var ahead: [Range<UInt64>] = []
    /// The furthest offset the other end acknowledged.
    private var acknowledged: UInt64 = 0

    /// Records captured bytes at `range`; returns the ranges now known to be missing.
    mutating func captured(_ range: Range<UInt64>) -> [Range<UInt64>] {
        if range.lowerBound <= contiguousEnd {
            contiguousEnd = max(contiguousEnd, range.upperBound)
        } else {
            let index = ahead.firstIndex { $0.lowerBound > range.lowerBound } ?? ahead.count
            ahead.insert(range, at: index)
        }
        return settle()
    }

    /// Records that the other end acknowledged every byte before `offset`; returns the ranges now known
    /// to be missing.
    mutating func acknowledge(upTo offset: UInt64) -> [Range<UInt64>] {
        acknowledged = max(acknowledged, offset)
        return settle()
    }

    /// Absorbs the ranges that became contiguous, and reports the acknowledged holes before captured bytes.
    private mutating func settle() -> [Range<UInt64>] {
        var missing: [Range<UInt64>] = []
        while let next = ahead.first {
            if next.lowerBound <= contiguousEnd {
                contiguousEnd = max(contiguousEnd, next.upperBound)
                ahead.removeFirst()
            } else if next.lowerBound <= acknowledged {
                missing.append(contiguousEnd..<next.lowerBound)
                contiguousEnd = next.lowerBound
            } else {
                break
            }
        }
        return missing
    }
}
