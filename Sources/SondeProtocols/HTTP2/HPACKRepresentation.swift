/// One field representation of an HPACK header block (RFC 7541 §6), located but not decoded, so that
/// a block can be decoded field by field and a field that refers to an unknown table entry costs only
/// that field.
struct HPACKRepresentation: Equatable {
    enum Kind: Equatable {
        /// An indexed header field (§6.1).
        case indexed
        /// A literal field added to the dynamic table (§6.2.1); `nameIndex` 0 means a literal name.
        case literalIndexed(nameIndex: Int)
        /// A literal field not added to the table (§6.2.2, §6.2.3).
        case literalNotIndexed(nameIndex: Int)
        /// A dynamic table size update (§6.3).
        case sizeUpdate
    }

    var kind: Kind
    /// Where the representation lies in its block.
    var range: Range<Int>
    /// Where the value string (length prefix included) lies, for literal fields.
    var valueRange: Range<Int>?

    /// Splits `block` into representations; nil when the block is malformed or cut short.
    static func split(_ block: [UInt8]) -> [HPACKRepresentation]? {
        var representations: [HPACKRepresentation] = []
        var index = 0
        while index < block.count {
            let start = index
            let first = block[index]
            let kind: Kind
            if first & 0x80 != 0 {
                guard readInteger(block, prefixBits: 7, at: &index) != nil else { return nil }
                kind = .indexed
            } else if first & 0xC0 == 0x40 {
                guard let nameIndex = readInteger(block, prefixBits: 6, at: &index) else { return nil }
                kind = .literalIndexed(nameIndex: nameIndex)
            } else if first & 0xE0 == 0x20 {
                guard readInteger(block, prefixBits: 5, at: &index) != nil else { return nil }
                kind = .sizeUpdate
            } else {
                guard let nameIndex = readInteger(block, prefixBits: 4, at: &index) else { return nil }
                kind = .literalNotIndexed(nameIndex: nameIndex)
            }
            var valueRange: Range<Int>?
            switch kind {
            case .literalIndexed(let nameIndex), .literalNotIndexed(let nameIndex):
                if nameIndex == 0 {
                    guard skipString(block, at: &index) else { return nil }
                }
                let valueStart = index
                guard skipString(block, at: &index) else { return nil }
                valueRange = valueStart..<index
            case .indexed, .sizeUpdate:
                break
            }
            representations.append(HPACKRepresentation(kind: kind, range: start..<index, valueRange: valueRange))
        }
        return representations
    }

    /// An HPACK integer with an N-bit prefix (§5.1); nil when cut short or beyond 2^28.
    private static func readInteger(_ bytes: [UInt8], prefixBits: Int, at index: inout Int) -> Int? {
        let mask = (1 << prefixBits) - 1
        var value = Int(bytes[index]) & mask
        index += 1
        guard value == mask else { return value }
        var shift = 0
        while index < bytes.count, shift <= 21 {
            let byte = bytes[index]
            index += 1
            value += Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// Skips a string literal (§5.2): a length with a 7-bit prefix, then that many bytes.
    private static func skipString(_ bytes: [UInt8], at index: inout Int) -> Bool {
        guard index < bytes.count, let length = readInteger(bytes, prefixBits: 7, at: &index),
              length <= bytes.count - index else { return false }
        index += length
        return true
    }
}
