/// Recognises the first bytes of Redis traffic seen in either direction, including on a connection
/// joined mid-stream, without taking other protocols (HTTP, TLS, MySQL, text) for RESP.
public enum RedisDetector {
    /// True when `prefix` starts with:
    /// - a command as clients send it: `*N\r\n$M\r\n` and, where present, a known command name;
    /// - an inline command: one complete line starting with a known command name;
    /// - or, conservatively, replies: bytes that decode as at least one complete RESP value with no
    ///   malformed byte (the last value may be cut short by the capture), or a bulk string cut short.
    public static func recognizes(_ prefix: ArraySlice<UInt8>) -> Bool {
        guard let first = prefix.first else { return false }
        if first == UInt8(ascii: "*"), let command = recognizesCommandArray(prefix) { return command }
        if first.isASCIILetter { return recognizesInlineCommand(prefix) }
        return RESPValue.Kind(rawValue: first) != nil && decodesAsReplies(prefix)
    }

    /// For an array start: true for a command (name known, or cut off by the capture after `$`), nil
    /// when it may still be an array reply.
    private static func recognizesCommandArray(_ prefix: ArraySlice<UInt8>) -> Bool? {
        var index = prefix.startIndex + 1
        guard let count = readNumber(prefix, at: &index), count > 0, expect("\r\n$", in: prefix, at: &index) else {
            return nil
        }
        guard index < prefix.endIndex else { return true }
        guard let length = readNumber(prefix, at: &index), length > 0, length <= 32 else { return nil }
        guard expect("\r\n", in: prefix, at: &index) else { return index >= prefix.endIndex ? true : nil }
        let name = prefix[index..<min(prefix.endIndex, index + length)]
        guard name.count == length else {
            return name.allSatisfy(\.isASCIILetter) ? true : nil
        }
        return isWellKnown(name) ? true : nil
    }

    /// A complete first line whose first word is a known command, all printable.
    private static func recognizesInlineCommand(_ prefix: ArraySlice<UInt8>) -> Bool {
        guard let lineEnd = prefix.firstIndex(of: .lineFeed) else { return false }
        var line = prefix[prefix.startIndex..<lineEnd]
        if line.last == .carriageReturn { line = line.dropLast() }
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == .tab }) else { return false }
        let words = RESPDecoder.inlineWords(Array(line))
        guard let name = words.first else { return false }
        let isHTTP = words.contains { $0.starts(with: Array("HTTP/".utf8)) }
        return !isHTTP && isWellKnown(name)
    }

    private static func decodesAsReplies(_ prefix: ArraySlice<UInt8>) -> Bool {
        var decoder = RESPDecoder(acceptsInline: false)
        let bytes = Array(prefix)
        var index = 0
        var values = 0
        let mark = StreamMark(timestamp: 0, sequence: 0)
        while let event = decoder.next(bytes, at: &index, mark: mark) {
            guard case .value = event else { return false }
            values += 1
        }
        return values > 0 || decoder.isInTopLevelPayload
    }

    private static func isWellKnown(_ name: some Collection<UInt8>) -> Bool {
        RedisCommandTable.wellKnown.contains(String(decoding: name, as: UTF8.self).uppercased())
    }

    private static func readNumber(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> Int? {
        var value = 0
        let start = index
        while index < bytes.endIndex, index - start < 10, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        return index > start ? value : nil
    }

    /// Whether `literal` follows at `index` (as far as there are bytes); advances past what matched.
    private static func expect(_ literal: String, in bytes: ArraySlice<UInt8>, at index: inout Int) -> Bool {
        for byte in literal.utf8 {
            guard index < bytes.endIndex else { return true }
            guard bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }
}
