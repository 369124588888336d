/// Recognizes HTTP/2: the client connection preface, or (joining a connection mid-stream) a run of
/// well-formed frames.
public enum HTTP2Detector {
    /// True when `prefix` starts with the connection preface (all of it, or as much as is present but at
    /// least `PRI * HTTP/2.0`), or is a sequence of plausible frames, the first of them whole, that ends
    /// exactly at the end of `prefix` or inside the payload of its last frame.
    ///
    /// Conservative: frames must be of RFC 9113 types with lengths and stream ids their type allows and
    /// no larger than the default 16 KiB. HTTP/1, RESP and random bytes are refused.
    public static func recognizes(_ prefix: ArraySlice<UInt8>) -> Bool {
        startsWithPreface(prefix) || startsWithFrames(prefix)
    }

    static func startsWithPreface(_ prefix: ArraySlice<UInt8>) -> Bool {
        prefix.count >= 14 && prefix.prefix(HTTP2Preface.bytes.count).elementsEqual(
            HTTP2Preface.bytes.prefix(min(prefix.count, HTTP2Preface.bytes.count)))
    }

    /// Plausible frames (that `fit` the connection) back to back up to the end of `bytes`, at least the
    /// first of them whole; the last may be cut inside its payload, never inside its header.
    static func startsWithFrames(_ bytes: ArraySlice<UInt8>, fits: (HTTP2FrameHeader) -> Bool = { _ in true }) -> Bool {
        var index = bytes.startIndex
        var wholeFrames = 0
        while bytes.endIndex - index >= HTTP2FrameHeader.size {
            let header = HTTP2FrameHeader(bytes[index...])
            guard header.isPlausible(maxPayloadLength: HTTP2FrameHeader.defaultMaxPayloadLength), fits(header) else {
                return false
            }
            index += HTTP2FrameHeader.size + header.length
            if index <= bytes.endIndex { wholeFrames += 1 }
        }
        return wholeFrames > 0 && index >= bytes.endIndex
    }

    /// Where frames resume in `bytes` after the framing was lost: the first position holding a plausible
    /// frame header that `fits` its connection, followed by plausible fitting frames that either end
    /// exactly at the end of `bytes` (a frame length matching the bytes left is strong evidence) or include
    /// at least two whole frames. Nil when no position qualifies.
    ///
    /// A read that went partly uncaptured leaves the next one starting anywhere inside a frame; the
    /// frames it holds are found this way rather than waiting for a read that starts at a frame. Linear:
    /// each position's verdict is derived from the verdict of the position its frame leads to.
    static func frameBoundary(in bytes: ArraySlice<UInt8>, fits: (HTTP2FrameHeader) -> Bool) -> Int? {
        let count = bytes.count
        guard count >= HTTP2FrameHeader.size else { return nil }
        // wholeFrames[p]: whole fitting frames from offset p on (capped at 2), -1 when the run breaks;
        // endsExactly[p]: that run ends exactly at the end of `bytes`.
        var wholeFrames = [Int](repeating: -1, count: count + 1)
        var endsExactly = [Bool](repeating: false, count: count + 1)
        wholeFrames[count] = 0
        endsExactly[count] = true
        var boundary: Int?
        for offset in stride(from: count - HTTP2FrameHeader.size, through: 0, by: -1) {
            let header = HTTP2FrameHeader(bytes[(bytes.startIndex + offset)...])
            guard header.isPlausible(maxPayloadLength: HTTP2FrameHeader.defaultMaxPayloadLength), fits(header) else {
                continue
            }
            let next = offset + HTTP2FrameHeader.size + header.length
            if next > count {
                wholeFrames[offset] = 0
            } else if next > count - HTTP2FrameHeader.size, next < count {
                wholeFrames[offset] = 1
            } else if wholeFrames[next] >= 0 {
                wholeFrames[offset] = min(2, wholeFrames[next] + 1)
                endsExactly[offset] = endsExactly[next]
            }
            if wholeFrames[offset] >= 2 || endsExactly[offset] && wholeFrames[offset] == 1 {
                boundary = bytes.startIndex + offset
            }
        }
        return boundary
    }
}
