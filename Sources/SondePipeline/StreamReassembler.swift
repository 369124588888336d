import SondeModel

/// Puts one direction of a connection back in stream order.
///
/// Ring-buffer events of one connection can arrive slightly out of order, so a chunk whose offset is
/// ahead of the expected one waits in a small reorder buffer. When that buffer exceeds its bounds (or
/// its oldest chunk waited too long, see ``flush(into:)``), the missing range is declared lost and the
/// stream moves on. Chunks entirely behind the expected offset are duplicates and are dropped; a chunk
/// that overlaps it is trimmed.
struct StreamReassembler {
    /// What the protocol session sees next, in stream order.
    enum Piece: Equatable {
        /// Captured bytes, following directly on the previous piece.
        case bytes([UInt8], timestamp: UInt64)
        /// Bytes that moved but were not captured (truncated capture, `sendfile`).
        case uncaptured(Int, timestamp: UInt64)
        /// Bytes lost between two chunks (an offset jump that never filled).
        case gap(Int, timestamp: UInt64)
    }

    /// Bounds of the reorder buffer.
    struct Limits {
        var chunks: Int
        var bytes: Int
    }

    /// Offset of the next byte due; nil until the first chunk fixes the start of the stream.
    private(set) var expectedOffset: UInt64?
    /// Chunks ahead of `expectedOffset`, sorted by offset.
    private var pending: [DataChunk] = []
    /// Captured bytes held in `pending`.
    private(set) var pendingBytes = 0
    /// Chunks dropped because every byte of them had already been delivered.
    private(set) var duplicateChunks = 0

    /// A stream whose first byte is at `startOffset`, or (nil) at the first chunk seen.
    init(startOffset: UInt64?) {
        self.expectedOffset = startOffset
    }

    /// The timestamp of the oldest chunk waiting for a missing range, if any.
    var oldestPendingTimestamp: UInt64? { pending.lazy.map(\.timestamp).min() }

    /// Takes one chunk and appends whatever became deliverable to `pieces`.
    mutating func accept(_ chunk: DataChunk, limits: Limits, into pieces: inout [Piece]) {
        guard chunk.size > 0 else { return }
        var chunk = chunk
        if chunk.payload.count > chunk.size {  // malformed: never deliver more than moved
            chunk.payload.removeLast(chunk.payload.count - chunk.size)
        }
        let expected = expectedOffset ?? chunk.offset
        expectedOffset = expected
        if chunk.offset > expected {
            park(chunk)
            while pending.count > limits.chunks || pendingBytes > limits.bytes {
                skipToFirstPending(into: &pieces)
            }
        } else {
            deliver(chunk, into: &pieces)
            drainContiguous(into: &pieces)
        }
    }

    /// Delivers every waiting chunk, declaring the missing ranges between them lost.
    mutating func flush(into pieces: inout [Piece]) {
        while !pending.isEmpty {
            skipToFirstPending(into: &pieces)
        }
    }

    private mutating func park(_ chunk: DataChunk) {
        let index = pending.lastIndex { $0.offset <= chunk.offset }.map { $0 + 1 } ?? 0
        pending.insert(chunk, at: index)
        pendingBytes += chunk.payload.count
    }

    /// Gives up on the range before the first waiting chunk and delivers from there.
    private mutating func skipToFirstPending(into pieces: inout [Piece]) {
        guard let first = pending.first, let expected = expectedOffset else { return }
        if first.offset > expected {
            pieces.append(.gap(Int(clamping: first.offset - expected), timestamp: first.timestamp))
            expectedOffset = first.offset
        }
        drainContiguous(into: &pieces)
    }

    private mutating func drainContiguous(into pieces: inout [Piece]) {
        while let first = pending.first, let expected = expectedOffset, first.offset <= expected {
            pending.removeFirst()
            pendingBytes -= first.payload.count
            deliver(first, into: &pieces)
        }
    }

    /// Delivers a chunk that starts at or before the expected offset, trimming what was already seen.
    private mutating func deliver(_ chunk: DataChunk, into pieces: inout [Piece]) {
        let expected = expectedOffset ?? chunk.offset
        let end = chunk.offset &+ UInt64(chunk.size)
        guard end > expected else {
            duplicateChunks += 1
            return
        }
        let overlap = Int(expected - chunk.offset)
        let size = chunk.size - overlap
        let payload = overlap == 0 ? chunk.payload : Array(chunk.payload.dropFirst(overlap))
        if !payload.isEmpty {
            pieces.append(.bytes(payload, timestamp: chunk.timestamp))
        }
        if size > payload.count {
            pieces.append(.uncaptured(size - payload.count, timestamp: chunk.timestamp))
        }
        expectedOffset = end
    }
}
