/// Reads the MySQL wire types from the captured part of a packet payload; every read is nil when
/// the bytes run out, never a trap.
struct MySQLPayloadReader {
    private let bytes: [UInt8]
    private(set) var index: Int

    init(_ bytes: [UInt8], from index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func skip(_ count: Int) -> Bool {
        guard index + count <= bytes.count else { return false }
        index += count
        return true
    }

    mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// A fixed-length little-endian integer of `width` bytes.
    mutating func integer(width: Int) -> Int? {
        guard width <= 8, index + width <= bytes.count else { return nil }
        var value: UInt64 = 0
        for offset in 0..<width { value |= UInt64(bytes[index + offset]) << (8 * offset) }
        index += width
        return Int(truncatingIfNeeded: value)
    }

    /// A length-encoded integer (1, 3, 4 or 9 bytes).
    mutating func lengthEncodedInteger() -> Int? {
        guard let first = byte() else { return nil }
        switch first {
        case 0..<0xFB: return Int(first)
        case 0xFC: return integer(width: 2)
        case 0xFD: return integer(width: 3)
        case 0xFE: return integer(width: 8)
        default: return nil
        }
    }

    /// A string ending with a NUL byte (the NUL is consumed).
    mutating func nulTerminatedString() -> String? {
        guard let end = bytes[index...].firstIndex(of: 0) else { return nil }
        defer { index = end + 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    /// The rest of the captured payload as text.
    mutating func restAsString() -> String {
        defer { index = bytes.count }
        return String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self)
    }
}
