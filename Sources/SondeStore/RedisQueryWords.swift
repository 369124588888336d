/// The words of a Redis `db.query.text` (`SET greeting ?`, `SET "a b" ?`), with the quoting the span builder
/// applies to arguments holding spaces, quotes or control bytes undone. Split byte by byte into buffers kept
/// from one text to the next: no `String` per word.
struct RedisQueryWords {
    /// The words' UTF-8 bytes, back to back.
    private var bytes: [UInt8] = []
    /// Where each word ends in `bytes`.
    private var ends: [Int] = []

    /// How many words the last text split had.
    var count: Int { ends.count }

    /// The UTF-8 bytes of word `index`.
    subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// Replaces the words with those of `text`.
    mutating func split(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var inQuotes = false
        var escaped = false
        var hasWord = false
        for byte in text.utf8 {
            if escaped {
                appendUnescaped(byte)
                escaped = false
            } else if inQuotes && byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                hasWord = true
            } else if byte == UInt8(ascii: " ") && !inQuotes {
                if hasWord { ends.append(bytes.count) }
                hasWord = false
            } else {
                bytes.append(byte)
                hasWord = true
            }
        }
        if hasWord { ends.append(bytes.count) }
    }

    /// `\n`, `\r`, `\t`, `\"` and `\\` are undone; `\xNN` (other control bytes) stays as written.
    private mutating func appendUnescaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "n"): bytes.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
        case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        default: bytes += [UInt8(ascii: "\\"), byte]
        }
    }
}
