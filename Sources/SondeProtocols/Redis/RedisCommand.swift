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
        // Written as UTF-8 and made a String once: appending to a String cost a String per shown argument
        // and the text's regrowth. The separators are ASCII, so invalid UTF-8 in an argument is repaired
        // as it would be alone.
        var text: [UInt8] = []
        text.reserveCapacity(arguments.reduce(name.utf8.count + 4) { $0 + $1.bytes.count + 4 })
        text.append(contentsOf: name.utf8)
        for (index, argument) in arguments.enumerated() {
            let isShown = keySpec.isKey(index, in: self) || (includingValues && !secrets.contains(index))
            text.append(UInt8(ascii: " "))
            if isShown {
                Self.appendShown(argument, to: &text)
            } else {
                text.append(UInt8(ascii: "?"))
            }
        }
        if argumentCount > arguments.count { text.append(contentsOf: " ...".utf8) }
        return String(decoding: text, as: UTF8.self)
    }

    /// An argument as `redis-cli` would accept it back: quoted when it holds spaces, quotes or control
    /// bytes, or is empty; a truncated capture ends with `...`.
    private static func appendShown(_ argument: RESPValue, to text: inout [UInt8]) {
        let needsQuotes = (argument.bytes.isEmpty && argument.isComplete)
            || argument.bytes.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x27 || $0 == 0x7F }
        guard needsQuotes else {
            text.append(contentsOf: argument.bytes)
            if !argument.isComplete { text.append(contentsOf: "...".utf8) }
            return
        }
        text.append(contentsOf: quoted(argument.text + (argument.isComplete ? "" : "...")).utf8)
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
