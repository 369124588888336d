import SondeModel

/// The JSON text of attribute sets and argument lists, as the store keeps them, written into a buffer the
/// writer reuses from row to row.
struct JSONText {
    private var writer = JSONByteWriter()

    /// The text written since the last ``clear()``, UTF-8.
    var bytes: [UInt8] { writer.bytes }

    mutating func clear() {
        writer.removeAll()
    }

    /// Writes a JSON object of `attributes` in their order (their keys are unique, as OpenTelemetry requires
    /// and every span builder ensures).
    mutating func writeObject(_ attributes: some Sequence<Attribute>) {
        writer.raw("{")
        var isFirst = true
        for attribute in attributes {
            if !isFirst { writer.raw(",") }
            isFirst = false
            writer.string(attribute.key)
            writer.raw(":")
            switch attribute.value {
            case .string(let text): writer.string(text)
            case .int(let number): writer.decimal(number)
            case .double(let number): writer.double(number)
            case .bool(let flag): writer.bool(flag)
            }
        }
        writer.raw("}")
    }

    /// Writes a JSON object of `attribute` alone, or `{}` for none (no array made for the one attribute).
    mutating func writeObject(_ attribute: Attribute?) {
        if let attribute { writeObject(CollectionOfOne(attribute)) } else { writer.raw("{}") }
    }

    /// Writes a JSON array of the strings of `words` from word `first` on.
    mutating func writeArray(_ words: RedisQueryWords, from first: Int) {
        writer.raw("[")
        for index in first..<max(first, words.count) {
            if index > first { writer.raw(",") }
            words[index].withUnsafeBufferPointer { writer.string(utf8: $0) }
        }
        writer.raw("]")
    }

    /// The JSON object of `attributes` as a string (see ``writeObject(_:)``).
    static func object(_ attributes: [Attribute]) -> String {
        var text = JSONText()
        text.writeObject(attributes)
        return String(decoding: text.bytes, as: UTF8.self)
    }
}
