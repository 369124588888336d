/// One RESP2 or RESP3 value as decoded from the wire, bounded in memory: bulk payloads keep only their
/// first bytes (`RESPDecoder.Limits`) and aggregates only their first elements, while the real sizes
/// are always kept.
public struct RESPValue: Hashable, Sendable {
    /// The RESP types, by their first byte.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case simpleString = 0x2B    // +
        case simpleError = 0x2D     // -
        case integer = 0x3A         // :
        case bulkString = 0x24      // $
        case array = 0x2A           // *
        case null = 0x5F            // _   (RESP3)
        case double = 0x2C          // ,   (RESP3)
        case boolean = 0x23         // #   (RESP3)
        case bigNumber = 0x28       // (   (RESP3)
        case bulkError = 0x21       // !   (RESP3)
        case verbatimString = 0x3D  // =   (RESP3)
        case map = 0x25             // %   (RESP3)
        case set = 0x7E             // ~   (RESP3)
        case attribute = 0x7C       // |   (RESP3)
        case push = 0x3E            // >   (RESP3)

        /// Types whose header line gives a payload length (`$`, `!`, `=`).
        var isBulk: Bool { self == .bulkString || self == .bulkError || self == .verbatimString }

        /// Types whose header line gives an element count (`*`, `%`, `~`, `|`, `>`).
        var isAggregate: Bool { self == .array || self == .map || self == .set || self == .attribute || self == .push }

        /// Elements on the wire per counted entry: maps and attributes count key-value pairs.
        var elementsPerEntry: Int { self == .map || self == .attribute ? 2 : 1 }
    }

    public var kind: Kind
    /// The line of a simple type, or the captured first bytes of a bulk payload.
    public var bytes: [UInt8]
    /// Bulk types: the payload's real length; aggregates: the real number of elements on the wire
    /// (twice the entry count for maps); -1 for the RESP2 nulls `$-1` and `*-1`; 0 otherwise.
    public var length: Int
    /// The first elements of an aggregate (attributes that preceded an element are not elements).
    public var elements: [RESPValue]

    public init(kind: Kind, bytes: [UInt8] = [], length: Int = 0, elements: [RESPValue] = []) {
        self.kind = kind
        self.bytes = bytes
        self.length = length
        self.elements = elements
    }

    /// `$-1`, `*-1` (RESP2) or `_` (RESP3).
    public var isNull: Bool { kind == .null || length == -1 }

    /// A simple or bulk error.
    public var isError: Bool { kind == .simpleError || kind == .bulkError }

    /// The captured bytes as text (invalid UTF-8 repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The value of an integer, when it is one.
    public var integer: Int? { kind == .integer ? Int(text) : nil }

    /// Whether every captured byte of a string value is there: not truncated by the capture limit.
    public var isComplete: Bool { !kind.isBulk || bytes.count == max(length, 0) }
}
