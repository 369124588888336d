/// Fixed-width integers read from captured bytes, at offsets relative to the start of the slice.
///
/// Callers check that the bytes are there first; these only assemble them.
extension ArraySlice where Element == UInt8 {
    func bigEndianUInt16(at offset: Int) -> UInt16 {
        let index = startIndex + offset
        return UInt16(self[index]) << 8 | UInt16(self[index + 1])
    }

    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndianUInt16(at: offset)) << 16 | UInt32(bigEndianUInt16(at: offset + 2))
    }

    func uint16(at offset: Int, littleEndian: Bool) -> UInt16 {
        let value = bigEndianUInt16(at: offset)
        return littleEndian ? value.byteSwapped : value
    }

    func uint32(at offset: Int, littleEndian: Bool) -> UInt32 {
        let value = bigEndianUInt32(at: offset)
        return littleEndian ? value.byteSwapped : value
    }
}
