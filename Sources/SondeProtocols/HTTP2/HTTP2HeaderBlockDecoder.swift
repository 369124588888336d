import NIOCore
import NIOHPACK

/// The HPACK decoder of one direction of a connection, on top of NIOHPACK's `HPACKDecoder`, made to
/// survive a connection joined mid-stream and lost header blocks.
///
/// Blocks are decoded field by field. A field that refers to a dynamic table entry this decoder never
/// saw is left out (never guessed); when such a field was also added to the table, a placeholder entry
/// takes its place, so later indices keep pointing at the entries the encoder means. The placeholder's
/// name is one byte long, never longer than the real name: the table then evicts no later than the
/// encoder's, keeping at worst stale entries the encoder never refers to. Fields read from a
/// placeholder are left out as well. A block that was not captured whole, or that does not parse,
/// poisons the table: it is replaced by an empty one (`resync()`), which is again exactly the situation
/// of a connection joined mid-stream. While the table is known whole (the connection seen from its start
/// and never resynced), blocks are decoded in one go, since no field can refer to an unknown entry.
struct HTTP2HeaderBlockDecoder {
    /// A decoded block: the fields that could be decoded, in order, and whether any were left out.
    struct Block: Equatable {
        var fields: [HTTPHeader]
        var isComplete: Bool
    }

    /// The name of placeholder entries: not a valid field name, so never a real one.
    private static let placeholderName = "\u{1}"
    /// The table size assumed before SETTINGS say otherwise when the connection start was not seen:
    /// larger than any encoder's is safe (it only keeps stale entries), smaller is not.
    private static let unknownTableSize = 1 << 16

    private var decoder: HPACKDecoder
    private var maxTableSize: Int
    /// Every entry of the encoder's table went through this decoder.
    private var knowsWholeTable: Bool

    /// A decoder for a direction seen from the connection start (`fromStart`) or joined later.
    init(fromStart: Bool) {
        maxTableSize = fromStart ? 4096 : Self.unknownTableSize
        knowsWholeTable = fromStart
        decoder = Self.makeDecoder(maxTableSize: maxTableSize)
    }

    /// NIOHPACK's decoder with no header list limit of its own: blocks are already capped in size, and
    /// its limit is checked after a field enters the table, which would put the table out of step.
    private static func makeDecoder(maxTableSize: Int) -> HPACKDecoder {
        HPACKDecoder(allocator: ByteBufferAllocator(), maxDynamicTableSize: maxTableSize, maxHeaderListSize: .max)
    }

    /// The peer decoding this direction announced SETTINGS_HEADER_TABLE_SIZE: the encoder may use up to
    /// `size` octets.
    mutating func setMaxTableSize(_ size: Int) {
        maxTableSize = max(size, 0)
        decoder.maxDynamicTableLength = maxTableSize
    }

    /// Forgets the table after a lost or undecodable block (see the type's documentation).
    mutating func resync() {
        knowsWholeTable = false
        decoder = Self.makeDecoder(maxTableSize: max(maxTableSize, Self.unknownTableSize))
    }

    /// Decodes one whole header block; nil when it does not parse (the table is then reset).
    mutating func decode(_ block: [UInt8]) -> Block? {
        if knowsWholeTable {
            var buffer = ByteBuffer(bytes: block)
            guard let decoded = try? decoder.decodeHeaders(from: &buffer) else {
                resync()
                return nil
            }
            return Block(fields: decoded.map { HTTPHeader(name: $0.name, value: $0.value) }, isComplete: true)
        }
        guard let representations = HPACKRepresentation.split(block) else {
            resync()
            return nil
        }
        var result = Block(fields: [], isComplete: true)
        for representation in representations {
            var buffer = ByteBuffer(bytes: block[representation.range])
            do {
                let decoded = try decoder.decodeHeaders(from: &buffer)
                for field in decoded where field.name != Self.placeholderName {
                    result.fields.append(HTTPHeader(name: field.name, value: field.value))
                }
                if decoded.contains(where: { $0.name == Self.placeholderName }) { result.isComplete = false }
            } catch is NIOHPACKErrors.InvalidHeaderIndex {
                result.isComplete = false
                guard recover(from: representation, in: block) else {
                    resync()
                    return nil
                }
            } catch {
                resync()
                return nil
            }
        }
        return result
    }

    /// After `representation` failed to decode: adds its placeholder when it was a table insertion with
    /// an unknown name. False when the failure means the table cannot be trusted.
    private mutating func recover(from representation: HPACKRepresentation, in block: [UInt8]) -> Bool {
        switch representation.kind {
        case .indexed, .literalNotIndexed(nameIndex: 1...):
            return true
        case .literalIndexed(let nameIndex) where nameIndex > 0:
            guard let valueRange = representation.valueRange else { return false }
            var placeholder = ByteBuffer(bytes: [0x40, 0x01] + Array(Self.placeholderName.utf8) + block[valueRange])
            return (try? decoder.decodeHeaders(from: &placeholder)) != nil
        case .literalIndexed, .literalNotIndexed, .sizeUpdate:
            return false
        }
    }
}
