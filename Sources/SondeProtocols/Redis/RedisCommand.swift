/// A Redis command as a client sent it: its name and its arguments (bulk values truncated to the
/// capture limit, real count kept).
public struct RedisCommand: Hashable, Sendable {
    /// The upper-case command name; for container commands (`CONFIG`, `CLIENT`, ...) joined with the
    /// upper-case subcommand: `GET`, `CONFIG GET`, `CLIENT REPLY`.
    public var name: String
    /// The arguments after the name (and subcommand), as far as they were kept.
    public var arguments: [RESPValue]
    /// How many arguments there really were.
    public var argumentCount: Int

    public init(name: String, arguments: [RESPValue], argumentCount: Int) {
        self.name = name
        self.arguments = arguments
        self.argumentCount = argumentCount
    }

    /// The command carried by `value`: a non-empty array of bulk strings whose first element is a
    /// plausible command name (letters, digits, `_`, `-`, `.`, `|`); nil for anything else.
    public init?(_ value: RESPValue) {
        guard value.kind == .array, value.length > 0, let first = value.elements.first,
              first.kind == .bulkString, first.isComplete, Self.isCommandName(first.bytes),
              value.elements.allSatisfy({ $0.kind == .bulkString }) else { return nil }
        var name = Self.upperCasedName(first.bytes)
        var arguments = Array(value.elements.dropFirst())
        var argumentCount = value.length - 1
        if RedisCommandTable.containers.contains(name), let sub = arguments.first, Self.isCommandName(sub.bytes) {
            name += " " + Self.upperCasedName(sub.bytes)
            arguments.removeFirst()
            argumentCount -= 1
        }
        self.init(name: name, arguments: arguments, argumentCount: argumentCount)
    }

    /// The text of the argument at `index` in upper case, if it was kept.
    func upperCasedArgument(_ index: Int) -> String? {
        arguments.indices.contains(index) ? arguments[index].text.uppercased() : nil
    }

    /// `db.query.text`: the name, then each argument: keys as they are, other values as `?` unless
    /// `includingValues`. Credentials (`AUTH`, `HELLO ... AUTH user password`) are always `?`. Arguments
    /// not kept in memory end the text with `...`.
    public func queryText(includingValues: Bool) -> String {
        let keySpec = RedisCommandTable.keySpec(for: name)
        let secrets = RedisCommandTable.secretIndices(in: self)
        func word(_ index: Int) -> Word {
            guard keySpec.isKey(index, in: self) || (includingValues && !secrets.contains(index)) else { return .placeholder }
            return Word(shown: arguments[index])
        }
        // Measured, then written once into the string's storage: appending to a String cost a String per
        // shown argument and regrowth, and a short text is now a small string, with no allocation at all.
        // The separators are ASCII, so invalid UTF-8 in an argument is repaired as it would be alone.
        let ellipsis = argumentCount > arguments.count ? " ..." : ""
        var length = name.utf8.count + ellipsis.utf8.count
        for index in arguments.indices { length += 1 + word(index).length(of: arguments[index]) }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var offset = 0
            func write(_ bytes: some Sequence<UInt8>) {
                for byte in bytes {
                    buffer[offset] = byte
                    offset += 1
                }
            }
            write(name.utf8)
            for index in arguments.indices {
                write(CollectionOfOne(UInt8(ascii: " ")))
                switch word(index) {
                case .placeholder: write(CollectionOfOne(UInt8(ascii: "?")))
                case .verbatim:
                    write(arguments[index].bytes)
                    if !arguments[index].isComplete { write("...".utf8) }
                case .quoted(let text): write(text.utf8)
                }
            }
            write(ellipsis.utf8)
            return offset
        }
    }

    /// How an argument appears in `db.query.text`.
    private enum Word {
        /// `?`: a value not shown.
        case placeholder
        /// Its bytes, then `...` if the capture cut it.
        case verbatim
        /// Quoted as `redis-cli` would accept it back: it holds spaces, quotes or control bytes, or is empty.
        case quoted(String)

        init(shown argument: RESPValue) {
            let needsQuotes = (argument.bytes.isEmpty && argument.isComplete)
                || argument.bytes.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x27 || $0 == 0x7F }
            self = needsQuotes ? .quoted(RedisCommand.quoted(argument.text + (argument.isComplete ? "" : "..."))) : .verbatim
        }

        func length(of argument: RESPValue) -> Int {
            switch self {
            case .placeholder: 1
            case .verbatim: argument.bytes.count + (argument.isComplete ? 0 : 3)
            case .quoted(let text): text.utf8.count
            }
        }
    }

    /// `text` in double quotes, with quotes, backslashes and control characters escaped.
    private static func quoted(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                escaped += scalar.value < 0x20 || scalar.value == 0x7F
                    ? "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2) : String(scalar)
            }
        }
        return "\"\(escaped)\""
    }

    /// A name `isCommandName` accepted, in upper case: its bytes are ASCII, so they are mapped directly
    /// rather than through `String.uppercased()`'s Unicode case mapping.
    private static func upperCasedName(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte.isASCIILetter ? byte & ~0x20 : byte
            }
            return bytes.count
        }
    }

    /// Letters first, then letters, digits, `_`, `-`, `.`, `|` (module and ACL-style names); at most 32.
    static func isCommandName(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, bytes.count <= 32, first.isASCIILetter else { return false }
        return bytes.allSatisfy { $0.isASCIILetter || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E || $0 == 0x7C }
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
